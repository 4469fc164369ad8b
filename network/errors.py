"""Domain errors of the peer network."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NOT_A_PARTICIPANT = _(
    "Only people taking part in, or who have completed, this programme can join its peer network."
)


class NetworkError(Exception):
    pass


class NotAParticipant(NetworkError):
    pass
