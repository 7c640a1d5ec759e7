"""The resumable upload protocol of the resource form (tus 1.0 core: POST to start, HEAD
for the offset, PATCH at that offset): who may use an upload, the size cap, the offset
rule, the check by content once complete, attaching the file to the form, CSRF, and the
clearing of expired uploads."""

import base64
import hashlib
import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resources.models import PendingUpload, Resource
from tests.factories import OrganisationFactory, PartnerFactory, ResourceFactory, pdf_with_text
from tests.forms import form_data

pytestmark = pytest.mark.django_db

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


@pytest.fixture
def partner():
    return PartnerFactory(username="partner", organisation=OrganisationFactory())


@pytest.fixture
def small_chunks(settings):
    settings.ASMHUB_UPLOAD_CHUNK_SIZE = 1024


def start(client, length, name="report.pdf"):
    encoded = base64.b64encode(name.encode()).decode()
    return client.post(
        reverse("admin:resources_resource_uploads"),
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=f"filename {encoded}",
        **TUS,
    )


def patch(client, location, offset, data):
    return client.generic(
        "PATCH",
        location,
        data,
        content_type="application/offset+octet-stream",
        HTTP_UPLOAD_OFFSET=str(offset),
        **TUS,
    )


def send_all(client, data, name="report.pdf", chunk=1024):
    location = start(client, len(data), name)["Location"]
    response = None
    for offset in range(0, len(data), chunk):
        response = patch(client, location, offset, data[offset : offset + chunk])
    return location, response


def stored_files():
    try:
        return default_storage.listdir("uploads-tmp")
    except FileNotFoundError:
        return ([], [])


def test_a_file_sent_in_parts_is_resumed_at_the_servers_offset(client, partner, small_chunks):
    client.force_login(partner)
    data = pdf_with_text("Mercury use in artisanal gold mining.") + b"\n%" + b"x" * 3000
    response = start(client, len(data))
    assert response.status_code == 201
    assert response["Tus-Resumable"] == "1.0.0"
    location = response["Location"]

    assert patch(client, location, 0, data[:1024]).status_code == 204
    # The connection dropped during the next part: the client asks where to go on.
    head = client.head(location, **TUS)
    assert head.status_code == 200
    assert head["Upload-Offset"] == "1024"
    assert head["Upload-Length"] == str(len(data))
    assert "no-store" in head["Cache-Control"]
    for offset in range(1024, len(data), 1024):
        response = patch(client, location, offset, data[offset : offset + 1024])
        assert response.status_code == 204, response.content
    assert response["Upload-Offset"] == str(len(data))

    upload = PendingUpload.objects.get()
    assert upload.is_complete
    with default_storage.open(upload.stored_name, "rb") as whole:
        assert hashlib.sha256(whole.read()).hexdigest() == hashlib.sha256(data).hexdigest()
    # Only the whole file is left: its parts are gone.
    assert default_storage.listdir(upload.folder)[1] == ["whole"]


def test_a_part_at_the_wrong_offset_is_refused_with_409(client, partner, small_chunks):
    client.force_login(partner)
    location = start(client, 4000)["Location"]
    assert patch(client, location, 0, b"%PDF-" + b"a" * 1019).status_code == 204
    response = patch(client, location, 2048, b"b" * 1024)
    assert response.status_code == 409
    assert response["Upload-Offset"] == "1024"
    # Sent again, the part already stored is refused too: nothing is written twice.
    assert patch(client, location, 0, b"%PDF-" + b"a" * 1019).status_code == 409
    assert PendingUpload.objects.get().offset == 1024


def test_over_the_upload_limit_is_refused_with_413(client, partner, settings, small_chunks):
    settings.ASMHUB_MAX_UPLOAD_SIZE = 5000
    client.force_login(partner)
    response = start(client, 5001)
    assert response.status_code == 413
    assert "at most" in response.content.decode()
    assert not PendingUpload.objects.exists()
    # More bytes than announced, or a part larger than a part may be: 413 as well.
    location = start(client, 1000)["Location"]
    assert patch(client, location, 0, b"a" * 1001).status_code == 413
    location = start(client, 4000)["Location"]
    assert patch(client, location, 0, b"a" * 1025).status_code == 413


def test_another_partners_upload_is_not_found(client, partner, small_chunks):
    client.force_login(partner)
    location = start(client, 2000)["Location"]
    other = Client()
    other.force_login(PartnerFactory(username="other", organisation=OrganisationFactory()))
    assert other.head(location, **TUS).status_code == 404
    assert patch(other, location, 0, b"%PDF-").status_code == 404
    assert other.delete(location, **TUS).status_code == 404
    assert PendingUpload.objects.get().offset == 0


def test_anonymous_and_readers_cannot_upload(client, small_chunks):
    response = start(client, 100)
    assert response.status_code == 302  # to the admin's login
    assert not PendingUpload.objects.exists()


def test_the_protocol_needs_csrf_token(partner, small_chunks):
    client = Client(enforce_csrf_checks=True)
    client.force_login(partner)
    assert start(client, 100).status_code == 403
    page = client.get(reverse("admin:resources_resource_add"))
    token = str(page.context["csrf_token"])
    response = client.post(
        reverse("admin:resources_resource_uploads"),
        HTTP_UPLOAD_LENGTH="100",
        HTTP_UPLOAD_METADATA="filename " + base64.b64encode(b"a.pdf").decode(),
        HTTP_X_CSRFTOKEN=token,
        **TUS,
    )
    assert response.status_code == 201


def test_bad_content_is_refused_at_completion_and_nothing_is_kept(client, partner, small_chunks):
    client.force_login(partner)
    page = b"<html><script>alert(1)</script></html>" + b" " * 2000
    _location, response = send_all(client, page, name="report.pdf")
    assert response.status_code == 422
    assert "web page" in response.content.decode()
    assert not PendingUpload.objects.exists()
    assert stored_files() == ([], []) or not any(
        default_storage.listdir(f"uploads-tmp/{folder}")[1] for folder in stored_files()[0]
    )
    assert not Resource.objects.exists()


def add_form(client):
    data = form_data(client.get(reverse("admin:resources_resource_add")), "resource_form")
    data.update(title="Mercury in Ghana", slug="mercury-in-ghana", resource_type="report")
    return data


def test_the_finished_upload_is_attached_by_the_form(client, partner, small_chunks):
    client.force_login(partner)
    data = pdf_with_text("Retorts cut mercury losses by half.")
    location, response = send_all(client, data, name="Retorts.pdf")
    assert response.status_code == 204
    upload_id = location.rstrip("/").split("/")[-1]

    form = add_form(client)
    form["file_upload"] = upload_id
    response = client.post(reverse("admin:resources_resource_add"), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get(slug="mercury-in-ghana")
    assert resource.file.name.endswith(".pdf")
    assert resource.file_size == len(data)
    assert resource.page_count == 1
    with resource.file.open("rb") as stored:
        assert stored.read() == data
    assert "Retorts cut mercury" in resource.full_text
    # The upload and its temporary copy are gone.
    assert not PendingUpload.objects.exists()
    assert not default_storage.exists(f"uploads-tmp/{upload_id}/whole")


def test_another_users_upload_cannot_be_attached(client, partner, small_chunks):
    other = Client()
    other.force_login(PartnerFactory(username="other", organisation=OrganisationFactory()))
    location, _response = send_all(other, pdf_with_text("Theirs."))
    client.force_login(partner)
    form = add_form(client)
    form["file_upload"] = location.rstrip("/").split("/")[-1]
    response = client.post(reverse("admin:resources_resource_add"), form)
    assert response.status_code == 200
    assert "was not found" in response.content.decode()
    assert not Resource.objects.exists()
    assert PendingUpload.objects.count() == 1


def test_without_javascript_the_plain_file_input_still_works(client, partner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(partner)
    html = client.get(reverse("admin:resources_resource_add")).content.decode()
    assert 'type="file" name="file"' in html
    assert 'name="file_upload"' in html
    assert "js/resumable-upload" in html
    form = add_form(client)
    form["file"] = SimpleUploadedFile("plain.pdf", pdf_with_text("Plain."), "application/pdf")
    assert client.post(reverse("admin:resources_resource_add"), form).status_code == 302
    assert Resource.objects.get().file.name.endswith(".pdf")


def test_an_upload_id_that_is_no_upload_is_refused_by_the_form(client, partner, small_chunks):
    resource = ResourceFactory(
        status=Resource.Status.DRAFT, owner=partner.partner_profile.organisation
    )
    client.force_login(partner)
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    form = form_data(client.get(url), "resource_form")
    form["file_upload"] = "not-a-uuid"
    response = client.post(url, form)
    assert response.status_code == 200
    assert "was not found" in response.content.decode()


def test_expired_uploads_are_cleared_with_their_parts(client, partner, small_chunks):
    client.force_login(partner)
    location = start(client, 3000)["Location"]
    assert patch(client, location, 0, b"%PDF-" + b"a" * 1019).status_code == 204
    fresh = start(client, 3000)["Location"]
    old = PendingUpload.objects.get(pk=location.rstrip("/").split("/")[-1])
    PendingUpload.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    call_command("clear_uploads", stdout=io.StringIO())
    assert list(PendingUpload.objects.values_list("pk", flat=True)) == [
        PendingUpload.objects.get(pk=fresh.rstrip("/").split("/")[-1]).pk
    ]
    assert default_storage.listdir(old.folder)[1] == []
