"""pg_trgm, for the directory's typo-tolerant search (programmes.selectors.programme_search).

TrigramExtension does nothing on databases other than PostgreSQL, so SQLite
development databases migrate as before.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programmes", "0006_cohort_constraint_messages")]

    operations = [TrigramExtension()]
