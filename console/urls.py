"""The staff console, /manage/: every URL in one list, in the "manage" namespace.

Programmes and their teams, cohorts (dashboards and settings), eligibility rules,
screening, the team's notes and assignment, places (offers, waiting lists,
attendance), sessions, invitations, exports, and undoing a place on someone's
behalf (undo); each view module under console/views/ is one of those topics.
"""

from django.urls import path

from .views import (
    cohort_settings,
    cohorts,
    exports,
    invitations,
    network,
    notes,
    places,
    resources,
    rules,
    screening,
    sessions,
    undo,
)
from .views import programmes as programme_views
from .views import team as team_views

app_name = "manage"

urlpatterns = [
    path("", cohorts.cohort_list, name="cohorts"),
    path("programmes/", programme_views.programme_list, name="programmes"),
    path("programmes/new/", programme_views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", programme_views.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", programme_views.programme_edit, name="programme_edit"),
    path(
        "programmes/<int:pk>/preview/", programme_views.programme_preview, name="programme_preview"
    ),
    path(
        "programmes/<int:pk>/publish/", programme_views.programme_publish, name="programme_publish"
    ),
    path("programmes/<int:pk>/team/", team_views.team, name="team"),
    path("programmes/<int:pk>/team/<int:member_pk>/role/", team_views.team_role, name="team_role"),
    path(
        "programmes/<int:pk>/team/<int:member_pk>/reports/",
        team_views.team_reports,
        name="team_reports",
    ),
    path(
        "programmes/<int:pk>/team/<int:member_pk>/remove/",
        team_views.team_remove,
        name="team_remove",
    ),
    path("cohorts/<int:pk>/", cohorts.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/capacity/", cohorts.capacity_change, name="capacity"),
    path(
        "programmes/<int:pk>/cohorts/new/",
        cohort_settings.cohort_create_view,
        name="cohort_create",
    ),
    path("cohorts/<int:pk>/edit/", cohort_settings.cohort_edit_view, name="cohort_edit"),
    path("cohorts/<int:pk>/copy/", cohort_settings.cohort_copy_view, name="cohort_copy"),
    path("cohorts/<int:pk>/cancel/", cohort_settings.cohort_cancel_view, name="cohort_cancel"),
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
    path("imports/<int:pk>/", invitations.invite_import_preview, name="invite_import_preview"),
    path(
        "imports/<int:pk>/confirm/",
        invitations.invite_import_confirm,
        name="invite_import_confirm",
    ),
    path(
        "imports/<int:pk>/discard/",
        invitations.invite_import_discard,
        name="invite_import_discard",
    ),
    path("applications/<int:pk>/", screening.application_detail, name="application"),
    path("applications/<int:pk>/decide/", screening.decide, name="decide"),
    path("applications/<int:pk>/notes/", notes.note_add, name="application_note"),
    path("applications/<int:pk>/assign/", notes.assign, name="assign"),
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
    path("programmes/<int:pk>/rules/", rules.rules, name="rules"),
    path("programmes/<int:pk>/rules/new/", rules.rule_create, name="rule_create"),
    path("rules/<int:pk>/edit/", rules.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/move/", rules.rule_move_view, name="rule_move"),
    path("rules/<int:pk>/retire/", rules.rule_retire_view, name="rule_retire"),
    path("programmes/<int:pk>/resources/", resources.resource_list, name="resources"),
    path("programmes/<int:pk>/resources/new/", resources.resource_add, name="resource_add"),
    path("resources/<int:pk>/edit/", resources.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/status/", resources.resource_status, name="resource_status"),
    path("programmes/<int:pk>/network/", network.network_names, name="network"),
]
