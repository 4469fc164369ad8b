"""Domain errors of the resource library. Views turn them into a message and a 4xx."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STALE_RESOURCE = _(
    "Someone else changed this resource since you opened the page, so nothing was saved. "
    "Open the latest version, check their changes, then make yours again."
)
LINK_OR_FILE = _("Give a web link or upload a file.")
NOT_BOTH = _("Give a web link or upload a file, not both.")
ALREADY_RETIRED = _("This resource is retired. Put it back as a draft before you publish it.")
NOT_YOUR_PROGRAMME = _("You can only list a resource under programmes you manage.")


class ResourceError(Exception):
    """A change to a resource that cannot be made; the message says why."""


class StaleResource(ResourceError):
    pass


class FileRefused(ResourceError):
    pass


class CannotPublish(ResourceError):
    pass
