"""Signatures as the Standard Webhooks specification gives them."""

from articles.webhooks import signing

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MESSAGE_ID, TIMESTAMP, BODY = "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}'


def test_the_signature_is_the_specifications_example():
    assert signing.sign(SECRET, MESSAGE_ID, TIMESTAMP, BODY) == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_a_changed_body_or_timestamp_fails_verification():
    signature = signing.sign(SECRET, MESSAGE_ID, TIMESTAMP, BODY)
    assert signing.verify(SECRET, MESSAGE_ID, str(TIMESTAMP), BODY, f"v1,other {signature}")
    assert not signing.verify(SECRET, MESSAGE_ID, str(TIMESTAMP), BODY + b" ", signature)
    assert not signing.verify(SECRET, MESSAGE_ID, str(TIMESTAMP + 1), BODY, signature)
