"""The production URLs plus `/bench/minimal/`: the floor any JSON API on this stack pays for the same 20 rows."""

from django.http import JsonResponse
from django.urls import path

from articles.models import Article
from newsroom.urls import urlpatterns as production_urlpatterns

MINIMAL_FIELDS = ("id", "slug", "title", "summary", "status", "language", "published_at", "updated_at", "word_count")


def minimal_list(request):
    rows = list(Article.objects.published().order_by("-published_at", "-id").values(*MINIMAL_FIELDS)[:20])
    return JsonResponse({"results": rows})


urlpatterns = [path("bench/minimal/", minimal_list), *production_urlpatterns]
