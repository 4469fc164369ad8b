"""Data-rights pages, /account/privacy/: download your data, delete your account.

Every page is the signed-in person's own: someone else's download is 404. Each
action asks for the password again. Pages work without JavaScript: the progress
page refreshes itself with a meta refresh and has a link to do it by hand.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User

from .forms import PasswordCheckForm
from .models import DataExport
from .selectors import data_export_for, data_exports_for, deletion_summary
from .services.erasure import AccountHasRoles, AlreadyErased, account_delete
from .services.exports import KEEP_FOR, data_export_downloaded, data_export_request

EXPORT_QUEUED = _("We are preparing your data. This page shows when it is ready.")
EXPORT_EXPIRED = _(
    "This download has expired. Downloads are kept for %(days)s days. You can ask for a new one."
)
EXPORT_NOT_READY = _("Your data is not ready to download yet.")
EXPORT_FAILED_TITLE = _("Your data could not be prepared")


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # every caller is behind login_required
    return user


def _expired_message() -> str:
    return str(EXPORT_EXPIRED) % {"days": KEEP_FOR.days}


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/index.html",
        {"exports": data_exports_for(user=_user(request))[:10], "keep_days": KEEP_FOR.days},
    )


@login_required
@require_http_methods(["GET", "POST"])
def export_request(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordCheckForm(
        request.POST if request.method == "POST" else None, request=request, user=user
    )
    if request.method == "POST" and form.is_valid():
        export = data_export_request(user=user)
        messages.info(request, EXPORT_QUEUED)
        return redirect("privacy:export_detail", pk=export.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "privacy/export_request.html",
        {"form": form, "keep_days": KEEP_FOR.days},
        status=status,
    )


@login_required
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = data_export_for(user=_user(request), pk=pk)
    return render(
        request,
        "privacy/export_detail.html",
        {
            "export": export,
            "expired": export.has_expired(),
            "expired_message": _expired_message(),
        },
    )


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    user = _user(request)
    export = data_export_for(user=user, pk=pk)
    if export.has_expired():
        return render(
            request,
            "privacy/message.html",
            {"title": _("Download expired"), "message": _expired_message()},
            status=410,
        )
    if export.status != DataExport.Status.DONE:
        return render(
            request,
            "privacy/message.html",
            {"title": EXPORT_NOT_READY, "message": EXPORT_NOT_READY, "export": export},
            status=409,
        )
    data_export_downloaded(export=export, by=user)
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    summary = deletion_summary(user=user)
    form = PasswordCheckForm(
        request.POST if request.method == "POST" else None, request=request, user=user
    )
    context = {"form": form, "summary": summary}
    if summary.has_roles:
        # The page explains why and offers no form; a POST that no page offers is refused.
        status = 403 if request.method == "POST" else 200
        return render(request, "privacy/delete.html", context, status=status)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=user)
        except (AccountHasRoles, AlreadyErased):
            return render(request, "privacy/delete.html", context, status=409)
        logout(request)
        return redirect("privacy:deleted")
    return render(request, "privacy/delete.html", context, status=400 if form.errors else 200)


@require_GET
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/deleted.html")
