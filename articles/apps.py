from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles import changes

        changes.connect()  # every Article.save() and delete() appends to the change log
