"""Guards for views that need a confirmed email address (applying, accepting offers).

    from accounts.decorators import verified_email_required

    @verified_email_required
    def application_start(request, ...): ...

Anonymous visitors go to sign in and come back; signed-in people whose address
is not confirmed yet go to a page that explains why and can send a new link.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

P = ParamSpec("P")
R = TypeVar("R", bound=HttpResponseBase)


def _verify_needed_redirect(request: HttpRequest) -> HttpResponseRedirect:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('accounts:verify_needed')}?{query}")


def verified_email_required(view: Callable[P, R]) -> Callable[P, R | HttpResponseRedirect]:
    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | HttpResponseRedirect:
        # A function view's first argument is always the request.
        request = args[0]
        assert isinstance(request, HttpRequest)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.email_verified:
            return _verify_needed_redirect(request)
        return view(*args, **kwargs)

    return wrapper


class VerifiedEmailRequiredMixin:
    """The same guard for class-based views; put it first in the bases."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.email_verified:
            return _verify_needed_redirect(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
