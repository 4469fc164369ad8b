"""The peer network: participants who chose to share a short profile with their peers.

A row exists only while its owner is opted in: opting out deletes it. A profile
is shown only while its owner is still a participant (enrolled or completed) of
the programme; the selectors check that on every read, so a withdrawn person's
profile disappears at once without anything having to remember to remove it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority
from programmes.models import Programme


class Region(models.TextChoices):
    NORTH_EAST = "north_east", _("North East")
    NORTH_WEST = "north_west", _("North West")
    YORKSHIRE = "yorkshire", _("Yorkshire and the Humber")
    EAST_MIDLANDS = "east_midlands", _("East Midlands")
    WEST_MIDLANDS = "west_midlands", _("West Midlands")
    EAST = "east", _("East of England")
    LONDON = "london", _("London")
    SOUTH_EAST = "south_east", _("South East")
    SOUTH_WEST = "south_west", _("South West")
    WALES = "wales", _("Wales")


class NetworkProfile(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_profiles"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="network_profiles"
    )
    name = models.CharField(_("name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150)
    employer = models.CharField(_("employer"), max_length=200)
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("local authority"),
    )
    region = models.CharField(_("region"), max_length=20, choices=Region, blank=True)
    contact_email = models.EmailField(_("email for your peers"))
    can_help_with = models.CharField(_("what you can help with"), max_length=300, blank=True)
    see_alumni = models.BooleanField(
        _("also show me the programme's alumni"),
        default=False,
        help_text=_("Participants of the programme's other cohorts who have joined the network."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("peer network profile")
        verbose_name_plural = _("peer network profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme"], name="one_network_profile_per_programme"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.programme})"
