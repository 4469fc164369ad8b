"""The national figures for directors of children's services, as reported 2021–2023.

An administrator may correct or add newer ones in the admin; reports show the newest
figure of each group. Reversing this migration removes only the rows it added.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

POPULATION = "Directors of children's services in England"
SOURCE = "Trade-press reports on the diversity of directors of children's services, 2021–2023"
FIGURES = (
    ("white_british", Decimal("81.0"), "Reported as about 80–81% identifying as white British."),
    (
        "black_or_mixed",
        Decimal("6.0"),
        "Reported as about 6% identifying as Black African, Black Caribbean, "
        "White and Black Caribbean or White and Asian.",
    ),
    ("disabled", Decimal("0.0"), "No director was reported as identifying as disabled."),
)
AS_OF = dt.date(2022, 1, 1)


def add(apps, schema_editor):
    figure = apps.get_model("reports", "ReferenceFigure")
    for group, percent, note in FIGURES:
        figure.objects.get_or_create(
            population=POPULATION,
            group=group,
            as_of=AS_OF,
            defaults={"percent": percent, "source": SOURCE, "note": note},
        )


def remove(apps, schema_editor):
    figure = apps.get_model("reports", "ReferenceFigure")
    figure.objects.filter(population=POPULATION, as_of=AS_OF, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_reference_figures")]

    operations = [migrations.RunPython(add, remove)]
