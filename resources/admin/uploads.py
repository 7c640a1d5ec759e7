"""Resumable uploads on the resource form: the core of the tus 1.0 protocol (creation
with POST, the offset with HEAD, each part with PATCH at that offset, termination with
DELETE) under /admin/resources/resource/uploads/, for the logged-in partner or curator.

The form's script (static/js/resumable-upload.js) sends the file in parts and, once the
server has checked it, puts the upload's id in a hidden field; the form then attaches
that file (`attach_upload`). Without JavaScript the plain file input sends the file."""

import base64
import binascii

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import path, reverse

from resources.curation import uploads
from resources.models import PendingUpload

TUS_VERSION = "1.0.0"


def tus_response(status, body="", **headers):
    response = HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def read_metadata(header):
    """tus Upload-Metadata: comma-separated `key base64value` pairs."""
    metadata = {}
    for pair in (header or "").split(","):
        key, _space, value = pair.strip().partition(" ")
        if not key:
            continue
        try:
            metadata[key] = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            metadata[key] = ""
    return metadata


def header_int(request, name):
    """A header's non-negative whole number, or None."""
    value = request.headers.get(name, "")
    return int(value) if value.isdigit() else None


class ResumableUploadMixin:
    """The resource admin's tus endpoints. admin_view checks CSRF on every POST, PATCH
    and DELETE: the script sends the form's token in X-CSRFToken."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("uploads/", view(self.uploads_view), name="resources_resource_uploads"),
            path(
                "uploads/<uuid:upload_id>/",
                view(self.upload_view),
                name="resources_resource_upload",
            ),
        ] + super().get_urls()

    def uploads_view(self, request):
        """OPTIONS: what the server supports. POST: start an upload."""
        if request.method == "OPTIONS":
            return tus_response(
                204,
                Tus_Version=TUS_VERSION,
                Tus_Extension="creation,termination",
                Tus_Max_Size=settings.ASMHUB_MAX_UPLOAD_SIZE,
            )
        if request.method != "POST":
            return tus_response(405, Allow="POST, OPTIONS")
        if request.headers.get("Tus-Resumable") != TUS_VERSION:
            return tus_response(412, Tus_Version=TUS_VERSION)
        length = header_int(request, "Upload-Length")
        if length is None:
            return tus_response(400, "Upload-Length is needed.")
        filename = read_metadata(request.headers.get("Upload-Metadata")).get("filename", "")
        try:
            upload = uploads.upload_start(user=request.user, filename=filename, length=length)
        except PermissionDenied as error:
            return tus_response(403, str(error))
        except uploads.TooLarge as error:
            return tus_response(413, str(error))
        except ValidationError as error:
            return tus_response(400, " ".join(error.messages))
        location = reverse("admin:resources_resource_upload", args=[upload.pk])
        return tus_response(201, Location=location, Upload_Offset=0)

    def upload_view(self, request, upload_id):
        """HEAD: how many bytes arrived. PATCH: the next part. DELETE: give up."""
        upload = PendingUpload.objects.of(request.user).filter(pk=upload_id).first()
        if upload is None or not uploads.may_upload(request.user):
            return tus_response(404)
        if request.method == "HEAD":
            return tus_response(200, Upload_Offset=upload.offset, Upload_Length=upload.length)
        if request.method == "DELETE":
            uploads.upload_discard(upload=upload)
            return tus_response(204)
        if request.method != "PATCH":
            return tus_response(405, Allow="HEAD, PATCH, DELETE")
        return self.upload_patch(request, upload)

    def upload_patch(self, request, upload):
        if request.headers.get("Tus-Resumable") != TUS_VERSION:
            return tus_response(412, Tus_Version=TUS_VERSION)
        if request.content_type != "application/offset+octet-stream":
            return tus_response(415)
        offset = header_int(request, "Upload-Offset")
        size = header_int(request, "Content-Length")
        if offset is None or size is None:
            return tus_response(400, "Upload-Offset and Content-Length are needed.")
        if size > settings.ASMHUB_UPLOAD_CHUNK_SIZE or offset + size > upload.length:
            return tus_response(413, Upload_Offset=upload.offset)
        data = request.read(size)
        if len(data) != size:
            # The connection dropped inside the part: keep nothing of it.
            return tus_response(400, Upload_Offset=upload.offset)
        try:
            upload = uploads.upload_append(upload=upload, offset=offset, data=data)
        except uploads.OffsetMismatch as mismatch:
            return tus_response(409, Upload_Offset=mismatch.args[0])
        except uploads.TooLarge as error:
            return tus_response(413, str(error), Upload_Offset=upload.offset)
        except ValidationError as error:
            # Checked when complete and refused: the upload and its parts are gone.
            return tus_response(422, " ".join(error.messages))
        return tus_response(204, Upload_Offset=upload.offset)
