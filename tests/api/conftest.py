"""API fixtures: clients for each role and a small newsroom with published, draft and scheduled articles."""

from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Article, Author, Source, Topic

HIGH_RATES = {"anon": "100000/minute", "user": "100000/minute"}


@pytest.fixture(autouse=True)
def generous_throttles(settings):
    """Keep rate limits out of the way (throttling has its own tests); counters start fresh (tests/conftest.py)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": HIGH_RATES}


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for(db):
    """Return a builder: client_for(user) is an APIClient signed in as `user` (None: anonymous)."""

    def build(user) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return build


@pytest.fixture
def users(editor, reporter, superuser):
    return {"anonymous": None, "reporter": reporter, "editor": editor, "superuser": superuser}


@pytest.fixture
def newsroom(make_article):
    """A few sources, authors, a topic tree, tags and articles in every state readers must or must not see."""
    now = timezone.now()
    frontier = Source.objects.create(name="The Frontier Post", slug="frontier")
    astana = Source.objects.create(name="Astana Times", slug="astana")
    hidden_source = Source.objects.create(name="Embargo Wire", slug="embargo")
    politics = Topic.objects.create(name="Politics", slug="politics")
    elections = Topic.objects.create(name="Elections", slug="elections", parent=politics)
    economy = Topic.objects.create(name="Economy", slug="economy")

    pipeline = make_article(
        "Pipeline deal signed",
        source=frontier,
        authors=["Alena Kazakova", "Web Desk"],
        status=Article.Status.PUBLISHED,
        published_at=now - timezone.timedelta(days=3),
        body="Kazakhstan and Russia signed a pipeline deal.\n\n## Terms\n\n- Oil\n- Gas",
        summary="A pipeline deal between two neighbours.",
        language="en",
    )
    pipeline.topics.add(economy)
    pipeline.tags.add("energy", "trade")
    vote = make_article(
        "Parliament votes on reform",
        source=astana,
        authors=["Marat Ospanov", "Alena Kazakova"],
        status=Article.Status.PUBLISHED,
        published_at=now - timezone.timedelta(days=2),
        body="The parliament voted on the election reform today.",
        summary="Lawmakers back the reform.",
        language="ru",
    )
    vote.topics.add(elections)
    vote.tags.add("trade")
    market = make_article(
        "Markets rally",
        source=frontier,
        authors=["Web Desk"],
        status=Article.Status.PUBLISHED,
        published_at=now - timezone.timedelta(days=1),
        body="Stocks rose across the region as trade picked up.",
        summary="Stocks rise.",
    )
    market.topics.add(politics)
    draft = make_article("Secret draft", source=hidden_source, authors=["Hidden Hand"], body="Not yet.")
    draft.tags.add("embargoed")
    scheduled = make_article(
        "Tomorrow's story",
        source=frontier,
        status=Article.Status.PUBLISHED,
        published_at=now + timezone.timedelta(days=1),
        body="Scheduled text.",
    )
    review = make_article("Under review", source=astana, status=Article.Status.REVIEW, body="Review text.")
    return SimpleNamespace(
        frontier=frontier,
        astana=astana,
        hidden_source=hidden_source,
        politics=politics,
        elections=elections,
        economy=economy,
        pipeline=pipeline,
        vote=vote,
        market=market,
        draft=draft,
        scheduled=scheduled,
        review=review,
        alena=Author.objects.get(name="Alena Kazakova"),
        hidden_author=Author.objects.get(name="Hidden Hand"),
        published=[market, vote, pipeline],
    )


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]
