from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("download/", views.export_request, name="export_request"),
    path("download/<int:pk>/", views.export_detail, name="export_detail"),
    path("download/<int:pk>/file/", views.export_download, name="export_download"),
    path("delete/", views.delete, name="delete"),
    path("delete/done/", views.deleted, name="deleted"),
]
