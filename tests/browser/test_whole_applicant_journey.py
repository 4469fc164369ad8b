"""An applicant's whole life in the portal, on a phone-sized screen, in a real browser.

Sign up; confirm the address from the link in an email received by a real SMTP
server on loopback; fill the profile and career history; apply and submit; the
programme team offers a place; accept it; download all their data; delete the
account; and find they can no longer sign in. axe checks every page on the way,
and no page may scroll sideways at 375 px.
"""

from __future__ import annotations

import io
import json
import re
import time
import zipfile

import pytest

from accounts.models import LocalAuthority, Nation, User
from applications.models import Application, ApplicationState
from applications.services import places
from tests import factories
from tests.applications.documents import PDF_BYTES
from tests.harness import smtp_server

from .axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
PASSWORD = "a-long-unusual-passphrase-42"


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="en-GB", timezone_id="Europe/London", viewport=PHONE, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def inbox(settings):  # type: ignore[no-untyped-def]
    """The outbox delivers to a real SMTP server on loopback, as in production."""
    from post_office.connections import connections

    # post_office keeps one open connection per thread: drop any an earlier test left
    # in this thread, so delivery here really goes to this server (and none is kept).
    connections.close()
    with smtp_server() as server:
        settings.POST_OFFICE = {
            **settings.POST_OFFICE,
            "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
        }
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield server
        connections.close()


def _check(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").count() == 1, page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    assert_accessible(page)


def press(page, name: str, exact: bool = False) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=exact).click()
    _check(page)


def follow(page, name: str) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.get_by_role("link", name=name).first.click()
    _check(page)


def _arrives(inbox, words: str, timeout: float = 30) -> bool:  # type: ignore[no-untyped-def]
    """Wait for an email whose subject has `words`: delivery may still be in flight."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(words in str(message["Subject"]) for message in inbox.messages):
            return True
        time.sleep(0.2)
    return False


def _link_in(inbox, pattern: str) -> str:  # type: ignore[no-untyped-def]
    _arrives(inbox, "")
    for message in reversed(inbox.messages):
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                found = re.search(pattern, part.get_payload(decode=True).decode())
                if found:
                    return found.group(0)
    raise AssertionError(f"no link matching {pattern} in {len(inbox.messages)} emails")


def test_sign_up_apply_accept_download_and_delete_on_a_phone(
    phone, live_server, inbox, settings, tmp_path
) -> None:
    page, base = phone, live_server.url
    settings.SITE_URL = base
    LocalAuthority.objects.get_or_create(name="Leeds", defaults={"nation": Nation.ENGLAND})
    cohort = factories.CohortFactory(
        programme__title="Aspiring directors programme", name="Spring cohort", capacity=2
    )
    staff = factories.UserFactory(email="team@example.org")

    # Sign up, and confirm the address from the email that really arrived.
    page.goto(f"{base}/account/signup/")
    _check(page)
    page.get_by_label("Full name").fill("Amara Okafor")
    page.get_by_label("Email address").fill("amara@example.org")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    press(page, "Create account")
    link = _link_in(inbox, r"https?://\S+/account/verify/[^/\s]+/")
    page.goto(link)
    _check(page)
    press(page, "Confirm my email address")

    # Profile and one senior role.
    page.goto(f"{base}/account/profile/")
    _check(page)
    page.get_by_label("Job title").fill("Assistant director")
    page.get_by_label("Current role").select_option("assistant_director")
    page.get_by_label("Type of employer").select_option("local_authority")
    page.get_by_label("Local authority").select_option(label="Leeds")
    page.get_by_label("Sector").select_option("childrens_social_care")
    page.get_by_label("Nation you work in").select_option("england")
    press(page, "Save")
    page.goto(f"{base}/account/career/add/")
    _check(page)
    page.locator("#id_role_title").fill("Assistant director")
    page.get_by_label("Organisation").fill("Leeds City Council")
    page.get_by_label("Sector").select_option("childrens_social_care")
    page.get_by_label("Level").select_option("senior_strategic")
    start = page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("4")
    start.get_by_label("Year").fill("2019")
    press(page, "Add role")

    # Apply: every section, check answers, submit.
    page.goto(f"{base}/account/applications/new/{cohort.pk}/")
    _check(page)
    press(page, "Start application")
    task_list = page.url

    def section(name: str) -> None:
        page.goto(task_list)
        follow(page, name)

    section("Personal and contact details")
    press(page, "These details are correct")
    section("Career history")
    press(page, "My career history is up to date")
    section("Supporting statement")
    page.get_by_label("Supporting statement").fill("I lead early help and want to lead more.")
    press(page, "Save and continue")
    section("Supporting documents")
    pdf = tmp_path / "cv.pdf"
    pdf.write_bytes(PDF_BYTES)
    page.get_by_label("Choose a file").set_input_files(str(pdf))
    press(page, "Upload", exact=True)
    press(page, "I have finished uploading")
    section("Sponsor or line manager")
    page.get_by_label("Full name").fill("Sam Patel")
    page.get_by_label("Job title").fill("Director of children's services")
    page.get_by_label("Email address").fill("sam.patel@example.org")
    press(page, "Save and continue")
    for name in ("Eligibility questions",):
        if page.get_by_role("link", name=name).count():
            section(name)
            press(page, "Save and continue")
    page.goto(task_list)
    follow(page, "Check your answers")
    press(page, "Submit application")
    application = Application.objects.get(applicant__email="amara@example.org")
    assert application.state == ApplicationState.ELIGIBLE
    assert application.reference and application.reference in page.content()

    # The programme team offers a place; the offer email arrives; accept it.
    places.application_offer(application=application, by=staff)
    assert _arrives(inbox, "offered a place"), [m["Subject"] for m in inbox.messages]
    page.goto(f"{base}/account/applications/{application.pk}/")
    _check(page)
    press(page, "Accept the place")
    application.refresh_from_db()
    assert application.state == ApplicationState.ENROLLED

    # Download everything held about them.
    page.goto(f"{base}/account/privacy/download/")
    _check(page)
    page.get_by_label("Your password").fill(PASSWORD)
    press(page, "Prepare my data")
    if not page.get_by_role("link", name=re.compile("Download your data")).count():
        page.reload()
        _check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download your data")).click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    data = json.loads(archive.read("data.json"))
    assert "amara@example.org" in json.dumps(data)
    assert any(name.endswith("cv.pdf") for name in archive.namelist())

    # Delete the account: the place goes back, and they cannot sign in again.
    page.goto(f"{base}/account/privacy/delete/")
    _check(page)
    assert page.get_by_text("Spring cohort").first.is_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    press(page, "Delete my account")
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert not User.objects.filter(email="amara@example.org").exists()
    page.goto(f"{base}/account/login/")
    _check(page)
    page.get_by_label("Email address").fill("amara@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    press(page, "Sign in")
    assert "/account/login/" in page.url
