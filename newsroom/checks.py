"""Deployment checks: `manage.py check --deploy` tells the operator what would break the site once it is served."""

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import Tags, Warning, register


@register(Tags.staticfiles, deploy=True)
def static_files_collected(app_configs, **kwargs):
    """Warn when static files are served from a manifest that `collectstatic` has not written.

    With DEBUG off, WhiteNoise's manifest storage looks every static file up in that manifest; without it each page
    that links a stylesheet or script (the admin's login, the API's docs, the browsable API) is a server error.
    """
    storage = staticfiles_storage
    if not isinstance(storage, ManifestFilesMixin) or storage.exists(storage.manifest_name):
        return []
    return [
        Warning(
            f"The static files have not been collected: {storage.path(storage.manifest_name)} is missing, so the "
            "admin, the API docs and the browsable API will fail to render.",
            hint="Run `python manage.py collectstatic --noinput` (bin/deploy does) before serving.",
            id="newsroom.W001",
        )
    ]
