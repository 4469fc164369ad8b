"""The portal's URLs plus one view that fails, for the error-report tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portal.urls import urlpatterns as portal_urlpatterns

FAILURE = "The view of the error-report test failed on purpose."


@csrf_exempt  # the test posts a form with no CSRF token: the failure is the point
def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(FAILURE)


urlpatterns = [path("fail-on-purpose/", fail), *portal_urlpatterns]
