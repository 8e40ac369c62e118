"""Odd input typed into the desk is answered (an empty list, a form error, a 400), never with a server error.

Each case was a server error once: digits `str.isdigit()` accepts and `int()` refuses, numbers no column holds,
dates past the calendar's end, JSON nested too deeply for the decoder, NUL characters PostgreSQL refuses in text.
"""

import pytest
from django.utils import timezone

from articles.models import Article, Topic
from tests.admin.conftest import CHANGELIST

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(login, editor, make_article):
    make_article("Harbour opens", status=Article.Status.PUBLISHED, published_at=timezone.now())
    return login(editor)


@pytest.mark.parametrize("q", ["#²", "²", "#١٢", "#99999999999999999999999", "#9223372036854775808", "#0"])
def test_an_article_number_search_that_is_no_id_finds_nothing_or_searches_words(desk, q):
    response = desk.get(CHANGELIST, {"q": q})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_an_article_number_search_still_opens_the_article(desk, make_article):
    article = make_article("Grain corridor")
    response = desk.get(CHANGELIST, {"q": f"#{article.pk}"})
    assert [row.pk for row in response.context["cl"].result_list] == [article.pk]


@pytest.mark.parametrize("name", ["source", "author", "topic"])
@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "9223372036854775808", "-1", "1e3"])
def test_a_related_filter_that_is_no_id_does_not_break_the_list(desk, name, value):
    response = desk.get(CHANGELIST, {name: value})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("value", ["²", "99999999999999999999999", "9223372036854775808"])
def test_a_topic_branch_filter_that_is_no_id_does_not_break_the_list(desk, value):
    Topic.objects.create(name="Politics", slug="politics")
    response = desk.get("/admin/articles/topic/", {"branch": value})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "params",
    [
        {"published_at__year": "99999999999999999999"},
        {"published_at__year": "²"},
        {"published_at__year": "9999", "published_at__month": "12", "published_at__day": "31"},
        {"published_at__year": "9999", "published_at__month": "12"},
        {"published_at__year": "2024", "published_at__month": "99999999999999999999"},
        {"published_at__year": "0", "published_at__month": "1"},
    ],
)
def test_a_date_drill_down_past_the_calendar_does_not_break_the_list(desk, params):
    response = desk.get(CHANGELIST, params)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(
    "params", [{"started_at__year": "99999999999999999999"}, {"started_at__year": "9999", "started_at__month": "12"}]
)
def test_the_import_batches_date_drill_down_past_the_calendar_does_not_break(desk, params):
    response = desk.get("/admin/articles/importbatch/", params)
    assert response.status_code in (200, 302)


def test_topic_keywords_nested_too_deeply_are_a_form_error(login, superuser):
    client = login(superuser)
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/admin/articles/topic/add/", {"name": "Weather", "slug": "weather", "keywords": deep})
    assert response.status_code == 200
    assert "nested too deeply" in str(response.context["adminform"].form.errors["keywords"])
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    "url", [f"{CHANGELIST}?q=a%00b", "/admin/articles/author/autocomplete/?term=%00", "/feeds/?q=%00"]
)
def test_a_nul_in_a_desk_or_feed_query_is_a_400(desk, url):
    response = desk.get(url)
    assert response.status_code == 400 and b"NUL" in response.content


def test_a_search_longer_than_the_box_takes_is_refused_with_a_message(desk):
    response = desk.get(CHANGELIST, {"q": "harbour " * 3000})
    assert response.status_code == 200
    assert any("at most 200 characters" in str(message) for message in response.context["messages"])
    assert response.context["cl"].query == ""


def test_a_search_within_the_limit_still_searches(desk):
    response = desk.get(CHANGELIST, {"q": "harbour"})
    assert [row.title for row in response.context["cl"].result_list] == ["Harbour opens"]
