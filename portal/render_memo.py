"""Template fragments kept in memory under a key made of everything they show.

For fragments that are pure functions of a few values (a directory card, a page's filter
tick boxes): the caller builds the key from exactly the values the fragment reads, plus the
language. A change to any of them is a new key, so nothing needs invalidating and nothing
can go stale; the bounded size only limits memory. Each process keeps its own, so no
network trip is added and a cold process renders as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Mapping
from threading import Lock
from typing import Any

from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

_memos: list[RenderMemo] = []


class RenderMemo:
    def __init__(self, template_name: str, *, max_entries: int) -> None:
        self.template_name = template_name
        self.max_entries = max_entries
        self._rendered: OrderedDict[Hashable, SafeString] = OrderedDict()
        self._lock = Lock()  # threaded workers share the dict
        _memos.append(self)

    def render(self, key: Hashable, context: Mapping[str, Any]) -> SafeString:
        key = (get_language(), key)
        with self._lock:
            html = self._rendered.get(key)
            if html is not None:
                self._rendered.move_to_end(key)
                return html
        html = SafeString(get_template(self.template_name).render(dict(context)))
        with self._lock:
            self._rendered[key] = html
            if len(self._rendered) > self.max_entries:
                self._rendered.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._rendered.clear()


def forget_all() -> None:
    """For tests: each starts with nothing remembered, as a fresh process would."""
    for memo in _memos:
        memo.clear()
