from django.urls import path

from . import views, views_places, views_sections

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/<int:cohort_id>/", views.application_new, name="new"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/check/", views.application_check, name="check"),
    path("<int:pk>/submit/", views.application_submit_view, name="submit"),
    path("<int:pk>/withdraw/", views.application_withdraw_view, name="withdraw"),
    path("<int:pk>/accept/", views_places.accept, name="accept"),
    path("<int:pk>/decline/", views_places.decline, name="decline"),
    path("<int:pk>/leave-waiting-list/", views_places.leave_waiting_list, name="waitlist_leave"),
    path(
        "waiting-list/leave/<str:token>/",
        views_places.leave_waiting_list_link,
        name="waitlist_leave_link",
    ),
    path("<int:pk>/documents/upload/", views_sections.document_upload, name="document_upload"),
    path(
        "<int:pk>/documents/<int:document_id>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "<int:pk>/documents/<int:document_id>/delete/",
        views_sections.document_remove,
        name="document_delete",
    ),
    path("<int:pk>/<slug:section>/", views_sections.application_section, name="section"),
]
