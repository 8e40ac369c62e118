"""Every imported article has a story when the import returns; copies join their original's, look-alikes do not."""

import pytest

from articles.ingest.importer import ImportOptions, import_files
from articles.models import Article, Story, StoryBand, StoryCandidate
from articles.stories.signatures import BANDS, OPENING_BANDS
from tests.stories.texts import cut_copy, daily_outlook, damaged, lightly_edited, paragraphs, piece

pytestmark = pytest.mark.django_db


def imported(*texts: str, batch_size: int = 500) -> list[Article]:
    files = [(f"piece-{i}.txt", text.encode()) for i, text in enumerate(texts)]
    report = import_files(files, ImportOptions(batch_size=batch_size))
    return [Article.objects.get(pk=result.article_id) for result in report.results]


@pytest.mark.parametrize("batch_size", [1, 500], ids=["separate transactions", "one batch"])
@pytest.mark.parametrize(
    "copy",
    [
        pytest.param(
            lambda: piece(7, source="Daily Courier", body=[*paragraphs(7), "Follow the Daily Courier for more news."]),
            id="another outlet's footer",
        ),
        pytest.param(lambda: cut_copy(7), id="cut copy with a trailer"),
        pytest.param(
            lambda: piece(
                7,
                title="A new headline for it",
                source="Steppe Review",
                body=[*paragraphs(7), "Additional reporting by our desk."],
            ),
            id="new headline",
        ),
        pytest.param(lambda: lightly_edited(7), id="light edits"),
        pytest.param(lambda: damaged(7), id="damage"),
    ],
)
def test_a_copy_joins_its_originals_story(copy, batch_size):
    original, duplicate = imported(piece(7), copy(), batch_size=batch_size)
    assert original.pk != duplicate.pk
    assert original.story_id is not None and duplicate.story_id == original.story_id
    story = Story.objects.get(pk=original.story_id)
    assert story.size == len({original.pk, duplicate.pk})
    assert story.lead_id == original.pk  # the earliest full version
    assert not StoryCandidate.objects.exists()


def test_a_cut_copy_first_gives_way_to_the_full_version_as_lead():
    cut, full = imported(cut_copy(8, keep=3), piece(8))
    assert cut.story_id == full.story_id
    assert Story.objects.get(pk=full.story_id).lead_id == full.pk


def test_an_exact_duplicate_stores_no_article_and_points_at_its_originals_story():
    report = import_files(
        [("a.txt", piece(9).encode()), ("b.txt", piece(9, source="Daily Courier").encode())], ImportOptions()
    )
    assert [r.outcome for r in report.results] == ["created", "duplicate"]
    stories = {Article.objects.get(pk=r.article_id).story_id for r in report.results}
    assert len(stories) == 1


def test_different_stories_stay_apart_and_each_article_has_its_own():
    articles = imported(*(piece(seed) for seed in range(20, 30)))
    assert len({a.story_id for a in articles}) == 10
    assert all(Story.objects.get(pk=a.story_id).size == 1 for a in articles)
    assert StoryBand.objects.count() == 10 * (BANDS + OPENING_BANDS)


@pytest.mark.parametrize("batch_size", [1, 500], ids=["separate transactions", "one batch"])
def test_one_outlets_template_daily_outlooks_are_never_merged(batch_size):
    articles = imported(*(daily_outlook(day) for day in range(1, 15)), batch_size=batch_size)
    assert len({a.story_id for a in articles}) == 14
    assert not StoryCandidate.objects.exists()


def test_a_copy_published_outside_the_window_starts_a_story_of_its_own(settings):
    settings.NEWSROOM_STORY_WINDOW_DAYS = 30
    original = imported(piece(11))[0]
    Article.objects.filter(pk=original.pk).update(published_at="2020-01-01T00:00:00Z")
    copy = imported(lightly_edited(11))[0]
    assert copy.story_id != original.story_id


def test_a_middle_match_goes_to_the_editors_queue_and_starts_its_own_story():
    body = paragraphs(12)
    half = [*body[:4], *paragraphs(13)[:4]]  # half the story, then another one
    original, mixed = imported(piece(12), piece(0, title="A mixed piece", source="Daily Courier", body=half))
    assert mixed.story_id != original.story_id
    [candidate] = StoryCandidate.objects.all()
    assert (candidate.article_id, candidate.match_id, candidate.story_id) == (mixed.pk, original.pk, original.story_id)
    assert candidate.status == "pending" and 0.3 <= max(candidate.jaccard, candidate.containment) < 0.8


def test_a_short_piece_is_matched_only_exactly():
    short = ["Rain is expected on Tuesday."]
    first, second = imported(
        piece(0, title="Short one", body=short), piece(0, title="Short two", source="X", body=["Rain is expected."])
    )
    assert first.story_id != second.story_id
    assert not StoryBand.objects.filter(article_id__in=[first.pk, second.pk]).exists()


def test_an_article_written_by_hand_has_a_story_of_its_own(make_article):
    article = make_article("Hand written")
    story = Story.objects.get(pk=article.story_id)
    assert (story.size, story.lead_id) == (1, article.pk)
