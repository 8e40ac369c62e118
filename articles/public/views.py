"""The public page of a published article, and the desk's preview of any article.

A draft, an article in review, an archived one and one scheduled for later have no public page: the answer is the
same 404 as for a slug nobody uses, so a reader learns nothing about them. The page is rendered from the same body
HTML as the API's `body_html` (`articles/api/rendering.py`) and costs a constant number of queries.
"""

from django.contrib.auth.decorators import permission_required
from django.core.cache import cache
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from articles.api import conditional
from articles.api.relations import attach_relations
from articles.api.rendering import render_body_html
from articles.models import Article
from articles.public.addresses import origin_url

NOT_FOUND = "No published article has this address."
PAGE_SECONDS = conditional.BODY_SECONDS


def render_article(request, article: Article, *, preview: bool = False):
    """Return the article's page; a public one is answered `304` to its ETag, or from a copy kept PAGE_SECONDS.

    Every reader gets the same public page, so the copy rendered for one serves the next; the ETag digests the
    page's address without its query string (the canonical link names the host; `?utm_source=` and the like
    change nothing, and must not fill the cache with copies) and the article's revision and change time, so an
    edit is shown at once. A relation renamed without an edit of the article (an author's name) shows once the
    server's copy expires, and to a client revalidating with its ETag at the article's next edit: the weak ETags'
    rule, as for the API.
    """
    if preview:
        response = HttpResponse(_rendered(request, article, preview=True))
        response["X-Robots-Tag"] = "noindex"
        response["Cache-Control"] = "private, no-store"
        return response
    stamp = article.updated_at.timestamp()
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    etag = conditional.weak_etag("page", address, article.pk, article.revision, stamp)
    response = get_conditional_response(request, etag=etag, last_modified=int(stamp))
    if response is None:
        key = f"public:page:{etag}"
        html = cache.get(key)
        if html is None:
            html = _rendered(request, article, preview=False)
            cache.set(key, html, PAGE_SECONDS)
        response = HttpResponse(html)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp)
    return response


def _rendered(request, article: Article, *, preview: bool) -> str:
    attach_relations([article])
    context = {
        "article": article,
        "body_html": render_body_html(article.body),
        "origin": origin_url(article.external_id, article.link),
        "preview": preview,
    }
    return render_to_string("articles/article_page.html", context, request)


@require_safe
def article_page(request, slug: str):
    """The article without a source called `slug`; else the one published article from a source with that slug."""
    published = Article.objects.published().select_related("source").filter(slug=slug)
    found = list(published.order_by(F("source_id").asc(nulls_first=True), "id")[:2])
    if not found:
        raise Http404(NOT_FOUND)
    if found[0].source_id is None:  # the article without a source comes first
        return render_article(request, found[0])
    if len(found) > 1:  # several sources use the slug: only their own addresses say which article is meant
        raise Http404(NOT_FOUND)
    return redirect(found[0].get_absolute_url(), permanent=True)


@require_safe
def article_page_in_source(request, source_slug: str, slug: str):
    article = get_object_or_404(
        Article.objects.published().select_related("source"), slug=slug, source__slug=source_slug
    )
    return render_article(request, article)


@require_safe
@permission_required("articles.view_article", raise_exception=True)
def article_preview(request, pk: int):
    """Any article as its public page will show it, for the desk (signed in, allowed to view articles)."""
    article = get_object_or_404(Article.objects.select_related("source"), pk=pk)
    return render_article(request, article, preview=True)
