"""Create the "Editor" and "Reporter" groups with their permissions.

Editor: everything in the newsroom app, publishing and deleting included. Reporter: add and change articles,
authors, sources, topics and tags and view the rest, but never publish, delete or merge.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APP_MODELS = ["article", "author", "source", "topic", "byline", "importbatch", "importrecord", "historicalarticle"]
REPORTER_CODENAMES = [
    "add_article",
    "change_article",
    "view_article",
    "add_byline",
    "change_byline",
    "view_byline",
    "delete_byline",
    "add_author",
    "change_author",
    "view_author",
    "add_source",
    "change_source",
    "view_source",
    "view_topic",
    "view_importbatch",
    "view_importrecord",
    "view_historicalarticle",
    "add_tag",
    "change_tag",
    "view_tag",
    "add_taggeditem",
    "change_taggeditem",
    "delete_taggeditem",
    "view_taggeditem",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(Permission.objects.filter(content_type__app_label__in=["articles", "taggit"]))
    reporter, _ = Group.objects.get_or_create(name="Reporter")
    reporter.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["articles", "taggit"], codename__in=REPORTER_CODENAMES)
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Reporter"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_full_text_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
