"""`rebuild_stories`: re-derives every story from the texts, streaming, idempotent, keeping editors' decisions."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article, Story, StoryBand, StoryCandidate
from articles.stories import desk
from articles.stories.rebuild import rebuild_stories
from tests.stories.test_assignment import imported
from tests.stories.texts import cut_copy, daily_outlook, lightly_edited, paragraphs, piece

pytestmark = pytest.mark.django_db


def grouping() -> set[frozenset[int]]:
    members = {}
    for pk, story_id in Article.objects.values_list("pk", "story_id"):
        members.setdefault(story_id, set()).add(pk)
    return {frozenset(group) for group in members.values()}


def state():
    stories = {
        frozenset(s.articles.values_list("pk", flat=True)): (s.lead_id, s.size, s.first_seen, s.last_seen)
        for s in Story.objects.all()
    }
    queue = set(StoryCandidate.objects.values_list("article_id", "match_id", "status"))
    return stories, queue


def archive():
    half = [*paragraphs(12)[:4], *paragraphs(13)[:4]]
    return imported(
        piece(50),
        lightly_edited(50),
        cut_copy(50),
        piece(51),
        piece(12),
        piece(0, title="A mixed piece", source="Daily Courier", body=half),
        *(daily_outlook(day) for day in range(1, 5)),
    )


def test_a_rebuild_groups_the_archive_as_its_import_did_and_twice_gives_the_same(editor):
    articles = archive()
    before = state()
    bands = StoryBand.objects.count()
    report = rebuild_stories(chunk_size=3)
    assert report.articles == len(articles) and report.stories == len(before[0]) and report.queued == 1
    assert state() == before and StoryBand.objects.count() == bands
    rebuild_stories(chunk_size=4)
    assert state() == before


def test_a_rebuild_regroups_stories_split_by_one_per_article(editor):
    articles = archive()
    expected = grouping()
    for article in articles:  # as migration 0013 left the archive: a story per article, no bands
        desk.refresh_stories([article.story_id])
    StoryBand.objects.all().delete()
    StoryCandidate.objects.all().delete()
    for article in articles[1:3]:
        story = Story.objects.create(created_at=article.created_at)
        old = Article.objects.get(pk=article.pk).story_id
        Article.objects.filter(pk=article.pk).update(story=story)
        desk.refresh_stories([old, story.pk])
    assert grouping() != expected
    rebuild_stories(chunk_size=2)
    assert grouping() == expected
    for story in Story.objects.all():
        assert story.size == story.articles.count()


def test_a_rebuild_keeps_editors_moves_splits_leads_and_rejections(editor):
    original, copy, cut, other, twelve, mixed = archive()[:6]
    desk.split_story([Article.objects.get(pk=cut.pk)], user=editor)
    desk.choose_lead(Article.objects.get(pk=copy.pk), user=editor)
    desk.reject_candidate(StoryCandidate.objects.get(article=mixed), user=editor)
    kept_story = Article.objects.get(pk=copy.pk).story_id
    expected = state()
    rebuild_stories(chunk_size=3)
    assert state() == expected
    story = Story.objects.get(pk=kept_story)  # an editor's story keeps its id and chosen lead
    assert story.lead_id == copy.pk and story.lead_chosen
    assert Article.objects.get(pk=cut.pk).story_id != kept_story
    assert Article.objects.get(pk=mixed.pk).story_id != Article.objects.get(pk=twelve.pk).story_id


def test_the_command_reports_progress_and_what_it_found():
    archive()
    out = io.StringIO()
    call_command("rebuild_stories", "--chunk-size", "4", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "4 of 10 articles (40%)" and lines[2] == "10 of 10 articles (100%)"
    assert lines[-1].startswith("Rebuilt: 10 articles in 8 stories (0 kept where editors put them); 1 possible")
