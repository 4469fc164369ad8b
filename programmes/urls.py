"""URLs of the programmes app, two prefixes in one file.

urlpatterns: the directory and programme pages, /programmes/ ("programmes").
home_urlpatterns: the home page, / ("home"). portal/urls.py includes each.
"""

from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/cohorts.ics", views.cohorts_ics, name="cohorts_ics"),
    path("<slug:slug>/future-dates/", views.future_dates_signup, name="future_dates"),
    path(
        "<slug:slug>/future-dates/confirm/<str:token>/",
        views.future_dates_confirm_view,
        name="future_dates_confirm",
    ),
    path(
        "<slug:slug>/future-dates/unsubscribe/<str:token>/",
        views.future_dates_unsubscribe_view,
        name="future_dates_unsubscribe",
    ),
]

home_urlpatterns = [
    path("", views.home, name="index"),
]
