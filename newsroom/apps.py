from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project itself, as an app: it carries the deployment checks (newsroom/checks.py)."""

    name = "newsroom"
    verbose_name = "newsroom project"

    def ready(self):
        from newsroom import checks  # noqa: F401 - registers the checks
