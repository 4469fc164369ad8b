"""A second number beside the catalogue version: the places version.

A booking changes a cohort's places taken, and joining or leaving a waiting list changes
its length. Only the pages that show those numbers (a programme page, the API's programme
and cohort answers) need making again; the directory, the home page and the API's programme
list show whether a programme has a place at all, which changes only when a cohort fills up
or a place comes free in a full one. So a change to places alone raises the places version,
and the catalogue version only when that yes-or-no turns. Before, every booking threw away
every kept page, and in a booking rush the directory was made afresh for each visitor.

The cohort's other columns still raise the catalogue version, as any change to them may show
anywhere. (`updated_at` is left out with places: a save that changes nothing else shows
nothing new.) The waiting list's triggers move over in applications/0009.
"""

from django.db import migrations

from programmes.catalogue_triggers import bump_triggers, on_postgres

# What a cohort row shows apart from its places: every column but places_taken and updated_at.
OTHER_COLUMNS_CHANGED = (
    "(to_jsonb(OLD) - 'places_taken' - 'updated_at')"
    " IS DISTINCT FROM (to_jsonb(NEW) - 'places_taken' - 'updated_at')"
)
# The directory's "has a place" flag turns (programmes.selectors.cohort_conditions).
HAS_A_PLACE_TURNED = (
    "(OLD.places_taken < OLD.capacity) IS DISTINCT FROM (NEW.places_taken < NEW.capacity)"
)
PLACES_CHANGED = "OLD.places_taken IS DISTINCT FROM NEW.places_taken"

FORWARD = (
    """
ALTER TABLE programmes_catalogue_version ADD COLUMN places_version bigint NOT NULL DEFAULT 1;

CREATE FUNCTION programmes_places_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('programmes.places_bumped', true) IS DISTINCT FROM txid_current()::text
    THEN
        PERFORM set_config('programmes.places_bumped', txid_current()::text, true);
        UPDATE programmes_catalogue_version SET places_version = places_version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION programmes_catalogue_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE programmes_catalogue_version
    SET version = version + 1, places_version = places_version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

DROP TRIGGER programmes_cohort_catalogue_bump_0 ON programmes_cohort;
"""
    + bump_triggers(
        "programmes_cohort",
        {
            "INSERT OR DELETE": "true",
            "UPDATE": f"{OTHER_COLUMNS_CHANGED} OR {HAS_A_PLACE_TURNED}",
        },
    )
    + bump_triggers(
        "programmes_cohort",
        {"UPDATE": PLACES_CHANGED},
        name="places_bump",
        function="programmes_places_bump",
    )
    + "\n"
)

BACKWARD = (
    """
DROP TRIGGER programmes_cohort_places_bump_0 ON programmes_cohort;
DROP TRIGGER programmes_cohort_catalogue_bump_1 ON programmes_cohort;
DROP TRIGGER programmes_cohort_catalogue_bump_0 ON programmes_cohort;
"""
    + bump_triggers("programmes_cohort", {"INSERT OR UPDATE OR DELETE": "true"})
    + """
CREATE OR REPLACE FUNCTION programmes_catalogue_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE programmes_catalogue_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
DROP FUNCTION programmes_places_bump();
ALTER TABLE programmes_catalogue_version DROP COLUMN places_version;
"""
)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0012_catalogue_version")]

    operations = [
        migrations.RunPython(on_postgres(FORWARD), on_postgres(BACKWARD), elidable=False),
    ]
