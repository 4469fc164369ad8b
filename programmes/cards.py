"""The directory's programme cards, rendered once per content (portal.render_memo).

Rendering twenty cards through the template engine was most of a directory page's time
at a thousand programmes. A card is a pure function of the fields in CARD_INPUTS and the
provider names, so those make its key.
"""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from portal.render_memo import RenderMemo

CARD_TEMPLATE = "programmes/_programme_card.html"
# Every attribute of `programme` the card's templates read (a test checks the templates
# against this list, so a new field on the card cannot be left out of the key).
CARD_INPUTS = (
    "pk",
    "slug",
    "title",
    "summary",
    "audience",
    "format",
    "duration",
    "cost_amount",
    "cost_type",
    "accreditation",
    "admission_mode",
    "next_start",
    "accepting_now",
    "has_places",
)
# Labels and the URL follow from the inputs above; the providers are read into the key.
DERIVED = {"audience_label", "format_label", "cost_type_label", "get_absolute_url", "providers"}

_cards = RenderMemo(CARD_TEMPLATE, max_entries=4096)


def render_card(programme: Any) -> SafeString:
    providers = tuple(provider.name for provider in programme.providers.all())
    key = (providers, *(getattr(programme, name) for name in CARD_INPUTS))
    return _cards.render(key, {"programme": programme})
