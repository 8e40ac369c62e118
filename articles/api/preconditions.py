"""Lost updates refused: a write that names a state of the article that is no longer current gets a 412.

A client names the state it started from in either of two ways: the `ETag` of its last read, sent back as
`If-Match`, or the article's `revision`, sent in the body. Either that is no longer the article's is refused with
`412 Precondition Failed` and the current revision, as the admin refuses a stale save (`articles/admin/forms.py`),
instead of overwriting an editor's newer work. The check reads the row locked (`SELECT ... FOR UPDATE` where the
database has it) in the write's own transaction, so a write in between cannot slip past it.

The article's ETags are weak (`articles/api/conditional.py`), so `If-Match` compares them weakly (RFC 9110 asks for
the strong comparison, which a weak tag never passes): the tag digests the revision, which is exact, and the
address it was read from, so it is to be sent to the address it came from.
"""

from collections.abc import Mapping

from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError

from articles.api import conditional
from articles.api.permissions import detail_audience
from articles.models import Article


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The article changed since this version was read."
    default_code = "precondition_failed"

    def __init__(self, revision: int):
        super().__init__(
            f"The article is at revision {revision} now, not the one this change started from. Read it again, "
            "apply your change to it and send that."
        )
        self.detail = {"detail": self.detail, "revision": revision}  # the number stays a number


def sent_revision(request) -> int | None:
    """Return the `revision` the body names, None when it names none; a revision that is not a number is a 400."""
    data = request.data
    if not isinstance(data, Mapping) or data.get("revision") is None:
        return None
    revision = data["revision"]
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
        raise ValidationError({"revision": ["The revision you started from: a whole number from 1."]})
    return revision


def opaque_tags(header: str) -> set[str]:
    """Return the entity tags of an `If-Match` header without their weakness marks (`W/"x"` and `"x"` alike)."""
    tags = set()
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        if part:
            tags.add(part)
    return tags


def require_current(request, article: Article) -> None:
    """Refuse (412) a write whose `If-Match` or `revision` is not the state of `article` now; lock the row."""
    header = request.headers.get("If-Match", "").strip()
    revision = sent_revision(request)
    if not header and revision is None:
        return
    current = Article.objects.select_for_update().only("revision", "updated_at").get(pk=article.pk)
    stale = revision is not None and revision != current.revision
    if header and header != "*":
        etag, _ = conditional.detail_validators(request, current, audience=detail_audience(request.user))
        stale = stale or opaque_tags(etag).isdisjoint(opaque_tags(header))
    if stale:
        raise PreconditionFailed(current.revision)
