"""An article's quotes in the API: on the detail, not on lists (which keep their query count), and `?speaker=`."""

import pytest
from django.utils import timezone

from articles.models import Article
from articles.reading.tasks import store_reading

LIST = "/api/v1/articles/"
QUOTED = "“The harbour will stay open,” said harbour master Tom Okafor.\n\n“The fees rise in May,” Okafor added."
OTHER = "“Nobody told the drivers,” said union leader Ruth Mensah."


@pytest.fixture
def quoted(make_article):
    harbour = make_article("Harbour", body=QUOTED, status=Article.Status.PUBLISHED)
    strike = make_article("Strike", body=OTHER, status=Article.Status.PUBLISHED)
    make_article("Quiet", body="No quotations here.", status=Article.Status.PUBLISHED)
    store_reading([harbour, strike])
    return harbour, strike


def test_the_detail_shows_the_quotes_with_their_speakers(anon, quoted):
    harbour, _ = quoted
    body = anon.get(f"{LIST}{harbour.pk}/").json()
    assert body["quotes"] == [
        {"text": "The harbour will stay open", "speaker": "Tom Okafor"},
        {"text": "The fees rise in May", "speaker": "Tom Okafor"},
    ]
    assert anon.get(f"{LIST}{harbour.pk}/", {"fields": "id,title"}).json() == {"id": harbour.pk, "title": "Harbour"}


def test_lists_leave_quotes_out(anon, quoted):
    assert all("quotes" not in row for row in anon.get(LIST).json()["results"])


def test_the_detail_s_etag_changes_when_its_quotes_are_read_again(anon, quoted):
    harbour, _ = quoted
    etag = anon.get(f"{LIST}{harbour.pk}/")["ETag"]
    assert anon.get(f"{LIST}{harbour.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    store_reading([Article.objects.get(pk=harbour.pk)])
    assert anon.get(f"{LIST}{harbour.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize(
    ("speaker", "titles"),
    [("Tom Okafor", ["Harbour"]), ("okafor", ["Harbour"]), ("MENSAH", ["Strike"]), ("a", ["Harbour", "Strike"])],
)
def test_articles_are_found_by_a_part_of_a_speaker_s_name(anon, quoted, speaker, titles):
    results = anon.get(LIST, {"speaker": speaker, "ordering": "title"}).json()["results"]
    assert [row["title"] for row in results] == titles


def test_a_speaker_nobody_quoted_finds_nothing(anon, quoted):
    assert anon.get(LIST, {"speaker": "Nobody Atall"}).json()["results"] == []


def test_the_speaker_filter_keeps_the_list_s_query_count(anon, make_article, django_assert_max_num_queries):
    now = timezone.now()
    articles = [
        make_article(f"Piece {n}", body=f"{QUOTED}\n\nPiece {n}.", status=Article.Status.PUBLISHED, published_at=now)
        for n in range(30)
    ]
    store_reading(articles)
    # count, page, bylines with their authors, topics, tags, the sizes of their stories
    with django_assert_max_num_queries(6):
        response = anon.get(LIST, {"speaker": "okafor", "page_size": 30})
    assert len(response.json()["results"]) == 30
