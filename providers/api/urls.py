"""Provider API under /api/v1/: token-authenticated, own programmes only."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "cohorts/<int:pk>/enrolments/",
        views.CohortEnrolmentsView.as_view(),
        name="v1-cohort-enrolments",
    ),
    path("enrolments/", views.EnrolmentSyncView.as_view(), name="v1-enrolments"),
]
