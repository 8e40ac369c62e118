"""URL map: the editorial admin, the REST API and the feeds."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "newsroom"
admin.site.site_title = "newsroom"
admin.site.index_title = "Editorial desk"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]
