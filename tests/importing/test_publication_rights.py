"""An import never does what its user may not: moving a published article's time or publishing needs the right."""

import pytest
from django.core.exceptions import PermissionDenied

from articles.ingest import ImportOptions, import_bytes
from articles.ingest.plan import PUBLICATION_TIME_KEPT
from articles.models import Article, ImportBatch
from tests.importing.conftest import piece_text

pytestmark = pytest.mark.django_db

FIRST = "date 2026-03-01 " + piece_text("Harbour fees rise")
CHANGED = "date 2031-01-01 " + piece_text(
    "Harbour fees rise", paragraphs=["The harbour raised its fees again on Friday, officials said.", "More soon."]
)


def published_import() -> Article:
    result = import_bytes(FIRST.encode(), origin="first", options=ImportOptions(status="published"))
    assert result.outcome == "created"
    return Article.objects.get(pk=result.article_id)


def test_a_reporter_reimporting_a_published_piece_with_another_date_keeps_the_article_on_the_site(reporter):
    article = published_import()
    result = import_bytes(CHANGED.encode(), origin="second", options=ImportOptions(user=reporter))
    article.refresh_from_db()
    assert result.outcome == "updated" and PUBLICATION_TIME_KEPT in result.warnings
    assert "again on Friday" in article.body, "the text may change: reporters edit published articles"
    assert article.published_at.year == 2026 and not article.is_scheduled
    assert Article.objects.published().filter(pk=article.pk).exists()


def test_an_editor_reimporting_it_moves_the_time(editor):
    article = published_import()
    result = import_bytes(CHANGED.encode(), origin="second", options=ImportOptions(user=editor))
    article.refresh_from_db()
    assert result.outcome == "updated" and PUBLICATION_TIME_KEPT not in result.warnings
    assert article.published_at.year == 2031 and article.is_scheduled


def test_a_draft_takes_the_new_date_whoever_imports_it(reporter):
    result = import_bytes(FIRST.encode(), origin="first", options=ImportOptions())
    import_bytes(CHANGED.encode(), origin="second", options=ImportOptions(user=reporter))
    article = Article.objects.get(pk=result.article_id)
    assert article.status == Article.Status.DRAFT and article.published_at.year == 2031


def test_a_reporter_cannot_import_pieces_as_published(reporter):
    with pytest.raises(PermissionDenied):
        import_bytes(FIRST.encode(), origin="first", options=ImportOptions(user=reporter, status="published"))
    assert not Article.objects.exists()
    assert not ImportBatch.objects.exists(), "refused before any batch was started"
