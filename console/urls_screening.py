"""Cohorts, dashboards, screening, offers, waiting lists and attendance."""

from django.urls import path

from .views import cohorts, places, screening

urlpatterns = [
    path("", cohorts.cohort_list, name="cohorts"),
    path("cohorts/<int:pk>/", cohorts.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/capacity/", cohorts.capacity_change, name="capacity"),
    path("cohorts/<int:pk>/applications/", screening.queue, name="queue"),
    path("cohorts/<int:pk>/offers/", places.bulk_offer, name="bulk_offer"),
    path("cohorts/<int:pk>/waiting-list/", places.waiting_list_view, name="waiting_list"),
    path("cohorts/<int:pk>/attendance/", places.attendance, name="attendance"),
    path("applications/<int:pk>/", screening.application_detail, name="application"),
    path("applications/<int:pk>/decide/", screening.decide, name="decide"),
    path("applications/<int:pk>/offer/", places.offer, name="offer"),
    path("applications/<int:pk>/reject/", places.reject, name="reject"),
    path("applications/<int:pk>/waiting-list/", places.waitlist, name="waitlist"),
    path(
        "applications/<int:pk>/documents/<int:document_id>/",
        screening.document_download,
        name="document",
    ),
]
