"""Root URLs. Each app's URLs are namespaced and included here."""

from django.contrib import admin
from django.urls import include, path

from .health import healthz

urlpatterns = [
    path("", include("programmes.urls_home")),
    path("programmes/", include("programmes.urls")),
    path("programmes/<slug:slug>/am-i-eligible/", include("applications.urls_public")),
    path("account/", include("accounts.urls")),
    path("account/applications/", include("applications.urls")),
    path("api/", include("portal.api_urls")),
    path("manage/", include("console.urls")),
    path("provider/", include("providers.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]

handler404 = "portal.errors.not_found"
handler500 = "portal.errors.server_error"
