"""Public catalogue pages. Anyone may read published programmes; nothing else is shown."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Programme
from .selectors import programme_detail_public, programme_list_public

PAGE_SIZE = 20


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    programmes = programme_list_public()
    return render(
        request,
        "programmes/home.html",
        {"programmes": programmes[:6], "programme_count": programmes.count()},
    )


@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(programme_list_public(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "programmes/programme_list.html", {"page": page})


@require_GET
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        programme = programme_detail_public(slug=slug)
    except Programme.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "programmes/programme_detail.html", {"programme": programme})
