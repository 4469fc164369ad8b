"""Raise the catalogue version (programmes/0012) when a resource or its programmes change:
a programme page lists its published resources."""

from django.db import migrations

from programmes.catalogue_triggers import on_postgres, watch

RESOURCES = watch("resources_resource")
LINKS = watch("resources_resource_programmes")


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_initial"),
        ("programmes", "0012_catalogue_version"),
    ]

    operations = [
        migrations.RunPython(
            on_postgres(RESOURCES[0] + LINKS[0]),
            on_postgres(RESOURCES[1] + LINKS[1]),
            elidable=False,
        ),
    ]
