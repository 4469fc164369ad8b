from django.urls import path

from . import views

app_name = "equality"

urlpatterns = [
    path("", views.questionnaire, name="questionnaire"),
    path("saved/", views.saved, name="saved"),
    path("delete/", views.delete, name="delete"),
]
