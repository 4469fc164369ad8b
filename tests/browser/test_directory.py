"""The directory and programme pages in a real browser: accessible, and usable by keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programmes.models import AdmissionMode, Audience, Cohort, DeliveryFormat
from tests import factories

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

DAY = dt.timedelta(days=1)


@pytest.fixture
def catalogue() -> dict:
    now = timezone.now()
    ipc = factories.ProviderFactory(name="Institute of Public Care", slug="ipc")
    lga = factories.ProviderFactory(name="Local Government Association", slug="lga")
    aspiring = factories.ProgrammeFactory(
        title="Upon aspiring directors",
        audience=Audience.ASPIRING_DIRECTOR,
        providers=[ipc],
        accreditation="",
    )
    factories.CohortFactory(programme=aspiring, name="Open cohort")
    full = factories.CohortFactory(programme=aspiring, name="Full cohort", capacity=5)
    Cohort.objects.filter(pk=full.pk).update(places_taken=5)
    factories.CohortFactory(
        programme=aspiring,
        name="Later cohort",
        starts_on=timezone.localdate() + 300 * DAY,
        applications_open_at=now + 100 * DAY,
        applications_close_at=now + 150 * DAY,
    )
    members = factories.ProgrammeFactory(
        title="Leadership essentials for lead members",
        audience=Audience.ELECTED_MEMBER,
        format=DeliveryFormat.RESIDENTIAL,
        admission_mode=AdmissionMode.FIRST_COME,
        providers=[lga],
    )
    factories.CohortFactory(
        programme=members,
        applications_open_at=now - 30 * DAY,
        applications_close_at=now - DAY,
    )
    factories.ProgrammeFactory(title="New directors", admission_mode=AdmissionMode.INVITATION)
    return {"aspiring": aspiring, "members": members}


def test_directory_passes_axe(page, live_server, catalogue) -> None:
    page.goto(live_server.url + "/programmes/")
    assert page.get_by_role("heading", name="3 programmes found").is_visible()
    assert_accessible(page)


def test_directory_with_filters_and_errors_passes_axe(page, live_server, catalogue) -> None:
    page.goto(
        live_server.url
        + "/programmes/?q=leadership&audience=elected_member&audience=bogus&starts_from=2031-99-01"
    )
    assert page.get_by_text("Some of your choices could not be used").is_visible()
    assert page.get_by_role("link", name="Remove filter Search: “leadership”").is_visible()
    assert_accessible(page)


def test_empty_directory_search_passes_axe(page, live_server, catalogue) -> None:
    page.goto(live_server.url + "/programmes/?q=zzzyzzx")
    assert page.get_by_text("No programmes match your search.").is_visible()
    assert_accessible(page)


def test_programme_page_with_every_kind_of_cohort_passes_axe(page, live_server, catalogue) -> None:
    page.goto(live_server.url + catalogue["aspiring"].get_absolute_url())
    assert page.get_by_role("link", name="Apply for Open cohort").is_visible()
    assert page.get_by_text("Applications open", exact=False).first.is_visible()
    assert_accessible(page)


def test_programme_page_with_future_dates_form_passes_axe(page, live_server, catalogue) -> None:
    page.goto(live_server.url + catalogue["members"].get_absolute_url())
    assert page.get_by_role("heading", name="Tell me about future dates").is_visible()
    assert_accessible(page)
    # Submitting empty shows errors, which must be accessible too.
    page.get_by_role("button", name="Email me about new dates").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)


def test_keyboard_user_can_filter_and_reach_a_programme(page, live_server, catalogue) -> None:
    page.goto(live_server.url + "/programmes/")
    # Tab to the "Elected members" tick box, tick it with the space bar, then submit
    # the form with Enter from the search box: no mouse at any point.
    checkbox = page.get_by_label("Elected members")
    for _ in range(40):
        page.keyboard.press("Tab")
        if checkbox.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("could not reach the Elected members tick box with Tab")
    page.keyboard.press("Space")
    assert checkbox.is_checked()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Apply filters":
            break
    else:
        pytest.fail("could not reach the Apply filters button with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**audience=elected_member**")
    assert page.get_by_role("heading", name="1 programme found").is_visible()

    link = page.get_by_role("link", name="Leadership essentials for lead members")
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("could not reach the programme link with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + catalogue["members"].get_absolute_url())
    assert page.locator("h1").inner_text() == "Leadership essentials for lead members"


def test_keyboard_user_can_remove_a_filter(page, live_server, catalogue) -> None:
    page.goto(live_server.url + "/programmes/?audience=elected_member&delivery=residential")
    remove = page.get_by_role("link", name="Remove filter Who it is for: Elected members")
    remove.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "audience" not in url)
    assert "delivery=residential" in page.url
    assert page.get_by_role("link", name="Remove filter Format: Residential").is_visible()


def test_api_docs_render_with_no_request_leaving_the_site(page, live_server, catalogue) -> None:
    outside: list[str] = []

    def block_outside(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", block_outside)
    page.goto(live_server.url + "/api/docs/")
    page.get_by_text("Leadership programme portal API").first.wait_for()
    page.get_by_text("/api/v1/programmes/", exact=True).first.wait_for()
    assert outside == []


def test_keyboard_user_can_skip_to_the_results(page, live_server, catalogue) -> None:
    page.goto(live_server.url + "/programmes/")
    # The site's skip link first, then, from the main content, "Skip to results".
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to main content")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to results")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="3 programmes found")).to_be_focused()


def test_directory_on_a_small_screen_folds_the_filters_away(page, live_server, catalogue) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + "/programmes/")
    toggle = page.locator("summary", has_text="Filter programmes")
    results = page.get_by_role("heading", name="3 programmes found")
    checkbox = page.get_by_label("Elected members")
    expect(toggle).to_be_visible()
    expect(checkbox).to_be_hidden()
    expect(results).to_be_in_viewport()
    assert_accessible(page)
    # No JavaScript is involved: the details element opens and closes by itself.
    toggle.click()
    expect(checkbox).to_be_visible()
    checkbox.check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**audience=elected_member**")
    expect(page.get_by_role("heading", name="1 programme found")).to_be_visible()
    assert_accessible(page)


def test_directory_on_a_wide_screen_shows_the_filters(page, live_server, catalogue) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/programmes/")
    expect(page.locator("summary", has_text="Filter programmes")).to_be_hidden()
    expect(page.get_by_label("Elected members")).to_be_visible()


def test_programme_page_on_a_small_screen_keeps_apply_on_screen(
    page, live_server, catalogue
) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + catalogue["aspiring"].get_absolute_url())
    apply = page.get_by_role("link", name="Apply for Open cohort")
    apply.scroll_into_view_if_needed()
    expect(apply).to_be_in_viewport(ratio=1)
    box = apply.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    # Nothing on the page scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
