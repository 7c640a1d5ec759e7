"""A small picture of a PDF's first page, for result lists and resource pages.

Rendering a PDF someone uploaded is untrusted work, as parsing it is (extraction.py):
pdfium runs in a child process with a memory ceiling and a time limit, and a broken,
encrypted or hostile file gives no thumbnail and a log line, never an exception.

``render_thumbnail(data)`` is the one entry point: the bytes of a PDF in, a Thumbnail
(WebP bytes, width, height) or None out. This module is also the child's program
(``python -m resources.files.thumbnails`` reads the PDF on stdin, writes the WebP to
stdout), so it imports nothing of Django at the top.
"""

import io
import logging
import os
import subprocess
import sys
from dataclasses import dataclass

logger = logging.getLogger(__name__)

WIDTH = 160  # shown 80 CSS pixels wide: sharp on a phone's dense screen
MAX_HEIGHT = 320  # a long strip of a page is cut, not stretched
QUALITY = 55
MAX_FILE_BYTES = 100 * 1024 * 1024
TIMEOUT_SECONDS = 30
MEMORY_BYTES = 768 * 1024 * 1024


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    width: int
    height: int


def render_thumbnail(data, name=""):
    """The first page of the PDF in data as a WebP WIDTH pixels wide, or None when it
    cannot be rendered (not a PDF, broken, encrypted, too large, too slow)."""
    if len(data) > MAX_FILE_BYTES:
        logger.warning("No thumbnail of %s: larger than %s bytes", name, MAX_FILE_BYTES)
        return None
    try:
        completed = subprocess.run(  # noqa: S603 - our own module, no shell
            [sys.executable, "-m", "resources.files.thumbnails"],
            input=data,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            preexec_fn=_limit_child,  # noqa: PLW1509 - no threads are started before exec
            check=False,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
        )
    except subprocess.TimeoutExpired:
        logger.warning("No thumbnail of %s: took longer than %ss", name, TIMEOUT_SECONDS)
        return None
    if completed.returncode != 0 or not completed.stdout:
        reason = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        logger.warning("No thumbnail of %s: %s", name, reason[-1] if reason else "no image")
        return None
    from PIL import Image

    with Image.open(io.BytesIO(completed.stdout)) as image:
        if image.format != "WEBP":
            return None
        return Thumbnail(completed.stdout, image.width, image.height)


def _limit_child():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (TIMEOUT_SECONDS, TIMEOUT_SECONDS + 5))


# -- the child -------------------------------------------------------------------------------


def first_page_webp(data):
    """The child's work: render page one at WIDTH pixels, white behind transparency."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(data)
    try:
        page = document[0]
        page_width, _page_height = page.get_size()
        bitmap = page.render(scale=WIDTH / page_width if page_width else 1)
        image = bitmap.to_pil().convert("RGB")
    finally:
        document.close()
    if image.width != WIDTH:
        height = max(1, round(image.height * WIDTH / image.width))
        image = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
    if image.height > MAX_HEIGHT:
        image = image.crop((0, 0, WIDTH, MAX_HEIGHT))
    out = io.BytesIO()
    image.save(out, "WEBP", quality=QUALITY, method=6)
    return out.getvalue()


if __name__ == "__main__":
    sys.stdout.buffer.write(first_page_webp(sys.stdin.buffer.read()))
