"""A catalogue version number that PostgreSQL raises whenever what the public pages show changes.

The directory, the home page, programme pages and the public API lists are kept rendered in
each web process (programmes.catalogue_cache) under this number, so a page is one small read
instead of its queries and templates. The number lives in a one-row table,
`programmes_catalogue_version`, written only by triggers, so every writer (a view, the
console, the admin, a task, a management command, psql) raises it.

Two triggers on each table a public page reads:
- `..._catalogue_bump`, a constraint trigger deferred to commit, raises the number once per
  transaction (a transaction-local setting remembers it has). Deferred so the row is locked
  only for the moment of commit: two bookings in different cohorts never wait for each
  other on it, and the new number becomes visible in the same instant as the change.
- `..._catalogue_touch`, a statement trigger that runs at once, only marks the transaction,
  so a transaction that has changed the catalogue and not yet committed reads its own pages
  fresh rather than the kept ones.

Only tables of this app are watched here; applications (the waiting list) and resources add
theirs in their own migrations. Two indexes answer "when does the next application window
open or close?", which ends a kept page's life.
"""

from django.db import migrations

from programmes.catalogue_triggers import on_postgres, watch

FUNCTIONS = """
CREATE TABLE programmes_catalogue_version (
    id smallint PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO programmes_catalogue_version (id, version) VALUES (1, 1);

CREATE FUNCTION programmes_catalogue_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('programmes.catalogue_bumped', true) IS DISTINCT FROM txid_current()::text
    THEN
        PERFORM set_config('programmes.catalogue_bumped', txid_current()::text, true);
        UPDATE programmes_catalogue_version SET version = version + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION programmes_catalogue_touch() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('programmes.catalogue_touched', txid_current()::text, true);
    RETURN NULL;
END;
$$;

-- TRUNCATE cannot have a deferred trigger: it raises the number at once.
CREATE FUNCTION programmes_catalogue_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE programmes_catalogue_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE INDEX programmes_cohort_opens_at ON programmes_cohort (applications_open_at);
CREATE INDEX programmes_cohort_closes_at ON programmes_cohort (applications_close_at);
"""

DROP_FUNCTIONS = """
DROP INDEX programmes_cohort_closes_at;
DROP INDEX programmes_cohort_opens_at;
DROP FUNCTION programmes_catalogue_truncated();
DROP FUNCTION programmes_catalogue_touch();
DROP FUNCTION programmes_catalogue_bump();
DROP TABLE programmes_catalogue_version;
"""

WATCHED = (
    "programmes_programme",
    "programmes_provider",
    "programmes_programme_providers",
    "programmes_cohort",
)


FORWARD = FUNCTIONS + "".join(watch(table)[0] for table in WATCHED)
BACKWARD = "".join(watch(table)[1] for table in WATCHED) + DROP_FUNCTIONS


class Migration(migrations.Migration):
    dependencies = [("programmes", "0011_programme_next_start")]

    operations = [
        migrations.RunPython(on_postgres(FORWARD), on_postgres(BACKWARD), elidable=False),
    ]
