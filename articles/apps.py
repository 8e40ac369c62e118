from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from corsheaders.signals import check_request_enabled
        from django.tasks.signals import task_started

        from articles import changes
        from articles.api.cors import allow_reads_from_any_origin
        from articles.taskqueue import relax_commit_durability

        changes.connect()  # every Article.save() and delete() appends to the change log
        task_started.connect(relax_commit_durability, dispatch_uid="newsroom-relax-commit-durability")
        check_request_enabled.connect(allow_reads_from_any_origin, dispatch_uid="newsroom-cors-reads")
