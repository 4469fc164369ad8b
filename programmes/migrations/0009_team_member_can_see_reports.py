from django.db import migrations, models


def managers_see_reports(apps, schema_editor):
    """Managers already in a team keep seeing everything about their programme."""
    member = apps.get_model("programmes", "ProgrammeTeamMember")
    member.objects.filter(role="manager").update(can_see_reports=True)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0008_team_email_cancelled_cohorts_constraint_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="programmeteammember",
            name="can_see_reports",
            field=models.BooleanField(default=False, verbose_name="sees reports"),
        ),
        migrations.RunPython(managers_see_reports, migrations.RunPython.noop),
    ]
