"""Who may do what through the API.

Model permissions (granted through the "Editor" and "Reporter" groups) decide every write. They do not guard reads
(a GET passes `DjangoModelPermissions` whatever the user), so what a reader may see is decided by the views'
querysets through the models' `visible_to` (`articles.models.sees_unpublished`); publishing is checked by
`articles.workflow` itself.
"""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions, DjangoModelPermissionsOrAnonReadOnly

from articles.models import sees_unpublished


class ModelPermissionsOrAnonReadOnly(DjangoModelPermissionsOrAnonReadOnly):
    """Model permissions for writes; reads are open to everyone (the views' querysets decide what they show).

    DRF builds the view's queryset on every request only to learn the model whose permissions a method needs;
    a read needs none, so it is let through before that (for a list, the queryset is the request's costliest
    object to build).
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS and not self.perms_map.get(request.method):
            return True
        return super().has_permission(request, view)


__all__ = ["FeedPermission", "ImportPermission", "ModelPermissionsOrAnonReadOnly", "audience", "sees_unpublished"]


def audience(user) -> str:
    """Return which version of a list `user` sees ("staff" with unpublished articles, or "public"): cache keys."""
    return "staff" if sees_unpublished(user) else "public"


def sees_import_records(user) -> bool:
    """Return whether `user` may read import records (and so is shown the links to them)."""
    return user is not None and user.has_perm("articles.view_importrecord")


def detail_audience(user) -> str:
    """Return which version of a full article `user` sees: the list's audience, and whether its `links` name the
    article's import records (`sees_import_records`)."""
    return f"{audience(user)}+imports" if sees_import_records(user) else audience(user)


class ImportPermission(DjangoModelPermissions):
    """Reading import records (raw text included) needs `view_importrecord`; importing needs `add_article`."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["articles.view_importrecord"],
        "HEAD": ["articles.view_importrecord"],
        "POST": ["articles.add_article"],
    }


class FeedPermission(DjangoModelPermissions):
    """Feeds are the desk's subscriptions: reading them needs `view_feed` (editors), changing them the model's
    permissions; anonymous readers are refused before anything is looked up."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["articles.view_feed"],
        "HEAD": ["articles.view_feed"],
        "OPTIONS": ["articles.view_feed"],
    }
