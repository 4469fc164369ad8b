"""URLs of the applications app, two prefixes in one file.

urlpatterns: the applicant's own applications, /account/applications/ ("applications").
eligibility_urlpatterns: the public "Am I eligible?" page, which needs no account,
/programmes/<slug>/am-i-eligible/ ("eligibility"). portal/urls.py includes each.
"""

from django.urls import path

from .views import journey, places, public, sections

app_name = "applications"

urlpatterns = [
    path("", journey.application_list, name="list"),
    path("new/<int:cohort_id>/", journey.application_new, name="new"),
    path("<int:pk>/", journey.application_detail, name="detail"),
    path("<int:pk>/check/", journey.application_check, name="check"),
    path("<int:pk>/submit/", journey.application_submit_view, name="submit"),
    path("<int:pk>/submitted/", journey.application_submitted, name="submitted"),
    path("<int:pk>/withdraw/", journey.application_withdraw_view, name="withdraw"),
    path("<int:pk>/delete/", journey.application_draft_delete_view, name="draft_delete"),
    path("<int:pk>/accept/", places.accept, name="accept"),
    path("<int:pk>/decline/", places.decline, name="decline"),
    path("<int:pk>/leave-waiting-list/", places.leave_waiting_list, name="waitlist_leave"),
    path(
        "waiting-list/leave/<str:token>/",
        places.leave_waiting_list_link,
        name="waitlist_leave_link",
    ),
    path("<int:pk>/documents/upload/", sections.document_upload, name="document_upload"),
    path(
        "<int:pk>/documents/<int:document_id>/",
        journey.document_download,
        name="document_download",
    ),
    path(
        "<int:pk>/documents/<int:document_id>/delete/",
        sections.document_remove,
        name="document_delete",
    ),
    path("<int:pk>/<slug:section>/", sections.application_section, name="section"),
]

eligibility_urlpatterns = [
    path("", public.eligibility_check, name="check"),
]
