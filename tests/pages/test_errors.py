"""403, 404 and 500 pages keep the layout and offer a way back home and to the directory."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.errors import server_error

WAY_BACK = [reverse("home:index"), reverse("programmes:list")]


def _assert_in_layout_with_a_way_back(html: str) -> None:
    assert 'class="site-header' in html and '<footer class="site-footer' in html
    main = html[html.index("<main") : html.index("</main>")]
    for path in WAY_BACK:
        assert f'href="{path}"' in main


@pytest.fixture
def error_urls(settings) -> None:
    settings.ROOT_URLCONF = "tests.pages.urls"


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
def test_permission_denied_shows_the_403_page_in_the_layout(client, settings, error_urls, debug):
    settings.DEBUG = debug
    response = client.get("/test-errors/forbidden/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>You cannot see this page</h1>" in html
    _assert_in_layout_with_a_way_back(html)


@pytest.mark.django_db
def test_unknown_page_shows_the_404_page_in_the_layout(client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    _assert_in_layout_with_a_way_back(html)


@pytest.mark.django_db
def test_a_crash_shows_the_500_page_in_the_layout(settings, error_urls) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Sorry, something went wrong</h1>" in html
    _assert_in_layout_with_a_way_back(html)


def test_the_500_page_needs_no_database_and_no_request_context() -> None:
    # No django_db mark: any query fails the test, as the database may be what broke.
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert 'href="/static/' in html
    _assert_in_layout_with_a_way_back(html)
