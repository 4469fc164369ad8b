"""/api/v1/: public programme and cohort endpoints. Names are in the "api" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("programmes/", views.ProgrammeListView.as_view(), name="v1-programme-list"),
    path(
        "programmes/<slug:slug>/",
        views.ProgrammeDetailView.as_view(),
        name="v1-programme-detail",
    ),
    path("cohorts/", views.CohortListView.as_view(), name="v1-cohort-list"),
    path("cohorts/<int:pk>/", views.CohortDetailView.as_view(), name="v1-cohort-detail"),
]
