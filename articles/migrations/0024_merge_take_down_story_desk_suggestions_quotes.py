"""Join the take-down time, the story desk, topic suggestions and quotes, each made on top of 0018."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_take_down"),
        ("articles", "0020_story_desk"),
        ("articles", "0022_topic_suggestions"),
        ("articles", "0023_reading_quotes_entities"),
    ]

    operations = []
