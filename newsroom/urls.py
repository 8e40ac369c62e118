"""URL map: the editorial admin, the REST API, the feeds and the public article pages."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from articles import demo, syndication
from articles.api.exceptions import not_found

admin.site.site_header = "newsroom"
admin.site.site_title = "newsroom"
admin.site.index_title = "Editorial desk"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    re_path(r"^api/", not_found),
    path("feeds/", include(syndication.urlpatterns)),
    path("", include("articles.public.urls")),
]

if settings.DEBUG:  # the demo feed `make run` subscribes to; never served in production
    urlpatterns.append(path("demo/feed.xml", demo.demo_feed, name="demo-feed"))

handler500 = "articles.api.exceptions.server_error"
