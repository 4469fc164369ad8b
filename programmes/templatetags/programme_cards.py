"""`{% programme_card programme %}`: a directory card, rendered once per content."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from programmes.cards import render_card

register = template.Library()


@register.simple_tag
def programme_card(programme: Any) -> SafeString:
    return render_card(programme)
