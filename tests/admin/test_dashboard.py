"""The desk's home page: the numbers of real imports (from the daily tallies the pipeline keeps), the queues, and a
constant number of queries whatever the history."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from articles.admin.dashboard import build_dashboard
from articles.ingest import ImportOptions, import_document, import_files
from articles.ingest.tally import tally_batch
from articles.models import Article, Feed, ImportBatch, ImportRecord, ImportTally, Source
from articles.stories.models import StoryCandidate
from tests.stories.texts import cut_copy, lightly_edited, paragraphs, piece

pytestmark = pytest.mark.django_db

HOME = "/admin/"
FEED_URL = "https://wire.example/feed"


def _feed(*items: bytes) -> bytes:
    return b'<rss version="2.0"><channel><title>Harbour Wire</title>' + b"".join(items) + b"</channel></rss>"


def _item(guid: str, text: str) -> bytes:
    return (
        f"<item><title>Piece {guid}</title><guid>{guid}</guid>"
        f"<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>".encode()
    )


@pytest.fixture
def imports(seed_path):
    """Three real imports: a feed's poll (three stored, one without a body), the seed piece (repaired by the
    cleaner) with a piece that names no source (stored with a warning), and the feed again (its pieces unchanged,
    one more duplicate of another's text)."""
    source = Source.objects.create(name="Harbour Wire")
    feed = Feed.objects.create(url=FEED_URL, source=source, title="Harbour Wire news")
    items = [_item(f"g-{n}", f"The quay story number {n} is told here in full.") for n in range(3)]
    empty = b"<item><title>Only a title</title><guid>g-empty</guid></item>"
    poll = {"source_name": source.name, "batch_extra": {"feed": feed.pk}}  # as a feed's poll imports
    import_document(_feed(*items, empty), origin=FEED_URL, options=ImportOptions(), **poll)
    unnamed = b"Quay stays open\n\nThe harbour board met on Tuesday and agreed that the quay stays open all winter.\n"
    import_files([("seed.txt", seed_path.read_bytes()), ("unnamed.txt", unnamed)], ImportOptions())
    again = [*items, _item("g-copy", "The quay story number 1 is told here in full.")]
    import_document(_feed(*again), origin=FEED_URL, options=ImportOptions(), **poll)
    return {"source": source, "feed": feed}


def _truth() -> Counter:
    """Count the measures straight from the import records, the way the dashboard must add them up."""
    counts = Counter()
    for record in ImportRecord.objects.all():
        counts["in"] += 1
        counts[record.outcome] += 1
        if record.warnings and record.outcome != "failed":
            counts["warned"] += 1
        if record.outcome == "created":
            story_mates = Article.objects.filter(story_id=record.article.story_id, pk__lt=record.article_id)
            counts["joined"] += story_mates.exists()
    return counts


def _period(desk, label) -> dict:
    row = dict(desk["periods"])[label]
    return dict(zip(["in", "created", "updated", "duplicate", "joined", "failed", "warned"], row, strict=True))


def test_the_numbers_of_today_are_those_of_the_import_records(imports, editor):
    truth = _truth()
    desk = build_dashboard(editor)
    for label in ("Today", "Last 7 days", "Last 30 days"):
        assert _period(desk, label) == {key: truth[key] for key in _period(desk, label)}
    assert truth["in"] == 10 and truth["created"] == 5 and truth["failed"] == 1 and truth["duplicate"] == 1
    assert truth["warned"] >= 1


def test_the_numbers_are_split_by_source_and_feed(imports, editor):
    desk = build_dashboard(editor)
    by_source = {row["name"]: row["row"][0] for row in desk["sources"]}
    stored_per_source = Counter(
        record.article.source.name if record.article and record.article.source else "No source"
        for record in ImportRecord.objects.select_related("article__source")
    )
    # A failed piece has no article: it counts under its batch's source only when the batch names none.
    harbour = ImportRecord.objects.filter(batch__origin=FEED_URL)
    assert by_source["Harbour Wire"] == harbour.exclude(outcome="failed").count()
    assert sum(by_source.values()) == sum(stored_per_source.values())
    feeds = {row["name"]: row["row"] for row in desk["feeds"]}
    assert list(feeds) == ["Harbour Wire news"]
    assert feeds["Harbour Wire news"][0] == harbour.count()


def test_repairs_are_counted_by_rule(imports, editor):
    expected = Counter(edit["rule"] for record in ImportRecord.objects.all() for edit in record.edits)
    desk = build_dashboard(editor)
    assert dict(desk["repairs"]) == dict(expected)
    assert expected["broken-word"] >= 1  # the seed's "Ba-ltic"


def test_the_periods_leave_out_older_days(imports, editor):
    later = build_dashboard(editor, today=timezone.localdate() + datetime.timedelta(days=10))
    assert _period(later, "Today")["in"] == 0
    assert _period(later, "Last 7 days")["in"] == 0
    assert _period(later, "Last 30 days")["in"] == _truth()["in"]
    much_later = build_dashboard(editor, today=timezone.localdate() + datetime.timedelta(days=30))
    assert _period(much_later, "Last 30 days")["in"] == 0


def test_a_batch_tallied_again_counts_each_record_once(imports, editor):
    before = list(ImportTally.objects.order_by("pk").values_list("measure", "count"))
    for batch in ImportBatch.objects.all():
        assert tally_batch(batch.pk) == 0
    assert list(ImportTally.objects.order_by("pk").values_list("measure", "count")) == before


def test_the_home_page_shows_the_numbers_queues_and_charts(client, imports, editor, make_article):
    make_article("Waiting for a second pair of eyes", status=Article.Status.REVIEW)
    Feed.objects.filter(pk=imports["feed"].pk).update(consecutive_errors=3, last_error="HTTP 503 from the server")
    client.force_login(editor)
    response = client.get(HOME)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="desk-dashboard"' in page
    assert page.count('<figure class="desk-chart"><svg') == 3
    assert "Waiting for a second pair of eyes" in page
    assert "HTTP 503 from the server" in page
    assert "Harbour Wire news" in page
    truth = _truth()
    today = page.split('id="desk-periods"')[1].split("</tr>")[1]
    assert f'<td class="num">{truth["in"]}</td>' in today


def test_my_recent_edits_are_my_own(client, editor, reporter, make_article):
    article = make_article("Edited by the editor")
    article.title = "Edited by the editor, again"
    article._history_user = editor
    article.save()
    assert [version.title for version in build_dashboard(editor)["my_edits"]] == ["Edited by the editor, again"]
    assert build_dashboard(reporter)["my_edits"] == []


def test_the_home_page_costs_the_same_queries_with_more_history(
    client, imports, editor, seed_path, make_article, django_assert_max_num_queries
):
    client.force_login(editor)
    with django_assert_max_num_queries(16) as small:
        client.get(HOME)
    for day in range(1, 40):
        ImportTally.objects.create(
            day=timezone.localdate() - datetime.timedelta(days=day),
            source_pk=imports["source"].pk,
            measure="created",
            count=day,
        )
    for n in range(15):
        make_article(f"In review {n}", status=Article.Status.REVIEW, source=f"Outlet {n}")
    half = [*paragraphs(12)[:4], *paragraphs(13)[:4]]
    import_files(
        [("a.txt", piece(12).encode()), ("b.txt", piece(0, title="Mixed", source="Other", body=half).encode())],
        ImportOptions(),
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(HOME)
    assert response.status_code == 200


def test_copies_joined_to_stories_are_counted_per_period_and_source(editor):
    files = [
        ("original.txt", piece(7).encode()),
        ("copy.txt", lightly_edited(7).encode()),  # another outlet's copy: joins the original's story
        ("cut.txt", cut_copy(7).encode()),  # and a cut copy
        ("other.txt", piece(21).encode()),  # a story of its own
    ]
    import_files(files, ImportOptions())
    joined = Article.objects.exclude(story__lead=None).filter(story__size__gt=1).count() - 1
    assert joined == 2
    desk = build_dashboard(editor)
    for label in ("Today", "Last 7 days", "Last 30 days"):
        assert _period(desk, label)["joined"] == 2
        assert _period(desk, label)["created"] == 4
    by_source = {
        row["name"]: dict(zip(["in", "created", "updated", "duplicate", "joined"], row["row"][:5], strict=True))
        for row in desk["sources"]
    }
    assert by_source["Harbour Times"]["joined"] == 0, "the original started its story"
    assert sum(row["joined"] for row in by_source.values()) == 2
    later = build_dashboard(editor, today=timezone.localdate() + datetime.timedelta(days=10))
    assert _period(later, "Today")["joined"] == 0 and _period(later, "Last 30 days")["joined"] == 2


def test_the_review_queue_counts_the_possibly_same_story_candidates(client, editor):
    half = [*paragraphs(12)[:4], *paragraphs(13)[:4]]
    import_files(
        [("a.txt", piece(12).encode()), ("b.txt", piece(0, title="Mixed", source="Daily Courier", body=half).encode())],
        ImportOptions(),
    )
    assert StoryCandidate.objects.filter(status="pending").count() == 1
    desk = build_dashboard(editor)
    assert desk["review"]["candidates"] == 1
    client.force_login(editor)
    page = client.get(HOME).content.decode()
    candidates = page.split('id="desk-candidates"')[1].split("</p>")[0]
    assert "Possibly the same story" in candidates and ">1 to decide</a>" in candidates
    assert 'href="/admin/articles/storycandidate/?status__exact=pending"' in candidates  # the queue, now registered
    StoryCandidate.objects.update(status="rejected")
    assert build_dashboard(editor)["review"]["candidates"] == 0


def test_the_source_table_shows_the_most_active_sources_and_counts_the_rest(client, editor):
    today = timezone.localdate()
    sources = Source.objects.bulk_create(Source(name=f"Wire {n:02d}", slug=f"wire-{n:02d}") for n in range(30))
    ImportTally.objects.bulk_create(
        ImportTally(day=today, source_pk=source.pk, feed_pk=0, measure=measure, count=n + 1)
        for n, source in enumerate(sources)
        for measure in ("in", "created")
    )
    desk = build_dashboard(editor)
    assert [row["name"] for row in desk["sources"]] == [f"Wire {n:02d}" for n in range(29, 4, -1)]
    assert desk["sources_more"] == 5 and desk["feeds_more"] == 0
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert "Wire 29" in page and "Wire 05" in page and "Wire 04" not in page
    assert "5 more not shown." in page
