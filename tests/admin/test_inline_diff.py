"""The raw-versus-cleaned comparison: one flowing text with each repair marked in place, its rule on hover, long
unchanged stretches folded, every piece of text escaped."""

import pytest

from articles.admin.provenance import inline_diff
from tests.admin.conftest import change_url

pytestmark = pytest.mark.django_db


def test_the_seeds_repairs_are_marked_in_place_with_their_rule(client, editor, seed_path):
    from articles.ingest import ImportOptions, import_bytes
    from articles.models import Article, ImportRecord

    result = import_bytes(seed_path.read_bytes(), origin="seed.txt", options=ImportOptions())
    article = Article.objects.get(pk=result.article_id)
    edits = ImportRecord.objects.get(pk=result.record_id).edits
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    diff = page.split('<div class="inline-diff">')[1].split('<details class="raw-text-details">')[0]
    assert "<table" not in diff
    assert any(edit["rule"] == "broken-word" for edit in edits)
    assert 'title="Cleaner rule: broken-word"><del>' in diff
    assert "Ba-ltic" in diff and "Baltic" in diff


def test_long_unchanged_text_is_folded_around_a_change():
    words = " ".join(f"word{n}" for n in range(400))
    diff = str(inline_diff(words + " teh end", words + " the end", [{"rule": "typo", "before": "teh", "after": "the"}]))
    assert '<details class="diff-fold"><summary>' in diff
    assert 'title="Cleaner rule: typo"><del>teh</del><ins>the</ins>' in diff
    assert diff.index("word399") > diff.index("</details>"), "the words next to the change are shown"


def test_the_text_is_escaped_and_an_unchanged_text_says_so():
    diff = str(inline_diff("<script>x</script> a", "<script>y</script> a", []))
    assert "<script>" not in diff and "&lt;script&gt;" in diff
    assert 'title="Changed on import"' in diff
    assert "arrived exactly as it was imported" in str(inline_diff("same text", "same text", []))
