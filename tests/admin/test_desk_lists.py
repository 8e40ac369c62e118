"""Authors, sources and topics: counts, search, the author merge, the topic tree and the IPTC topics fixture."""

import pytest
from django.core.management import call_command

from articles.models import Article, Author, Byline, Source, Topic
from tests.admin.conftest import messages_of

pytestmark = pytest.mark.django_db

AUTHORS = "/admin/articles/author/"


def rows(response):
    return list(response.context["cl"].result_list)


def test_authors_are_listed_with_their_article_counts(login, superuser, make_article):
    make_article("One", authors=["Ann Lee", "Bo Chan"])
    make_article("Two", authors=["Ann Lee"])
    response = login(superuser).get(AUTHORS)
    assert {a.name: a.article_count for a in rows(response)} == {"Ann Lee": 2, "Bo Chan": 1}


def test_authors_are_searchable_by_name(login, superuser, make_article):
    make_article("One", authors=["Ann Lee", "Bo Chan"])
    assert [a.name for a in rows(login(superuser).get(AUTHORS, {"q": "chan"}))] == ["Bo Chan"]


def test_sources_are_listed_with_their_article_counts_and_searchable(login, superuser, make_article):
    make_article("One", source="Dawn")
    make_article("Two", source="Dawn")
    make_article("Three", source="Kommersant")
    response = login(superuser).get("/admin/articles/source/", {"q": "daw"})
    assert [(s.name, s.article_count) for s in rows(response)] == [("Dawn", 2)]


def test_merging_authors_asks_which_one_to_keep(login, post_action, editor, make_article):
    make_article("One", authors=["Ann Lee"])
    make_article("Two", authors=["A. Lee"])
    login(editor)
    response = post_action("merge_into", *Author.objects.all(), url=AUTHORS)
    assert response.templates[0].name == "admin/articles/author/merge.html"
    assert b"Ann Lee" in response.content and b"A. Lee" in response.content
    assert Author.objects.count() == 2


def test_merging_moves_every_byline_and_removes_the_duplicates(login, post_action, editor, make_article):
    one = make_article("One", authors=["Ann Lee"])
    two = make_article("Two", authors=["A. Lee", "Bo Chan"])
    both = make_article("Both", authors=["Ann Lee", "A. Lee"])
    keep, duplicate = Author.objects.get(name="Ann Lee"), Author.objects.get(name="A. Lee")
    login(editor)
    response = post_action("merge_into", keep, duplicate, url=AUTHORS, confirm="yes", into=keep.pk)
    assert messages_of(response) == ["Merged 1 author into “Ann Lee”."]
    assert not Author.objects.filter(pk=duplicate.pk).exists()
    assert {b.article_id for b in Byline.objects.filter(author=keep)} == {one.pk, two.pk, both.pk}
    assert [b.author.name for b in two.bylines.order_by("position")] == ["Ann Lee", "Bo Chan"]


def test_a_reporter_is_not_offered_the_merge_and_a_direct_post_merges_nothing(
    login, post_action, reporter, make_article
):
    make_article("One", authors=["Ann Lee"])
    make_article("Two", authors=["A. Lee"])
    login(reporter)
    page = login(reporter).get(AUTHORS)
    assert b"merge_into" not in page.content
    keep = Author.objects.get(name="Ann Lee")
    post_action("merge_into", *Author.objects.all(), url=AUTHORS, confirm="yes", into=keep.pk)
    assert Author.objects.count() == 2


def test_topics_are_shown_as_a_tree_each_under_its_parent(login, superuser, make_article):
    economy = Topic.objects.create(name="Economy")
    Topic.objects.create(name="Trade", parent=economy)
    Topic.objects.create(name="Arts")
    Topic.objects.create(name="Banking", parent=economy)
    response = login(superuser).get("/admin/articles/topic/")
    assert [t.name for t in rows(response)] == ["Arts", "Economy", "Banking", "Trade"]
    assert b"padding-left: 1.5em" in response.content


def test_topics_filter_by_branch(login, superuser):
    economy = Topic.objects.create(name="Economy")
    trade = Topic.objects.create(name="Trade", parent=economy)
    Topic.objects.create(name="Tariffs", parent=trade)
    Topic.objects.create(name="Arts")
    client = login(superuser)
    branch = client.get("/admin/articles/topic/", {"branch": economy.pk})
    assert [t.name for t in rows(branch)] == ["Economy", "Trade", "Tariffs"]
    roots = client.get("/admin/articles/topic/", {"branch": "root"})
    assert [t.name for t in rows(roots)] == ["Arts", "Economy"]


def test_topics_show_article_counts(login, superuser, make_article):
    politics = Topic.objects.create(name="Politics")
    make_article("One").topics.add(politics)
    make_article("Two").topics.add(politics)
    assert [t.article_count for t in rows(login(superuser).get("/admin/articles/topic/"))] == [2]


def test_the_iptc_fixture_loads_the_17_top_level_media_topics():
    call_command("loaddata", "iptc_media_topics", verbosity=0)
    call_command("loaddata", "iptc_media_topics", verbosity=0)  # loading twice changes nothing
    topics = Topic.objects.order_by("iptc_code")
    assert topics.count() == 17
    assert topics.first().iptc_code == "medtop:01000000" and topics.first().name.startswith("Arts, culture")
    assert topics.get(iptc_code="medtop:11000000").name == "Politics"
    assert topics.last().iptc_code == "medtop:17000000" and topics.last().name == "Weather"
    assert not topics.exclude(parent=None).exists()


def test_counts_are_annotated_in_the_list_query(login, superuser, make_article, django_assert_max_num_queries):
    for n in range(20):
        make_article(f"Piece {n}", authors=[f"Writer {n}"], source=f"Outlet {n}")
    client = login(superuser)
    for url in (AUTHORS, "/admin/articles/source/"):
        with django_assert_max_num_queries(6):
            client.get(url)
    assert Article.objects.count() == 20 and Source.objects.count() == 20
