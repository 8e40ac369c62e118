"""RSS 2.0 and Atom feeds of published articles: all, per source, per topic (with subtopics) and per author."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article, Author, Source, Topic

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def feeds_world(make_article):
    now = timezone.now()
    frontier = Source.objects.create(name="The Frontier Post", slug="frontier")
    politics = Topic.objects.create(name="Politics", slug="politics")
    elections = Topic.objects.create(name="Elections", slug="elections", parent=politics)
    old = make_article(
        "Older story",
        source=frontier,
        authors=["Alena Kazakova"],
        status=Article.Status.PUBLISHED,
        published_at=now - timezone.timedelta(days=2),
        summary="Older summary & more.",
    )
    old.topics.add(elections)
    old.tags.add("trade")
    new = make_article(
        "Newer story",
        source="Astana Times",
        authors=["Web Desk", "Alena Kazakova"],
        status=Article.Status.PUBLISHED,
        published_at=now - timezone.timedelta(hours=1),
    )
    make_article("Draft story", source=frontier, authors=["Alena Kazakova"])
    make_article(
        "Scheduled story",
        source=frontier,
        status=Article.Status.PUBLISHED,
        published_at=now + timezone.timedelta(days=1),
    )
    return {"old": old, "new": new}


def parse(response) -> ET.Element:
    return ET.fromstring(response.content)  # noqa: S314 (our own server's output, not untrusted input)


def rss_titles(response) -> list[str]:
    assert response["Content-Type"].startswith("application/rss+xml")
    return [item.findtext("title") for item in parse(response).iter("item")]


def atom_titles(response) -> list[str]:
    assert response["Content-Type"].startswith("application/atom+xml")
    return [entry.findtext(f"{ATOM}title") for entry in parse(response).iter(f"{ATOM}entry")]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/feeds/", ["Newer story", "Older story"]),
        ("/feeds/sources/frontier/", ["Older story"]),
        ("/feeds/topics/politics/", ["Older story"]),
        ("/feeds/topics/elections/", ["Older story"]),
        ("/feeds/authors/alena-kazakova/", ["Newer story", "Older story"]),
        ("/feeds/authors/web-desk/", ["Newer story"]),
    ],
)
def test_rss_and_atom_feeds_list_only_published_articles_newest_first(client, feeds_world, path, expected):
    assert rss_titles(client.get(path)) == expected
    assert atom_titles(client.get(f"{path}atom/")) == expected


def test_an_rss_item_carries_summary_date_authors_categories_and_a_link(client, feeds_world):
    item = next(parse(client.get("/feeds/sources/frontier/")).iter("item"))
    assert item.findtext("description") == "Older summary & more."
    assert item.findtext("link") == f"http://testserver{feeds_world['old'].get_absolute_url()}"
    assert item.findtext("pubDate")
    assert sorted(c.text for c in item.iter("category")) == ["Elections", "trade"]
    assert "Alena Kazakova" in ET.tostring(item, encoding="unicode")


def test_an_atom_entry_lists_every_author_in_byline_order(client, feeds_world):
    entry = next(parse(client.get("/feeds/atom/")).iter(f"{ATOM}entry"))
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Web Desk, Alena Kazakova"


@pytest.mark.parametrize("path", ["/feeds/sources/nowhere/", "/feeds/topics/nothing/atom/", "/feeds/authors/nobody/"])
def test_a_feed_for_something_unknown_is_a_404(client, path):
    assert client.get(path).status_code == 404


def test_a_feed_costs_a_constant_number_of_queries(client, make_article, django_assert_max_num_queries):
    for n in range(30):
        article = make_article(f"Feed piece {n}", status=Article.Status.PUBLISHED, authors=[f"Writer {n % 4}"])
        article.tags.add(f"t{n % 3}")
    with django_assert_max_num_queries(6):
        assert client.get("/feeds/").status_code == 200
    assert Author.objects.count() == 4


CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_LANGUAGE = "{http://purl.org/dc/elements/1.1/}language"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def full_text_article(make_article):
    article = make_article(
        "Harbour reopens",
        source="Harbour Times",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(hours=1),
        body="The harbour reopened <today>.\n\n## Repairs\n\n- Quay\n- Cranes",
        language="kk",
    )
    article.topics.add(Topic.objects.create(name="Transport", slug="transport"))
    article.tags.add("ports")
    return article


def test_an_rss_item_carries_the_full_text_categories_and_its_language(client, full_text_article):
    item = next(parse(client.get("/feeds/")).iter("item"))
    assert item.findtext(CONTENT) == (
        "<p>The harbour reopened &lt;today&gt;.</p>\n<h2>Repairs</h2>\n<ul><li>Quay</li><li>Cranes</li></ul>"
    )
    assert item.findtext(DC_LANGUAGE) == "kk"
    assert sorted(c.text for c in item.iter("category")) == ["Transport", "ports"]
    assert item.findtext("link") == f"http://testserver{full_text_article.get_absolute_url()}"


def test_an_atom_entry_carries_the_full_text_categories_and_its_language(client, full_text_article):
    entry = next(parse(client.get("/feeds/atom/")).iter(f"{ATOM}entry"))
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html" and content.text.startswith("<p>The harbour reopened &lt;today&gt;.</p>")
    assert entry.get(XML_LANG) == "kk"
    assert sorted(c.get("term") for c in entry.iter(f"{ATOM}category")) == ["Transport", "ports"]


def test_an_article_without_a_language_takes_the_sites(client, make_article, settings):
    make_article("No language", status=Article.Status.PUBLISHED, published_at=timezone.now(), language="")
    item = next(parse(client.get("/feeds/")).iter("item"))
    assert item.findtext(DC_LANGUAGE) == settings.LANGUAGE_CODE


@pytest.mark.parametrize("path", ["/feeds/", "/feeds/atom/", "/feeds/topics/transport/"])
def test_a_feed_has_an_etag_and_answers_304_while_it_is_unchanged(client, full_text_article, path):
    first = client.get(path)
    etag = first["ETag"]
    assert etag.startswith('"') and client.get(path)["ETag"] == etag
    unchanged = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    full_text_article.title = "Harbour reopens at last"
    full_text_article.save()
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
