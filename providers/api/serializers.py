"""An enrolment as the provider API shows it (from providers.selectors.ENROLMENT_FIELDS)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..exports import status_label
from ..scope import ENROLMENT_STATES


class EnrolmentSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField(help_text="The application's id; stable across syncs.")
    full_name = serializers.CharField()
    email = serializers.EmailField()
    job_title = serializers.CharField()
    employer = serializers.CharField()
    local_authority = serializers.CharField()
    nation = serializers.CharField()
    enrolled_at = serializers.DateTimeField(allow_null=True)
    # A plain string rather than a choice field: drf-spectacular would otherwise name a
    # second "StatusEnum" beside the public cohorts' status, and the schema check warns.
    status = serializers.CharField(
        source="state",
        help_text="Attendance and completion: "
        + ", ".join(s.value for s in ENROLMENT_STATES)
        + ".",
    )
    status_label = serializers.SerializerMethodField()
    accreditation = serializers.CharField(
        help_text="The programme's accreditation, if it offers one."
    )
    programme = serializers.CharField(source="programme_slug")
    cohort_id = serializers.IntegerField()
    cohort = serializers.CharField(source="cohort_name")
    updated_at = serializers.DateTimeField()

    def get_status_label(self, obj: dict[str, Any]) -> str:
        return status_label(obj["state"])
