"""The README's "Security" section, checked as a matrix: each row of its table, through each path it names, for
each role. A check returns whether the action took effect (or the content was shown), so a refusal of any kind
(401, 403, 404, a login redirect, a form error, a message) counts as "no" and the stored data is what decides.

The second half checks what anonymous readers can learn, and the lockout and throttling paragraphs.
"""

import json

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from articles import workflow
from articles.models import Article, Author, ImportRecord, Source, Topic
from tests.admin.conftest import CHANGELIST, change_url, form_data, revert
from tests.conftest import without_instance

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "reporter", "editor", "superuser"]
API = "/api/v1/articles/"
Status = Article.Status
PIECE = "A piece for the matrix\n\nBy Matrix Writer\n\nThe body of a piece sent for the matrix, long enough.\n"


class World:
    """Articles in every state, each with names (author, source, tag) of its own, and a topic."""

    def __init__(self, make_article, editor):
        now = timezone.now()
        self.published = make_article(
            "Public story", source="Open Wire", authors=["Public Writer"], status=Status.PUBLISHED
        )
        self.published.tags.add("opentag")
        self.draft = make_article("Draft story", source="Draft Wire", authors=["Draft Writer"])
        self.draft.tags.add("drafttag")
        self.review = make_article("Review story", source="Review Wire", authors=["Review Writer"], status="review")
        self.archived = make_article("Archived story", source="Old Wire", authors=["Old Writer"], status="archived")
        self.scheduled = make_article(
            "Scheduled story",
            source="Future Wire",
            authors=["Future Writer"],
            status=Status.PUBLISHED,
            published_at=now + timezone.timedelta(days=1),
        )
        self.unpublished = [self.draft, self.review, self.archived, self.scheduled]
        self.topic = Topic.objects.create(name="Politics", slug="politics")
        self.empty_topic = Topic.objects.create(name="Sport", slug="sport")
        self.editor = editor

    def taken_back(self, make_article):
        """Return an article an editor published and took back to draft, and its published version."""
        article = make_article("Taken back", body="Live for a while, then taken back.")
        workflow.publish([article], user=self.editor)
        version = article.history.get(status=Status.PUBLISHED)
        workflow.unpublish([Article.objects.get(pk=article.pk)], user=self.editor)
        return article, version


@pytest.fixture
def world(make_article, editor, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }
    return World(make_article, editor)


@pytest.fixture
def client_as(editor, reporter, superuser):
    """Return a client signed in (by session) as the role's user, or anonymous: the same client for the admin's
    forms, the API (JSON bodies) and the feeds."""
    users = {"anonymous": None, "reporter": reporter, "editor": editor, "superuser": superuser}

    def build(role) -> Client:
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return build


def status_of(article) -> str:
    return Article.objects.get(pk=article.pk).status


def action(client, name, *articles, **extra):
    data = {"action": name, "index": 0, "_selected_action": [a.pk for a in articles], **extra}
    client.post(CHANGELIST, data)


# Each check: (client, world, make_article) -> bool, "did it take effect / was it shown".


def reads_published_through_the_api(client, w, make):
    return client.get(f"{API}{w.published.pk}/").status_code == 200


def reads_published_in_the_feeds(client, w, make):
    return b"Public story" in client.get("/feeds/").content and b"Public story" in client.get("/feeds/atom/").content


def reads_unpublished_through_the_api(client, w, make):
    seen = [client.get(f"{API}{a.pk}/").status_code for a in w.unpublished]
    if seen == [404] * 4:  # refused exactly as an article that does not exist
        missing = without_instance(client.get(f"{API}999999/"))
        assert all(without_instance(client.get(f"{API}{a.pk}/")) == missing for a in w.unpublished)
        return False
    listed = {row["id"] for row in client.get(API, {"page_size": 100}).json()["results"]}
    return seen == [200] * 4 and {a.pk for a in w.unpublished} <= listed


def reads_unpublished_in_the_admin(client, w, make):
    return all(client.get(change_url(a)).status_code == 200 for a in w.unpublished)


def creates_an_article_through_the_api(client, w, make):
    client.post(API, {"title": "Written by API", "body": "Text from the API."}, content_type="application/json")
    return Article.objects.filter(title="Written by API").exists()


def edits_text_through_the_api(client, w, make):
    client.patch(f"{API}{w.published.pk}/", {"summary": "Corrected summary."}, content_type="application/json")
    return Article.objects.get(pk=w.published.pk).summary == "Corrected summary."


def edits_text_in_the_admin_form(client, w, make):
    client.post(change_url(w.published), form_data(w.published, body="Corrected in the admin."))
    return Article.objects.get(pk=w.published.pk).body == "Corrected in the admin."


def restores_old_text_from_the_history(client, w, make):
    first = w.draft.history.get()
    Article.objects.filter(pk=w.draft.pk).update(body="Rewritten.")
    w.draft.refresh_from_db()
    w.draft.save()
    if client.get(f"/admin/articles/article/{w.draft.pk}/history/{first.history_id}/").status_code != 200:
        return False
    revert(client, w.draft, first)
    return Article.objects.get(pk=w.draft.pk).body == first.body


def creates_an_author_through_the_api(client, w, make):
    client.post("/api/v1/authors/", {"name": "Brand New Writer"}, content_type="application/json")
    return Author.objects.filter(name="Brand New Writer").exists()


def publishes_with_the_admin_action(client, w, make):
    action(client, "publish", w.draft)
    return status_of(w.draft) == Status.PUBLISHED


def unpublishes_with_the_admin_action(client, w, make):
    action(client, "unpublish", w.published)
    return status_of(w.published) == Status.DRAFT


def archives_a_published_article_with_the_admin_action(client, w, make):
    action(client, "archive", w.published)
    return status_of(w.published) == Status.ARCHIVED


def marks_a_published_article_as_a_duplicate(client, w, make):
    action(client, "mark_as_duplicate", w.published, confirm="yes", original=w.draft.pk)
    return status_of(w.published) == Status.ARCHIVED


def publishes_through_the_admin_form(client, w, make):
    client.post(change_url(w.draft), form_data(w.draft, status="published"))
    return status_of(w.draft) == Status.PUBLISHED


def reschedules_a_scheduled_article_through_the_admin_form(client, w, make):
    later = timezone.localtime(w.scheduled.published_at + timezone.timedelta(days=2))
    client.post(change_url(w.scheduled), form_data(w.scheduled, published_at_0=later.strftime("%Y-%m-%d")))
    return Article.objects.get(pk=w.scheduled.pk).published_at.date() == later.date()


def restores_a_published_version_from_the_history(client, w, make):
    article, version = w.taken_back(make)
    if client.get(f"/admin/articles/article/{article.pk}/history/{version.history_id}/").status_code != 200:
        return False
    revert(client, article, version)
    return status_of(article) == Status.PUBLISHED


def publishes_through_the_api(client, w, make):
    client.post(f"{API}{w.draft.pk}/publish/")
    return status_of(w.draft) == Status.PUBLISHED


def unpublishes_through_the_api(client, w, make):
    client.post(f"{API}{w.published.pk}/unpublish/")
    return status_of(w.published) == Status.DRAFT


def archives_a_published_article_through_the_api(client, w, make):
    client.post(f"{API}{w.published.pk}/archive/")
    return status_of(w.published) == Status.ARCHIVED


def publishes_with_a_plain_api_write(client, w, make):
    client.patch(
        f"{API}{w.draft.pk}/", {"status": "published", "title": "Still a draft"}, content_type="application/json"
    )
    return status_of(w.draft) == Status.PUBLISHED


def imports_through_the_api(client, w, make):
    client.post("/api/v1/imports/", PIECE.encode(), content_type="text/plain")
    return Article.objects.filter(title="A piece for the matrix", status=Status.DRAFT).exists()


def imports_through_the_admin_page(client, w, make):
    client.post("/admin/articles/article/import/", {"text": PIECE, "status": "review"})
    return Article.objects.filter(title="A piece for the matrix", status=Status.REVIEW).exists()


def reads_import_records_through_the_api(client, w, make):
    return client.get("/api/v1/imports/").status_code == 200


def reads_import_records_in_the_admin(client, w, make):
    from articles.ingest import ImportOptions, import_bytes

    record = import_bytes(PIECE.encode(), origin="matrix", options=ImportOptions()).record_id
    page = client.get(f"/admin/articles/importrecord/{record}/change/")
    return page.status_code == 200 and ImportRecord.objects.filter(pk=record).exists()


BATCHES = "/api/v1/import-batches/"


def follows_own_import_batches_through_the_api(client, w, make):
    with override_settings(NEWSROOM_SYNC_IMPORT_MAX_PIECES=0):  # every import is queued
        queued = client.post("/api/v1/imports/", PIECE.encode(), content_type="text/plain")
    if queued.status_code != 202:
        return False
    batch = queued.json()["url"].removeprefix("http://testserver")
    return client.get(batch).status_code == 200 and client.get(f"{batch}records/").status_code == 200


def follows_own_import_batches_in_the_admin(client, w, make):
    with override_settings(NEWSROOM_SYNC_IMPORT_MAX_PIECES=0):
        queued = client.post("/admin/articles/article/import/", {"text": PIECE, "status": "draft"})
    if queued.status_code != 302 or "/importbatch/" not in queued["Location"]:
        return False
    return b"queued: 0 of 1 pieces imported" in client.get(queued["Location"]).content


def someone_elses_batch() -> int:
    from articles.ingest import ImportOptions
    from articles.ingest.queued import queue_import

    other = User.objects.create_user("batch-owner", is_staff=True)
    return queue_import([("other.txt", PIECE.encode())], ImportOptions(user=other)).pk


def follows_others_import_batches_through_the_api(client, w, make):
    batch = someone_elses_batch()
    listed = [row["id"] for row in client.get(BATCHES).json()["results"]]
    seen = [client.get(f"{BATCHES}{batch}/").status_code, client.get(f"{BATCHES}{batch}/records/").status_code]
    if seen == [404, 404]:  # refused exactly as a batch that does not exist
        assert without_instance(client.get(f"{BATCHES}{batch}/")) == without_instance(client.get(f"{BATCHES}999999/"))
        assert batch not in listed
        return False
    return seen == [200, 200] and batch in listed


def follows_others_import_batches_in_the_admin(client, w, make):
    batch = someone_elses_batch()
    return client.get(f"/admin/articles/importbatch/{batch}/change/").status_code == 200


def creates_a_topic_through_the_api(client, w, make):
    client.post("/api/v1/topics/", {"name": "Brand New Topic"}, content_type="application/json")
    return Topic.objects.filter(name="Brand New Topic").exists()


def deletes_an_article_through_the_api(client, w, make):
    client.delete(f"{API}{w.draft.pk}/")
    return not Article.objects.filter(pk=w.draft.pk).exists()


def deletes_an_article_in_the_admin(client, w, make):
    client.post(f"/admin/articles/article/{w.draft.pk}/delete/", {"post": "yes"})
    return not Article.objects.filter(pk=w.draft.pk).exists()


def merges_authors_in_the_admin(client, w, make):
    keep, merge = Author.objects.get(name="Public Writer"), Author.objects.get(name="Draft Writer")
    client.post(
        "/admin/articles/author/",
        {
            "action": "merge_into",
            "index": 0,
            "_selected_action": [keep.pk, merge.pk],
            "confirm": "yes",
            "into": keep.pk,
        },
    )
    return not Author.objects.filter(pk=merge.pk).exists()


def restores_a_deleted_article_from_the_history(client, w, make):
    version, pk = w.draft.history.get(), w.draft.pk
    data = {k: v for k, v in form_data(w.draft).items() if not k.startswith("bylines-")}
    Article.objects.filter(pk=pk).delete()
    client.post(f"/admin/articles/article/{pk}/history/{version.history_id}/", data)
    return Article.objects.filter(pk=pk).exists()


def manages_users_in_the_admin(client, w, make):
    return client.get("/admin/auth/user/").status_code == 200 and client.get("/admin/auth/group/").status_code == 200


def manages_api_tokens_in_the_admin(client, w, make):
    return client.get("/admin/authtoken/tokenproxy/").status_code == 200


def manages_sign_in_lockouts_in_the_admin(client, w, make):
    return client.get("/admin/axes/accessattempt/").status_code == 200


YES, NO = True, False
# The README's table, row by row: (row, the paths it names, what each of anonymous, Reporter, Editor, superuser gets).
STATEMENT = [
    (
        "read published articles whose time has come (API, feeds)",
        [reads_published_through_the_api, reads_published_in_the_feeds],
        (YES, YES, YES, YES),
    ),
    (
        "read drafts, articles in review, archived and scheduled articles (API, admin)",
        [reads_unpublished_through_the_api, reads_unpublished_in_the_admin],
        (NO, YES, YES, YES),
    ),
    (
        "create and edit articles, bylines, authors, sources and tags; restore an old version's text",
        [
            creates_an_article_through_the_api,
            edits_text_through_the_api,
            edits_text_in_the_admin_form,
            restores_old_text_from_the_history,
            creates_an_author_through_the_api,
        ],
        (NO, YES, YES, YES),
    ),
    (
        "publish, unpublish, archive, mark as duplicate or reschedule a published article, or restore a version "
        "that would (admin actions, form and history; API actions)",
        [
            publishes_with_the_admin_action,
            unpublishes_with_the_admin_action,
            archives_a_published_article_with_the_admin_action,
            marks_a_published_article_as_a_duplicate,
            publishes_through_the_admin_form,
            reschedules_a_scheduled_article_through_the_admin_form,
            restores_a_published_version_from_the_history,
            publishes_through_the_api,
            unpublishes_through_the_api,
            archives_a_published_article_through_the_api,
        ],
        (NO, NO, YES, YES),
    ),
    (
        "status changes only through the workflow, never a plain API write",
        [publishes_with_a_plain_api_write],
        (NO, NO, NO, NO),
    ),
    (
        "import pieces as drafts or in review (admin page, API)",
        [imports_through_the_api, imports_through_the_admin_page],
        (NO, YES, YES, YES),
    ),
    (
        "follow the import batches one started: status, counts, each piece's outcome (admin, API)",
        [follows_own_import_batches_through_the_api, follows_own_import_batches_in_the_admin],
        (NO, YES, YES, YES),
    ),
    (
        "follow anyone's import batches (admin, API)",
        [follows_others_import_batches_through_the_api, follows_others_import_batches_in_the_admin],
        (NO, NO, YES, YES),
    ),
    (
        "read import records (admin, API)",
        [reads_import_records_through_the_api, reads_import_records_in_the_admin],
        (NO, NO, YES, YES),
    ),
    (
        "create and edit topics; delete anything; merge authors; restore a deleted article",
        [
            creates_a_topic_through_the_api,
            deletes_an_article_through_the_api,
            deletes_an_article_in_the_admin,
            merges_authors_in_the_admin,
            restores_a_deleted_article_from_the_history,
        ],
        (NO, NO, YES, YES),
    ),
    (
        "users, groups, API tokens, sign-in lockouts (admin)",
        [manages_users_in_the_admin, manages_api_tokens_in_the_admin, manages_sign_in_lockouts_in_the_admin],
        (NO, NO, NO, YES),
    ),
]

CASES = [
    pytest.param(check, role, expected[ROLES.index(role)], id=f"{check.__name__} as {role}")
    for _row, checks, expected in STATEMENT
    for check in checks
    for role in ROLES
]


@pytest.mark.parametrize(("check", "role", "expected"), CASES)
def test_each_role_can_do_what_the_security_section_says_and_nothing_more(
    client_as, world, make_article, check, role, expected
):
    assert check(client_as(role), world, make_article) is expected


def test_the_statement_matches_the_readme_table():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    table = readme.split("## Security", 1)[1].split("\n\n")[1]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| |")]
    for line in rows:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        name, answers = cells[0], [cell.startswith("yes") for cell in cells[1:]]
        row = next(row for row in STATEMENT if row[0].split(" (")[0] == name.split(" (")[0])
        assert tuple(answers) == row[2], name


# What anonymous readers (and users without articles.view_article) can learn.

PUBLIC_NAMES = ["Public Writer", "Open Wire", "opentag"]
UNPUBLISHED_NAMES = [
    "Draft Writer",
    "Draft Wire",
    "drafttag",
    "Review Writer",
    "Review Wire",
    "Old Writer",
    "Old Wire",
    "Future Writer",
    "Future Wire",
]
READ_PATHS = [
    "/api/v1/articles/?page_size=100",
    "/api/v1/articles/?format=api",
    "/api/v1/authors/?page_size=100",
    "/api/v1/sources/?page_size=100",
    "/api/v1/tags/?page_size=100",
    "/api/v1/topics/?page_size=100",
    "/api/v1/import-batches/",
    "/api/schema/",
    "/feeds/",
    "/feeds/atom/",
    "/feeds/topics/politics/",
]


@pytest.fixture(params=["anonymous", "outsider"])
def public_reader(request, world):
    client = Client()
    if request.param == "outsider":
        client.force_login(User.objects.create_user("outsider", password="pw-outsider"))
    return client


def test_public_readers_learn_the_published_names_and_the_topic_tree_and_nothing_else(public_reader, world):
    text = "".join(public_reader.get(path).content.decode() for path in READ_PATHS)
    for name in [*PUBLIC_NAMES, "Public story", "Politics", "Sport"]:
        assert name in text
    for name in [*UNPUBLISHED_NAMES, "Draft story", "Review story", "Archived story", "Scheduled story"]:
        assert name not in text
    topics = public_reader.get("/api/v1/topics/").json()["results"]
    assert {t["name"] for t in topics} == {"Politics", "Sport"}


def refusal(response, value: str, kind: str):
    """What a refusal says, the name asked for aside: a problem's body without its `instance` (the path), or the
    page's text; a slug asked for is blanked out wherever the answer repeats it."""
    if response["Content-Type"].startswith("application/problem+json"):
        said = json.dumps(without_instance(response), sort_keys=True)
    else:
        said = response.content.decode()
    return said.replace(value, "X") if kind == "slug" else said


@pytest.mark.parametrize(
    ("template", "model", "kind"),
    [
        ("/api/v1/articles/?author={}", Author, "slug"),
        ("/api/v1/articles/?source={}", Source, "slug"),
        ("/feeds/authors/{}/", Author, "slug"),
        ("/feeds/sources/{}/atom/", Source, "slug"),
        ("/api/v1/authors/{}/", Author, "pk"),
        ("/api/v1/sources/{}/", Source, "pk"),
    ],
)
def test_a_name_only_on_unpublished_articles_is_as_unknown_as_a_missing_one(
    public_reader, world, template, model, kind
):
    missing_value = "no-such-name" if kind == "slug" else "999999"
    missing = public_reader.get(template.format(missing_value))
    for row in model.objects.filter(name__in=UNPUBLISHED_NAMES):
        value = str(getattr(row, kind))
        answer = public_reader.get(template.format(value))
        assert answer.status_code == missing.status_code in (400, 404)
        assert refusal(answer, value, kind) == refusal(missing, missing_value, kind)


def test_tags_only_on_unpublished_articles_are_as_unknown_as_missing_ones(public_reader, world):
    hidden = public_reader.get(API, {"tag": "drafttag"})
    missing = public_reader.get(API, {"tag": "no-such-tag"})
    assert hidden.status_code == missing.status_code == 400
    assert public_reader.get(API, {"tag": "opentag"}).status_code == 200


# The lockout and throttling paragraphs.


def test_sign_in_locks_after_the_failure_limit_even_with_the_right_password(settings, editor):
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for n in range(5):
        client.post("/admin/login/", {"username": "editor", "password": f"wrong-{n}"})
    response = client.post("/admin/login/", {"username": "editor", "password": "pw-editor"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_anonymous_and_signed_in_clients_each_get_their_own_rate_in_the_api_and_the_feeds(settings, client_as):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "4/minute", "user": "2/minute"},
    }
    cache.clear()
    for path in (API, "/feeds/"):
        anonymous, editor = client_as("anonymous"), client_as("editor")
        assert [anonymous.get(path).status_code for _ in range(5)] == [200, 200, 200, 200, 429]
        assert [editor.get(path).status_code for _ in range(3)] == [200, 200, 429]
        assert int(anonymous.get(path)["Retry-After"]) > 0
