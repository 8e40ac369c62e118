"""The public page of an article: what a reader sees, where it lives, and that unpublished work has none."""

import pytest
from django.utils import timezone

from articles.models import Article, Source, Topic

pytestmark = pytest.mark.django_db

PUBLISHED = Article.Status.PUBLISHED


def test_a_published_article_from_a_source_is_at_the_sources_address(client, make_article):
    article = make_article(
        "Rain over the harbour",
        status=PUBLISHED,
        authors=["Ann Lee", "Bo Chan"],
        body="It rained <all> day.\n\n## The docks\n\n- boats\n- cranes",
        external_id="https://frontier.example/rain",
        language="fr",
    )
    article.topics.add(Topic.objects.create(name="Weather"))
    article.tags.add("harbour", "rain")
    assert article.get_absolute_url() == "/articles/the-frontier-post/rain-over-the-harbour/"

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "<h1>Rain over the harbour</h1>" in html
    assert "<p>It rained &lt;all&gt; day.</p>" in html and "<h2>The docks</h2>" in html
    assert "<li>boats</li><li>cranes</li>" in html
    assert "Ann Lee" in html and "Bo Chan" in html and "The Frontier Post" in html
    assert "<li>Weather</li>" in html and "<li>harbour</li>" in html and "<li>rain</li>" in html
    assert f'<time datetime="{timezone.localtime(article.published_at).isoformat()}' in html
    assert '<link rel="canonical" href="https://frontier.example/rain">' in html


def test_the_page_shows_the_body_html_the_api_gives(client, make_article):
    article = make_article("Same text", status=PUBLISHED, body="One.\n\n## Two\n\n- three\n- four\n\nFive.")
    body_html = client.get(f"/api/v1/articles/{article.pk}/").json()["body_html"]
    assert body_html in client.get(article.get_absolute_url()).content.decode()


def test_without_an_origin_address_the_canonical_link_is_the_page_itself(client, make_article):
    article = make_article("No origin", status=PUBLISHED, external_id="guid-1234", source=None)
    assert article.get_absolute_url() == "/articles/no-origin/"
    html = client.get("/articles/no-origin/").content.decode()
    assert '<link rel="canonical" href="http://testserver/articles/no-origin/">' in html
    assert "Originally published" not in html


def test_the_short_address_sends_a_reader_to_the_one_sourced_article_with_that_slug(client, make_article):
    article = make_article("Only one", status=PUBLISHED)
    response = client.get("/articles/only-one/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_when_slugs_clash_the_article_without_a_source_keeps_the_short_address(client, make_article):
    make_article("Clash", status=PUBLISHED, source=None, body="Without a source.")
    sourced = make_article("Clash", status=PUBLISHED, body="From the Frontier Post.")
    assert "Without a source." in client.get("/articles/clash/").content.decode()
    assert "From the Frontier Post." in client.get(sourced.get_absolute_url()).content.decode()


def test_when_two_sources_share_a_slug_only_their_own_addresses_serve_them(client, make_article):
    first = make_article("Twins", status=PUBLISHED, body="First outlet.")
    second = make_article("Twins", status=PUBLISHED, source=Source.objects.create(name="Other Post"), body="Second.")
    assert client.get("/articles/twins/").status_code == 404
    assert "First outlet." in client.get(first.get_absolute_url()).content.decode()
    assert "Second." in client.get(second.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.ARCHIVED, "published_at": timezone.now() - timezone.timedelta(days=1)},
        {"status": PUBLISHED, "published_at": timezone.now() + timezone.timedelta(days=1)},
    ],
    ids=["draft", "review", "archived", "scheduled"],
)
def test_an_article_readers_may_not_see_is_the_same_404_as_a_missing_slug(client, make_article, fields):
    hidden = make_article("Hidden work", **fields)
    make_article("Hidden work", source=None, body="Another text.", **fields)
    missing_short = client.get("/articles/nobody-uses-this/")
    missing_long = client.get("/articles/the-frontier-post/nobody-uses-this/")
    for url, missing in [
        (hidden.get_absolute_url(), missing_long),
        ("/articles/hidden-work/", missing_short),
    ]:
        response = client.get(url)
        assert response.status_code == 404 == missing.status_code
        assert response.content == missing.content.replace(b"nobody-uses-this", b"hidden-work")


def test_the_page_costs_the_same_queries_whatever_its_bylines_topics_and_tags(
    client, make_article, django_assert_max_num_queries
):
    small = make_article("Small", status=PUBLISHED, authors=["Ann Lee"])
    large = make_article("Large", status=PUBLISHED, authors=["Ann Lee", "Bo Chan", "Cy Diaz", "Di Eng"])
    for index in range(5):
        large.topics.add(Topic.objects.create(name=f"Topic {index}"))
        large.tags.add(f"tag-{index}")
    client.get(small.get_absolute_url())  # the content type of tags is cached by the first request
    for article in (small, large):
        with django_assert_max_num_queries(4):
            assert client.get(article.get_absolute_url()).status_code == 200


def test_an_unchanged_page_is_not_modified_or_served_as_kept_and_an_edit_shows_at_once(
    client, make_article, django_assert_max_num_queries
):
    article = make_article("Harbour fees", status=PUBLISHED, authors=["Ann Lee"])
    url = article.get_absolute_url()
    first = client.get(url)
    assert first["ETag"].startswith('W/"') and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with django_assert_max_num_queries(1):  # the article's row; its bylines, topics and tags are in the kept page
        again = client.get(url)
    assert again.content == first.content
    tracked = client.get(url, {"utm_source": "newsletter"})  # a query string changes nothing on the page
    assert tracked["ETag"] == first["ETag"] and tracked.content == first.content

    article.title = "Harbour fees rise"
    article.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "<h1>Harbour fees rise</h1>" in changed.content.decode()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.get(url).status_code == 404  # a kept page never outlives the article's publication


def test_the_api_link_feeds_and_admin_point_at_the_public_page(client, make_article, editor):
    article = make_article("Everywhere", status=PUBLISHED)
    page = f"http://testserver{article.get_absolute_url()}"
    assert client.get(f"/api/v1/articles/{article.pk}/").json()["link"] == page
    assert client.get("/api/v1/articles/").json()["results"][0]["link"] == page
    assert f"<link>{page}</link>" in client.get("/feeds/").content.decode()
    assert f'href="{page}"' in client.get("/feeds/atom/").content.decode()
    client.force_login(editor)
    html = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert f'href="{article.get_absolute_url()}"' in html and "View on site" in html


def test_a_draft_has_no_link_for_the_desk_and_the_admin_opens_its_preview(client, make_article, editor):
    draft = make_article("Draft work")
    client.force_login(editor)
    assert client.get(f"/api/v1/articles/{draft.pk}/").json()["link"] is None
    html = client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert f'href="/preview/articles/{draft.pk}/"' in html


def test_the_desk_previews_a_draft_and_nobody_else_does(client, make_article, editor, django_user_model):
    draft = make_article("Draft work", body="Not yet out.")
    assert client.get(f"/preview/articles/{draft.pk}/").status_code in {302, 403}
    client.force_login(django_user_model.objects.create_user("reader", password="pw-reader-1234"))
    assert client.get(f"/preview/articles/{draft.pk}/").status_code == 403
    client.force_login(editor)
    response = client.get(f"/preview/articles/{draft.pk}/")
    assert response.status_code == 200
    assert "Not yet out." in response.content.decode() and "Preview" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"


def test_writes_to_the_page_are_refused(client, make_article):
    article = make_article("Read only", status=PUBLISHED)
    assert client.post(article.get_absolute_url()).status_code == 405


def test_the_sitemap_lists_published_articles_only(client, make_article):
    shown = make_article("Shown", status=PUBLISHED)
    bare = make_article("Bare", status=PUBLISHED, source=None)
    make_article("A draft")
    make_article("Later", status=PUBLISHED, published_at=timezone.now() + timezone.timedelta(days=1))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f"<loc>http://testserver{shown.get_absolute_url()}</loc>" in xml
    assert f"<loc>http://testserver{bare.get_absolute_url()}</loc>" in xml
    assert xml.count("<loc>") == 2
    assert "a-draft" not in xml and "later" not in xml
