"""Root URLs. Each app's URLs are namespaced and included here.

An app with a second URL prefix keeps it as a second list in its own urls.py,
included here with its namespace.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from applications.urls import eligibility_urlpatterns
from programmes.urls import home_urlpatterns

from .health import healthz

urlpatterns = [
    path("", include((home_urlpatterns, "home"))),
    path("programmes/", include("programmes.urls")),
    path(
        "programmes/<slug:slug>/am-i-eligible/", include((eligibility_urlpatterns, "eligibility"))
    ),
    path("resources/", include("resources.urls")),
    path("account/network/", include("network.urls")),
    path("account/privacy/", include("privacy.urls")),
    path("account/equality/", include("equality.urls")),
    path("account/", include("accounts.urls")),
    path("account/applications/", include("applications.urls")),
    path("account/sessions/", include("registers.urls")),
    path("api/", include("portal.api_urls")),
    path("manage/", include("console.urls")),
    path("provider/", include("providers.urls")),
    path("reports/", include("reports.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("pages.urls")),
]

handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.not_found"
handler500 = "portal.errors.server_error"
