"""Stray hyphens are repaired on import and real compounds stored as they came, with every repair in the import
record, on SQLite and PostgreSQL alike."""

import pytest

from articles.ingest import ImportOptions, import_bytes
from articles.models import Article, ImportRecord

pytestmark = pytest.mark.django_db

PIECE = """Harbour fees rise again

Harbour fees rise again

By Ada Obi

The port authority re-located its offices, and its chair, Governor Siminalayi Fubara, dis-closed the plan on
Monday. Critics called it the c-rudest move in years. Later Governor Fu-bara said the re-election of the board
and the anti-Russian sanctions were not at issue, and that the e-mail was an X-ray of high-ranking co-operation.

The post Harbour fees rise again appeared first on The Harbour Times.
"""


def test_a_pieces_stray_hyphens_are_repaired_its_compounds_kept_and_each_repair_recorded():
    result = import_bytes(PIECE.encode(), origin="harbour.txt", options=ImportOptions())
    assert result.outcome == "created"
    body = Article.objects.get(pk=result.article_id).body
    for word in ("relocated", "disclosed", "crudest", "Governor Fubara said"):
        assert word in body
    for compound in ("re-election", "anti-Russian", "e-mail", "X-ray", "high-ranking", "co-operation"):
        assert compound in body
    edits = ImportRecord.objects.get(pk=result.record_id).edits
    repaired = {(edit["before"], edit["after"]) for edit in edits if edit["rule"] == "broken-word"}
    assert repaired == {
        ("re-located", "relocated"),
        ("dis-closed", "disclosed"),
        ("c-rudest", "crudest"),
        ("Fu-bara", "Fubara"),
    }
