"""Imported rows get ids no row ever had: an id of a deleted article is not handed to the next import.

A client that kept `/api/v1/articles/<id>/` of a deleted article must get a 404, never another article, and the
deleted article's history must not run into a new one's.
"""

import pytest

from articles.ingest import ImportOptions, import_bytes
from articles.models import Article
from tests.importing.conftest import piece_text

pytestmark = pytest.mark.django_db


def import_piece(title: str) -> int:
    result = import_bytes(piece_text(title).encode(), origin="test", options=ImportOptions())
    assert result.outcome == "created", result
    return result.article_id


def test_an_import_after_the_newest_article_is_deleted_gets_a_new_id():
    first = import_piece("Grain corridor opens")
    newest = import_piece("Ferry service resumes")
    Article.objects.filter(pk=newest).delete()
    third = import_piece("Bridge closes for repairs")
    assert third > newest > first


def test_an_import_after_an_article_written_by_hand_is_deleted_gets_a_new_id(make_article):
    by_hand = make_article("Written at the desk").pk
    Article.objects.filter(pk=by_hand).delete()
    assert import_piece("Harbour reopens") > by_hand
