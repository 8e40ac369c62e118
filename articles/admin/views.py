"""The desk's pages beyond Django's own: the import page, and the page where an action asks for one more choice."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFilesSent
from django.http import HttpResponseRedirect
from django.http.multipartparser import MultiPartParserError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_protect

from articles.admin.forms import ImportForm
from articles.admin.uploads import BoundedUploadHandler
from articles.models import Article

if TYPE_CHECKING:
    from articles.ingest import PieceResult


def action_choice_page(model_admin, request, queryset, *, template, title, form, **context):
    """Render the page where an action asks for one more choice; it posts back to the changelist's action."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "opts": model_admin.model._meta,
            "objects": queryset,
            "form": form,
            "media": model_admin.media + form.media,
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            **context,
        },
    )


def import_view(model_admin, request):
    """Upload or paste pieces and show what became of each, through the same pipeline as the command; many pieces
    or a large upload go on the task queue instead, and the page sends the editor to the batch to follow it.

    The upload is bounded before it is read: a request over NEWSROOM_UPLOAD_MAX_BYTES is refused from its
    Content-Length, and each file streams to a temporary file on disk and is stopped past NEWSROOM_IMPORT_MAX_BYTES.
    The page's URL is exempt from the CSRF middleware, which would read the body before the upload handler is in
    place; the token is checked here instead, right after the body is read and before anything is imported.
    """
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied
    if request.method != "POST":
        return _import_page(model_admin, request, ImportForm())
    refusal = _oversize_upload(request)
    if refusal:
        return _import_page(model_admin, request, ImportForm(), error=refusal, status=413)
    handler = BoundedUploadHandler(request, max_file_bytes=settings.NEWSROOM_IMPORT_MAX_BYTES)
    request.upload_handlers = [handler]
    try:
        request.POST, request.FILES  # noqa: B018 - read the body now, through the handler
    except (RequestDataTooBig, TooManyFilesSent, MultiPartParserError) as error:
        status = 400 if isinstance(error, MultiPartParserError) else 413
        return _import_page(model_admin, request, ImportForm(), error=_unreadable_upload(error), status=status)
    return _checked_import(request, model_admin, handler.refused)


@csrf_protect
def _checked_import(request, model_admin, refused_files):
    form = ImportForm(request.POST, request.FILES, refused_files=refused_files)
    if not form.is_valid():
        return _import_page(model_admin, request, form)
    from articles.ingest import ImportOptions, import_files
    from articles.ingest.queued import queue_import, should_queue

    options = ImportOptions(channel="admin", user=request.user, status=form.cleaned_data["status"], source=None)
    pieces = form.pieces()
    if should_queue(pieces):
        batch = queue_import(pieces, options)
        count = f"{len(pieces):,} piece{'s' if len(pieces) != 1 else ''}"
        messages.success(request, f"Queued: {count}; this page shows progress (reload it).")
        return HttpResponseRedirect(reverse("admin:articles_importbatch_change", args=[batch.pk]))
    report = import_files(pieces, options=options)
    show_records = request.user.has_perm("articles.view_importrecord")
    results = [describe_result(result, link_record=show_records) for result in report.results]
    return _import_page(model_admin, request, form, results=results, counts=sorted(report.counts.items()))


def _oversize_upload(request) -> str:
    """Return why the request is too large to read, from its Content-Length, or "" when it is not."""
    limit = settings.NEWSROOM_UPLOAD_MAX_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= limit:
        return ""
    return (
        f"The upload is {length:,} bytes, over the limit of {limit:,} bytes for one upload "
        "(NEWSROOM_UPLOAD_MAX_BYTES); nothing was imported. Upload fewer or smaller files at a time."
    )


def _unreadable_upload(error) -> str:
    if isinstance(error, MultiPartParserError):
        return f"The upload could not be read ({error}); nothing was imported."
    if isinstance(error, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return f"The upload has more than {limit:,} files; nothing was imported. Upload fewer files at a time."
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return (
        f"The pasted text is over the limit of {limit:,} bytes (DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE); nothing was "
        "imported. Upload the piece as a file instead."
    )


def _import_page(model_admin, request, form, *, results=None, counts=None, error="", status=200):
    return TemplateResponse(
        request,
        "admin/articles/article/import.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": "Import pieces",
            "opts": Article._meta,
            "form": form,
            "results": results,
            "counts": counts,
            "upload_error": error,
            "max_file_bytes": settings.NEWSROOM_IMPORT_MAX_BYTES,
            "max_upload_bytes": settings.NEWSROOM_UPLOAD_MAX_BYTES,
            "media": model_admin.media + form.media,
        },
        status=status,
    )


def describe_result(result: "PieceResult", *, link_record: bool) -> dict:
    """Return one row of the import page; the import record is linked for those who may open it (editors)."""
    article_id, record_id = result.article_id, result.record_id if link_record else None
    return {
        "origin": result.origin,
        "outcome": str(result.outcome),
        "title": result.title or "",
        "warnings": list(result.warnings),
        "error": result.error,
        "article_url": reverse("admin:articles_article_change", args=[article_id]) if article_id else None,
        "record_url": reverse("admin:articles_importrecord_change", args=[record_id]) if record_id else None,
    }
