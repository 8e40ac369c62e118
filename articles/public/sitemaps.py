"""`/sitemap.xml`: the public page of every published article, with its last change."""

from django.contrib.sitemaps import Sitemap

from articles.models import Article


class ArticleSitemap(Sitemap):
    limit = 5000  # Django pages the sitemap (`?p=`) past this many addresses

    def items(self):
        return (
            Article.objects.published()
            .select_related("source")
            .only("slug", "updated_at", "source__slug")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, article):
        return article.updated_at
