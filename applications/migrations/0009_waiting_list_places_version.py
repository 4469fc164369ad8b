"""The waiting list raises the places version (programmes/0013), not the catalogue version:
its length is shown only where places are (a programme page, the API's cohorts)."""

from django.db import migrations

from programmes.catalogue_triggers import bump_triggers, on_postgres

WAITING = "'waitlisted'"
TABLE = "applications_application"
# The same row changes as applications/0008 watches.
EVENTS = {
    "INSERT": f"NEW.state = {WAITING}",
    "UPDATE": (
        f"(OLD.state = {WAITING} OR NEW.state = {WAITING})"
        " AND (OLD.state IS DISTINCT FROM NEW.state"
        " OR OLD.cohort_id IS DISTINCT FROM NEW.cohort_id)"
    ),
    "DELETE": f"OLD.state = {WAITING}",
}


def _drop(name: str) -> str:
    return "".join(f"DROP TRIGGER {TABLE}_{name}_{n} ON {TABLE};\n" for n in range(len(EVENTS)))


FORWARD = (
    _drop("catalogue_bump")
    + bump_triggers(TABLE, EVENTS, name="places_bump", function="programmes_places_bump")
    + "\n"
)
BACKWARD = _drop("places_bump") + bump_triggers(TABLE, EVENTS) + "\n"


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0008_catalogue_watch"),
        ("programmes", "0013_places_version"),
    ]

    operations = [
        migrations.RunPython(on_postgres(FORWARD), on_postgres(BACKWARD), elidable=False),
    ]
