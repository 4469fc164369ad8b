"""The staff console, /manage/: every URL in one list, in the "manage" namespace.

Cohorts and dashboards, screening, places (offers, waiting lists, attendance),
invitations, and undoing a place on someone's behalf (undo); each view module
under console/views/ is one of those topics.
"""

from django.urls import path

from .views import cohorts, exports, invitations, places, screening, sessions, team, undo

app_name = "manage"

urlpatterns = [
    path("", cohorts.cohort_list, name="cohorts"),
    path("cohorts/<int:pk>/", cohorts.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/capacity/", cohorts.capacity_change, name="capacity"),
    path("cohorts/<int:pk>/applications/", screening.queue, name="queue"),
    path("cohorts/<int:pk>/offers/", places.bulk_offer, name="bulk_offer"),
    path("cohorts/<int:pk>/applications/change/", places.bulk_change, name="bulk_change"),
    path("cohorts/<int:pk>/applications/export/", exports.queue_export, name="queue_export"),
    path("cohorts/<int:pk>/waiting-list/", places.waiting_list_view, name="waiting_list"),
    path("cohorts/<int:pk>/attendance/", places.attendance, name="attendance"),
    path(
        "cohorts/<int:pk>/waiting-list/export/",
        exports.waiting_list_export,
        name="waiting_list_export",
    ),
    path(
        "cohorts/<int:pk>/attendance/export/", exports.attendance_export, name="attendance_export"
    ),
    path("cohorts/<int:pk>/sessions/", sessions.sessions, name="sessions"),
    path("sessions/<int:pk>/register/", sessions.register, name="register"),
    path("cohorts/<int:pk>/invite/", invitations.invite, name="invite"),
    path("cohorts/<int:pk>/invite/import/", invitations.invite_import, name="invite_import"),
    path(
        "cohorts/<int:pk>/invite/template.csv",
        invitations.invite_template,
        name="invite_template",
    ),
    path("applications/<int:pk>/", screening.application_detail, name="application"),
    path("applications/<int:pk>/decide/", screening.decide, name="decide"),
    path("applications/<int:pk>/notes/", team.note_add, name="application_note"),
    path("applications/<int:pk>/assign/", team.assign, name="assign"),
    path("applications/<int:pk>/offer/", places.offer, name="offer"),
    path("applications/<int:pk>/reject/", places.reject, name="reject"),
    path("applications/<int:pk>/waiting-list/", places.waitlist, name="waitlist"),
    path("applications/<int:pk>/rescind/", undo.rescind, name="rescind"),
    path("applications/<int:pk>/withdraw/", undo.withdraw, name="withdraw"),
    path("applications/<int:pk>/move/", undo.transfer, name="transfer"),
    path(
        "applications/<int:pk>/documents/<int:document_id>/",
        screening.document_download,
        name="document",
    ),
]
