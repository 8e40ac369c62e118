"""An outlet named by the API request answers a piece that names none: no warning says the piece has no source."""

import pytest

from articles.models import ImportRecord

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/"
SOURCELESS = "Grain exports rise\n\nExports of grain rose sharply this year, officials said on Monday.\n"


def no_source_warnings(record_id: int) -> list[str]:
    return [w for w in ImportRecord.objects.get(pk=record_id).warnings if "does not name its source" in w]


@pytest.mark.parametrize("how", ["json", "query"])
def test_a_source_given_with_the_request_leaves_no_missing_source_warning(client_for, editor, how):
    client = client_for(editor)
    if how == "json":
        response = client.post(URL, {"text": SOURCELESS, "source": "Astana Times"}, format="json")
    else:
        response = client.post(f"{URL}?source=Astana+Times", data=SOURCELESS.encode(), content_type="text/plain")
    assert response.status_code == 201, response.json()
    assert no_source_warnings(response.json()["record_id"]) == []


def test_without_a_source_the_warning_is_still_given(client_for, editor):
    response = client_for(editor).post(URL, data=SOURCELESS.encode(), content_type="text/plain")
    assert response.status_code == 201, response.json()
    assert no_source_warnings(response.json()["record_id"])
