"""WSGI entry point (gunicorn newsroom.wsgi), with chunked request bodies made readable (newsroom/chunked.py)."""

import os

from django.core.wsgi import get_wsgi_application

from newsroom.chunked import ChunkedBodies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = ChunkedBodies(get_wsgi_application())
