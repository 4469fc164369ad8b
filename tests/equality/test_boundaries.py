"""The answers stay apart: no other module reads them, and the Django admin has no page."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from equality.models import EqualityAnswers
from tests import factories

from .factories import EqualityAnswersFactory, leaks

ROOT = Path(__file__).resolve().parents[2]
# The questionnaire itself, data rights (download and erasure), the suppressed reports, and
# the demo data (which writes made-up answers for the past cohorts' people, never reads them).
ALLOWED = {"equality", "privacy", "reports", "demo"}
SKIPPED = {"tests", ".venv", "node_modules", ".git"}
LOADERS = {"import_module", "get_model", "__import__", "get_app_config"}


def equality_imports(source: str) -> list[int]:
    """Lines of `source` that import the equality app, or load it by name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in LOADERS:
                modules = [
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ]
        if any(m == "equality" or m.startswith("equality.") for m in modules):
            found.append(node.lineno)
    return found


def _project_modules() -> list[Path]:
    return [path for path in ROOT.rglob("*.py") if not SKIPPED & set(path.relative_to(ROOT).parts)]


def test_the_checker_spots_each_way_of_reaching_the_answers() -> None:
    assert equality_imports("import equality.models") == [1]
    assert equality_imports("from equality.selectors import x") == [1]
    assert equality_imports("from equality import models") == [1]
    assert equality_imports("apps.get_model('equality', 'EqualityAnswers')") == [1]
    assert equality_imports("importlib.import_module('equality.models')") == [1]
    assert equality_imports("from applications import equality_rules\nimport equalityx") == []


def test_no_module_outside_equality_privacy_and_reports_imports_equality() -> None:
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in _project_modules()
        if path.relative_to(ROOT).parts[0] not in ALLOWED
        and (lines := equality_imports(path.read_text()))
    }
    assert offenders == {}, "screening, consoles, exports and APIs must not read equality"


def test_the_walk_sees_the_allowed_imports_so_it_is_not_vacuous() -> None:
    seen = {
        path.relative_to(ROOT).parts[0]
        for path in _project_modules()
        if equality_imports(path.read_text())
    }
    assert "privacy" in seen
    assert len(_project_modules()) > 100


@pytest.fixture
def admin_client_(db: Any) -> Client:
    user = User.objects.create_superuser(
        "root@example.org", factories.PASSWORD, email_verified_at=timezone.now()
    )
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_has_no_page_for_equality_answers(admin_client_: Client) -> None:
    assert EqualityAnswers not in admin.site._registry
    with pytest.raises(NoReverseMatch):
        reverse("admin:equality_equalityanswers_changelist")
    with pytest.raises(NoReverseMatch):
        reverse("admin:app_list", kwargs={"app_label": "equality"})
    base = reverse("admin:index")
    assert admin_client_.get(f"{base}equality/").status_code == 404
    assert admin_client_.get(f"{base}equality/equalityanswers/").status_code == 404
    index = admin_client_.get(base).content.decode()
    assert "Equality" not in index and "equality" not in index


def test_the_admin_user_pages_show_nothing_of_the_answers(admin_client_: Client) -> None:
    answers = EqualityAnswersFactory()
    for url in (
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[answers.user.pk]),
        reverse("admin:accounts_user_delete", args=[answers.user.pk]),
    ):
        response = admin_client_.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert leaks(body) == [], url
        # Not even that there are answers to delete with the account.
        assert "quality answers" not in body, url


def test_deleting_a_user_in_the_admin_still_deletes_their_answers(admin_client_: Client) -> None:
    answers = EqualityAnswersFactory()
    response = admin_client_.post(
        reverse("admin:accounts_user_delete", args=[answers.user.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not EqualityAnswers.objects.filter(pk=answers.pk).exists()
    assert not User.objects.filter(pk=answers.user_id).exists()


def test_the_bulk_delete_confirmation_does_not_list_the_answers(admin_client_: Client) -> None:
    answers = EqualityAnswersFactory()
    response = admin_client_.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_selected", "_selected_action": [answers.user.pk]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert answers.user.email in body and "quality answers" not in body
