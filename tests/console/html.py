"""A little HTML reading for console tests, on Django's own test parser (no extra library)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.test.html import Element, parse_html


def page(response: Any) -> Element:
    return parse_html(response.content.decode())


def _walk(node: Any) -> Iterator[Element]:
    if isinstance(node, Element):
        yield node
        for child in node.children:
            yield from _walk(child)


def attr(element: Element, name: str) -> str | None:
    return dict(element.attributes).get(name)


def classes(element: Element) -> list[str]:
    return (attr(element, "class") or "").split()


def find_all(root: Element, name: str, cls: str | None = None) -> list[Element]:
    """Elements called `name` (and with class `cls`), in document order."""
    return [
        element
        for element in _walk(root)
        if element.name == name and (cls is None or cls in classes(element))
    ]


def find(root: Element, name: str, cls: str | None = None) -> Element:
    found = find_all(root, name, cls)
    assert found, f"no <{name} class={cls}>"
    return found[0]


def text(node: Any) -> str:
    """All the text inside, whitespace collapsed."""
    if isinstance(node, Element):
        return " ".join(" ".join(text(child) for child in node.children).split())
    return str(node)


def own_text(element: Element) -> str:
    """The text directly inside, not inside child elements."""
    return " ".join(
        " ".join(str(c) for c in element.children if not isinstance(c, Element)).split()
    )
