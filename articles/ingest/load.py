"""Load staged pieces: plan each batch and write it in one transaction, one result per piece.

`plan.py` decides every piece's outcome (the identity rules are there); `write.py` stores the batch. The database's
unique constraints are the final word: when a concurrent import wins a race, the batch's transaction fails with an
IntegrityError, is rolled back whole, and is planned again against what is now stored. On SQLite the IMMEDIATE
transaction already serialises writers, so the retry is for PostgreSQL.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction

from articles import suggestions
from articles.ingest import write
from articles.ingest.plan import Decision, LoadSettings, Outcome, plan_batch
from articles.ingest.staging import StagedPiece
from articles.models import ImportBatch
from articles.reading.tasks import enqueue_reading

RACE_RETRIES = 3

__all__ = ["LoadSettings", "PieceResult", "load_batch"]


@dataclass
class PieceResult:
    """What became of one piece; the same shape for the command's report, the API and the admin."""

    origin: str
    outcome: str
    article_id: int | None = None
    record_id: int | None = None
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "outcome": self.outcome,
            "article_id": self.article_id,
            "record_id": self.record_id,
            "title": self.title,
            "warnings": self.warnings,
            "error": self.error,
        }


def load_batch(staged: list[StagedPiece], *, batch: ImportBatch | None, settings: LoadSettings) -> list[PieceResult]:
    """Store `staged` pieces and their import records; return one result per piece, in order.

    A piece that fails never takes the others down: if the batch cannot be stored whole, each piece is tried
    alone, and one that still fails is recorded as `failed` with the database's reason.
    """
    for _attempt in range(RACE_RETRIES):
        try:
            return _load_atomically(staged, batch=batch, settings=settings)
        except IntegrityError:
            continue  # a concurrent import stored some of these pieces first: plan again against its rows
        except DatabaseError:
            break  # a value the database refuses: find the piece below, alone
    results = []
    for piece in staged:
        try:
            results += _load_atomically([piece], batch=batch, settings=settings)
        except DatabaseError as error:
            piece.error = f"The piece could not be stored: {error}"
            results += _load_atomically([piece], batch=batch, settings=settings)
    return results


def _load_atomically(staged, *, batch, settings) -> list[PieceResult]:
    with transaction.atomic():
        decisions = plan_batch(staged, settings=settings, batch=batch)
        if settings.dry_run:
            return [_result(d, record_id=None) for d in decisions]
        write.write_articles(decisions, settings=settings)
        record_ids = write.write_records(decisions, batch=batch)
        # Quotes, entity and topic suggestions are read by workers once the batch commits, off the import's hot path.
        read = [d.article.pk for d in decisions if d.outcome in (Outcome.CREATED, Outcome.UPDATED) and d.article]
        if read:
            enqueue_reading(read)
        suggestions.enqueue_suggestions(read)
    return [_result(d, record_id=r) for d, r in zip(decisions, record_ids, strict=True)]


def _result(decision: Decision, *, record_id: int | None) -> PieceResult:
    staged, article = decision.staged, decision.article
    title = article.title if article else (staged.parsed.title if staged.parsed else None)
    return PieceResult(
        origin=staged.raw.origin,
        outcome=decision.outcome,
        article_id=article.pk if article else None,
        record_id=record_id,
        title=title,
        warnings=staged.warnings + decision.warnings,
        error=staged.error,
    )
