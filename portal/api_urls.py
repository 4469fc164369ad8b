"""The REST API: versioned under /api/v1/, with its OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from programmes.api.docs import ApiDocsView

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
]
