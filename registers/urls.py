"""The applicant's session calendar, /account/sessions/ ("registers")."""

from django.urls import path

from . import views

app_name = "registers"

urlpatterns = [
    path("<int:pk>.ics", views.my_sessions_ics, name="my_sessions_ics"),
]
