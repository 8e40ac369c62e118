"""The article list's status counts, WordPress's way ("All (n) | Draft (n) | In review (n) | ..."), and its badges."""

import re

import pytest

from articles.models import Article
from tests.admin.conftest import CHANGELIST

pytestmark = pytest.mark.django_db


def _counts(page: str) -> dict[str, int]:
    block = page.split('class="status-counts"')[1].split("</ul>")[0]
    return {label.strip(): int(n) for label, n in re.findall(r'>([^<>]+?) <span class="count">\((\d+)\)', block)}


@pytest.fixture
def articles(make_article):
    statuses = ["draft"] * 3 + ["review"] * 2 + ["published"] * 4 + ["archived"]
    return [make_article(f"Piece {n}", status=status) for n, status in enumerate(statuses)]


def test_the_list_counts_articles_by_status_in_one_query(client, editor, articles, django_assert_max_num_queries):
    client.force_login(editor)
    response = client.get(CHANGELIST)
    expected = {label: Article.objects.filter(status=value).count() for value, label in Article.Status.choices}
    assert _counts(response.content.decode()) == {"All": Article.objects.count(), **expected}
    assert expected == {"Draft": 3, "In review": 2, "Published": 4, "Archived": 1}


def test_a_status_link_keeps_the_other_filters_and_marks_the_current_one(client, editor, articles):
    client.force_login(editor)
    source = articles[0].source
    response = client.get(CHANGELIST, {"status__exact": "review", "source": source.pk, "p": "2"})
    links = {link["label"]: link for link in response.context["status_counts"]}
    assert links["In review"]["current"] and not links["All"]["current"]
    assert links["Draft"]["query"] == f"source={source.pk}&status__exact=draft"
    assert links["All"]["query"] == f"source={source.pk}"
    assert {article.status for article in response.context["cl"].result_list} == {"review"}


def test_each_row_shows_its_status_as_a_badge_and_its_whole_title_on_hover(client, editor, make_article):
    article = make_article("A very long title " * 8, status="review")
    client.force_login(editor)
    page = client.get(CHANGELIST).content.decode()
    assert '<span class="status-badge status-review">In review</span>' in page
    assert f'<span class="clamp-2" title="{article.title}">' in page


def _filter_choices(response) -> dict[str, list[str]]:
    changelist = response.context["cl"]
    return {
        str(spec.title): [str(choice.get("display", "")) for choice in spec.choices(changelist)]
        for spec in changelist.filter_specs
    }


def test_the_sidebar_filters_show_their_counts(client, editor, articles, make_article):
    from django.utils import timezone

    from tests.admin.test_article_list import warn

    make_article(
        "Plus tard", status="published", published_at=timezone.now() + timezone.timedelta(days=1), language="fr"
    )
    Article.objects.filter(title="Piece 1").update(duplicate_of=Article.objects.get(title="Piece 0"))
    warn(Article.objects.get(title="Piece 2"))
    client.force_login(editor)
    choices = _filter_choices(client.get(CHANGELIST))
    assert choices["status"] == ["All", "Draft (3)", "In review (2)", "Published (5)", "Archived (1)"]
    assert choices["language"] == ["All", "en (10)", "fr (1)"]
    assert choices["import warnings"] == ["All", "Imported with warnings (1)", "No warnings (10)"]
    assert choices["duplicates"] == ["All", "Marked as duplicate (1)", "Not a duplicate (10)"]
    assert choices["scheduling"] == ["All", "Scheduled (1)", "Not scheduled (10)"]


def test_the_status_filter_filters_and_the_chosen_source_shows_its_count(client, editor, articles, make_article):
    make_article("Elsewhere", source="Another Outlet")
    client.force_login(editor)
    response = client.get(CHANGELIST, {"status__exact": "review"})
    assert {article.status for article in response.context["cl"].result_list} == {"review"}
    source = articles[0].source
    page = client.get(CHANGELIST, {"source": source.pk}).content.decode()
    assert '<span class="filter-count">10 articles</span>' in page
