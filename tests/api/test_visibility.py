"""Readers without `articles.view_article` learn nothing that is only on unpublished articles.

An author, source or tag credited only on drafts, articles in review, archived or scheduled articles answers exactly
as one that does not exist, in every endpoint, filter, form and feed; the desk sees them all.
"""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article, Author, Source
from tests.api.conftest import ids

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"
HIDDEN_NAMES = ["Hidden Hand", "Embargo Wire", "embargoed", "Future Writer", "Future Wire", "futuretag"]


@pytest.fixture
def world(newsroom, make_article):
    """The shared newsroom, plus names credited only on a scheduled article and only on an archived one."""
    future = make_article(
        "Coming soon",
        source="Future Wire",
        authors=["Future Writer"],
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timezone.timedelta(days=3),
    )
    future.tags.add("futuretag")
    make_article("Old news", source="Archive Press", authors=["Archived Author"], status=Article.Status.ARCHIVED)
    return newsroom


@pytest.fixture
def outsider(db):
    """A signed-in user without editorial rights: reads like the public."""
    return User.objects.create_user("outsider", password="pw-outsider")


def unknown_answer(client, url: str, hidden: str, missing: str):
    """Return the (status, body) answers for a hidden and a missing value, the value itself blanked out."""
    answers = []
    for value in (hidden, missing):
        response = client.get(url.format(value))
        answers.append((response.status_code, response.content.decode().replace(value, "VALUE")))
    return answers


@pytest.mark.parametrize(
    ("url", "hidden", "missing"),
    [
        (LIST + "?author={}", "hidden-hand", "nobody-at-all"),
        (LIST + "?author={}", "future-writer", "nobody-at-all"),
        (LIST + "?author={}", "archived-author", "nobody-at-all"),
        (LIST + "?author=alena-kazakova&author={}", "hidden-hand", "nobody-at-all"),
        (LIST + "?source={}", "embargo", "nowhere-at-all"),
        (LIST + "?source={}", "future-wire", "nowhere-at-all"),
        (LIST + "?source={}", "archive-press", "nowhere-at-all"),
        (LIST + "?tag={}", "embargoed", "nothing-at-all"),
        (LIST + "?tag={}", "futuretag", "nothing-at-all"),
        ("/feeds/authors/{}/", "hidden-hand", "nobody-at-all"),
        ("/feeds/authors/{}/atom/", "future-writer", "nobody-at-all"),
        ("/feeds/sources/{}/", "embargo", "nowhere-at-all"),
        ("/feeds/sources/{}/atom/", "future-wire", "nowhere-at-all"),
        (LIST + "{}/", "secret-draft", "no-such-article"),
        (LIST + "{}/", "tomorrow-s-story", "no-such-article"),
        (LIST + "pipeline-deal-signed/?source={}", "embargo", "nowhere-at-all"),
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_a_name_only_on_unpublished_articles_answers_like_one_that_does_not_exist(
    client, client_for, world, outsider, url, hidden, missing, who
):
    if url.startswith("/feeds/"):
        reader = client
        if who == "outsider":
            reader.force_login(outsider)
    else:
        reader = client_for(outsider if who == "outsider" else None)
    as_hidden, as_missing = unknown_answer(reader, url, hidden, missing)
    assert as_hidden == as_missing
    assert as_hidden[0] in (400, 404)


@pytest.mark.parametrize(
    ("query", "expected"),
    [("author=hidden-hand", "draft"), ("source=embargo", "draft"), ("tag=embargoed", "draft")],
)
def test_the_desk_filters_by_names_only_on_unpublished_articles(client_for, editor, world, query, expected):
    response = client_for(editor).get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert ids(response) == [getattr(world, expected).pk]


def test_the_desk_reads_the_feed_of_a_source_only_on_drafts(client, editor, world):
    client.force_login(editor)
    assert client.get("/feeds/sources/embargo/").status_code == 200


def test_the_browsable_filter_form_offers_the_public_only_published_names(anon, client_for, editor, world):
    public = anon.get(f"{LIST}?format=api").content.decode()
    assert "Alena Kazakova" in public and "The Frontier Post" in public and "energy" in public
    for name in HIDDEN_NAMES:
        assert name not in public
    desk = client_for(editor).get(f"{LIST}?format=api").content.decode()
    for name in HIDDEN_NAMES:
        assert name in desk


def test_the_shared_filters_are_narrowed_for_each_reader_whoever_came_first(anon, client_for, editor, world):
    # The filters take ids or slugs (no list of names in the form): what a reader may name is checked per request.
    desk = client_for(editor).get(LIST, {"author": "hidden-hand"})
    assert desk.status_code == 200 and desk.json()["results"]
    assert "Hidden Hand" not in anon.get(f"{LIST}?format=api&author=alena-kazakova").content.decode()
    assert anon.get(f"{LIST}?author=hidden-hand").status_code == 400
    assert client_for(editor).get(LIST, {"author": "hidden-hand"}).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/authors/", "/api/v1/sources/", "/api/v1/tags/", "/api/schema/"])
def test_lists_and_the_schema_name_nothing_only_on_unpublished_articles(anon, world, path):
    text = anon.get(path, {"page_size": 100} if path.startswith("/api/v1/") else None).content.decode()
    for name in [*HIDDEN_NAMES, "Archived Author", "Archive Press"]:
        assert name not in text


def test_options_on_a_draft_answers_like_options_on_a_missing_article(anon, world):
    draft, missing = anon.options(f"{LIST}{world.draft.pk}/"), anon.options(f"{LIST}999999/")
    assert (draft.status_code, draft.content) == (missing.status_code, missing.content)
    assert b"Secret" not in draft.content


def test_duplicate_of_names_an_unpublished_original_only_to_the_desk(anon, client_for, editor, make_article):
    original = make_article("The first telling")
    copy = make_article("The second telling", status=Article.Status.PUBLISHED, duplicate_of=original)
    assert anon.get(f"{LIST}{copy.pk}/").json()["duplicate_of"] is None
    assert client_for(editor).get(f"{LIST}{copy.pk}/").json()["duplicate_of"] == original.pk
    original.status, original.published_at = Article.Status.PUBLISHED, timezone.now()
    original.save()
    cache.clear()  # the copy itself did not change, so its rendered body may be reused for a minute
    assert anon.get(f"{LIST}{copy.pk}/").json()["duplicate_of"] == original.pk


def test_visibility_follows_the_publication_time(make_article):
    scheduled = make_article(
        "Later",
        source="Patient Wire",
        authors=["Patient Writer"],
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() + timezone.timedelta(hours=1),
    )
    assert not Author.objects.visible_to(None).exists() and not Source.objects.visible_to(None).exists()
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now() - timezone.timedelta(minutes=1))
    assert list(Author.objects.visible_to(None).values_list("name", flat=True)) == ["Patient Writer"]
    assert list(Source.objects.visible_to(None).values_list("name", flat=True)) == ["Patient Wire"]


def test_filtering_by_names_costs_a_constant_number_of_queries(anon, make_article, django_assert_max_num_queries):
    for n in range(12):
        article = make_article(
            f"Piece {n}", source=f"Outlet {n % 3}", authors=[f"Writer {n % 4}"], status=Article.Status.PUBLISHED
        )
        article.tags.add(f"tag{n % 2}")
    make_article("Hidden", source="Outlet 0", authors=["Writer 0"])
    with django_assert_max_num_queries(9):  # one more: the sizes of the page's stories
        response = anon.get(LIST, {"author": "writer-0", "source": "outlet-0", "tag": "tag0"})
    assert response.status_code == 200 and response.json()["count"] == 1
