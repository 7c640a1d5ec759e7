"""Organisation logos: checked by content, stripped of metadata (a photo's GPS position),
resized, served small beside the organisation's name on resource and About pages."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import LearningGroupFactory, OrganisationFactory, ResourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

GPS_IFD = 0x8825


def photo_with_gps(size=(2000, 1000)):
    image = Image.new("RGB", size, (200, 120, 0))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (5.0, 33.0, 0.0), 3: "W", 4: (0.0, 12.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(GPS_IFD)  # the upload does carry a position
    return data


def test_a_logo_is_stored_small_without_its_metadata_and_shown(client):
    organisation = OrganisationFactory(name="Friends of the Nation")
    organisation.logo = SimpleUploadedFile("fon photo.jpg", photo_with_gps(), "image/jpeg")
    organisation.full_clean()
    organisation.save()
    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(".webp")
    with organisation.logo.open("rb") as handle:
        stored = handle.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "WEBP" and image.size == (240, 120)
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info
    assert b"PhoneMaker" not in stored
    assert (organisation.logo_width, organisation.logo_height) == (240, 120)

    resource = ResourceFactory(owner=organisation)
    html = client.get(resource.get_absolute_url()).content.decode()
    (img,) = re.findall(r'<img class="org-logo"[^>]*>', html)
    assert 'width="120" height="60"' in img and 'alt=""' in img
    assert re.search(r'class="org-logo"[^>]*>Friends of the Nation</dd>', html)
    src = re.search(r'src="([^"]+)"', img).group(1).replace("&amp;", "&")
    response = client.get(src)
    assert response["Content-Type"] == "image/webp"
    assert b"".join(response.streaming_content) == stored

    LearningGroupFactory(name="Ghana LLG", convenors=[organisation])
    about = client.get("/about/").content.decode()
    assert '<img class="org-logo"' in about


@pytest.mark.parametrize(
    "name, data",
    [
        ("logo.png", b"<html><script>alert(1)</script></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40),  # a PNG's signature, then nothing
    ],
)
def test_anything_but_a_readable_picture_is_refused_with_a_message(name, data):
    organisation = OrganisationFactory()
    organisation.logo = SimpleUploadedFile(name, data)
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert "logo" in refused.value.message_dict
    organisation.refresh_from_db()
    assert not organisation.logo


def test_an_organisation_without_a_logo_has_no_picture(client):
    organisation = OrganisationFactory()
    assert client.get(f"/logos/{organisation.slug}.webp").status_code == 404
    resource = ResourceFactory(owner=organisation)
    assert "org-logo" not in client.get(resource.get_absolute_url()).content.decode()
