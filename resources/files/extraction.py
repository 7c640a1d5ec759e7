"""Text of uploaded documents (PDF, DOCX, ODT, TXT) for the search index.

Parsing a document someone uploaded is untrusted work: a crafted PDF can loop or swallow
memory. So PDF, DOCX and ODT are parsed in a child process with a memory ceiling and a
time limit, and whatever goes wrong (a broken, encrypted or scanned file, a timeout) is
logged and gives no text, never an exception to the upload or the reindex.

``extract_text(file)`` is the one entry point; this module is also the child's program
(``python -m resources.files.extraction .pdf`` reads the file on stdin, writes text to stdout),
so it imports nothing of Django at the top.
"""

import io
import logging
import os
import subprocess
import sys

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
MAX_PAGES = 1000
TIMEOUT_SECONDS = 60
MEMORY_BYTES = 768 * 1024 * 1024
PARSED = (".pdf", ".docx", ".odt")


class NoText(Exception):
    """The document holds no extractable text (encrypted, scanned, empty)."""


def extract_text(file):
    """The text of file (a Django File or any object with read() and name), at most
    MAX_TEXT_CHARS characters; "" when the kind is unknown or the file cannot be read."""
    name = getattr(file, "name", "") or ""
    extension = os.path.splitext(name)[1].lower()
    if extension not in (*PARSED, ".txt"):
        return ""
    try:
        if hasattr(file, "open"):
            file.open("rb")
        data = file.read(MAX_FILE_BYTES + 1)
        if hasattr(file, "seek"):
            file.seek(0)
    except (OSError, ValueError) as error:
        logger.warning("Text of %s not extracted: cannot read it (%s)", name, error)
        return ""
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_FILE_BYTES:
        logger.warning("Text of %s not extracted: larger than %s bytes", name, MAX_FILE_BYTES)
        return ""
    if extension == ".txt":
        return clean(decode_text(data))
    return clean(_extract_in_child(extension, data, name))


def decode_text(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def clean(text):
    """At most MAX_TEXT_CHARS, without NUL (PostgreSQL refuses it in text)."""
    return text[:MAX_TEXT_CHARS].replace("\x00", " ").strip()


def _limit_child():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (TIMEOUT_SECONDS, TIMEOUT_SECONDS + 5))


def _extract_in_child(extension, data, name):
    try:
        completed = subprocess.run(  # noqa: S603 - our own module, no shell
            [sys.executable, "-m", "resources.files.extraction", extension],
            input=data,
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            preexec_fn=_limit_child,  # noqa: PLW1509 - no threads are started before exec
            check=False,
            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        )
    except subprocess.TimeoutExpired:
        logger.warning("Text of %s not extracted: took longer than %ss", name, TIMEOUT_SECONDS)
        return ""
    if completed.returncode != 0:
        reason = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        logger.warning(
            "Text of %s not extracted: %s", name, reason[-1] if reason else completed.returncode
        )
        return ""
    return completed.stdout.decode("utf-8", "replace")


# -- the child's parsers -------------------------------------------------------------------


def pdf_text(data):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise NoText("encrypted")
    parts, size = [], 0
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES or size >= MAX_TEXT_CHARS:
            break
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
    text = "\n".join(parts)
    if not text.strip():
        raise NoText("no text layer (a scan?)")
    return text


def docx_text(data):
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def odt_text(data):
    import zipfile
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("content.xml")
        if info.file_size > MAX_FILE_BYTES:
            raise NoText("content.xml too large")
        root = ElementTree.fromstring(archive.read(info))
    namespace = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    blocks = (e for e in root.iter() if e.tag in (f"{namespace}p", f"{namespace}h"))
    return "\n".join("".join(block.itertext()) for block in blocks)


PARSERS = {".pdf": pdf_text, ".docx": docx_text, ".odt": odt_text}


def main(argv):
    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    try:
        text = PARSERS[argv[1]](data)
    except Exception as error:  # noqa: BLE001 - any parser failure means "no text"
        sys.stderr.write(f"{type(error).__name__}: {error}\n")
        return 2
    sys.stdout.buffer.write(clean(text).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
