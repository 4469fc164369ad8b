"""Error pages that keep the site's layout, speak plainly and offer a way back."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Django uses this handler whatever DEBUG says, so a developer sees the page people see.
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered with no request and no context processors: the database, the session
    # or the code that just failed may be what is broken. The layout needs only
    # {% static %} and {% url %}, and shows the signed-out navigation.
    return HttpResponseServerError(loader.get_template("500.html").render())
