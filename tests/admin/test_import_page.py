"""The import page: who may use it, and what it reports for each uploaded or pasted piece."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.models import Article, ImportRecord
from tests.admin.conftest import SEED

pytestmark = pytest.mark.django_db

IMPORT = "/admin/articles/article/import/"
PIECE = "Harvest in Kostanay\n\nBy Ann Lee\n\nThe wheat harvest was late this year.\n"


def upload(name: str, data: bytes):
    return SimpleUploadedFile(name, data, content_type="text/plain")


def test_the_list_links_to_the_import_page_for_those_who_may_add(login, client, reporter):
    assert b'href="/admin/articles/article/import/"' in login(reporter).get("/admin/articles/article/").content


def test_the_import_page_is_refused_without_the_add_permission(client, make_article):
    from django.contrib.auth.models import Permission, User

    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"text": PIECE, "status": "draft"}).status_code == 403
    assert not Article.objects.exists()


def test_uploading_the_seed_creates_an_article_and_links_to_it(login, client, reporter):
    login(reporter)
    response = client.post(IMPORT, {"files": [upload("seed.txt", SEED.read_bytes())], "status": "draft"})
    article = Article.objects.get()
    html = response.content.decode()
    assert "admin upload: seed.txt" in html and "created" in html
    assert f'href="/admin/articles/article/{article.pk}/change/"' in html
    record = ImportRecord.objects.get()
    assert record.batch.channel == "admin" and record.batch.initiated_by == reporter
    assert bytes(record.raw) == SEED.read_bytes()


def test_the_import_record_is_linked_for_editors_only(login, client, editor, reporter):
    login(reporter)
    response = client.post(IMPORT, {"text": PIECE, "status": "draft"})
    assert response.context["results"][0]["record_url"] is None and "/admin/articles/importrecord/" not in (
        response.content.decode()
    )
    login(editor)
    response = client.post(IMPORT, {"text": PIECE.replace("late", "early"), "status": "draft"})
    record = ImportRecord.objects.latest("id")
    assert f'href="/admin/articles/importrecord/{record.pk}/change/"' in response.content.decode()


def test_uploading_the_same_file_again_reports_it_unchanged(login, client, reporter):
    login(reporter)
    client.post(IMPORT, {"files": [upload("seed.txt", SEED.read_bytes())], "status": "draft"})
    response = client.post(IMPORT, {"files": [upload("seed.txt", SEED.read_bytes())], "status": "draft"})
    assert [r["outcome"] for r in response.context["results"]] == ["unchanged"]
    assert Article.objects.count() == 1


def test_several_files_and_pasted_text_each_get_an_outcome_and_a_bad_one_a_reason(login, client, editor):
    login(editor)
    files = [upload("seed.txt", SEED.read_bytes()), upload("broken.txt", b"\x00\x01\x02binary\x00" * 50)]
    response = client.post(IMPORT, {"files": files, "text": PIECE, "status": "review"})
    results = {r["origin"]: r for r in response.context["results"]}
    assert results["admin upload: seed.txt"]["outcome"] == "created"
    assert results["admin paste"]["outcome"] == "created"
    assert results["admin upload: broken.txt"]["outcome"] == "failed" and results["admin upload: broken.txt"]["error"]
    assert set(Article.objects.values_list("status", flat=True)) == {"review"}


def test_an_empty_submission_says_what_is_missing(login, client, editor):
    response = login(editor).post(IMPORT, {"status": "draft"})
    assert "Choose at least one .txt file, or paste the text of a piece." in response.content.decode()


def test_the_import_batch_list_shows_each_run_s_status(login, client, editor):
    from articles.models import ImportBatch

    ImportBatch.objects.create(status=ImportBatch.Status.INTERRUPTED, counts={"created": 3})
    ImportBatch.objects.create(status=ImportBatch.Status.FINISHED)
    response = login(editor).get("/admin/articles/importbatch/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<td class="field-status">Interrupted</td>' in html and '<td class="field-status">Finished</td>' in html
    assert "?status__exact=interrupted" in html, "the list filters by status"
