"""The provider area, /provider/."""

from django.urls import path

from . import views

app_name = "provider"

urlpatterns = [
    path("", views.home, name="home"),
    path("cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("cohorts/<int:pk>/export/", views.cohort_export, name="cohort_export"),
    path("programmes/<slug:slug>/export/", views.programme_export, name="programme_export"),
    path("exports/<int:pk>/", views.export_job, name="export_job"),
    path("exports/<int:pk>/status/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_view, name="token_revoke"),
]
