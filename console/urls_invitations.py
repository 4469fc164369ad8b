"""Inviting named people, one by one or from a CSV file."""

from django.urls import path

from . import views_invitations

urlpatterns = [
    path("cohorts/<int:pk>/invite/", views_invitations.invite, name="invite"),
    path("cohorts/<int:pk>/invite/import/", views_invitations.invite_import, name="invite_import"),
    path(
        "cohorts/<int:pk>/invite/template.csv",
        views_invitations.invite_template,
        name="invite_template",
    ),
]
