"""Public pages of the applications app: "Am I eligible?" needs no account."""

from django.urls import path

from . import views_public

app_name = "eligibility"

urlpatterns = [
    path("", views_public.eligibility_check, name="check"),
]
