"""Fixtures for the Django admin: a signed-in superuser, and POST data built from a page."""

from __future__ import annotations

from typing import Any

import pytest
from django.forms import BaseForm, MultiWidget
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from accounts.models import User
from tests import factories


@pytest.fixture
def admin_user(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_superuser(
        "root@example.org", factories.PASSWORD, email_verified_at=timezone.now()
    )


@pytest.fixture
def admin_client_(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def _as_posted(value: Any) -> str:
    return "" if value is None else str(value)


def _form_data(form: BaseForm) -> dict[str, Any]:
    """What a browser would send back for `form`, unchanged."""
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):  # the admin's split date and time
            for index, part in enumerate(widget.decompress(value)):
                data[f"{bound.html_name}_{index}"] = _as_posted(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [_as_posted(item) for item in value]
        else:
            data[bound.html_name] = _as_posted(value)
    return data


def change_form_data(response: HttpResponse) -> dict[str, Any]:
    """The POST of an admin change page saved as shown: its form and every inline."""
    context = response.context  # type: ignore[attr-defined]
    data = _form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def inline_prefix(response: HttpResponse, model: type) -> str:
    """The form prefix of the inline for `model` on an admin change page."""
    context = response.context  # type: ignore[attr-defined]
    for inline in context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return str(inline.formset.prefix)
    raise LookupError(model)
