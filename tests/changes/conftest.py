"""Change feed fixtures: a partner's mirror that follows `/api/v1/changes/` the way a partner's code would."""

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import generous_throttles  # noqa: F401  (rate limits out of the way)

URL = "/api/v1/changes/"


class Mirror:
    """A copy of the archive kept only from the change feed: an upsert per event with data, a removal per tombstone."""

    def __init__(self, client: APIClient):
        self.client, self.cursor, self.articles, self.events = client, 0, {}, []

    def follow(self, *, limit: int = 7) -> None:
        while True:
            response = self.client.get(URL, {"after": self.cursor, "limit": limit})
            assert response.status_code == 200, response.content
            page = response.json()
            for event in page["results"]:
                assert event["cursor"] == self.cursor + 1, "the cursor skipped or repeated an event"
                self.cursor = event["cursor"]
                self.events.append(event)
                if event["tombstone"]:
                    self.articles.pop(event["article_id"], None)
                else:
                    self.articles[event["article_id"]] = event["article"]
            if not page["has_more"]:
                return


@pytest.fixture
def mirror_for():
    def build(user=None) -> Mirror:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return Mirror(client)

    return build
