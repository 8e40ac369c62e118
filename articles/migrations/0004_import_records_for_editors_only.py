"""Import records (raw text, cleaning edits) and batches are for editors: take their view permissions from Reporter.

Reporters still import pieces and see, in the admin, how the article they edit arrived (its provenance panel); they
no longer browse the import log itself, through the admin or the API.
"""

from django.db import migrations

CODENAMES = ["view_importrecord", "view_importbatch"]


def restrict(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    reporter = Group.objects.filter(name="Reporter").first()
    if reporter is not None:
        reporter.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)
        )


def allow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    reporter = Group.objects.filter(name="Reporter").first()
    if reporter is not None:
        reporter.permissions.add(*Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_editorial_groups")]

    operations = [migrations.RunPython(restrict, allow)]
