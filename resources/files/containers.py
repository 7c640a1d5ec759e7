"""What a ZIP-based container may hold: one inspection for plain ZIPs, Office Open XML
(DOCX, XLSX, PPTX), OpenDocument (ODT, ODS, ODP) and EPUB alike.

Every container obeys the same member rules:

- Names are relative paths with forward slashes: no leading slash, no drive letter (C:/x,
  C:\\x), no backslash, no ".." and no NUL, so that no unpacking tool writes outside its
  folder.
- No programs, recognised by name (setup.exe, run.ps1) and by first bytes (MZ, ELF, Mach-O,
  #!), whatever the name says.
- No macros, recognised by what the container declares and by content, never by a part's
  name alone: [Content_Types].xml declaring a VBA project, a macro-enabled main part, an
  Excel 4 macro sheet or an ActiveX control; an OLE compound file (D0 CF 11 E0 A1 B1 1A E1)
  as any member, which is what VBA projects, ActiveX controls and embedded legacy objects
  (the carriers of the Equation Editor exploits) are, however they are renamed; a StarBasic
  module or a macro URL in an OpenDocument part.
- Web pages and scripts only where the format has use for them. An EPUB is made of XHTML
  chapters and may hold SVG: both are accepted, but not with scripts (<script>, javascript:
  URLs, on...= handlers), which a library of reports has no need for. Office and
  OpenDocument files have no HTML or JavaScript parts of their own (Word's "altChunk" web
  page, imported when the file is opened, is the one way to carry one, and is refused), so
  such parts are refused by declared content type, name and first bytes; their SVG images
  are accepted without scripts. A plain ZIP may only hold files that would be accepted on
  their own (check_loose_file), so no markup at all and no ZIP inside.
- No ZIP bombs. The sizes declared in the central directory may add up to at most
  ASMHUB_MAX_UNCOMPRESSED_SIZE, and neither a member nor the whole container may be
  compressed more than ASMHUB_MAX_COMPRESSION_RATIO to 1 (Apache POI's rule for Office
  files is the same 100:1); members and containers under RATIO_FLOOR are exempt, as they
  cannot expand to anything harmful. Headers can lie, so every member is then read through,
  counting what it really holds: a member that gives more (or fewer) bytes than it declares
  is refused, and its CRC is checked.

Reading every member costs at most the uncompressed cap in decompression, and nothing is
written to disk but an Office package nested in another (the workbook behind a chart in a
DOCX), which is inspected by the same rules, one level deep.
"""

import copy
import itertools
import lzma
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

HEAD_SIZE = 8192
CHUNK_SIZE = 64 * 1024
MAX_MEMBERS = 5000
MAX_NESTING = 1
MAX_CONTENT_TYPES_SIZE = 1024 * 1024
RATIO_FLOOR = 1024 * 1024
SCAN_OVERLAP = 512
SPOOL_IN_MEMORY = 8 * 1024 * 1024

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PROGRAM_MAGIC = (
    b"MZ",  # Windows executables and DLLs
    b"\x7fELF",  # Linux and other Unix executables
    b"\xfe\xed\xfa\xce",  # Mach-O (macOS)
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",  # scripts
)
PROGRAM_EXTENSIONS = frozenset(
    ".apk .app .bash .bat .class .cmd .com .cpl .deb .dll .dmg .drv .exe .hta .inf .jar .js "
    ".jse .lnk .mjs .msc .msi .msp .ocx .php .pif .pkg .pl .ps1 .psm1 .py .pyc .rb .reg .rpm "
    ".scf .scr .sh .so .dylib .sys .vb .vbe .vbs .wsf .wsh .zsh".split()
)
WEB_EXTENSIONS = frozenset(".htm .html .xhtml .xht .mht .mhtml .shtml".split())
WEB_CONTENT_TYPES = ("text/html", "xhtml", "message/rfc822", "multipart/related", "script")
MACRO_CONTENT_TYPES = ("vbaproject", "vbadata", "macroenabled", "macrosheet", "activex")
WEB_HEAD = re.compile(rb"<html|<!doctype\s+html|<script[\s>/]", re.IGNORECASE)
SCRIPT_SIGNS = re.compile(
    rb"<script[\s>/]|javascript:|<[a-z][^<>]{0,400}?\son[a-z]+\s*=\s*[\"']", re.IGNORECASE
)
ODF_MACRO_SIGNS = re.compile(rb"<script:module|vnd\.sun\.star\.script:|macro:///")
DRIVE_LETTER = re.compile(r"^[A-Za-z]:")

ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
    b"application/epub+zip": "epub",
}
OOXML_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
CONTENT_TYPE_ENTRY = re.compile(rb"<(Default|Override)\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(rb"""(\w+)\s*=\s*["']([^"']*)["']""")

PLAIN, OOXML, ODF, EPUB = "zip", "ooxml", "odf", "epub"


@dataclass
class Container:
    """What the member rules need to know about the container being inspected."""

    name: str
    family: str
    check_loose_file: Callable[[bytes, str, str], None]
    depth: int
    defaults: dict = field(default_factory=dict)
    overrides: dict = field(default_factory=dict)

    def content_type(self, member_name):
        """The content type [Content_Types].xml declares for a part ("" when none)."""
        declared = self.overrides.get(member_name.lower())
        if declared is None:
            declared = self.defaults.get(os.path.splitext(member_name)[1].lower().lstrip("."))
        return declared or ""


def inspect_container(handle, name, *, check_loose_file, depth=0):
    """Apply the member rules to the ZIP-based container open in handle and return its kind
    (a key of uploads.ALLOWED); raise ValidationError saying what to fix otherwise.

    check_loose_file(head, label, member_name) judges a member of a plain ZIP by its first
    bytes and name, as the file would be judged on its own."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _damaged(name) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise ValidationError(
                _("“%(name)s” holds more than %(max)s files; split it into several uploads."),
                code="zip",
                params={"name": name, "max": MAX_MEMBERS},
            )
        for member in members:
            _check_member_name(member, name)
            if member.flag_bits & 0x1:
                raise ValidationError(
                    _("“%(name)s” is encrypted and cannot be checked; upload it unencrypted."),
                    code="zip",
                    params={"name": f"{name}: {member.filename}"},
                )
        handle.seek(0, os.SEEK_END)
        _check_sizes(members, handle.tell(), name)
        kind, container = _identify(archive, name, check_loose_file, depth)
        for member in members:
            if not member.is_dir():
                _inspect_member(archive, member, container)
    return kind


def _check_member_name(member, name):
    inner = member.filename
    if (
        inner.startswith("/")
        or "\\" in inner
        or "\x00" in member.orig_filename
        or DRIVE_LETTER.match(inner)
        or ".." in inner.split("/")
    ):
        raise ValidationError(
            _(
                "“%(name)s” has a file with an unsafe path, “%(member)s”: paths inside an "
                "archive must be relative, with forward slashes, no drive letter and no “..”. "
                "Make the archive again from inside the folder that holds the files."
            ),
            code="zip",
            params={"name": name, "member": inner},
        )


def _check_sizes(members, archive_size, name):
    """Refuse a ZIP bomb by the sizes the central directory declares."""
    total = sum(member.file_size for member in members)
    cap = settings.ASMHUB_MAX_UNCOMPRESSED_SIZE
    if total > cap:
        raise ValidationError(
            _(
                "“%(name)s” expands to %(size)s when unpacked; at most %(limit)s is accepted. "
                "Split it into smaller uploads."
            ),
            code="zip_bomb",
            params={"name": name, "size": filesizeformat(total), "limit": filesizeformat(cap)},
        )
    limit = settings.ASMHUB_MAX_COMPRESSION_RATIO
    too_compressed = [
        (f"{name}: {member.filename}", member.file_size, member.compress_size)
        for member in members
        if member.file_size > RATIO_FLOOR and member.file_size > limit * member.compress_size
    ]
    if total > RATIO_FLOOR and total > limit * archive_size:
        too_compressed.append((name, total, archive_size))
    if too_compressed:
        label, size, compressed = too_compressed[0]
        raise ValidationError(
            _(
                "“%(name)s” is compressed %(ratio)s to 1 (%(size)s in %(compressed)s); at most "
                "%(limit)s to 1 is accepted, as more is the mark of a ZIP bomb. Upload the "
                "files uncompressed, or compress them with ordinary settings."
            ),
            code="zip_bomb",
            params={
                "name": label,
                "ratio": size // max(compressed, 1),
                "size": filesizeformat(size),
                "compressed": filesizeformat(compressed),
                "limit": limit,
            },
        )


def _identify(archive, name, check_loose_file, depth):
    """The container's kind and family: OpenDocument and EPUB name their type in a
    "mimetype" member, Office files have [Content_Types].xml and a folder per application;
    anything else is a plain ZIP."""
    names = {member.filename for member in archive.infolist()}
    if "mimetype" in names:
        mimetype = _read_small(archive, "mimetype", name, 100).strip()
        if mimetype not in ODF_MIMETYPES:
            raise ValidationError(
                _("“%(name)s” is a document container of an unaccepted type."),
                code="type",
                params={"name": name},
            )
        kind = ODF_MIMETYPES[mimetype]
        return kind, Container(name, EPUB if kind == "epub" else ODF, check_loose_file, depth)
    if "[Content_Types].xml" in names:
        container = Container(name, OOXML, check_loose_file, depth)
        content_types = _read_small(archive, "[Content_Types].xml", name, MAX_CONTENT_TYPES_SIZE)
        _read_content_types(content_types, container)
        declared = [*container.defaults.values(), *container.overrides.values()]
        macro = next((t for t in declared if _matches(t, MACRO_CONTENT_TYPES)), None)
        if macro is None and any(n.lower().endswith("vbaproject.bin") for n in names):
            macro = "vbaProject.bin"
        if macro is not None:
            raise _macros(name, macro)
        for folder, kind in OOXML_FOLDERS.items():
            if any(n.startswith(folder) for n in names):
                return kind, container
        raise ValidationError(
            _("“%(name)s” is an Office container of an unaccepted type."),
            code="type",
            params={"name": name},
        )
    return PLAIN, Container(name, PLAIN, check_loose_file, depth)


def _read_small(archive, member_name, name, limit):
    member = archive.getinfo(member_name)
    if member.file_size > limit:
        raise _damaged(name)
    return b"".join(_member_chunks(archive, member, f"{name}: {member_name}"))


def _read_content_types(text, container):
    for entry in CONTENT_TYPE_ENTRY.finditer(text):
        attributes = {
            key.decode("ascii").lower(): value.decode("utf-8", "replace")
            for key, value in ATTRIBUTE.findall(entry.group(2))
        }
        content_type = attributes.get("contenttype", "").lower()
        if entry.group(1).lower() == b"default":
            container.defaults[attributes.get("extension", "").lower()] = content_type
        else:
            part = attributes.get("partname", "").lstrip("/").lower()
            container.overrides[part] = content_type


def _matches(content_type, signs):
    return any(sign in content_type.lower() for sign in signs)


def _inspect_member(archive, member, container):
    inner = member.filename
    label = f"{container.name}: {inner}"
    extension = os.path.splitext(inner.lower())[1]
    if extension in PROGRAM_EXTENSIONS:
        raise _program(container.name, inner)
    if container.family in (OOXML, ODF) and (
        extension in WEB_EXTENSIONS or _matches(container.content_type(inner), WEB_CONTENT_TYPES)
    ):
        raise _web_page(container.name, inner)
    chunks = _member_chunks(archive, member, label)
    head = next(chunks, b"")
    nested = _check_head(head, inner, label, container)
    scan = _signs_to_scan(container.family, extension)
    tail = b""
    try:
        for chunk in itertools.chain([head], chunks):
            if scan is not None:
                window = tail + chunk
                if found := scan[0].search(window):
                    raise scan[1](container.name, inner, found.group(0))
                tail = window[-SCAN_OVERLAP:]
            if nested is not None:
                nested.write(chunk)
        if nested is not None:
            nested.seek(0)
            kind = inspect_container(
                nested,
                label,
                check_loose_file=container.check_loose_file,
                depth=container.depth + 1,
            )
            if kind == PLAIN:
                raise _zip_in_zip(label)
    finally:
        if nested is not None:
            nested.close()


def _check_head(head, inner, label, container):
    """Judge a member by its first bytes; return a spool to copy it into when it is an
    Office package nested in this one, to be inspected in turn."""
    if head.startswith(PROGRAM_MAGIC):
        raise _program(container.name, inner)
    if head.startswith(OLE_MAGIC):
        raise _macros(container.name, _("an OLE object or VBA project, “%s”") % inner)
    if container.family == PLAIN:
        container.check_loose_file(head, label, inner)
        return None
    if head.startswith(ZIP_MAGIC):
        if container.family == EPUB or container.depth >= MAX_NESTING:
            raise _zip_in_zip(label)
        return tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    if container.family != EPUB and WEB_HEAD.search(head):
        raise _web_page(container.name, inner)
    return None


def _signs_to_scan(family, extension):
    """The pattern a member's whole content is searched for, and the refusal it earns."""
    if family == EPUB and extension in WEB_EXTENSIONS | {".svg", ".xml"}:
        return SCRIPT_SIGNS, _script
    if family in (OOXML, ODF) and extension == ".svg":
        return SCRIPT_SIGNS, _script
    if family == ODF and extension == ".xml":
        return ODF_MACRO_SIGNS, lambda name, inner, sign: _macros(name, sign.decode())
    return None


def _member_chunks(archive, member, label):
    """A member's bytes, HEAD_SIZE first, then in chunks. zipfile stops at the size the
    header declares but other tools read to the end of the data, so the member is read as
    if it were a chunk longer: a member that holds more (or less) is refused. (Reading stops
    within that chunk, so zipfile never reaches the forged end and checks the CRC there.)"""
    declared = member.file_size
    probe = copy.copy(member)
    probe.file_size = declared + CHUNK_SIZE + 1
    received = 0
    try:
        with archive.open(probe) as stream:
            while chunk := stream.read(CHUNK_SIZE if received else HEAD_SIZE):
                received += len(chunk)
                if received > declared:
                    break
                yield chunk
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        RuntimeError,
        NotImplementedError,
        ValueError,
        zlib.error,
        lzma.LZMAError,
    ):
        raise _damaged(label) from None
    if received != declared:
        raise ValidationError(
            _(
                "“%(name)s” holds %(received)s bytes where its header says %(declared)s: the "
                "archive is damaged or forged. Make it again with an ordinary ZIP tool."
            ),
            code="zip_bomb",
            params={
                "name": label,
                "received": f"{received}+" if received > declared else received,
                "declared": declared,
            },
        )


def _damaged(name):
    return ValidationError(
        _("“%(name)s” is a damaged ZIP container; make it again and upload the new file."),
        code="zip",
        params={"name": name},
    )


def _program(name, inner):
    return ValidationError(
        _(
            "“%(name)s” holds a program or script, “%(member)s”; programs are never "
            "accepted. Remove it and upload the file again."
        ),
        code="program",
        params={"name": name, "member": inner},
    )


def _macros(name, detail):
    return ValidationError(
        _(
            "“%(name)s” contains macros or embedded objects (%(detail)s); macro-enabled "
            "files are not accepted. Save a copy without macros or embedded objects (or as "
            "PDF) and upload that."
        ),
        code="macros",
        params={"name": name, "detail": detail},
    )


def _web_page(name, inner):
    return ValidationError(
        _(
            "“%(name)s” holds a web page or script, “%(member)s”, which this kind of document "
            "has no use for. Save the document again without it (or as PDF) and upload that."
        ),
        code="markup",
        params={"name": name, "member": inner},
    )


def _script(name, inner, sign):
    return ValidationError(
        _(
            "“%(name)s” holds a script in “%(member)s” (%(sign)s); scripted documents are not "
            "accepted. Remove the script and upload the file again."
        ),
        code="markup",
        params={"name": name, "member": inner, "sign": sign.decode("utf-8", "replace")[:40]},
    )


def _zip_in_zip(name):
    return ValidationError(
        _("“%(name)s” is a ZIP inside a ZIP; upload the files in one ZIP."),
        code="zip",
        params={"name": name},
    )
