"""Voices made for the tests, and the files a phone might send: a JPEG carrying a GPS
position in its EXIF, and a real recording (a WAV of a tone, made with the standard
library: the machines have no encoder for M4A, MP3 or Ogg) with a location in its tags."""

import io
import math
import struct
import wave

import factory
import piexif
from django.utils import timezone
from PIL import Image

from tests.factories import CountryFactory
from voices.models import Voice

# Dar es Salaam, in EXIF's degrees, minutes, seconds.
GPS = {
    piexif.GPSIFD.GPSLatitudeRef: b"S",
    piexif.GPSIFD.GPSLatitude: ((6, 1), (47, 1), (3000, 100)),
    piexif.GPSIFD.GPSLongitudeRef: b"E",
    piexif.GPSIFD.GPSLongitude: ((39, 1), (12, 1), (3600, 100)),
}
LOCATION_TEXT = b"-6.7924+039.2083"


class VoiceFactory(factory.django.DjangoModelFactory):
    """A published voice shared through the form, anonymous."""

    class Meta:
        model = Voice
        skip_postgeneration_save = True

    status = Voice.Status.PUBLISHED
    source = Voice.Source.FORM
    text = factory.Sequence(lambda n: f"Voice number {n}: we need licences close to the pits.")
    role = Voice.Role.MINER
    naming = Voice.Naming.ANONYMOUS
    country = factory.SubFactory(CountryFactory, code="TZ")
    consent_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


def gps_jpeg(size=(120, 80)):
    """A JPEG whose EXIF names the camera and a GPS position."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = piexif.dump(
        {
            "0th": {piexif.ImageIFD.Make: b"PhoneMaker", piexif.ImageIFD.Model: b"X1"},
            "Exif": {piexif.ExifIFD.DateTimeOriginal: b"2026:11:30 10:00:00"},
            "GPS": GPS,
        }
    )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def tone_wav(seconds=0.5, rate=8000):
    """A mono 16-bit WAV of a 440 Hz tone."""
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(
            b"".join(
                struct.pack("<h", int(9000 * math.sin(2 * math.pi * 440 * i / rate)))
                for i in range(int(seconds * rate))
            )
        )
    return out.getvalue()


def riff_chunk(kind, payload):
    return kind + len(payload).to_bytes(4, "little") + payload + b"\0" * (len(payload) & 1)


def tagged_wav():
    """tone_wav with a LIST/INFO chunk and an ID3 chunk naming a location, as recorder
    apps write them."""
    plain = tone_wav()
    info = riff_chunk(b"ICMT", LOCATION_TEXT) + riff_chunk(b"IART", b"Amina Juma")
    from mutagen.id3 import ID3, TXXX

    id3 = ID3()
    id3.add(TXXX(desc="location", text=[LOCATION_TEXT.decode()]))
    id3_bytes = io.BytesIO()
    id3.save(id3_bytes)
    body = (
        plain[12:] + riff_chunk(b"LIST", b"INFO" + info) + riff_chunk(b"id3 ", id3_bytes.getvalue())
    )
    return b"RIFF" + (4 + len(body)).to_bytes(4, "little") + b"WAVE" + body
