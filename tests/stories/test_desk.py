"""Editors' story decisions: permission-checked, in the articles' history, pinned, and the stories' figures kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import Article, Story, StoryCandidate, StoryPin
from articles.stories import desk
from tests.stories.test_assignment import imported
from tests.stories.texts import cut_copy, lightly_edited, paragraphs, piece

pytestmark = pytest.mark.django_db


def story_of(article) -> Story:
    article.refresh_from_db()
    return Story.objects.get(pk=article.story_id)


def latest_reason(article) -> str:
    return article.history.order_by("-history_date", "-history_id").first().history_change_reason


def test_moving_an_article_to_another_story_records_who_and_pins_both_stories(editor):
    original, copy, other = imported(piece(30), lightly_edited(30), piece(31))
    revision = Article.objects.get(pk=copy.pk).revision
    assert desk.move_articles([copy], to=story_of(other), user=editor) == 1
    assert story_of(copy).pk == other.story_id
    assert story_of(other).size == 2 and story_of(original).size == 1
    entry = copy.history.order_by("-history_id").first()
    assert entry.history_user == editor and entry.story_id == other.story_id
    assert latest_reason(copy) == f"Moved to story {other.story_id}"
    assert Article.objects.get(pk=copy.pk).revision == revision  # not an edit of the text
    assert set(StoryPin.objects.values_list("article_id", flat=True)) == {original.pk, copy.pk, other.pk}


def test_moving_the_last_article_out_deletes_the_empty_story(editor):
    first, second = imported(piece(32), piece(33))
    gone = first.story_id
    desk.move_articles([first], to=story_of(second), user=editor)
    assert not Story.objects.filter(pk=gone).exists()
    assert story_of(second).size == 2


def test_a_reporter_may_not_change_stories(reporter):
    first, second = imported(piece(34), piece(35))
    with pytest.raises(PermissionDenied):
        desk.move_articles([first], to=story_of(second), user=reporter)
    with pytest.raises(PermissionDenied):
        desk.choose_lead(first, user=reporter)
    assert story_of(first).pk != second.story_id and not StoryPin.objects.exists()


def test_splitting_a_story_moves_the_chosen_articles_into_a_new_one(editor):
    original, copy, cut = imported(piece(36), lightly_edited(36), cut_copy(36))
    assert len({original.story_id, copy.story_id, cut.story_id}) == 1
    new = desk.split_story([Article.objects.get(pk=cut.pk)], user=editor)
    assert story_of(cut) == new and new.size == 1 and new.lead_id == cut.pk
    assert story_of(original).size == 2
    assert latest_reason(cut).startswith(f"Split from story {original.story_id}")


def test_a_split_must_leave_an_article_behind(editor):
    original, copy = imported(piece(37), lightly_edited(37))
    with pytest.raises(ValidationError):
        desk.split_story(Article.objects.filter(pk__in=[original.pk, copy.pk]), user=editor)


def test_merging_stories_moves_every_article_and_deletes_the_others(editor):
    a, a_copy, b = imported(piece(38), lightly_edited(38), piece(39))
    into, other = story_of(b), story_of(a)
    assert desk.merge_stories([other], into=into, user=editor) == 1
    assert not Story.objects.filter(pk=other.pk).exists()
    into.refresh_from_db()
    assert into.size == 3 and set(into.articles.values_list("pk", flat=True)) == {a.pk, a_copy.pk, b.pk}
    assert latest_reason(a_copy) == f"Merged into story {into.pk}"


def test_a_chosen_lead_is_kept_when_a_fuller_copy_arrives(editor):
    cut = imported(cut_copy(40, keep=3))[0]
    desk.choose_lead(cut, user=editor)
    full = imported(piece(40))[0]
    story = story_of(full)
    assert story.pk == cut.story_id and story.lead_id == cut.pk and story.lead_chosen
    assert latest_reason(cut) == f"Chosen as the lead of story {story.pk}"


def mixed_pair():
    half = [*paragraphs(12)[:4], *paragraphs(13)[:4]]
    return imported(piece(12), piece(0, title="A mixed piece", source="Daily Courier", body=half))


def test_accepting_a_possible_match_joins_the_story(editor):
    original, mixed = mixed_pair()
    candidate = StoryCandidate.objects.get()
    desk.accept_candidate(candidate, user=editor)
    candidate.refresh_from_db()
    assert candidate.status == "accepted" and candidate.decided_by == editor and candidate.decided_at
    assert story_of(mixed).pk == original.story_id and story_of(original).size == 2
    assert StoryPin.objects.filter(article_id=mixed.pk).exists()


def test_rejecting_a_possible_match_keeps_the_article_apart(editor):
    original, mixed = mixed_pair()
    candidate = StoryCandidate.objects.get()
    desk.reject_candidate(candidate, user=editor)
    candidate.refresh_from_db()
    assert candidate.status == "rejected" and candidate.decided_by == editor
    assert story_of(mixed).pk != original.story_id
    assert latest_reason(mixed) == f"Kept apart from story {original.story_id} (not the same story)"


def test_deciding_the_queue_needs_its_permission(reporter):
    mixed_pair()
    candidate = StoryCandidate.objects.get()
    with pytest.raises(PermissionDenied):
        desk.accept_candidate(candidate, user=reporter)
    with pytest.raises(PermissionDenied):
        desk.reject_candidate(candidate, user=reporter)
    assert StoryCandidate.objects.get().status == "pending"
