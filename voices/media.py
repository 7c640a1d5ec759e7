"""A voice's photo and recording: checked by content, and stripped of every piece of
metadata we know how to find before a byte is stored (docs/voices.md says exactly what).

Photos (JPEG, PNG, WebP) are decoded and re-encoded as a new JPEG from their pixels alone
by core.images (PHOTO names a photo's rules): no EXIF (so no GPS position, camera or
time), no XMP, no ICC profile, no comments; the orientation is applied to the pixels
first. Recordings are checked by their first bytes
(filetype), then opened as audio (mutagen), and cleaned for their format:

- MP3 and ADTS AAC: ID3v1, ID3v2 and APEv2 tags deleted (mutagen);
- Ogg Opus and Ogg Vorbis: the comment header emptied (mutagen); the encoder's vendor
  string, which the format requires, stays;
- M4A/MP4/3GP audio: every metadata box (udta, meta, uuid, ID32) turned into a "free" box
  of zeros, and the creation and modification times of mvhd, tkhd and mdhd set to zero,
  in place, so no sample offset moves; a file with a video track is refused;
- WAV: written anew with only its "fmt " and "data" chunks (LIST/INFO, id3, bext, iXML
  and every other chunk dropped);
- WebM: the Tags, Attachments and Chapters elements and the title, date and muxing and
  writing applications of Info turned into Void elements of zeros, in place (webm.py); a
  file with a video track is refused;
- AMR (narrow and wide band): the format has no place for metadata; its frames are read
  and anything after the last whole frame is dropped. Browsers do not play AMR: the page
  offers it as a download.

Other formats are refused with a message naming those accepted.
"""

import io
import secrets

import filetype
import mutagen
import mutagen.apev2
import mutagen.id3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from mutagen.aac import AAC
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

from core import images

from . import webm

# What filetype may call a phone's recording; mutagen then says what it really is.
AUDIO_SNIFFED = {
    "audio/mpeg",
    "audio/aac",
    "audio/mp4",
    "audio/m4a",
    "audio/ogg",
    "audio/x-wav",
    "audio/amr",
    "video/mp4",
    "video/3gpp",
    "video/quicktime",
    "video/webm",
}
# A voice's photo: any of JPEG, PNG and WebP, stored as a JPEG (core.images cleans it).
PHOTO = images.Picture(
    formats=frozenset({"JPEG", "PNG", "WEBP"}),
    box=(1600, 1600),
    max_pixels=40_000_000,
    store_as="JPEG",
    quality=82,
    wrong_type=_("The photo must be a JPEG, PNG or WebP image."),
    too_many_pixels=_("The photo has too many pixels; send a smaller one."),
    unreadable=_("The photo could not be read as an image."),
)


def _read(upload):
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _random_name(extension):
    return f"{secrets.token_hex(16)}.{extension}"


def clean_photo(upload):
    """A new JPEG made from the photo's pixels only, as a ContentFile with a random name."""
    images.check_size(upload, settings.ASMHUB_VOICE_MAX_PHOTO_SIZE)
    return images.cleaned(upload, PHOTO, _random_name("jpg"))


# ISO base media (MP4, M4A, 3GP) ------------------------------------------------------

MP4_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex"}
MP4_METADATA = {b"udta", b"meta", b"uuid", b"ID32", b"XMP_"}
MP4_TIMED = {b"mvhd", b"tkhd", b"mdhd"}


def _blank_mp4(buffer, start, end, handlers):
    """Blank metadata boxes between start and end of buffer in place; collect the
    handler types of the tracks (to refuse video)."""
    pos = start
    while pos + 8 <= end:
        size = int.from_bytes(buffer[pos : pos + 4], "big")
        kind = bytes(buffer[pos + 4 : pos + 8])
        header = 8
        if size == 1:
            size = int.from_bytes(buffer[pos + 8 : pos + 16], "big")
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise ValueError("a box runs past its container")
        body = pos + header
        if kind in MP4_METADATA:
            buffer[pos + 4 : pos + 8] = b"free"
            buffer[body : pos + size] = bytes(pos + size - body)
        elif kind in MP4_CONTAINERS:
            _blank_mp4(buffer, body, pos + size, handlers)
        elif kind in MP4_TIMED and body < pos + size:
            width = 8 if buffer[body] == 1 else 4
            buffer[body + 4 : body + 4 + 2 * width] = bytes(2 * width)
        elif kind == b"hdlr":
            handlers.add(bytes(buffer[body + 8 : body + 12]))
        pos += size


def _strip_mp4(data):
    buffer = bytearray(data)
    handlers = set()
    _blank_mp4(buffer, 0, len(buffer), handlers)
    if b"vide" in handlers:
        raise ValidationError(_("This is a video; send a sound recording or a photo."))
    if b"soun" not in handlers:
        raise ValueError("no sound track")
    return bytes(buffer)


# WAV -----------------------------------------------------------------------------------


def _strip_wav(data):
    """Only the "fmt " and "data" chunks, in a new RIFF file."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not RIFF WAVE")
    kept = {}
    pos = 12
    while pos + 8 <= len(data):
        chunk, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if chunk in (b"fmt ", b"data") and chunk not in kept:
            kept[chunk] = data[pos + 8 : pos + 8 + size]
        pos += 8 + size + (size & 1)
    if set(kept) != {b"fmt ", b"data"}:
        raise ValueError("no fmt or data chunk")
    body = b"WAVE"
    for chunk in (b"fmt ", b"data"):
        payload = kept[chunk]
        body += chunk + len(payload).to_bytes(4, "little") + payload + b"\0" * (len(payload) & 1)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


# AMR -----------------------------------------------------------------------------------

# Bytes of speech after the one-byte frame header, by frame type (RFC 4867, section 5.3).
AMR_NB_FRAME = {0: 12, 1: 13, 2: 15, 3: 17, 4: 19, 5: 20, 6: 26, 7: 31, 8: 5, 15: 0}
AMR_WB_FRAME = {0: 17, 1: 23, 2: 32, 3: 36, 4: 40, 5: 46, 6: 50, 7: 58, 8: 60, 9: 5, 15: 0}


def _strip_amr(data):
    """The magic and every whole frame; nothing after the last frame that parses."""
    wide = data.startswith(b"#!AMR-WB\n")
    if not wide and not data.startswith(b"#!AMR\n"):
        raise ValueError("not AMR")
    magic, sizes = (b"#!AMR-WB\n", AMR_WB_FRAME) if wide else (b"#!AMR\n", AMR_NB_FRAME)
    pos = len(magic)
    while pos < len(data):
        frame_type = (data[pos] >> 3) & 0x0F
        # The frame header's first bit and last two bits are always zero in a file.
        if data[pos] & 0x83 or frame_type not in sizes or pos + 1 + sizes[frame_type] > len(data):
            break
        pos += 1 + sizes[frame_type]
    if pos == len(magic):
        raise ValueError("no AMR frame")
    return data[:pos]


# The recording as a whole ---------------------------------------------------------------


def _strip_tags(data, kind):
    """Delete ID3/APE tags (MP3, AAC) or empty the comment header (Ogg) with mutagen."""
    handle = io.BytesIO(data)
    if kind in (MP3, AAC):
        mutagen.id3.delete(handle)
        handle.seek(0)
        mutagen.apev2.delete(handle)
    else:
        handle.seek(0)
        kind(handle).delete(handle)
    return handle.getvalue()


# mutagen's class: (stripper, stored extension, MIME type served)
AUDIO_FORMATS = {
    MP3: ("mp3", "audio/mpeg"),
    AAC: ("aac", "audio/aac"),
    OggOpus: ("opus", "audio/ogg"),
    OggVorbis: ("ogg", "audio/ogg"),
    MP4: ("m4a", "audio/mp4"),
    WAVE: ("wav", "audio/wav"),
}


def _mutagen_kind(data):
    try:
        found = mutagen.File(io.BytesIO(data), options=list(AUDIO_FORMATS))
    except mutagen.MutagenError:
        return None
    return type(found) if found is not None else None


def clean_audio(upload):
    """(ContentFile with a random name, MIME type) of the recording without its
    metadata; ValidationError saying what to send instead."""
    images.check_size(upload, settings.ASMHUB_VOICE_MAX_AUDIO_SIZE)
    data = _read(upload)
    sniffed = filetype.guess(data[:8192])
    refusal = _(
        "The recording must be M4A, AAC, MP3, Ogg (Opus or Vorbis), WebM, WAV or AMR audio."
    )
    if sniffed is None or sniffed.mime not in AUDIO_SNIFFED:
        raise ValidationError(refusal)
    try:
        if sniffed.mime == "audio/amr":
            cleaned, extension, mime = _strip_amr(data), "amr", "audio/amr"
        elif sniffed.mime == "video/webm":
            cleaned, extension, mime = webm.strip_webm(data), "webm", "audio/webm"
            if webm.strip_webm(cleaned) != cleaned:
                raise ValueError("metadata survived")
        else:
            kind = _mutagen_kind(data)
            if kind is None:
                raise ValidationError(refusal)
            extension, mime = AUDIO_FORMATS[kind]
            if kind is MP4:
                cleaned = _strip_mp4(data)
            elif kind is WAVE:
                cleaned = _strip_wav(data)
            else:
                cleaned = _strip_tags(data, kind)
            if _tags_left(cleaned, kind):
                raise ValueError("tags survived")
    except (ValueError, IndexError, mutagen.MutagenError):
        raise ValidationError(_("The recording could not be read as audio.")) from None
    return ContentFile(cleaned, name=_random_name(extension)), mime


def _tags_left(data, kind):
    """Whether mutagen still finds any tag in the cleaned file."""
    found = kind(io.BytesIO(data))
    tags = found.tags
    if kind in (OggOpus, OggVorbis):
        return bool(tags and list(tags.keys()))
    return bool(tags)
