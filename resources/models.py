"""The resource library: guides, articles, videos and more, each for one or more programmes."""

from __future__ import annotations

from typing import Any

from auditlog.registry import auditlog
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.storage import private_document_storage
from programmes.models import Audience, Programme


class ResourceKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    ARTICLE = "article", _("Article")
    VIDEO = "video", _("Video")
    PODCAST = "podcast", _("Podcast")
    TOOLKIT = "toolkit", _("Toolkit")
    COURSE_MATERIAL = "course_material", _("Course material")


class Topic(models.TextChoices):
    """The themes the Upon programmes are built around."""

    PERSONAL_LEADERSHIP = "personal_leadership", _("Personal leadership and resilience")
    SYSTEMS_LEADERSHIP = "systems_leadership", _("Systems leadership")
    POLITICAL_CORPORATE = "political_corporate", _("Political and corporate contexts")
    COMPLEXITY = "complexity", _("Leading in complexity")
    COMMUNITIES = "communities", _("Engaging communities")
    RESULTS = "results", _("Delivering results")
    INNOVATION = "innovation", _("Innovation and change")


class ResourceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Visibility(models.TextChoices):
    OPEN = "open", _("Everyone")
    PARTICIPANTS = "participants", _("Participants of its programmes only")


# Topics are kept in one text column as "|a|b|", so one topic is found with a plain
# LIKE on every database (SQLite in development has no array type), and the audit log
# shows a change of topics as one field, before and after.
TOPIC_SEPARATOR = "|"


def topics_to_text(values: list[str] | tuple[str, ...]) -> str:
    chosen = [value for value in Topic.values if value in set(values)]
    return f"{TOPIC_SEPARATOR}{TOPIC_SEPARATOR.join(chosen)}{TOPIC_SEPARATOR}" if chosen else ""


def topic_lookup(value: str) -> Q:
    return Q(topics__contains=f"{TOPIC_SEPARATOR}{value}{TOPIC_SEPARATOR}")


RESOURCE_LINK_OR_FILE = _("Give a web link or upload a file, not both.")


class ResourceQuerySet(models.QuerySet["Resource"]):
    def published(self) -> ResourceQuerySet:
        return self.filter(status=ResourceStatus.PUBLISHED)


class Resource(models.Model):
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind)
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    audience = models.CharField(
        _("who it is for"),
        max_length=30,
        choices=Audience,
        blank=True,
        help_text=_("Leave blank if it is for anyone."),
    )
    # The programme whose managers look after the resource; its history lists the changes.
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="own_resources",
        verbose_name=_("looked after by"),
    )
    # Every programme it is listed under, the one that looks after it included. Its
    # participants are the ones who may open a participants-only resource.
    programmes = models.ManyToManyField(
        Programme, related_name="resources", verbose_name=_("programmes")
    )
    link = models.URLField(_("web link"), max_length=500, blank=True)
    file = models.FileField(
        _("file"), storage=private_document_storage, upload_to="resources/%Y/%m/", blank=True
    )
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ResourceStatus, default=ResourceStatus.DRAFT
    )
    visibility = models.CharField(
        _("who can open it"), max_length=20, choices=Visibility, default=Visibility.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.CheckConstraint(
                condition=(Q(link="") & ~Q(file="")) | (~Q(link="") & Q(file="")),
                name="resource_link_or_file",
                violation_error_message=RESOURCE_LINK_OR_FILE,
            )
        ]
        indexes = [models.Index(fields=["status", "published_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", kwargs={"pk": self.pk})

    def get_additional_data(self) -> dict[str, Any]:
        """Stored with each audit entry, so the programme's history lists its resources'."""
        return {"programme_id": self.programme_id}

    @property
    def topic_list(self) -> list[str]:
        return [str(Topic(value).label) for value in self.topic_values]

    @property
    def topic_values(self) -> list[str]:
        return [value for value in self.topics.split(TOPIC_SEPARATOR) if value in Topic.values]

    @property
    def for_participants(self) -> bool:
        return self.visibility == Visibility.PARTICIPANTS

    @property
    def has_file(self) -> bool:
        return bool(self.file)


auditlog.register(
    Resource,
    exclude_fields=["created_at", "updated_at", "size", "content_type"],
    m2m_fields={"programmes"},
)
