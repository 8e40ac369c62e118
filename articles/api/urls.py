"""Routes of `/api/v1/`."""

from django.urls import path, re_path
from rest_framework.routers import DefaultRouter

from articles.api import changes, feeds, stories, views, webhooks
from articles.api.exceptions import not_found

app_name = "api"

router = DefaultRouter()
router.register("articles", views.ArticleViewSet, basename="article")
router.register("authors", views.AuthorViewSet, basename="author")
router.register("sources", views.SourceViewSet, basename="source")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("tags", views.TagViewSet, basename="tag")
router.register("imports", views.ImportViewSet, basename="import")
router.register("import-batches", views.ImportBatchViewSet, basename="import-batch")
router.register("feeds", feeds.FeedViewSet, basename="feed")
router.register("webhooks", webhooks.WebhookEndpointViewSet, basename="webhook")
router.register("stories", stories.StoryViewSet, basename="story")

urlpatterns = [
    path("changes/", changes.ChangeFeedView.as_view(), name="changes"),
    *router.urls,
    re_path(r"^.*$", not_found),
]
