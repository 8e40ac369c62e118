"""The public pages' addresses (see `articles/public/addresses.py` for how an article's is chosen)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from articles.public import views
from articles.public.sitemaps import ArticleSitemap

urlpatterns = [
    path("articles/<slug:slug>/", views.article_page, name="article-page"),
    path("articles/<slug:source_slug>/<slug:slug>/", views.article_page_in_source, name="article-page-in-source"),
    path("preview/articles/<int:pk>/", views.article_preview, name="article-preview"),
    path("sitemap.xml", sitemap, {"sitemaps": {"articles": ArticleSitemap}}, name="sitemap"),
]
