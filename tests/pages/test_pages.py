"""The pages every footer links to: privacy, accessibility, cookies and contact."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

FOOTER_PAGES = ["pages:privacy", "pages:accessibility", "pages:cookies", "pages:contact"]


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer') :]


@pytest.mark.parametrize("url", ["/", "/programmes/", "/privacy/", "/no-such-page/"])
def test_every_footer_links_to_the_information_pages(client, url) -> None:
    footer = _footer(client.get(url).content.decode())
    for name in FOOTER_PAGES:
        assert f'href="{reverse(name)}"' in footer


def test_the_pages_are_mounted_at_their_stable_urls() -> None:
    assert [reverse(name) for name in FOOTER_PAGES] == [
        "/privacy/",
        "/accessibility/",
        "/cookies/",
        "/contact/",
    ]


def test_privacy_notice_says_who_sees_what_how_long_it_is_kept_and_your_rights(client) -> None:
    response = client.get("/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Privacy notice</h1>" in html
    for heading in [
        "What we collect",
        "Why we collect it",
        "Who can see it",
        "How long we keep it",
    ]:
        assert f"<h2>{heading}</h2>" in html
    assert "They never see equality monitoring answers." in html
    assert "enrolment lists for its own programmes" in html
    assert "180 days" in html  # notifications.outbox.sent_mail_kept_for()
    assert "7 days" in html  # providers.services.EXPORT_KEEP_FOR
    for right in ["Access:", "Rectification:", "Erasure:", "Objection:", "Complaint:"]:
        assert right in html
    assert 'href="https://ico.org.uk/make-a-complaint/"' in html
    assert f'href="{reverse("pages:contact")}"' in html


def test_accessibility_statement_follows_the_public_sector_model(client, settings) -> None:
    settings.SITE_URL = "https://portal.example.org"
    response = client.get("/accessibility/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "applies to the portal at https://portal.example.org" in html
    for heading in [
        "How accessible this portal is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Preparation of this accessibility statement",
    ]:
        assert f"<h2>{heading}</h2>" in html
    assert "Equality and Human Rights Commission (EHRC)" in html
    assert "Equality Commission for Northern Ireland (ECNI)" in html
    assert (
        "partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2 AA"
        in html
    )
    assert "axe-core" in html and "only a keyboard" in html
    assert "This statement was prepared on 2 December 2026." in html


def test_cookies_page_lists_the_cookies_settings_actually_set(client, settings) -> None:
    settings.SESSION_COOKIE_NAME = "portal_session"
    response = client.get("/cookies/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "only essential cookies" in html and "no cookie banner" in html
    assert "<code>portal_session</code>" in html
    assert f"<code>{settings.CSRF_COOKIE_NAME}</code>" in html
    assert "<code>messages</code>" in html
    assert "After 14 days, or when you sign out" in html
    assert "After 364 days" in html


def test_contact_page_lists_published_programmes_with_their_providers(client) -> None:
    ipc = factories.ProviderFactory(
        name="Institute of Public Care", slug="ipc", website="https://ipc.example.org/"
    )
    lga = factories.ProviderFactory(name="Local Government Association", slug="lga")
    factories.ProgrammeFactory(title="Commissioning for children's services", providers=[ipc])
    factories.ProgrammeFactory(title="Leadership Essentials", providers=[lga])
    factories.ProgrammeFactory(title="A draft programme", is_published=False, providers=[ipc])

    response = client.get("/contact/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Commissioning for children&#x27;s services" in html
    assert '<a href="https://ipc.example.org/">Institute of Public Care (website)</a>' in html
    # No website: the name is shown, with no link.
    assert "<li>Local Government Association</li>" in html
    assert "A draft programme" not in html


@pytest.mark.parametrize("count", [3, 30])
def test_contact_page_uses_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
) -> None:
    for _ in range(count):
        factories.ProgrammeFactory(providers=[factories.ProviderFactory()])
    # the programmes, then their providers
    with django_assert_num_queries(2):
        response = client.get("/contact/")
    assert len(response.context["programmes"]) == count


@pytest.mark.parametrize("name", FOOTER_PAGES)
def test_the_pages_are_read_only(client, name) -> None:
    assert client.post(reverse(name)).status_code == 405
