"""Who may do what through the API.

Model permissions (granted through the "Editor" and "Reporter" groups) decide every write. They do not guard reads
(a GET passes `DjangoModelPermissions` whatever the user), so what a reader may see is decided by the views'
querysets through `sees_unpublished`; publishing is checked by `articles.workflow` itself.
"""

from rest_framework.permissions import DjangoModelPermissions, DjangoModelPermissionsOrAnonReadOnly

ModelPermissionsOrAnonReadOnly = DjangoModelPermissionsOrAnonReadOnly


def sees_unpublished(user) -> bool:
    """Return whether `user` may see drafts, pieces in review, archived and scheduled articles."""
    return bool(user and user.is_authenticated and user.has_perm("articles.view_article"))


def audience(user) -> str:
    """Return which version of a list `user` sees ("staff" with unpublished articles, or "public"): cache keys."""
    return "staff" if sees_unpublished(user) else "public"


class ImportPermission(DjangoModelPermissions):
    """Reading import records (raw text included) needs `view_importrecord`; importing needs `add_article`."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["articles.view_importrecord"],
        "HEAD": ["articles.view_importrecord"],
        "POST": ["articles.add_article"],
    }
