"""The admin's sign-in locks after repeated failures, per address and per account, through the real login form."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
LIMIT = 5


@pytest.fixture(autouse=True)
def lockout_settings(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def sign_in(username: str, password: str, *, address="192.0.2.10", forwarded=None):
    """Post the admin's login form from `address` (and with an X-Forwarded-For, if given); return the response."""
    client = Client()
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def refused_as_locked(response) -> bool:
    return response.status_code == 429 and "Too many failed sign-in attempts" in response.content.decode()


def test_the_right_password_after_thirty_wrong_ones_is_refused_with_a_clear_page(editor):
    for n in range(30):
        response = sign_in("editor", f"guess-{n}")
        assert response.status_code in (200, 429)
    response = sign_in("editor", "pw-editor")
    assert refused_as_locked(response)
    assert int(response["Retry-After"]) == 15 * 60
    assert "15 minutes" in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_wrong_passwords_below_the_limit_still_let_the_right_one_in_and_are_forgotten(editor):
    for n in range(LIMIT - 1):
        assert sign_in("editor", f"guess-{n}").status_code == 200
    assert signed_in(sign_in("editor", "pw-editor"))
    assert not AccessAttempt.objects.filter(username="editor").exists()
    for n in range(LIMIT - 1):
        assert sign_in("editor", f"again-{n}").status_code == 200
    assert signed_in(sign_in("editor", "pw-editor"))


def test_an_address_that_failed_too_often_is_locked_for_every_account(editor, reporter):
    for n in range(LIMIT):
        sign_in(f"nobody-{n}", "wrong", address="192.0.2.20")
    assert refused_as_locked(sign_in("reporter", "pw-reporter", address="192.0.2.20"))
    assert signed_in(sign_in("reporter", "pw-reporter", address="192.0.2.21"))


def test_an_account_that_failed_too_often_is_locked_from_every_address(editor):
    for n in range(LIMIT):
        sign_in("editor", "wrong", address=f"192.0.2.{30 + n}")
    assert refused_as_locked(sign_in("editor", "pw-editor", address="198.51.100.1"))


def test_signing_in_with_your_own_account_does_not_reset_the_count_against_another(editor, reporter):
    for _ in range(LIMIT - 1):
        sign_in("editor", "guess", address="192.0.2.40")
    assert signed_in(sign_in("reporter", "pw-reporter", address="192.0.2.40"))
    sign_in("editor", "one-more", address="192.0.2.40")
    assert refused_as_locked(sign_in("editor", "pw-editor", address="198.51.100.2"))


def test_without_a_trusted_proxy_a_forwarded_for_header_is_ignored(settings, editor):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    for n in range(LIMIT):
        sign_in(f"someone-{n}", "wrong", address="192.0.2.50", forwarded=f"203.0.113.{n}")
    assert refused_as_locked(sign_in("editor", "pw-editor", address="192.0.2.50", forwarded="203.0.113.99"))


def test_behind_one_trusted_proxy_each_forwarded_client_is_counted_on_its_own(settings, editor, reporter):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.2"
    for n in range(LIMIT):
        sign_in(f"someone-{n}", "wrong", address=proxy, forwarded="203.0.113.7")
    assert refused_as_locked(sign_in("reporter", "pw-reporter", address=proxy, forwarded="203.0.113.7"))
    # A client cannot slip out by writing another address in front of the one the proxy appended.
    assert refused_as_locked(sign_in("reporter", "pw-reporter", address=proxy, forwarded="198.51.100.9, 203.0.113.7"))
    assert signed_in(sign_in("reporter", "pw-reporter", address=proxy, forwarded="203.0.113.8"))


def test_the_failure_limit_and_cool_off_come_from_settings(settings, editor):
    settings.AXES_FAILURE_LIMIT = 2
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    sign_in("editor", "wrong")
    assert sign_in("editor", "wrong").status_code == 429
    response = sign_in("editor", "pw-editor")
    assert refused_as_locked(response) and response["Retry-After"] == "60" and "1 minute " in response.content.decode()


def test_axes_reset_unlocks(editor):
    for n in range(LIMIT):
        sign_in("editor", f"guess-{n}")
    assert refused_as_locked(sign_in("editor", "pw-editor"))
    call_command("axes_reset", verbosity=0)
    assert signed_in(sign_in("editor", "pw-editor"))


def test_the_settings_read_the_environment(monkeypatch):
    import importlib

    import newsroom.settings

    monkeypatch.setenv("NEWSROOM_LOGIN_FAILURE_LIMIT", "7")
    monkeypatch.setenv("NEWSROOM_LOGIN_COOLOFF_MINUTES", "30")
    try:
        reloaded = importlib.reload(newsroom.settings)
        assert reloaded.AXES_FAILURE_LIMIT == 7
        assert reloaded.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
        assert reloaded.AXES_LOCKOUT_PARAMETERS == ["ip_address", "username"]
    finally:
        monkeypatch.delenv("NEWSROOM_LOGIN_FAILURE_LIMIT")
        monkeypatch.delenv("NEWSROOM_LOGIN_COOLOFF_MINUTES")
        importlib.reload(newsroom.settings)
