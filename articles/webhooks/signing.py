"""Standard Webhooks signatures: `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.

The secret is `whsec_` and base64 of the key's bytes; the receiver verifies with the same key, and refuses a
timestamp far from its clock (replays). Pure functions: the tests and the README's receiver check them.
"""

import base64
import hashlib
import hmac


def secret_bytes(secret: str) -> bytes:
    """Return the key of a `whsec_...` secret."""
    return base64.b64decode(secret.removeprefix("whsec_"))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Return the `webhook-signature` header's value for one message."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Return the three headers of a signed message, and its content type."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
        "content-type": "application/json",
    }


def verify(secret: str, message_id: str, timestamp: str, body: bytes, signature_header: str) -> bool:
    """Return whether any signature in `signature_header` (space-separated) is the message's."""
    expected = sign(secret, message_id, int(timestamp), body)
    return any(hmac.compare_digest(expected, given) for given in signature_header.split(" "))
