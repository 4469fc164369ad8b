from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("<slug:slug>/", views.programme_report, name="programme"),
    path("<slug:slug>/<slug:table>.csv", views.programme_csv, name="programme_csv"),
    path("<slug:slug>/cohorts/<int:pk>/", views.cohort_report, name="cohort"),
    path("<slug:slug>/cohorts/<int:pk>/<slug:table>.csv", views.cohort_csv, name="cohort_csv"),
]
