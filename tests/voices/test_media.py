"""What is stored of a shared photo or recording: the picture and the sound, none of the
metadata, checked with independent readers (exifread, Pillow, mutagen, wave)."""

import io
import wave

import exifread
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from mutagen.id3 import ID3, TXXX
from mutagen.mp3 import MP3
from PIL import Image

from voices import media

from .samples import LOCATION_TEXT, gps_jpeg, tagged_wav, tone_wav


def upload(data, name="file.bin"):
    return SimpleUploadedFile(name, data)


def test_a_jpeg_loses_its_gps_position_and_camera_but_keeps_its_picture():
    original = gps_jpeg()
    assert any(tag.startswith("GPS") for tag in exifread.process_file(io.BytesIO(original)))

    stored = media.clean_photo(upload(original, "IMG_0001.jpg")).read()

    assert exifread.process_file(io.BytesIO(stored)) == {}
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (120, 80)
        assert not image.getexif()
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert image.getpixel((60, 40))[0] > 150  # still the orange picture
    assert b"PhoneMaker" not in stored and b"Exif" not in stored


@pytest.mark.parametrize("kind", ["PNG", "WEBP"])
def test_png_and_webp_become_a_plain_jpeg(kind):
    image = Image.new("RGBA", (30, 30), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, kind, exif=Image.Exif().tobytes())
    stored = media.clean_photo(upload(out.getvalue())).read()
    with Image.open(io.BytesIO(stored)) as cleaned:
        assert cleaned.format == "JPEG" and cleaned.getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize(
    "data",
    [b"<html><script>alert(1)</script></html>", b"GIF89a" + bytes(40), b"\xff\xd8\xff" + bytes(9)],
)
def test_what_is_not_a_readable_photo_is_refused(data):
    with pytest.raises(ValidationError):
        media.clean_photo(upload(data, "photo.jpg"))


def test_an_oversized_photo_is_refused_saying_the_limit(settings):
    settings.ASMHUB_VOICE_MAX_PHOTO_SIZE = 1000
    with pytest.raises(ValidationError) as error:
        media.clean_photo(upload(gps_jpeg(size=(400, 400))))
    assert "1000" in str(error.value) or "KB" in str(error.value) or "bytes" in str(error.value)


def test_a_wav_keeps_only_its_sound():
    original = tagged_wav()
    assert LOCATION_TEXT in original and b"Amina" in original

    cleaned, mime = media.clean_audio(upload(original, "recording.wav"))
    stored = cleaned.read()

    assert mime == "audio/wav" and cleaned.name.endswith(".wav")
    assert LOCATION_TEXT not in stored and b"Amina" not in stored
    assert b"LIST" not in stored and b"id3 " not in stored
    assert stored == tone_wav()  # the same sound, byte for byte
    with wave.open(io.BytesIO(stored)) as sound:
        assert sound.getnframes() == 4000


def mp3_with_location():
    frame = bytes([0xFF, 0xFB, 0x90, 0x64]) + bytes(413)  # MPEG-1 layer III, 128 kb/s
    handle = io.BytesIO(frame * 40)
    tags = ID3()
    tags.add(TXXX(encoding=3, desc="location", text=[LOCATION_TEXT.decode()]))
    tags.save(handle)
    data = handle.getvalue() + b"TAG" + LOCATION_TEXT.ljust(125, b" ")  # and an ID3v1
    return data


def test_an_mp3_loses_its_id3_tags():
    original = mp3_with_location()
    cleaned, mime = media.clean_audio(upload(original, "voice.mp3"))
    stored = cleaned.read()
    assert mime == "audio/mpeg"
    assert LOCATION_TEXT not in stored and not stored.startswith(b"ID3")
    assert MP3(io.BytesIO(stored)).tags is None


def box(kind, payload):
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def m4a_with_location():
    """An ISO media file: ftyp, a moov with a sound track and an Apple location box in
    udta, then mdat. Enough structure for the box walk; mutagen is not asked to play it."""
    mvhd = box(b"mvhd", b"\0\0\0\0" + (3_000_000_000).to_bytes(4, "big") * 2 + bytes(88))
    hdlr = box(b"hdlr", bytes(8) + b"soun" + bytes(12) + b"SoundHandler\0")
    trak = box(b"trak", box(b"mdia", hdlr))
    udta = box(b"udta", box(b"\xa9xyz", b"\0\x12\0\0" + LOCATION_TEXT))
    return (
        box(b"ftyp", b"M4A \0\0\0\0M4A isom")
        + box(b"moov", mvhd + trak + udta)
        + box(b"mdat", b"\x21" * 64)
    )


def test_an_m4a_has_its_metadata_boxes_blanked_in_place():
    original = m4a_with_location()
    stored = media._strip_mp4(original)
    assert len(stored) == len(original)  # no sample offset moved
    assert LOCATION_TEXT not in stored and b"\xa9xyz" not in stored
    assert b"free" in stored and b"\x21" * 64 in stored
    assert (3_000_000_000).to_bytes(4, "big") not in stored  # creation time zeroed


def test_an_mp4_with_a_video_track_is_refused():
    video = m4a_with_location().replace(b"soun", b"vide")
    with pytest.raises(ValidationError):
        media._strip_mp4(video)


def test_amr_keeps_whole_frames_and_drops_what_follows():
    frames = b"".join(bytes([0x3C]) + bytes(31) for _ in range(10))  # 12.2 kb/s frames
    original = b"#!AMR\n" + frames + b"Exif\0\0" + LOCATION_TEXT
    cleaned, mime = media.clean_audio(upload(original, "call.amr"))
    assert mime == "audio/amr" and cleaned.read() == b"#!AMR\n" + frames


@pytest.mark.parametrize(
    "data",
    [
        b"\x1aE\xdf\xa3" + bytes(60),  # EBML without a Segment or a sound track
        b"%PDF-1.4 not audio",
        b"RIFF\x10\0\0\0WAVEjunkjunk",
        b"ID3\x04\0\0\0\0\0\0" + b"not an mp3 frame" * 4,
    ],
)
def test_what_is_not_an_accepted_recording_is_refused(data):
    with pytest.raises(ValidationError):
        media.clean_audio(upload(data, "voice.m4a"))


def test_an_oversized_recording_is_refused(settings):
    settings.ASMHUB_VOICE_MAX_AUDIO_SIZE = 1000
    with pytest.raises(ValidationError):
        media.clean_audio(upload(tone_wav(), "a.wav"))


def ebml(element_id, payload=None):
    """An EBML element, its size in one byte when it fits, else in eight (as muxers write
    masters); payload None: an unknown size (live)."""
    head = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    if payload is None:
        return head + b"\x01\xff\xff\xff\xff\xff\xff\xff"
    if len(payload) < 127:
        return head + bytes([0x80 | len(payload)]) + payload
    return head + ((1 << 56) | len(payload)).to_bytes(8, "big") + payload


def webm_with_location(track_type=2):
    """A live-recorded WebM, as a browser writes it: Segment and Cluster of unknown size,
    a title and writing application in Info, and Tags after the Cluster naming a place."""
    info = ebml(0x2AD7B1, b"\x0f\x42\x40") + ebml(0x7BA9, b"Geita pit 3") + ebml(0x4461, bytes(8))
    info += ebml(0x4D80, b"Muxer 2") + ebml(0x5741, b"Recorder 1.0")
    track = ebml(0xD7, b"\x01") + ebml(0x83, bytes([track_type])) + ebml(0x86, b"A_OPUS")
    cluster = ebml(0x1F43B675) + ebml(0xE7, b"\x00") + ebml(0xA3, b"\x81\0\0\x80" + b"\x55" * 40)
    simple_tag = ebml(0x45A3, b"LOCATION") + ebml(0x4487, LOCATION_TEXT + b" " * 120)
    tags = ebml(0x1254C367, ebml(0x7373, ebml(0x67C8, simple_tag)))
    return (
        ebml(0x1A45DFA3, ebml(0x4282, b"webm"))
        + ebml(0x18538067)
        + ebml(0x1549A966, info)
        + ebml(0x1654AE6B, ebml(0xAE, track))
        + cluster
        + tags
    )


def test_a_webm_has_its_tags_and_title_blanked_in_place():
    original = webm_with_location()
    cleaned, mime = media.clean_audio(upload(original, "recording.webm"))
    stored = cleaned.read()
    assert mime == "audio/webm" and cleaned.name.endswith(".webm")
    assert len(stored) == len(original)  # nothing moved
    for secret in (LOCATION_TEXT, b"LOCATION", b"Geita", b"Recorder", b"Muxer"):
        assert secret not in stored
    assert b"\x55" * 40 in stored and b"A_OPUS" in stored  # the sound and its codec stay


def test_a_webm_video_is_refused():
    with pytest.raises(ValidationError):
        media.clean_audio(upload(webm_with_location(track_type=1), "clip.webm"))
