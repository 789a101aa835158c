"""The media library's pages, and the two views that hand its files to members (never MEDIA_URL).

Roles: the publishing area of the permission matrix (accounts/permissions.py): who sees the publishing calendar
sees the library; who edits publications uploads, files and deletes."""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import area_required
from accounts.permissions import can

from . import selectors, services, signed
from .forms import MediaEditForm, UploadForm
from .models import MediaFile


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@area_required("publishing", "view")
def library(request: HttpRequest) -> HttpResponse:
    filters = selectors.LibraryFilters.from_query(request.GET)
    page = selectors.library_page(workspace=request.workspace, filters=filters, page_number=request.GET.get("page"))
    context = {
        "page": page,
        "files": page.object_list,
        "filters": filters,
        "kinds": MediaFile.Kind.choices,
        "can_edit": can(request.membership.role, "publishing", "edit"),
        # The tiles write their addresses from it (<pk>/, <pk>/thumbnail/: urls.py), not 96 reverse() calls.
        "library_url": reverse("media_library:library"),
        **selectors.filter_choices(workspace=request.workspace, filters=filters),
    }
    return render(request, "media_library/library.html", context)


def _uploaded(media: MediaFile) -> dict:
    return {
        "name": media.original_name,
        "ok": True,
        "id": media.pk,
        "detail": reverse("media_library:detail", args=[media.pk]),
        "thumbnail": reverse("media_library:thumbnail", args=[media.pk]) if media.thumbnail else "",
        "alt": media.alt_text,
    }


def _upload_page(request, form, status=200) -> HttpResponse:
    limits = {"max_image_mb": settings.MEDIA_LIBRARY_MAX_IMAGE_MB, "max_video_mb": settings.MEDIA_LIBRARY_MAX_VIDEO_MB}
    return render(request, "media_library/upload.html", {"form": form, **limits}, status=status)


@area_required("publishing", "edit")
def upload(request: HttpRequest) -> HttpResponse:
    """Several files at once: the page's script sends them one request each (a progress bar each) and reads JSON;
    without the script the form posts them all and the library page says what happened to each."""
    if request.method != "POST":
        return _upload_page(request, UploadForm(workspace=request.workspace))
    form = UploadForm(request.POST, request.FILES, workspace=request.workspace)
    uploads = request.FILES.getlist("files")
    if form.is_valid() and not uploads:
        form.add_error("files", "Choose at least one file.")
    if not form.is_valid():
        if _wants_json(request):
            errors = [
                f"{form[name].label}: {' '.join(e)}" if name != "__all__" else " ".join(e)
                for name, e in form.errors.items()
            ]
            return JsonResponse({"files": [], "error": " ".join(errors)}, status=400)
        return _upload_page(request, form, status=400)
    tags = services.tags_from_text(workspace=request.workspace, text=form.cleaned_data["tags"])
    results = []
    for file in uploads:
        try:
            media = services.media_upload(
                workspace=request.workspace, upload=file, by=request.user, folder=form.cleaned_data["folder"], tags=tags
            )
        except ValidationError as error:
            results.append({"name": file.name, "ok": False, "error": " ".join(error.messages)})
        else:
            results.append(_uploaded(media))
    if _wants_json(request):
        return JsonResponse({"files": results}, status=200 if all(r["ok"] for r in results) else 400)
    for result in results:
        if result["ok"]:
            messages.success(request, f"{result['name']}: uploaded.")
        else:
            messages.error(request, f"{result['name']}: {result['error']}")
    return redirect("media_library:library")


@area_required("publishing", "view")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    media = selectors.media_file_for(workspace=request.workspace, pk=pk)
    return _detail_page(request, media, MediaEditForm(instance=media, workspace=request.workspace))


def _detail_page(request, media, form, status=200) -> HttpResponse:
    context = {
        "media": media,
        "form": form,
        "used_in": selectors.used_in(media_file=media),
        "can_edit": can(request.membership.role, "publishing", "edit"),
        "delete_refusal": services.delete_refusal(media),
    }
    return render(request, "media_library/detail.html", context, status=status)


@area_required("publishing", "edit")
@require_POST
def update(request: HttpRequest, pk: int) -> HttpResponse:
    media = selectors.media_file_for(workspace=request.workspace, pk=pk)
    form = MediaEditForm(request.POST, instance=media, workspace=request.workspace)
    if form.is_valid():
        data = form.cleaned_data
        try:
            folder = data["folder"]
            if data["new_folder"].strip():
                folder = services.folder_get_or_create(workspace=request.workspace, name=data["new_folder"])
            tags = services.tags_from_text(workspace=request.workspace, text=data["tags_text"])
            services.media_update(media_file=media, alt_text=data["alt_text"], folder=folder, tags=tags)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved.")
            return redirect("media_library:detail", pk=media.pk)
    media = selectors.media_file_for(workspace=request.workspace, pk=pk)
    return _detail_page(request, media, form, status=400)


@area_required("publishing", "edit")
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    media = selectors.media_file_for(workspace=request.workspace, pk=pk)
    try:
        services.media_delete(media_file=media)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("media_library:detail", pk=media.pk)
    messages.success(request, f"{media.original_name} deleted.")
    return redirect("media_library:library")


def _serve(field_file, *, content_type: str, download_name: str, inline: bool) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=not inline, filename=download_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The one range `Range: bytes=a-b` asks for, within the file (None: serve it whole)."""
    match = RANGE.match(header.strip())
    if not match or not any(match.groups()) or size == 0:
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    return (start, end) if start <= end and start < size else None


def _partial(field_file, *, content_type: str, start: int, end: int, size: int) -> StreamingHttpResponse:
    """206 with the bytes start..end: browsers seek in a video this way (Safari plays none without it)."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None

    def chunks():
        with handle:
            handle.seek(start)
            left = end - start + 1
            while left > 0:
                data = handle.read(min(CHUNK, left))
                if not data:
                    return
                left -= len(data)
                yield data

    response = StreamingHttpResponse(chunks(), status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Content-Disposition"] = "inline"
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@area_required("publishing", "view")
def file(request: HttpRequest, pk: int) -> HttpResponse:
    """The file itself: images and videos shown in place, with the type their bytes were found to be at upload
    (`?download=1` saves it under the name it was uploaded with); a video answers a byte range."""
    media = selectors.media_file_for(workspace=request.workspace, pk=pk)
    wanted = (
        _byte_range(request.headers.get("Range", ""), media.size_bytes) if not request.GET.get("download") else None
    )
    if wanted is not None:
        return _partial(
            media.file, content_type=media.content_type, start=wanted[0], end=wanted[1], size=media.size_bytes
        )
    response = _serve(
        media.file,
        content_type=media.content_type,
        download_name=media.original_name,
        inline=not request.GET.get("download"),
    )
    response["Accept-Ranges"] = "bytes"
    return response


@area_required("publishing", "view")
def thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    media = selectors.media_file_for(workspace=request.workspace, pk=pk)
    if not media.thumbnail:
        raise Http404
    return _serve(media.thumbnail, content_type="image/jpeg", download_name="thumbnail.jpg", inline=True)


@login_not_required
def signed_file(request: HttpRequest, token: str) -> HttpResponse:
    """A library file for a network that fetches the media itself (media_library/signed.py): the signed, expiring
    token is the key, to that one file only; anything else answers 404."""
    found = signed.file_of(token)
    media = MediaFile.objects.filter(pk=found[0], workspace_id=found[1]).first() if found else None
    if media is None:
        raise Http404
    response = _serve(media.file, content_type=media.content_type, download_name=media.original_name, inline=True)
    response["Cache-Control"] = "no-store"
    return response
