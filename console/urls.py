"""The staff console, /manage/. Two parts, kept in their own modules."""

from django.urls import include, path

app_name = "manage"

urlpatterns = [
    path("", include("console.urls_screening")),
    path("", include("console.urls_invitations")),
]
