"""What becomes of each piece: created, unchanged, duplicate, updated, conflict; and the seed end to end."""

import json

import pytest
from django.db import connection

from articles.ingest import ImportOptions, import_bytes, import_files
from articles.models import Article, Author, Byline, ImportBatch, ImportRecord, Source
from tests.conftest import DEMO_PIECES
from tests.importing.conftest import FOLDERS, SEED, SEED_TRUTH, piece_text

pytestmark = pytest.mark.django_db


def test_importing_the_seed_gives_the_article_the_design_describes(run_import):
    out, error = run_import(SEED)
    assert error == "" and "1 created" in out
    article = Article.objects.get()
    assert article.title == SEED_TRUTH["title"]
    assert article.source.name == SEED_TRUTH["source"]
    assert [b.author.name for b in article.bylines.all()] == [SEED_TRUTH["byline"]]
    assert article.bylines.get().author.kind == Author.Kind.PERSON
    for subheading in SEED_TRUTH["subheadings"]:
        assert f"## {subheading}" in article.body
    assert f"## {SEED_TRUTH['dropped_subheading_same_as_title']}" not in article.body
    assert "appeared first on" not in article.body
    assert article.summary.startswith(SEED_TRUTH["summary_starts"])
    assert "Vel-moria" not in article.body and "Velmoria and its neighbours, as states" in article.body
    assert article.status == Article.Status.DRAFT


def test_the_seed_raw_text_is_kept_byte_for_byte_with_its_cleaning_edits(run_import):
    run_import(SEED)
    record = ImportRecord.objects.get()
    assert bytes(record.raw) == SEED.read_bytes()
    assert record.raw_text == SEED.read_text(encoding="utf-8")
    assert record.encoding == "utf-8" and record.outcome == ImportRecord.Outcome.CREATED
    repairs = {(edit["before"], edit["after"]) for edit in record.edits}
    for repair in SEED_TRUTH["repairs"]:
        assert any(repair["raw"] in before and repair["clean"] in after for before, after in repairs), repair
    assert all({"rule", "before", "after", "position"} <= edit.keys() for edit in record.edits)


def test_reimporting_unchanged_pieces_writes_nothing_but_the_import_records(run_import):
    run_import(SEED)
    run_import(DEMO_PIECES)
    articles_before = list(Article.objects.values_list("id", "revision", "updated_at"))
    bylines_before = Byline.objects.count()
    out, error = run_import(DEMO_PIECES)
    assert error == ""
    expected = ImportRecord.objects.filter(batch=ImportBatch.objects.order_by("-id")[1]).count()
    last = ImportBatch.objects.order_by("-id").first()
    outcomes = set(last.records.values_list("outcome", flat=True))
    assert outcomes <= {"unchanged", "failed"} and last.records.count() == expected
    assert list(Article.objects.values_list("id", "revision", "updated_at")) == articles_before
    assert Byline.objects.count() == bylines_before


@pytest.mark.parametrize("pieces", FOLDERS)
def test_the_sample_pieces_all_import_and_a_second_run_is_all_unchanged(run_import, pieces):
    first, error = run_import(SEED, pieces)
    assert error == ""
    created = Article.objects.count()
    assert created == 1 + len(list(pieces.glob("*.txt")))
    run_import(SEED, pieces)
    last = ImportBatch.objects.order_by("-id").first()
    assert list(set(last.records.values_list("outcome", flat=True))) == ["unchanged"]
    assert Article.objects.count() == created


def test_the_same_story_from_another_outlet_is_a_duplicate_linked_to_the_first():
    first = import_bytes(piece_text(source="Harbour Times").encode(), origin="a.txt", options=ImportOptions())
    again = import_bytes(piece_text(source="Daily Courier").encode(), origin="b.txt", options=ImportOptions())
    assert (first.outcome, again.outcome) == ("created", "duplicate")
    assert again.article_id == first.article_id
    assert Article.objects.count() == 1
    assert ImportRecord.objects.get(pk=again.record_id).article_id == first.article_id


def test_the_same_text_with_other_spacing_is_unchanged_not_new():
    import_bytes(piece_text().encode(), origin="a.txt", options=ImportOptions())
    respaced = piece_text().replace(" ", "  ").replace("\n", "\r\n") + "\n\n"
    result = import_bytes(respaced.encode(), origin="a-again.txt", options=ImportOptions())
    assert result.outcome == "unchanged"


def test_a_corrected_version_of_a_piece_updates_its_article():
    first = import_bytes(piece_text().encode(), origin="a.txt", options=ImportOptions())
    corrected = piece_text().replace("double", "triple")
    second = import_bytes(corrected.encode(), origin="a-v2.txt", options=ImportOptions())
    assert second.outcome == "updated" and second.article_id == first.article_id
    article = Article.objects.get()
    assert "triple" in article.body and not article.edited_since_import
    assert article.history.count() == 2


def test_each_import_writes_a_history_entry_holding_the_article_as_stored(django_user_model):
    user = django_user_model.objects.create_user("importer")
    first = import_bytes(piece_text().encode(), origin="a.txt", options=ImportOptions(user=user))
    corrected = piece_text().replace("double", "triple")
    import_bytes(corrected.encode(), origin="a-v2.txt", options=ImportOptions())
    article = Article.objects.get(pk=first.article_id)
    created, updated = article.history.order_by("history_id")
    assert (created.history_type, updated.history_type) == ("+", "~")
    assert (created.history_change_reason, updated.history_change_reason) == ("Imported", "Imported")
    assert (created.history_user, updated.history_user) == (user, None)
    assert "double" in created.body and "triple" not in created.body
    assert created.revision == 1 and updated.revision == article.revision == 2
    tracked = [f.attname for f in Article.history.model._meta.concrete_fields if not f.attname.startswith("history_")]
    assert {name: getattr(updated, name) for name in tracked} == {name: getattr(article, name) for name in tracked}
    assert updated.history_date == article.updated_at


def test_a_corrected_version_does_not_overwrite_an_editors_changes():
    first = import_bytes(piece_text().encode(), origin="a.txt", options=ImportOptions())
    article = Article.objects.get(pk=first.article_id)
    article.body = article.body.replace("Monday", "Tuesday")
    article.save()
    second = import_bytes(piece_text().replace("double", "triple").encode(), origin="v2.txt", options=ImportOptions())
    assert second.outcome == "conflict" and second.article_id == first.article_id
    assert any("editor" in warning for warning in second.warnings)
    article.refresh_from_db()
    assert "Tuesday" in article.body and "triple" not in article.body


def test_an_article_an_editor_wrote_by_hand_is_never_overwritten_by_an_import():
    source = Source.objects.create(name="Harbour Times")
    Article.objects.create(title="Grain corridor opens", source=source, body="Written in our newsroom.")
    result = import_bytes(piece_text().encode(), origin="a.txt", options=ImportOptions())
    assert result.outcome == "conflict"
    assert Article.objects.get().body == "Written in our newsroom."


def test_bylines_become_ordered_authors_of_the_right_kind():
    import_bytes(piece_text(byline="By Marat Bekov and Sara Orlova").encode(), origin="a", options=ImportOptions())
    import_bytes(
        piece_text("Port reopens", byline="Web Desk", paragraphs=None).encode(), origin="b", options=ImportOptions()
    )
    first = Article.objects.get(title="Grain corridor opens")
    assert [(b.author.name, b.position) for b in first.bylines.all()] == [("Marat Bekov", 0), ("Sara Orlova", 1)]
    desk = Article.objects.get(title="Port reopens").bylines.get().author
    assert (desk.name, desk.kind) == ("Web Desk", Author.Kind.DESK)


def test_non_ascii_names_and_long_bylines_become_authors_and_an_unread_byline_is_a_warning():
    names = ["Renée Müller", "Алена Казакова", "José Álvarez", "Zoë Brontë", "Γιώργος Παπαδόπουλος", "محمد علي"]
    names += ["Ada Obi", "Bola Ade", "Chidi Eze"]
    long_byline = "By " + ", ".join(names[:-1]) + " and " + names[-1]
    assert len(long_byline) > 120
    first = import_bytes(piece_text(byline=long_byline).encode(), origin="a", options=ImportOptions())
    unread_piece = piece_text("Port reopens", byline="By DANA ORLOVA").encode()
    second = import_bytes(unread_piece, origin="b", options=ImportOptions())
    article = Article.objects.get(pk=first.article_id)
    assert [b.author.name for b in article.bylines.order_by("position")] == names
    assert long_byline not in article.body and first.warnings == []
    assert len({author.slug for author in Author.objects.all()}) == len(names)
    unread = Article.objects.get(pk=second.article_id)
    assert not unread.bylines.exists() and unread.body.startswith("By DANA ORLOVA")
    record = ImportRecord.objects.get(pk=second.record_id)
    assert any("could not be read as a byline" in warning for warning in record.warnings)


def test_the_same_author_in_other_case_resolves_to_one_author():
    import_bytes(piece_text("One", byline="Dana Orlova").encode(), origin="a", options=ImportOptions())
    import_bytes(piece_text("Two", byline="DANA ORLOVA").encode(), origin="b", options=ImportOptions())
    assert Author.objects.count() == 1


def test_the_source_option_names_the_outlet_of_pieces_without_a_footer():
    result = import_bytes(piece_text(source=None).encode(), origin="a", options=ImportOptions(source="Steppe Review"))
    assert result.outcome == "created"
    assert Article.objects.get().source.name == "Steppe Review"


def test_a_piece_without_a_source_is_imported_with_a_warning():
    result = import_bytes(piece_text(source=None).encode(), origin="a", options=ImportOptions())
    assert result.outcome == "created" and Article.objects.get().source is None
    assert any("source" in warning for warning in result.warnings)


def test_published_status_sets_a_publication_time():
    import_bytes(piece_text().encode(), origin="a", options=ImportOptions(status="published"))
    article = Article.objects.get()
    assert article.status == "published" and article.published_at is not None
    assert list(Article.objects.published()) == [article]


def test_no_clean_keeps_the_text_as_it_arrived(run_import):
    run_import(SEED, "--no-clean")
    article = Article.objects.get()
    assert "Vel-moria" in article.body and "authority ," in article.body
    assert ImportRecord.objects.get().edits == []


def test_dry_run_reports_outcomes_and_writes_nothing(run_import):
    out, error = run_import(SEED, DEMO_PIECES, "--dry-run")
    assert error == "" and "Dry run" in out and "created" in out
    assert not Article.objects.exists() and not ImportRecord.objects.exists() and not Source.objects.exists()


def test_the_report_file_has_one_json_line_per_piece(run_import, tmp_path):
    report = tmp_path / "report.jsonl"
    run_import(SEED, DEMO_PIECES, "--report", report)
    lines = [json.loads(line) for line in report.read_text().splitlines()]
    assert len(lines) == 1 + len(list(DEMO_PIECES.glob("*.txt")))
    assert {"origin", "outcome", "article_id", "warnings", "error"} <= lines[0].keys()
    assert lines[0]["origin"].endswith(SEED.name) and lines[0]["outcome"] == "created"


@pytest.mark.parametrize("pieces", FOLDERS)
def test_batches_of_one_give_the_same_articles_as_one_batch(run_import, pieces):
    run_import(pieces, "--batch-size", "1")
    one_by_one = sorted(Article.objects.values_list("title", "body"))
    Byline.objects.all().delete()
    Article.objects.all().delete()
    run_import(pieces, "--batch-size", "500")
    assert sorted(Article.objects.values_list("title", "body")) == one_by_one


def test_the_same_piece_twice_in_one_batch_is_created_once():
    report = import_files([("a.txt", piece_text().encode()), ("b.txt", piece_text().encode())], ImportOptions())
    assert [r.outcome for r in report.results] == ["created", "unchanged"]
    assert Article.objects.count() == 1


def test_each_import_run_is_recorded_as_a_batch_with_its_counts(run_import):
    run_import(SEED)
    batch = ImportBatch.objects.get()
    assert batch.channel == "command" and batch.finished_at is not None
    assert batch.counts["created"] == 1 and batch.counts["failed"] == 0


def test_with_debug_on_a_long_import_does_not_keep_every_statement(settings):
    """DEBUG keeps each statement with its values: an import's multi-row inserts would fill memory with texts."""
    settings.DEBUG = True
    connection.queries_log.clear()
    files = [(f"{i}.txt", piece_text(f"Harbour report number {i}").encode()) for i in range(12)]
    one_batch = import_files(files[:3], ImportOptions(batch_size=3))
    logged_for_one_batch = len(connection.queries)
    connection.queries_log.clear()
    report = import_files(files[3:], ImportOptions(batch_size=3))  # three batches
    assert (one_batch.counts["created"], report.counts["created"]) == (3, 9)
    assert 0 < len(connection.queries) <= logged_for_one_batch, "only the last batch's statements are kept"
