"""URLs of the resource library, /resources/ ("resources")."""

from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("", views.resource_list, name="list"),
    path("feed/", views.resource_feed, name="feed"),
    path("<int:pk>/", views.resource_detail, name="detail"),
    path("<int:pk>/file/", views.resource_file, name="file"),
]
