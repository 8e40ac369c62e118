"""A guessed title or an unknown source is not an identity: such a piece never overwrites another article."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.ingest import ImportOptions, import_files
from articles.ingest.prepare import prepare_piece
from articles.ingest.retry import reimport_records, retry_options
from articles.models import Article, ImportRecord
from tests.importing.conftest import piece_text

pytestmark = pytest.mark.django_db

STORIES = [
    (
        "The port authority will raise its fees next month, officials said on Monday.",
        "Shipping lines were told in a letter that the increase would be modest.",
    ),
    (
        "A storm closed the northern harbour for a week, the coastguard said.",
        "Fishing crews moved their boats south before the wind reached its height.",
    ),
    (
        "The city council approved a new bridge across the river on Tuesday.",
        "Work on the bridge starts in spring and should take two years to finish.",
    ),
]


def cut_copy(lede: str, second: str, *, trailer="Read more https://example.org/story") -> str:
    """A cut copy as aggregators make them: no header, no footer, no source, a trailer for a last line."""
    return f"{lede}\n\n{second}\n\n{trailer}\n"


def by_record() -> dict[str, Article]:
    return {r.origin: r.article for r in ImportRecord.objects.select_related("article").order_by("pk")}


def test_three_cut_copies_with_read_more_trailers_and_no_source_give_three_articles():
    files = [(f"cut-{n}.txt", cut_copy(*story).encode()) for n, story in enumerate(STORIES)]
    report = import_files(files, ImportOptions())
    assert [r.outcome for r in report.results] == ["created"] * 3
    assert Article.objects.count() == 3
    for (origin, _), (lede, second) in zip(files, STORIES, strict=True):
        article = Article.objects.get(import_records__origin=origin)
        assert article.body == f"{lede}\n\n{second}"
        assert "Read more" not in article.body and "example.org" not in article.title


def test_cut_copies_imported_one_at_a_time_never_overwrite_each_other():
    for n, story in enumerate(STORIES):
        [result] = import_files([(f"cut-{n}.txt", cut_copy(*story).encode())], ImportOptions()).results
        assert result.outcome == "created"
    assert sorted(a.body for a in Article.objects.all()) == sorted(f"{a}\n\n{b}" for a, b in STORIES)


def last_line_titled(lede: str, second: str) -> bytes:
    """Different stories that a publisher page ends with the same line, which the parser takes for the title."""
    return f"{lede}\n\n{second}\n\nNews from the coast today\n".encode()


def test_pieces_whose_title_is_their_last_line_and_that_name_no_source_are_created_with_a_warning():
    files = [(f"page-{n}.txt", last_line_titled(*story)) for n, story in enumerate(STORIES)]
    results = import_files(files, ImportOptions()).results
    assert [r.outcome for r in results] == ["created"] * 3
    assert {a.title for a in Article.objects.all()} == {"News from the coast today"}
    assert len({a.slug for a in Article.objects.all()}) == 3
    assert not any("not proof" in w for w in results[0].warnings)
    for result in results[1:]:
        [why] = [w for w in result.warnings if "not proof" in w]
        assert "names no source" in why and "Imported as a new article" in why


def test_a_guessed_title_under_a_known_source_does_not_update_its_articles_namesake():
    first = piece_text("News from the coast today", source="Harbour Times")
    import_files([("given.txt", first.encode())], ImportOptions())
    original = Article.objects.get().body
    result = import_files([("page.txt", last_line_titled(*STORIES[0]))], ImportOptions(source="Harbour Times"))
    [result] = result.results
    assert result.outcome == "created"
    assert any("title was taken from its last line" in w for w in result.warnings)
    assert Article.objects.get(import_records__origin="given.txt").body == original


def test_a_given_title_and_source_still_update_the_article():
    import_files([("a.txt", piece_text("Grain corridor opens").encode())], ImportOptions())
    newer = piece_text("Grain corridor opens", paragraphs=["A new first paragraph says what changed since Monday."])
    [result] = import_files([("b.txt", newer.encode())], ImportOptions()).results
    assert result.outcome == "updated" and Article.objects.count() == 1


def test_the_same_cut_copy_again_is_unchanged_not_a_duplicate_of_itself():
    files = [(f"page-{n}.txt", last_line_titled(*story)) for n, story in enumerate(STORIES)]
    import_files(files, ImportOptions())
    again = import_files(files, ImportOptions()).results
    assert [r.outcome for r in again] == ["unchanged"] * 3
    assert Article.objects.count() == 3


def test_a_retry_of_a_piece_with_a_guessed_title_updates_its_own_article():
    files = [(f"page-{n}.txt", last_line_titled(*story)) for n, story in enumerate(STORIES)]
    import_files(files, ImportOptions(clean=False))
    damaged = last_line_titled("The storm closed the harbour ,the coastguard said.", "Crews moved south .")
    import_files([("damaged.txt", damaged)], ImportOptions(clean=False))
    record = ImportRecord.objects.get(origin="damaged.txt")
    [result] = reimport_records([record.pk], retry_options(None)).results
    assert result.outcome == "updated" and result.article_id == record.article_id
    assert Article.objects.count() == 4
    assert "harbour, the" not in Article.objects.get(import_records__origin="page-0.txt").body


def test_reimporting_the_same_bytes_with_a_cleaner_reading_updates_the_article_they_made():
    data = last_line_titled("The storm closed the harbour , the coastguard said.", "Crews moved south .")
    [first] = import_files([("page.txt", data)], ImportOptions(clean=False)).results
    [second] = import_files([("page.txt", data)], ImportOptions()).results
    assert (second.outcome, second.article_id) == ("updated", first.article_id)
    assert Article.objects.get().body == "The storm closed the harbour, the coastguard said.\n\nCrews moved south."


# Pieces of every shape whose identity is in doubt, and some whose identity is certain (each its own title and
# source), all with texts of their own.
SHAPES = ["cut", "last line", "footer only", "untitled", "given"]


def distinct_piece(number: int, shape: str) -> bytes:
    lede = f"Report {number}: the harbour handled {number * 13 + 7} ships this week, officials said."
    second = f"Crews on shift {number} expect more traffic next month as the season turns."
    if shape == "cut":
        return cut_copy(lede, second).encode()
    if shape == "last line":
        return last_line_titled(lede, second)
    if shape == "footer only":
        # The title only in the footer, whose outlet is one every such piece shares.
        return f"{lede}\n\n{second}\n\nThe post News from the coast appeared first on Coastal Wire.\n".encode()
    if shape == "untitled":
        return f"Officials said the harbour was busy.\n\n{lede}\n\n{second}\n".encode()
    return piece_text(f"Harbour report {number}", paragraphs=[lede, second]).encode()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    shapes=st.lists(st.sampled_from(SHAPES), min_size=2, max_size=7),
    data=st.data(),
)
def test_importing_distinct_pieces_in_any_order_and_batches_never_changes_another_pieces_article(shapes, data):
    pieces = {f"piece-{n}.txt": distinct_piece(n, shape) for n, shape in enumerate(shapes)}
    expected = {origin: prepare_piece(raw.decode()).body for origin, raw in pieces.items()}
    order = data.draw(st.permutations(sorted(pieces)), label="order")
    with transaction.atomic():
        made_by: dict[int, str] = {}
        remaining = list(order)
        while remaining:
            take = data.draw(st.integers(1, len(remaining)), label="import size")
            batch_size = data.draw(st.integers(1, 3), label="batch size")
            chunk, remaining = remaining[:take], remaining[take:]
            report = import_files([(o, pieces[o]) for o in chunk], ImportOptions(batch_size=batch_size))
            for result in report.results:
                assert result.outcome == "created", (result.origin, result.outcome, result.warnings)
                made_by[result.article_id] = result.origin
            for article in Article.objects.filter(pk__in=list(made_by)):
                assert article.body == expected[made_by[article.pk]]
        assert Article.objects.count() == len(pieces)
        transaction.set_rollback(True)


def test_a_text_one_piece_takes_an_article_away_from_is_another_pieces_new_article_in_the_same_transaction(
    monkeypatch,
):
    """The planner frees the old text of an article a piece updates, so a later piece of the batch may bring that
    text back as a new article: the update is written first, and the batch is stored in one transaction, not
    retried piece by piece after the new article met the old text in the unique index."""
    from articles.ingest import load

    attempts = []
    real = load._load_atomically
    monkeypatch.setattr(
        load, "_load_atomically", lambda staged, **kw: attempts.append(len(staged)) or real(staged, **kw)
    )
    old = ["The ferry resumed its winter timetable on Monday.", "Crossings now leave every two hours."]
    import_files([("a.txt", piece_text("Ferry timetable", paragraphs=old).encode())], ImportOptions())
    attempts.clear()
    newer = piece_text("Ferry timetable", paragraphs=["The ferry was cancelled for the rest of the week.", *old[1:]])
    back = piece_text("Ferry returns", source="Daily Courier", paragraphs=old)
    results = import_files([("b.txt", newer.encode()), ("c.txt", back.encode())], ImportOptions()).results
    assert [r.outcome for r in results] == ["updated", "created"]
    assert attempts == [2]
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Ferry returns", "Ferry timetable"]
