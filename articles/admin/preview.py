"""The article as readers will see it, for the desk only: drafts, pieces in review and scheduled ones included.

Until the public article page exists this renders a reader's page of its own (title, byline, date, lede, body);
the preview banner says what the article's state is and that readers cannot see it unless it is published.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from articles.models import Article


def preview_view(model_admin, request, object_id):
    """Render article `object_id` as a reader's page with a preview banner, for those who may view it in the admin."""
    article = (
        Article.objects.filter(pk=object_id if str(object_id).isdigit() else None)
        .select_related("source")
        .prefetch_related("bylines__author", "topics")
        .first()
    )
    if article is None:
        raise Http404("No such article.")
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    paragraphs = [part.strip() for part in article.body.split("\n\n") if part.strip()]
    response = TemplateResponse(
        request,
        "admin/articles/article/preview.html",
        {
            "article": article,
            "paragraphs": paragraphs,
            "authors": [byline.author.name for byline in article.bylines.all()],
            "public": article.status == Article.Status.PUBLISHED and not article.is_scheduled,
            "change_url": "../change/",
        },
    )
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
