"""Settings for the API benchmark: the production settings, plus a URLconf with the minimal comparison view."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
