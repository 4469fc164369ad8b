"""Give every application that has left the draft state a reference, as submission now does.

The alphabet is copied, not imported, so this migration keeps working whatever
becomes of the code that makes new references.
"""

import secrets

from django.db import migrations

ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
LENGTH = 6


def _fill(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    taken = set(
        Application.objects.exclude(reference=None).values_list("reference", flat=True)
    )
    pending = Application.objects.filter(reference=None).exclude(state="draft").only("pk")
    for application in pending.iterator():
        while True:
            code = "LP-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
            if code not in taken:
                break
        taken.add(code)
        Application.objects.filter(pk=application.pk).update(reference=code)


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_application_reference")]

    operations = [migrations.RunPython(_fill, migrations.RunPython.noop)]
