"""Test settings: the project's settings with a fast password hasher and no throttling surprises."""

from newsroom.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
