"""Downloads of stored files: streamed in chunks, resumable with HTTP Range.

Works through the storage API, so it is the same code for files on local disk and in an
S3 bucket: a local file is read with seek() and read(); an object in a bucket is asked
for just the requested byte range (a ranged GET), so neither is ever read whole into
memory.
"""

import hashlib
import re

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

CHUNK_SIZE = 64 * 1024
RANGE_PATTERN = re.compile(r"^bytes=(\d*)-(\d*)$")
UNSATISFIABLE = "unsatisfiable"


def parse_range(header, size):
    """The inclusive (start, end) byte range a Range header asks of a file of size bytes;
    None to send the whole file; UNSATISFIABLE when the range lies past its end.

    Only a single range is honoured: for several ranges or another unit RFC 9110 lets a
    server answer with the whole file, which is what a resuming download never asks for.
    """
    match = RANGE_PATTERN.match((header or "").strip())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        suffix = int(last)
        if suffix == 0 or size == 0:
            return UNSATISFIABLE
        return max(size - suffix, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if last and end < start:
        return None
    if start >= size:
        return UNSATISFIABLE
    return start, min(end, size - 1)


def entity_tag(name, size):
    """A strong validator for If-Range: a changed file gets a new stored name or size."""
    digest = hashlib.sha256(f"{name}:{size}".encode()).hexdigest()[:24]
    return f'"{digest}"'


class StoredRange:
    """An iterable over bytes start..end of an opened stored file, closing it when done.

    The ranged GET to a bucket is sent here, before the response starts, so a store that
    fails makes a clean error answer instead of a truncated download."""

    def __init__(self, handle, start, end):
        self.handle = handle
        self.remaining = end - start + 1
        self.body = None
        obj = getattr(handle, "obj", None)  # an S3File of django-storages
        if obj is not None:
            self.body = obj.get(Range=f"bytes={start}-{end}")["Body"]
        else:
            handle.seek(start)

    def __iter__(self):
        while self.remaining > 0:
            if self.body is not None:
                chunk = self.body.read(min(CHUNK_SIZE, self.remaining))
            else:
                chunk = self.handle.read(min(CHUNK_SIZE, self.remaining))
            if not chunk:
                return
            self.remaining -= len(chunk)
            yield chunk

    def close(self):
        if self.body is not None:
            self.body.close()
        self.handle.close()


def ranged_file_response(request, handle, *, filename, content_type):
    """A streamed attachment of an opened stored file: 200 with the whole file, 206 with
    the Range asked for (unless If-Range names another version), 416 past the end."""
    size = handle.size
    etag = entity_tag(handle.name, size)
    byte_range = parse_range(request.headers.get("Range"), size)
    if_range = request.headers.get("If-Range")
    if byte_range is not None and if_range is not None and if_range != etag:
        byte_range = None
    if byte_range == UNSATISFIABLE:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = byte_range or (0, size - 1)
    if request.method == "HEAD" or size == 0:
        handle.close()
        response = StreamingHttpResponse([], status=206 if byte_range else 200)
    else:
        response = StreamingHttpResponse(
            StoredRange(handle, start, end), status=206 if byte_range else 200
        )
    response["Content-Length"] = str(end - start + 1 if size else 0)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    return response
