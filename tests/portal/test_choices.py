"""choice_label gives what get_<field>_display() gives, for every choice field we have."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db.models import Field
from django.utils import translation

from portal.choices import choice_label

CHOICE_FIELDS = [
    (model, field)
    for app in ("accounts", "programmes", "applications")
    for model in apps.get_app_config(app).get_models()
    for field in model._meta.concrete_fields
    if isinstance(field, Field) and field.choices
]


def test_there_are_choice_fields_to_check() -> None:
    names = {(model.__name__, field.name) for model, field in CHOICE_FIELDS}
    assert ("Profile", "current_role") in names
    assert ("CareerEntry", "seniority") in names
    assert ("Application", "eligibility_outcome") in names


@pytest.mark.parametrize(
    ("model", "field"), CHOICE_FIELDS, ids=[f"{m.__name__}.{f.name}" for m, f in CHOICE_FIELDS]
)
def test_every_value_gets_the_label_django_gives(model: Any, field: Field[Any, Any]) -> None:
    values = [value for value, _label in field.flatchoices]
    values += ["", "not-a-choice"] + ([None] if field.null else [])
    instance = model()
    display = getattr(instance, f"get_{field.name}_display")
    for value in values:
        setattr(instance, field.attname, value)
        assert choice_label(instance, field.name) == display(), (field.name, value)


def test_the_label_follows_the_active_language() -> None:
    from accounts.models import Profile

    profile = Profile(current_role=Profile._meta.get_field("current_role").flatchoices[0][0])
    with translation.override("cy"):
        welsh = choice_label(profile, "current_role")
        assert welsh == profile.get_current_role_display()
    assert choice_label(profile, "current_role") == profile.get_current_role_display()
