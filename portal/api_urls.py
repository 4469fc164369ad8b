"""The REST API: versioned under /api/v1/, with its OpenAPI schema and docs."""

app_name = "api"

urlpatterns: list = [
    # path("v1/", include("programmes.api.urls")), ... filled in by the directory work
]
