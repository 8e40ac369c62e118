"""The editorial admin: the desk where editors find pieces, fix them and move them through the workflow.

One module a job, as in Django's own admin. The model admins are declarations: `articles` (the article admin and
its byline inline), `authors`, `sources`, `topics` (on `counts`: rows with their number of articles),
`suggestions` (topic suggestions, accepted or rejected), `imports` (the import log), `feeds` (the subscriptions and
their health), `stories` (a story's page and the "possibly the same story" queue) and `reading` (an article's quotes
and the entity suggestions editors accept as tags). Around them: `actions` (the workflow actions, each a call into
`articles.workflow`), `changelists` (paging, search, the date drill-down, the topic tree), `dashboard` and `charts`
(the home page),
`filters`, `forms`, `views` (the import page and the actions' intermediate pages), `provenance` (how an article
arrived; the history's diffs) and `uploads` (the import page's upload handler). This module registers the model
admins.
"""

from django.contrib import admin

from articles.admin.articles import ArticleAdmin
from articles.admin.authors import AuthorAdmin
from articles.admin.feeds import FeedAdmin
from articles.admin.imports import ImportBatchAdmin, ImportRecordAdmin
from articles.admin.reading import EntitySuggestionAdmin
from articles.admin.sources import SourceAdmin
from articles.admin.stories import StoryAdmin, StoryCandidateAdmin
from articles.admin.suggestions import TopicSuggestionAdmin
from articles.admin.topics import TopicAdmin
from articles.admin.webhooks import WebhookDeliveryAdmin, WebhookEndpointAdmin
from articles.models import (
    Article,
    Author,
    EntitySuggestion,
    Feed,
    ImportBatch,
    ImportRecord,
    Source,
    Story,
    StoryCandidate,
    Topic,
    TopicSuggestion,
    WebhookDelivery,
    WebhookEndpoint,
)

# The home page is the desk's dashboard (articles.admin.dashboard), above the stock list of models.
admin.site.index_template = "admin/articles/dashboard.html"

admin.site.register(Article, ArticleAdmin)
admin.site.register(Author, AuthorAdmin)
admin.site.register(Source, SourceAdmin)
admin.site.register(Topic, TopicAdmin)
admin.site.register(EntitySuggestion, EntitySuggestionAdmin)
admin.site.register(TopicSuggestion, TopicSuggestionAdmin)
admin.site.register(ImportBatch, ImportBatchAdmin)
admin.site.register(ImportRecord, ImportRecordAdmin)
admin.site.register(Feed, FeedAdmin)
admin.site.register(Story, StoryAdmin)
admin.site.register(StoryCandidate, StoryCandidateAdmin)
admin.site.register(WebhookEndpoint, WebhookEndpointAdmin)
admin.site.register(WebhookDelivery, WebhookDeliveryAdmin)
