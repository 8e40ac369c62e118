"""Claims on rows: who may do a row's background work now, for how long, and proof of it.

Every queue delivers a task at least once, and sometimes twice (a redelivery, a second scheduler, a retry after a
worker died), so the right to work on a row lives in the row itself, not in the queue. A claim is two fields on the
row (`Claimable`): a token, and the time the claim lapses (a lease). It is taken with one conditional UPDATE, so two
schedulers or workers never hold it at once on either database; the task is handed the row's id and the token, and
proves its right with them before it starts and each time it renews the lease. A worker that dies stops renewing:
the lease lapses, the row is due again, and the scheduler gives it to another worker under a new token. The work
done is released with the fields that say what comes next (a feed's next check, a batch's status) in the same
UPDATE.

The fields live on the row's own model rather than in one table of claims for every model: "due and unclaimed"
is then one query of one table, with no generic relation to join through; the claim goes when its row does; and
the row's admin page shows who holds it.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone


class Claimable(models.Model):
    """The claim fields of a model whose rows get background work (a batch to import, a feed to poll)."""

    claim_token = models.UUIDField(null=True, blank=True, editable=False, help_text="The holder's proof of its claim.")
    claimed_until = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the claim lapses unless its holder renews it."
    )

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Claim:
    """A claim on one row: what a task is given (as `pk` and `token`) to prove its right to the row's work."""

    model: type[Claimable]
    pk: int
    token: str

    def __str__(self):
        return f"{self.model._meta.verbose_name} {self.pk}"


def lease() -> timedelta:
    """Return how long a claim lasts unless renewed (NEWSROOM_TASK_LEASE_SECONDS)."""
    return timedelta(seconds=settings.NEWSROOM_TASK_LEASE_SECONDS)


def unclaimed(now: datetime | None = None) -> Q:
    """Return the condition of a row nobody holds: never claimed, released, or its lease lapsed."""
    now = now or timezone.now()
    return Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)


def claim(queryset: models.QuerySet, *, limit: int | None = None, duration: timedelta | None = None) -> list[Claim]:
    """Claim up to `limit` rows of `queryset` that nobody holds; return the claims taken, all under one new token.

    The rows are chosen, then claimed by an UPDATE that checks again that nobody holds them, inside one
    transaction: on SQLite that transaction excludes every other writer, and on PostgreSQL the rows are chosen
    `FOR UPDATE SKIP LOCKED`, so a concurrent claimer passes over the rows being taken here and then sees them
    claimed. Either way a row is claimed by exactly one caller.
    """
    model, now = queryset.model, timezone.now()
    token = uuid.uuid4()
    with transaction.atomic(using=queryset.db):
        candidates = queryset.filter(unclaimed(now)).order_by("pk").select_for_update(skip_locked=True, of=("self",))
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        # The UPDATE checks the queryset's condition again, with "nobody holds it": a row that stopped being due
        # since it was chosen (its work finished) is not claimed.
        rows = queryset.filter(unclaimed(now), pk__in=ids).order_by()
        rows.update(claim_token=token, claimed_until=now + (duration or lease()))
        taken = model._default_manager.using(queryset.db).filter(pk__in=ids, claim_token=token)
        return [Claim(model, pk, token.hex) for pk in taken.order_by("pk").values_list("pk", flat=True)]


def claim_row(model: type[Claimable], pk: int, *, duration: timedelta | None = None, **fields) -> Claim | None:
    """Claim the row `pk` if nobody holds it, setting `fields` with it; return the claim, or None."""
    token, now = uuid.uuid4(), timezone.now()
    claimed = model._default_manager.filter(unclaimed(now), pk=pk).update(
        claim_token=token, claimed_until=now + (duration or lease()), **fields
    )
    return Claim(model, pk, token.hex) if claimed else None


def renew(claim: Claim, *, duration: timedelta | None = None, **fields) -> bool:
    """Extend the lease of `claim` (setting `fields` with it) if it is still the holder's; return whether it was.

    A task calls it first, to check that the row is still its own (a second delivery of the same task finds the
    claim released or passed to another), and then as it works, to keep the lease from lapsing.
    """
    now = timezone.now()
    return bool(
        holding(claim, now).update(claimed_until=now + (duration or lease()), **fields)  # still ours, lease and all
    )


def renew_all(model: type[Claimable], pks, token: str, *, duration: timedelta | None = None) -> list:
    """Extend the leases of the rows `pks` still held under `token`; return the pks of those (a task given several
    rows under one claim's token checks and keeps them with one UPDATE)."""
    now = timezone.now()
    held = model._default_manager.filter(pk__in=list(pks), claim_token=token, claimed_until__gt=now)
    with transaction.atomic(using=held.db):
        ids = list(held.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True))
        if ids:
            held.filter(pk__in=ids).update(claimed_until=now + (duration or lease()))
    return ids


def release(claim: Claim, **fields) -> bool:
    """Give up `claim` once its work is done, setting `fields` in the same UPDATE; return whether it was held."""
    return bool(holding(claim).update(claim_token=None, claimed_until=None, **fields))


def holding(claim: Claim, now: datetime | None = None) -> models.QuerySet:
    """Return the row of `claim` if the claim still holds it (the token is the row's and the lease has not lapsed)."""
    now = now or timezone.now()
    return claim.model._default_manager.filter(pk=claim.pk, claim_token=claim.token, claimed_until__gt=now)


def claim_is_held(token: str, pk, *, now: datetime | None = None) -> bool:
    """Return whether some claimable row `pk` (or one of the list `pk`) is still held under `token`, whatever its
    model."""
    now = now or timezone.now()
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return False
    pks = pk if isinstance(pk, list) else [pk]
    return any(
        model._default_manager.filter(pk__in=pks, claim_token=token, claimed_until__gt=now).exists()
        for model in claimable_models()
    )


def claimable_models() -> list[type[Claimable]]:
    from django.apps import apps

    return [model for model in apps.get_models() if issubclass(model, Claimable)]
