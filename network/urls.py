"""URLs of the peer network, /account/network/ ("network")."""

from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.network_index, name="index"),
    path("<slug:slug>/", views.network_programme, name="programme"),
    path("<slug:slug>/profile/", views.network_profile, name="profile"),
    path("<slug:slug>/leave/", views.network_leave, name="leave"),
]
