"""The resource library in a real browser: a visitor filters it and opens what is open,
is told why a participants-only resource will not open, and a manager's console pages.
axe runs on every page of the library and the console's resource pages."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from programmes.models import ProgrammeTeamMember
from resources.models import ResourceKind, Visibility
from tests import factories
from tests.applications.documents import PDF_BYTES
from tests.resources.factories import ResourceFactory

from .steps import check_page, follow, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

OPEN = "Staying well as a senior leader"
PARTICIPANTS = "Cohort toolkit: your first hundred days"
OTHER = "Working with your chief executive"
MANAGER = "manager@example.org"


@pytest.fixture
def library():  # type: ignore[no-untyped-def]
    programme = factories.ProgrammeFactory(title="Upon aspiring directors")
    factories.CohortFactory(programme=programme)
    ResourceFactory(
        programme=programme, title=OPEN, kind=ResourceKind.PODCAST,
        topics="|personal_leadership|", link="https://example.org/staying-well",
    )  # fmt: skip
    toolkit = ResourceFactory.build(
        programme=programme, title=PARTICIPANTS, kind=ResourceKind.TOOLKIT,
        topics="|personal_leadership|results|", link="", visibility=Visibility.PARTICIPANTS,
        original_name="toolkit.pdf", content_type="application/pdf",
    )  # fmt: skip
    toolkit.file.save("toolkit.pdf", ContentFile(PDF_BYTES), save=True)
    toolkit.programmes.set([programme])
    ResourceFactory(programme=programme, title=OTHER, topics="|political_corporate|")
    return programme


def test_a_visitor_filters_the_library_and_opens_only_the_open_resource(
    page, live_server, library
) -> None:
    page.goto(live_server.url + "/resources/")
    check_page(page)
    expect(page.locator("[data-resource]")).to_have_count(3)
    page.get_by_label("Personal leadership and resilience").check()
    follow(page, page.get_by_role("button", name="Apply filters"))
    expect(page.locator("[data-resource]")).to_have_count(2)
    expect(page.get_by_role("link", name=OTHER)).to_have_count(0)
    expect(page.locator("[data-for-participants]")).to_have_count(1)

    follow(page, page.get_by_role("link", name=OPEN))
    expect(page.locator("[data-open-resource]")).to_have_attribute(
        "href", "https://example.org/staying-well"
    )

    page.go_back()
    follow(page, page.get_by_role("link", name=PARTICIPANTS))
    expect(page.locator("[data-open-resource]")).to_have_count(0)
    expect(page.locator("[data-participants-only]")).to_contain_text("For participants only")
    expect(page.get_by_role("link", name="Sign in to open it")).to_be_visible()


def test_the_programme_page_lists_its_resources_and_passes_axe(page, live_server, library) -> None:
    page.goto(live_server.url + library.get_absolute_url())
    check_page(page)
    expect(page.locator("#resources [data-resource]")).to_have_count(3)


def test_a_manager_adds_and_publishes_a_resource_in_the_console(page, live_server, library) -> None:
    manager = factories.UserFactory(email=MANAGER, full_name="Morgan Manager")
    factories.ProgrammeTeamMemberFactory(
        user=manager, programme=library, role=ProgrammeTeamMember.Role.MANAGER
    )
    sign_in(page, live_server.url, MANAGER)
    page.goto(f"{live_server.url}/manage/programmes/{library.pk}/")
    follow(page, page.get_by_role("link", name="Resources", exact=True))
    follow(page, page.get_by_role("link", name="Add a resource"))
    page.get_by_label("Title").fill("Leading through an inspection")
    page.get_by_label("Summary").fill("What to expect, and how to prepare your team.")
    page.get_by_label("Kind").select_option("guide")
    page.get_by_label("Delivering results").check()
    page.get_by_label("Web link").fill("https://example.org/inspection")
    follow(page, page.get_by_role("button", name="Save as a draft"))
    row = page.locator("[data-resource-row]", has_text="Leading through an inspection")
    expect(row).to_contain_text("Draft")
    follow(page, row.get_by_role("button", name="Publish"))
    expect(row).to_contain_text("Published")
    follow(page, row.get_by_role("link", name="Edit"))
    page.goto(f"{live_server.url}/manage/programmes/{library.pk}/network/")
    check_page(page)
    page.goto(live_server.url + "/resources/")
    expect(page.get_by_role("link", name="Leading through an inspection")).to_be_visible()
