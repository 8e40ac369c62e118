"""The desk's actions, as Django's own `delete_selected` is written: module-level functions the model admins list.

Each workflow action is one call of a service in `articles.workflow`, which checks the user's permission itself and
records history; `apply_workflow` tells the editor what changed. The actions that need one more choice (the
original of duplicates, the author to keep) ask for it on a page of their own first (`views.action_choice_page`).
"""

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html

from articles import workflow
from articles.admin.forms import BulkEditForm, MarkDuplicateForm, MergeAuthorsForm
from articles.admin.views import action_choice_page
from articles.ingest.retry import reimport_records, retry_options

# Records one action imports again within the request; more is a job for the command line or a narrower filter.
REIMPORT_LIMIT = 1000

LIST_AND_FORM = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


def apply_workflow(model_admin, request, queryset, service, *, done: str, **kwargs):
    """Run a workflow service over the selected articles and tell the editor what changed and what did not."""
    articles = list(queryset)
    try:
        changed = service(articles, user=request.user, **kwargs)
    except PermissionDenied as error:
        model_admin.message_user(request, f"Nothing was changed: {error}", messages.ERROR)
        return None
    except ValidationError as error:
        model_admin.message_user(request, f"Nothing was changed: {' '.join(error.messages)}", messages.ERROR)
        return None
    left = len(articles) - changed
    text = f"{done} {changed} article{'s' if changed != 1 else ''}."
    if left:
        text += f" {left} left as {'it was' if left == 1 else 'they were'} (already in that state or not eligible)."
    model_admin.message_user(request, text, messages.SUCCESS if changed else messages.WARNING)
    return None


@admin.action(
    description="Publish",
    description_plural="Publish selected articles",
    permissions=["publish"],
    location=LIST_AND_FORM,
)
def publish(model_admin, request, queryset):
    return apply_workflow(model_admin, request, queryset, workflow.publish, done="Published")


@admin.action(
    description="Send to review",
    description_plural="Send selected articles to review",
    permissions=["change"],
    location=LIST_AND_FORM,
)
def send_to_review(model_admin, request, queryset):
    return apply_workflow(model_admin, request, queryset, workflow.send_to_review, done="Sent to review")


@admin.action(
    description="Unpublish",
    description_plural="Unpublish selected articles",
    permissions=["publish"],
    location=LIST_AND_FORM,
)
def unpublish(model_admin, request, queryset):
    return apply_workflow(model_admin, request, queryset, workflow.unpublish, done="Unpublished")


@admin.action(
    description="Archive",
    description_plural="Archive selected articles",
    permissions=["change"],
    location=LIST_AND_FORM,
)
def archive(model_admin, request, queryset):
    return apply_workflow(model_admin, request, queryset, workflow.archive, done="Archived")


@admin.action(description="Mark selected articles as duplicates of…", permissions=["change"])
def mark_as_duplicate(model_admin, request, queryset):
    form = MarkDuplicateForm(request.POST if "confirm" in request.POST else None, admin_site=model_admin.admin_site)
    if form.is_valid():
        original = form.cleaned_data["original"]
        done = f"Marked as duplicates of “{original}”:"
        return apply_workflow(model_admin, request, queryset, workflow.mark_duplicate, done=done, original=original)
    return action_choice_page(
        model_admin,
        request,
        queryset,
        template="admin/articles/article/mark_duplicate.html",
        title="Mark as duplicate of another article",
        form=form,
    )


@admin.action(description="Edit selected articles (topics, tags, source, status)…", permissions=["change"])
def bulk_edit(model_admin, request, queryset):
    """Ask what to change, then change it article by article (`workflow.bulk_edit`) and report what was changed
    and what was skipped, and why."""
    form = BulkEditForm(request.POST if "confirm" in request.POST else None, admin_site=model_admin.admin_site)
    if not form.is_valid():
        return action_choice_page(
            model_admin,
            request,
            queryset,
            template="admin/articles/article/bulk_edit.html",
            title="Edit the selected articles",
            form=form,
        )
    choices = form.cleaned_data
    try:
        report = workflow.bulk_edit(
            list(queryset.select_related("source").prefetch_related("topics")),
            user=request.user,
            topics=list(choices["topics"]),
            tags=choices["tags"],
            source=choices["source"],
            status=choices["status"] or None,
        )
    except PermissionDenied as error:
        model_admin.message_user(request, f"Nothing was changed: {error}", messages.ERROR)
        return None
    changed = len(report.changed)
    model_admin.message_user(
        request,
        f"Changed {changed} article{'s' if changed != 1 else ''}.",
        messages.SUCCESS if changed else messages.WARNING,
    )
    for article, reason in report.skipped:
        model_admin.message_user(request, f"Skipped “{article}” (#{article.pk}): {reason}", messages.WARNING)
    return None


@admin.action(description="Merge selected authors into one…", permissions=["delete"])
def merge_into(model_admin, request, queryset):
    authors = queryset.with_article_counts()
    form = MergeAuthorsForm(request.POST if "confirm" in request.POST else None, authors=authors)
    if form.is_valid():
        into = form.cleaned_data["into"]
        try:
            merged = workflow.merge_authors(list(queryset.exclude(pk=into.pk)), into=into, user=request.user)
        except PermissionDenied as error:
            model_admin.message_user(request, f"Nothing was changed: {error}", messages.ERROR)
            return None
        model_admin.message_user(request, f"Merged {merged} author{'s' if merged != 1 else ''} into “{into}”.")
        return None
    return action_choice_page(
        model_admin, request, authors, template="admin/articles/author/merge.html", title="Merge authors", form=form
    )


def reimport(model_admin, request, queryset, *, done: str) -> None:
    """Import the selected records' raw bytes again as one new import and tell the editor what became of them."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True)[: REIMPORT_LIMIT + 1])
    if not ids:
        model_admin.message_user(request, "No import record to import again was selected.", messages.WARNING)
        return None
    if len(ids) > REIMPORT_LIMIT:
        model_admin.message_user(
            request, f"Select at most {REIMPORT_LIMIT:,} records at once (filter the list first).", messages.ERROR
        )
        return None
    report = reimport_records(ids, retry_options(request.user))
    counts = ", ".join(f"{n} {outcome}" for outcome, n in report.summary().items() if n)
    url = reverse("admin:articles_importrecord_changelist") + f"?batch__id__exact={report.batch_id}"
    text = f"{done} {report.total} piece{'s' if report.total != 1 else ''} as import {report.batch_id}: {counts}."
    level = messages.WARNING if report.failed else messages.SUCCESS
    model_admin.message_user(request, format_html('{} <a href="{}">See the new records.</a>', text, url), level)
    return None


@admin.action(description="Retry the selected failed pieces", permissions=["import"])
def retry_failures(model_admin, request, queryset):
    return reimport(model_admin, request, queryset.filter(outcome="failed"), done="Retried")


@admin.action(description="Re-derive the selected pieces with today's cleaner", permissions=["import"])
def rederive(model_admin, request, queryset):
    return reimport(model_admin, request, queryset, done="Re-derived")


@admin.action(description="Retry selected queued imports that stopped", permissions=["retry"])
def retry_imports(model_admin, request, queryset):
    """Give each selected queued import that still has pieces waiting a fresh set of attempts (`failed` ones,
    typically); the others are left as they are."""
    from articles.ingest.queued import requeue_import

    chosen = list(queryset.values_list("pk", flat=True))
    retried = sum(requeue_import(pk) for pk in chosen)
    left = len(chosen) - retried
    text = f"Queued again: {retried} import{'s' if retried != 1 else ''}."
    if left:
        text += f" {left} left as {'it was' if left == 1 else 'they were'} (no pieces waiting, or a worker holds it)."
    model_admin.message_user(request, text, messages.SUCCESS if retried else messages.WARNING)
