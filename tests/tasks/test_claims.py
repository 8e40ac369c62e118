"""Claims on rows (articles/claims.py), on the suite's database: one holder at a time, a lease that lapses, proof
by token."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import claims
from articles.models import ImportBatch

pytestmark = pytest.mark.django_db


def make_batches(n: int) -> list[int]:
    return [ImportBatch.objects.create(status=ImportBatch.Status.QUEUED).pk for _ in range(n)]


def test_a_claim_takes_every_unheld_row_once_and_a_second_claimer_gets_none():
    ids = make_batches(5)
    first = claims.claim(ImportBatch.objects.filter(pk__in=ids))
    second = claims.claim(ImportBatch.objects.filter(pk__in=ids))
    assert sorted(claim.pk for claim in first) == sorted(ids)
    assert len({claim.token for claim in first}) == 1, "one claim, one token"
    assert second == []
    for claim in first:
        assert ImportBatch.objects.get(pk=claim.pk).claim_token.hex == claim.token


def test_claiming_rows_chosen_before_another_claimer_took_them_takes_none_of_them():
    ids = make_batches(3)
    chosen_earlier = ImportBatch.objects.filter(pk__in=ids)  # what a slower scheduler read as due
    claims.claim(ImportBatch.objects.filter(pk__in=ids[:2]))
    late = claims.claim(chosen_earlier)
    assert [claim.pk for claim in late] == [ids[2]], "the UPDATE checks again that nobody holds each row"


def test_the_limit_bounds_how_many_rows_one_claim_takes():
    ids = make_batches(5)
    assert len(claims.claim(ImportBatch.objects.filter(pk__in=ids), limit=2)) == 2
    assert len(claims.claim(ImportBatch.objects.filter(pk__in=ids), limit=10)) == 3


def test_a_lapsed_lease_makes_the_row_claimable_again_under_a_new_token():
    [pk] = make_batches(1)
    [old] = claims.claim(ImportBatch.objects.filter(pk=pk))
    ImportBatch.objects.filter(pk=pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    [new] = claims.claim(ImportBatch.objects.filter(pk=pk))
    assert new.token != old.token
    assert not claims.renew(old), "the old holder's token no longer proves anything"
    assert not claims.release(old)
    assert claims.renew(new)


def test_renewing_extends_the_lease_and_sets_fields_only_for_the_holder():
    [pk] = make_batches(1)
    claim = claims.claim_row(ImportBatch, pk, duration=timedelta(seconds=30))
    before = ImportBatch.objects.get(pk=pk).claimed_until
    assert claims.renew(claim, duration=timedelta(hours=1), attempts=3)
    batch = ImportBatch.objects.get(pk=pk)
    assert batch.claimed_until > before + timedelta(minutes=30)
    assert batch.attempts == 3
    stranger = claims.Claim(ImportBatch, pk, "0" * 32)
    assert not claims.renew(stranger, attempts=9)
    assert ImportBatch.objects.get(pk=pk).attempts == 3


def test_a_lapsed_claim_cannot_be_renewed_even_before_anyone_else_takes_it():
    [pk] = make_batches(1)
    claim = claims.claim_row(ImportBatch, pk)
    ImportBatch.objects.filter(pk=pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert not claims.renew(claim), "a worker that lost its lease stops rather than race the next one"


def test_releasing_frees_the_row_and_sets_fields_in_the_same_update():
    [pk] = make_batches(1)
    claim = claims.claim_row(ImportBatch, pk)
    assert claims.claim_row(ImportBatch, pk) is None, "held already"
    assert claims.release(claim, error="done")
    batch = ImportBatch.objects.get(pk=pk)
    assert (batch.claim_token, batch.claimed_until, batch.error) == (None, None, "done")
    assert claims.claim_row(ImportBatch, pk) is not None


def test_claim_is_held_finds_the_row_of_a_token_whatever_its_model():
    [pk] = make_batches(1)
    claim = claims.claim_row(ImportBatch, pk)
    assert claims.claim_is_held(claim.token, pk)
    assert not claims.claim_is_held(claim.token, pk + 1)
    assert not claims.claim_is_held("not a token", pk)
    claims.release(claim)
    assert not claims.claim_is_held(claim.token, pk)


def test_the_lease_follows_the_setting(settings):
    settings.NEWSROOM_TASK_LEASE_SECONDS = 7
    [pk] = make_batches(1)
    started = timezone.now()
    claims.claim_row(ImportBatch, pk)
    until = ImportBatch.objects.get(pk=pk).claimed_until
    assert started + timedelta(seconds=7) <= until <= timezone.now() + timedelta(seconds=7)
