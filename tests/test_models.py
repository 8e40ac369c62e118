"""The data model's rules, held by the database itself (run on SQLite and on PostgreSQL)."""

import hashlib
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from articles.models import Article, Author, Byline, Source, Topic
from articles.text import content_fingerprint, count_words, fingerprint_and_word_count, name_key

pytestmark = pytest.mark.django_db


def test_source_names_are_unique_whatever_their_case():
    Source.objects.create(name="The Frontier Post", slug="frontier")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(name="the FRONTIER post", slug="frontier-2")


def test_source_form_validation_reports_a_case_insensitive_duplicate_in_words():
    Source.objects.create(name="Dawn")
    with pytest.raises(ValidationError, match="already exists"):
        Source(name="DAWN", slug="dawn-2").full_clean()


def test_article_slug_is_unique_within_its_source_but_not_across_sources():
    one, two = Source.objects.create(name="One"), Source.objects.create(name="Two")
    Article.objects.create(title="Same", slug="same", source=one, body="First text.")
    Article.objects.create(title="Same", slug="same", source=two, body="Second text.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="Same", slug="same", source=one, body="Third text.")


def test_article_slug_is_unique_among_articles_without_a_source():
    Article.objects.create(title="Loose", slug="loose", body="One.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="Loose", slug="loose", body="Two.")


def test_bylines_keep_the_order_they_were_given(make_article):
    article = make_article("Ordered", authors=["Zoe Last", "Adam First", "Mia Middle"])
    names = [b.author.name for b in article.bylines.select_related("author")]
    assert names == ["Zoe Last", "Adam First", "Mia Middle"]


def test_two_bylines_cannot_share_a_position(make_article):
    article = make_article("Clash", authors=["Ann"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Byline.objects.create(article=article, author=Author.objects.create(name="Ben"), position=0)


@pytest.mark.parametrize("variant", ["alena kazakova", "  Alena   Kazakova ", "ALENA\tKAZAKOVA"])
def test_an_author_name_in_other_case_or_spacing_is_the_same_author(variant):
    author = Author.objects.create(name="Alena Kazakova")
    assert Author.objects.named(variant).get() == author
    with pytest.raises(IntegrityError), transaction.atomic():
        Author.objects.create(name=variant, slug="other-slug")


def test_author_name_is_stored_with_its_spacing_tidied():
    assert Author.objects.create(name="  Web   Desk ").name == "Web Desk"
    assert name_key(" Web\u00a0DESK") == "web desk"


def test_a_published_article_without_a_publication_date_is_rejected():
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="Too soon", status=Article.Status.PUBLISHED, body="Text.")


def test_a_published_article_without_a_date_fails_validation_with_a_readable_message():
    article = Article(title="Too soon", slug="too-soon", status=Article.Status.PUBLISHED, body="Text.")
    with pytest.raises(ValidationError, match="needs a publication date"):
        article.full_clean()


def test_deleting_a_source_that_still_has_articles_is_refused(make_article):
    article = make_article("Kept")
    with pytest.raises(ProtectedError):
        article.source.delete()
    assert Source.objects.filter(pk=article.source_id).exists()


def test_deleting_an_author_who_still_has_bylines_is_refused(make_article):
    make_article("Signed", authors=["Kept Author"])
    with pytest.raises(ProtectedError):
        Author.objects.get(name="Kept Author").delete()


def test_two_articles_cannot_have_the_same_text():
    Article.objects.create(title="A", body="Exactly this text.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="B", body="exactly   THIS\n\ntext.")


def test_the_fingerprint_ignores_case_spacing_and_compatibility_forms():
    assert content_fingerprint("Hello, world.") == content_fingerprint("hello,   WORLD.")
    assert content_fingerprint("Ｈｅｌｌｏ world") == content_fingerprint("hello world")
    assert content_fingerprint("Hello, world.") != content_fingerprint("Hello world")
    assert content_fingerprint("Hello world") != content_fingerprint("Hello there world")
    assert content_fingerprint(" \n ") == ""


@pytest.mark.parametrize(
    "body",
    [
        "",
        " \n ",
        "Plain ASCII text, with a - dash and ## marks.",
        "## Heading\n\nCurly “quotes” – and — dashes • bullets ## here",
        "İstanbul ß STRASSE Σίσυφος",
        "Ligature ﬁne and Ｆｕｌｌ width",  # changed by NFKC: computed the long way
        "spacing\u00a0non-breaking\u2003em\u3000ideographic",
        "x\u00a8y, a spacing diaeresis NFKC turns into a space and a mark",
        "- – — • ##",
    ],
)
def test_fingerprint_and_word_count_from_one_split_match_their_definitions(body):
    normalised = " ".join(unicodedata.normalize("NFKC", body).casefold().split())
    expected_fingerprint = hashlib.sha256(normalised.encode()).hexdigest() if normalised else ""
    assert fingerprint_and_word_count(body) == (expected_fingerprint, count_words(body))
    assert content_fingerprint(body) == expected_fingerprint


def test_saving_derives_slug_word_count_and_revision():
    article = Article.objects.create(title="  Diplomatic   confusion ", body="One two three.\n\n## Head\n\nFour.")
    assert (article.title, article.slug, article.word_count, article.revision) == (
        "Diplomatic confusion",
        "diplomatic-confusion",
        5,
        1,
    )
    article.body += " Five."
    article.save()
    article.refresh_from_db()
    assert (article.word_count, article.revision) == (6, 2)


def test_published_excludes_drafts_and_scheduled_articles(make_article):
    live = make_article("Live", status=Article.Status.PUBLISHED)
    make_article("Draft")
    make_article("Later", status=Article.Status.PUBLISHED, published_at=timezone.now() + timezone.timedelta(days=1))
    assert list(Article.objects.published()) == [live]


def test_a_topic_cannot_be_its_own_ancestor():
    root = Topic.objects.create(name="Politics")
    child = Topic.objects.create(name="Elections", parent=root)
    root.parent = child
    with pytest.raises(ValidationError, match="below itself"):
        root.full_clean()
    assert root.descendant_ids() == {root.pk, child.pk}


def test_iptc_codes_are_unique_when_set():
    Topic.objects.create(name="Politics", iptc_code="medtop:11000000")
    Topic.objects.create(name="Local", slug="local")
    Topic.objects.create(name="Other local", slug="other-local")
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(name="Politics again", iptc_code="medtop:11000000")


def test_tags_are_stored_through_taggit(make_article):
    article = make_article("Tagged")
    article.tags.add("Kazakhstan", "trade")
    assert sorted(t.name for t in Article.objects.get(pk=article.pk).tags.all()) == ["Kazakhstan", "trade"]


def test_search_finds_words_in_the_body_ranked_with_title_matches_first(make_article):
    body_only = make_article("Trade news", body="Kazakhstan will continue to trade with its neighbours.")
    in_title = make_article("Kazakhstan and Russia", body="Relations between two states.")
    make_article("Unrelated", body="Nothing to see here.")
    found = list(Article.objects.search("kazakhstan").order_by("-rank"))
    assert found == [in_title, body_only]
    assert "<mark>" in found[1].snippet or "<mark>" in found[0].snippet


def test_search_sees_updates_and_deletes(make_article):
    article = make_article("Before", body="An original paragraph.")
    article.body = "A rewritten paragraph about pipelines."
    article.save()
    assert list(Article.objects.search("pipelines")) == [article]
    assert not Article.objects.search("original").exists()
    article.delete()
    assert not Article.objects.search("pipelines").exists()


def test_search_input_is_never_read_as_query_syntax(make_article):
    article = make_article("Quotes", body="He said it near the border.")
    for hostile in ['"border', "border:*", "near: border", "border) (", "NEAR(border"]:
        assert list(Article.objects.search(hostile)) == [article], hostile
    assert Article.objects.search("   ").count() == 0


def test_editor_groups_exist_with_the_expected_powers(editor, reporter):
    assert editor.has_perm("articles.publish_article") and editor.has_perm("articles.delete_article")
    assert reporter.has_perm("articles.change_article") and reporter.has_perm("articles.add_article")
    assert not reporter.has_perm("articles.publish_article")
    assert not reporter.has_perm("articles.delete_article")
    assert not reporter.has_perm("articles.delete_author")
