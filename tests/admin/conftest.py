"""Helpers for driving the editorial admin through Django's test client."""

import pytest
from django.utils import timezone

from articles.models import Article
from tests.conftest import SEED_SHAPED

CHANGELIST = "/admin/articles/article/"
SEED = SEED_SHAPED  # invented, in the seed's shape (tests/fixtures/pieces/)


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def login(client):
    """Return a function that logs a user in and returns the client."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def post_action(client):
    """Return a function that posts a changelist action for some articles, following the redirect."""

    def post(action, *objects, url=CHANGELIST, **extra):
        data = {"action": action, "index": 0, "_selected_action": [obj.pk for obj in objects], **extra}
        return client.post(url, data, follow=True)

    return post


def read_only_inline_management() -> dict:
    """Return the management form fields the change form's read-only inlines (quotes, suggestions) send, empty: the
    page sends them whatever the article holds, and the admin refuses a POST without them."""
    from django.contrib import admin
    from django.forms.models import inlineformset_factory

    data = {}
    for inline in admin.site._registry[Article].inlines:
        if inline.model is Article.bylines.rel.related_model:
            continue  # the bylines' own fields are given by the caller
        formset = inlineformset_factory(Article, inline.model, fk_name=inline.fk_name, fields=[])
        prefix = formset.get_default_prefix()
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
        data |= {f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
    return data


def form_data(article: Article, **changes) -> dict:
    """Return the POST data of the article's change form as the page would send it, with `changes` applied."""
    article.refresh_from_db()
    local = timezone.localtime(article.published_at) if article.published_at else None
    down = timezone.localtime(article.unpublish_at) if article.unpublish_at else None
    bylines = list(article.bylines.order_by("position"))
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "revision": article.revision,
        "status": article.status,
        "published_at_0": local.strftime("%Y-%m-%d") if local else "",
        "published_at_1": local.strftime("%H:%M:%S") if local else "",
        "unpublish_at_0": down.strftime("%Y-%m-%d") if down else "",
        "unpublish_at_1": down.strftime("%H:%M:%S") if down else "",
        "source": article.source_id or "",
        "language": article.language,
        "external_id": article.external_id,
        "topics": [topic.pk for topic in article.topics.all()],
        "tags": "",
        "bylines-TOTAL_FORMS": len(bylines),
        "bylines-INITIAL_FORMS": len(bylines),
        "bylines-MIN_NUM_FORMS": 0,
        "bylines-MAX_NUM_FORMS": 1000,
        "_save": "Save",
        **read_only_inline_management(),
    }
    for index, byline in enumerate(bylines):
        data |= {
            f"bylines-{index}-id": byline.pk,
            f"bylines-{index}-article": article.pk,
            f"bylines-{index}-author": byline.author_id,
            f"bylines-{index}-position": byline.position,
            f"bylines-{index}-role": byline.role,
        }
    data.update(changes)
    return data


def revert_url(article, version) -> str:
    return f"/admin/articles/article/{article.pk}/history/{version.history_id}/"


def revert(client, article, version):
    """Open the history page of `version`, choose that version's status and publication time too (the form shows
    the article's current ones), and press Save."""
    page = client.get(revert_url(article, version))
    assert page.status_code == 200
    form = page.context["adminform"].form
    shown = version.instance
    local = timezone.localtime(shown.published_at) if shown.published_at else None
    data = form_data(
        article,
        title=shown.title,
        body=shown.body,
        summary=shown.summary,
        status=shown.status,
        published_at_0=local.strftime("%Y-%m-%d") if local else "",
        published_at_1=local.strftime("%H:%M:%S") if local else "",
        revision=form["revision"].value(),
    )
    for key in [key for key in data if key.startswith("bylines-")]:
        del data[key]  # the history form has no inlines
    return client.post(revert_url(article, version), data, follow=True)


@pytest.fixture
def seed_article(superuser):
    """Import the seed piece through the pipeline and return its article."""
    from articles.ingest import ImportOptions, import_bytes

    result = import_bytes(SEED.read_bytes(), origin="seed.txt", options=ImportOptions(channel="python"))
    assert result.outcome == "created", result
    return Article.objects.get(pk=result.article_id)
