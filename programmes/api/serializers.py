"""Public API representations of programmes and cohorts (read only)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Cohort, CohortStatus, DeliveryFormat, Programme, Provider


@extend_schema_field(
    {
        "type": "string",
        "description": "One of online, face_to_face, blended, residential: the same values "
        "as a programme's format (FormatEnum).",
    }
)
class DeliveryModeField(serializers.ChoiceField):
    """A cohort's delivery mode uses the same choices as a programme's format.

    Described as a plain string here because drf-spectacular warns when one
    choice set gets two enum names, and only a settings entry
    (ENUM_NAME_OVERRIDES) can name it once.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=DeliveryFormat.choices, read_only=True, **kwargs)


class ProviderSerializer(serializers.ModelSerializer[Provider]):
    class Meta:
        model = Provider
        fields = ["slug", "name", "website"]


class CohortSerializer(serializers.ModelSerializer[Cohort]):
    """A cohort with its availability, from selectors.cohort_availability."""

    programme: serializers.SlugRelatedField[Programme] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    delivery_mode = DeliveryModeField()
    places_left = serializers.IntegerField(
        read_only=True, help_text="Capacity minus enrolled people and outstanding offers."
    )
    waiting_list_length = serializers.IntegerField(
        read_only=True, help_text="People on this cohort's waiting list."
    )
    status = serializers.ChoiceField(
        choices=CohortStatus.choices,
        read_only=True,
        help_text="Where the cohort stands for someone who wants a place.",
    )

    class Meta:
        model = Cohort
        fields = [
            "id",
            "programme",
            "name",
            "starts_on",
            "ends_on",
            "applications_open_at",
            "applications_close_at",
            "delivery_mode",
            "venue",
            "capacity",
            "places_left",
            "waiting_list_length",
            "status",
        ]


class ProgrammeCohortSerializer(CohortSerializer):
    """A cohort inside its programme: the programme is already known."""

    class Meta(CohortSerializer.Meta):
        fields = [f for f in CohortSerializer.Meta.fields if f != "programme"]


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    providers = ProviderSerializer(many=True, read_only=True)
    funder = ProviderSerializer(read_only=True, allow_null=True)
    themes = serializers.SerializerMethodField()
    next_start_date = serializers.DateField(
        source="next_start", read_only=True, allow_null=True, help_text="First cohort not started."
    )
    open_for_applications = serializers.BooleanField(
        source="accepting_now",
        read_only=True,
        help_text="A cohort is taking applications, bookings or waiting-list sign-ups now.",
    )
    places_available = serializers.BooleanField(
        source="has_places",
        read_only=True,
        help_text="A cohort not yet started or closed has a free place.",
    )
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "slug",
            "title",
            "summary",
            "audience",
            "format",
            "duration",
            "cost_type",
            "cost_amount",
            "cost_note",
            "accreditation",
            "admission_mode",
            "themes",
            "providers",
            "funder",
            "next_start_date",
            "open_for_applications",
            "places_available",
            "web_url",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_themes(self, programme: Programme) -> list[str]:
        return programme.theme_list

    def get_web_url(self, programme: Programme) -> str:
        request = self.context.get("request")
        path = reverse("programmes:detail", kwargs={"slug": programme.slug})
        return request.build_absolute_uri(path) if request else path


class ProgrammeDetailSerializer(ProgrammeSerializer):
    cohorts = ProgrammeCohortSerializer(many=True, read_only=True)

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "description", "cohorts"]
