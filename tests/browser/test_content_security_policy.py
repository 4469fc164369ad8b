"""Under the strict Content-Security-Policy, a real browser refuses nothing the pages need."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _refusals(page) -> list[str]:  # type: ignore[no-untyped-def]
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


@pytest.mark.parametrize("path", ["/", "/programmes/", "/account/login/", "/account/signup/"])
def test_public_pages_load_with_nothing_refused(page, live_server, path) -> None:
    factories.CohortFactory(programme__title="Aspiring directors programme")
    refused = _refusals(page)

    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")

    assert refused == []


def test_the_api_docs_render_with_nothing_refused(page, live_server) -> None:
    refused = _refusals(page)

    page.goto(f"{live_server.url}/api/docs/")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Leadership programme")
    assert refused == []


def test_the_admin_works_with_nothing_refused(page, live_server) -> None:
    factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    refused = _refusals(page)

    page.goto(f"{live_server.url}/{settings.ADMIN_PATH}")
    page.get_by_label("Email address").fill("root@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert refused == []


def test_an_inline_script_is_refused_and_the_refusal_is_seen(page, live_server) -> None:
    # Proves the two tests above would notice: the policy bites and the browser says so.
    refused = _refusals(page)
    page.goto(f"{live_server.url}/")

    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.appendChild(s); }"
    )

    expect(page.locator("body")).to_be_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran === undefined")
    assert refused != []
