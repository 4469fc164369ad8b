"""The REST API: versioned under /api/v1/, with its OpenAPI schema and docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from programmes.api.docs import ApiDocsView

from .api_errors import api_not_found

app_name = "api"

urlpatterns = [
    path("v1/", include("programmes.api.urls")),
    path("v1/", include("providers.api.urls")),
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[AllowAny], authentication_classes=[]),
        name="schema",
    ),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    # Last: whatever matched nothing above gets a JSON 404, not the site's HTML page;
    # [\s\S] and \Z so that a path with an encoded newline (%0A) is caught too.
    re_path(r"^(?P<path>[\s\S]*)\Z", api_not_found, name="not_found"),
]
