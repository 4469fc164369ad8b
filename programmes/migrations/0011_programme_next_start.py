"""Each programme's next start date, stored and kept current by PostgreSQL triggers.

The directory sorts every published programme by its next start date; it used to run a
subquery on the cohorts for each programme on every request. The date is now two columns,
written by the database: `next_start_on` (the earliest start, on or after the day it was
worked out, of the cohorts not cancelled) and `next_start_checked_on` (that day, in the
portal's time zone). A BEFORE trigger works them out on every write of a programme row,
whoever makes it, so a stale copy held by Django can never be written back; cohort
inserts and deletes (once per statement) and cohort updates that move a start, cancel or
move a cohort touch their programmes' rows so the trigger runs. Changing a cohort's places
touches nothing, so the booking path pays nothing for this.

The pair stays true while checked_on <= today <= next_start_on, whatever day it is read;
the directory falls back to the subquery for any other row, and a daily task
(programmes.tasks.next_starts_refresh_task) works the dates out again for programmes whose
next cohort has begun. On SQLite (development) the columns stay empty and the directory
always uses the subquery.
"""

from django.conf import settings
from django.db import migrations, models

FORWARD = """
CREATE FUNCTION programmes_today() RETURNS date LANGUAGE sql STABLE AS $$
    SELECT (now() AT TIME ZONE %(zone)s)::date
$$;

CREATE FUNCTION programmes_programme_next_start_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.next_start_checked_on := programmes_today();
    NEW.next_start_on := (
        SELECT min(cohort.starts_on) FROM programmes_cohort cohort
        WHERE cohort.programme_id = NEW.id AND cohort.cancelled_at IS NULL
          AND cohort.starts_on >= NEW.next_start_checked_on);
    RETURN NEW;
END;
$$;
CREATE TRIGGER programmes_programme_next_start
    BEFORE INSERT OR UPDATE ON programmes_programme
    FOR EACH ROW EXECUTE FUNCTION programmes_programme_next_start_row();

CREATE FUNCTION programmes_cohorts_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE programmes_programme SET next_start_checked_on = NULL
        WHERE id IN (SELECT programme_id FROM added_cohorts);
    ELSE
        UPDATE programmes_programme SET next_start_checked_on = NULL
        WHERE id IN (SELECT programme_id FROM removed_cohorts);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER programmes_cohorts_added
    AFTER INSERT ON programmes_cohort
    REFERENCING NEW TABLE AS added_cohorts
    FOR EACH STATEMENT EXECUTE FUNCTION programmes_cohorts_changed();
CREATE TRIGGER programmes_cohorts_removed
    AFTER DELETE ON programmes_cohort
    REFERENCING OLD TABLE AS removed_cohorts
    FOR EACH STATEMENT EXECUTE FUNCTION programmes_cohorts_changed();

CREATE FUNCTION programmes_cohort_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE programmes_programme SET next_start_checked_on = NULL
    WHERE id IN (OLD.programme_id, NEW.programme_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER programmes_cohort_moved
    AFTER UPDATE ON programmes_cohort
    FOR EACH ROW WHEN (OLD.starts_on IS DISTINCT FROM NEW.starts_on
                       OR OLD.cancelled_at IS DISTINCT FROM NEW.cancelled_at
                       OR OLD.programme_id IS DISTINCT FROM NEW.programme_id)
    EXECUTE FUNCTION programmes_cohort_moved();

UPDATE programmes_programme SET next_start_checked_on = NULL;
"""

BACKWARD = """
DROP TRIGGER programmes_cohort_moved ON programmes_cohort;
DROP FUNCTION programmes_cohort_moved();
DROP TRIGGER programmes_cohorts_removed ON programmes_cohort;
DROP TRIGGER programmes_cohorts_added ON programmes_cohort;
DROP FUNCTION programmes_cohorts_changed();
DROP TRIGGER programmes_programme_next_start ON programmes_programme;
DROP FUNCTION programmes_programme_next_start_row();
DROP FUNCTION programmes_today();
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, {"zone": settings.TIME_ZONE})

    return run


class Migration(migrations.Migration):
    dependencies = [("programmes", "0010_merge_20261202_0859")]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="next_start_on",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="programme",
            name="next_start_checked_on",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.RunPython(_on_postgres(FORWARD), _on_postgres(BACKWARD), elidable=False),
    ]
