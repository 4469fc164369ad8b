"""A stored, indexed search vector on each programme, kept current by PostgreSQL triggers.

The directory's search used to build every published programme's text vector on every
request (three times: to match, to rank and in the paginator's count). The vector is now
a column, `Programme.search_vector`, written by the database itself whenever a programme
row is inserted or updated, whenever a provider is added to or taken from a programme, and
whenever a provider is renamed: whoever makes the change (the console's services, the
admin, loaddemo, seedscale's bulk inserts, a raw UPDATE). docs/adr/0011 says why triggers.

The weights are those of the ranking before: A title, B summary and themes, B provider
names, C description, in that order, so ranks are unchanged.

GIN indexes: one on the vector (full-text matches), and pg_trgm's on the title
(typo-tolerant matching, programmes.selectors._near_every_word). pg_trgm itself is enabled
by 0007. A partial index on cohorts not cancelled, by programme and start date, serves the
directory's default order (each programme's next start), and one on the start date the
API's cohort list (soonest first).

Everything but the column is PostgreSQL only: on SQLite (development) the column stays
empty and programmes.selectors searches with LIKE, as before.
"""

import django.contrib.postgres.search
from django.db import migrations, models

FORWARD = """
CREATE FUNCTION programmes_programme_search_vector(programme programmes_programme)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce(programme.title, '')), 'A')
        || setweight(to_tsvector('english',
               coalesce(programme.summary, '') || ' ' || coalesce(programme.themes, '')), 'B')
        || setweight(to_tsvector('english', coalesce((
               SELECT string_agg(provider.name, ' ')
               FROM programmes_provider provider
               JOIN programmes_programme_providers link ON link.provider_id = provider.id
               WHERE link.programme_id = programme.id), '')), 'B')
        || setweight(to_tsvector('english', coalesce(programme.description, '')), 'C')
$$;

-- Every write of a programme row recomputes its vector: writes are rare, and a vector
-- that can never be stale is worth a fraction of a millisecond per save.
CREATE FUNCTION programmes_programme_search_vector_row() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := programmes_programme_search_vector(NEW);
    RETURN NEW;
END;
$$;
CREATE TRIGGER programmes_programme_search_vector
    BEFORE INSERT OR UPDATE ON programmes_programme
    FOR EACH ROW EXECUTE FUNCTION programmes_programme_search_vector_row();

-- Providers added to or taken from programmes: touch those programmes' rows (once per
-- statement, however many links it wrote), so the trigger above recomputes them.
CREATE FUNCTION programmes_links_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE programmes_programme SET search_vector = NULL
        WHERE id IN (SELECT programme_id FROM changed_links);
    ELSE
        UPDATE programmes_programme SET search_vector = NULL
        WHERE id IN (SELECT programme_id FROM gone_links);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER programmes_links_added
    AFTER INSERT ON programmes_programme_providers
    REFERENCING NEW TABLE AS changed_links
    FOR EACH STATEMENT EXECUTE FUNCTION programmes_links_changed();
CREATE TRIGGER programmes_links_removed
    AFTER DELETE ON programmes_programme_providers
    REFERENCING OLD TABLE AS gone_links
    FOR EACH STATEMENT EXECUTE FUNCTION programmes_links_changed();

-- A renamed provider: its programmes are found under its new name.
CREATE FUNCTION programmes_provider_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE programmes_programme SET search_vector = NULL
    WHERE id IN (SELECT programme_id FROM programmes_programme_providers
                 WHERE provider_id = NEW.id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER programmes_provider_renamed
    AFTER UPDATE OF name ON programmes_provider
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION programmes_provider_renamed();

UPDATE programmes_programme SET search_vector = NULL;

CREATE INDEX programme_search_vector_gin ON programmes_programme USING gin (search_vector);
CREATE INDEX programme_title_trgm ON programmes_programme USING gin (title gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX programme_title_trgm;
DROP INDEX programme_search_vector_gin;
DROP TRIGGER programmes_provider_renamed ON programmes_provider;
DROP FUNCTION programmes_provider_renamed();
DROP TRIGGER programmes_links_removed ON programmes_programme_providers;
DROP TRIGGER programmes_links_added ON programmes_programme_providers;
DROP FUNCTION programmes_links_changed();
DROP TRIGGER programmes_programme_search_vector ON programmes_programme;
DROP FUNCTION programmes_programme_search_vector_row();
DROP FUNCTION programmes_programme_search_vector(programmes_programme);
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("programmes", "0008_team_email_cancelled_cohorts_constraint_messages")]

    operations = [
        migrations.AddField(
            model_name="programme",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="cohort",
            index=models.Index(fields=["starts_on"], name="cohort_starts_on"),
        ),
        migrations.AddIndex(
            model_name="cohort",
            index=models.Index(
                condition=models.Q(("cancelled_at__isnull", True)),
                fields=["programme", "starts_on"],
                name="cohort_not_cancelled_start",
            ),
        ),
        migrations.RunPython(_on_postgres(FORWARD), _on_postgres(BACKWARD), elidable=False),
    ]
