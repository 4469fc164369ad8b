"""Raise the catalogue version (programmes/0012) when what the public pages show changes here:
eligibility rules (shown on the programme page), and the waiting list (its length is shown
against each cohort). Other application changes leave the catalogue as it was: a place taken
or freed is already seen on the cohort row."""

from django.db import migrations

from programmes.catalogue_triggers import on_postgres, watch

WAITING = "'waitlisted'"
RULES = watch("applications_eligibilityrule")
WAITING_LIST = watch(
    "applications_application",
    when={
        "INSERT": f"NEW.state = {WAITING}",
        "UPDATE": (
            f"(OLD.state = {WAITING} OR NEW.state = {WAITING})"
            " AND (OLD.state IS DISTINCT FROM NEW.state"
            " OR OLD.cohort_id IS DISTINCT FROM NEW.cohort_id)"
        ),
        "DELETE": f"OLD.state = {WAITING}",
    },
)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0007_application_holding_place_index"),
        ("programmes", "0012_catalogue_version"),
    ]

    operations = [
        migrations.RunPython(
            on_postgres(RULES[0] + WAITING_LIST[0]),
            on_postgres(RULES[1] + WAITING_LIST[1]),
            elidable=False,
        ),
    ]
