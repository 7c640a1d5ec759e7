"""In a real browser: a 50 MB file uploaded on the resource form through a proxy that
cuts the connection at 60 % goes on from where it stopped and is stored byte for byte;
three PDFs dropped at once become three prefilled drafts; publishing several from the
list goes through a page listing what goes public."""

import hashlib
import os
import re
import socket
import threading

import pytest

from resources.models import PendingUpload, Resource
from tests.conftest import axe_violations
from tests.factories import (
    CuratorFactory,
    OrganisationFactory,
    PartnerFactory,
    ResourceFactory,
    pdf_with_text,
)
from tests.resources.curation.test_batch import three_pdfs
from tests.resources.curation.test_desk_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MB = 1024 * 1024


class CuttingProxy:
    """A TCP proxy on loopback to target_port that, once, closes the connection carrying
    the byte number cut_after from the browser to the server; `sent` counts the bytes
    that went up, so a test can tell a resumed upload from one started again."""

    def __init__(self, target_port, cut_after):
        self.target_port = target_port
        self.cut_after = cut_after
        self.sent = 0
        self.was_cut = False
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets = []
        self.thread = threading.Thread(target=self.accept, daemon=True)

    def accept(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets += [client, upstream]
            for source, target, up in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(target=self.pipe, args=(source, target, up), daemon=True).start()

    def pipe(self, source, target, up):
        try:
            while data := source.recv(65536):
                if up:
                    with self.lock:
                        cut = not self.was_cut and self.sent + len(data) > self.cut_after
                        if cut:
                            self.was_cut = True
                            data = data[: self.cut_after - self.sent]
                        self.sent += len(data)
                    if cut:
                        target.sendall(data)
                        return
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()

    def stop(self):
        self.listener.close()
        for end in self.sockets:
            try:
                end.close()
            except OSError:
                pass
        self.thread.join(timeout=5)


def big_pdf(size):
    """A valid PDF of about size bytes: a small document, random bytes, then the same
    cross-reference table named again at the end (as an incremental update would)."""
    pdf = pdf_with_text("Mercury-free gold processing in Tanzania.")
    xref = re.search(rb"startxref\s+(\d+)", pdf).group(1)
    tail = b"\nstartxref\n" + xref + b"\n%%EOF\n"
    return pdf + b"\n%" + os.urandom(size - len(pdf) - len(tail) - 2) + tail


@pytest.fixture
def cutting_proxy(live_server):
    """The live server behind a proxy that cuts one connection at 60 % of 50 MB."""
    port = int(live_server.url.rsplit(":", 1)[1])
    proxy = CuttingProxy(port, cut_after=int(50 * MB * 0.6))
    proxy.thread.start()
    try:
        yield proxy
    finally:
        proxy.stop()


def test_an_upload_cut_at_60_percent_goes_on_and_arrives_whole(browser, cutting_proxy, tmp_path):
    base = f"http://127.0.0.1:{cutting_proxy.port}"
    PartnerFactory(username="fon", organisation=OrganisationFactory(name="FON"))
    data = big_pdf(50 * MB)
    path = tmp_path / "Mercury-free processing.pdf"
    path.write_bytes(data)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in(page, base, "fon")
        page.goto(f"{base}/admin/resources/resource/add/")
        page.fill("#id_title", "Mercury-free processing")
        page.select_option("#id_resource_type", "report")
        page.set_input_files("#id_file", str(path))
        status = page.locator(".upload-status")
        status.filter(has_text="Uploading").wait_for()
        assert page.locator("progress").is_visible()
        status.filter(has_text="uploaded and checked").wait_for(timeout=120_000)
        assert cutting_proxy.was_cut
        # Resumed, not started again: at most one 2 MB part went up twice.
        assert cutting_proxy.sent < len(data) + 2 * MB + 200_000
        assert page.input_value("input[name=file_upload]")
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist")
    finally:
        context.close()
    resource = Resource.objects.get(title="Mercury-free processing")
    digest = hashlib.sha256()
    with resource.file.open("rb") as stored:
        while chunk := stored.read(MB):
            digest.update(chunk)
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    assert resource.file_size == len(data)
    assert not PendingUpload.objects.exists()


def test_three_pdfs_become_three_prefilled_drafts(browser, live_server, tmp_path):
    PartnerFactory(username="fon", organisation=OrganisationFactory(name="FON"))
    paths = []
    for upload in three_pdfs():
        path = tmp_path / upload.name
        path.write_bytes(upload.read())
        paths.append(str(path))
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        log_in(page, live_server.url, "fon")
        page.click("a.desk-batch")
        page.wait_for_selector("#id_files")
        assert axe_violations(page) == []
        page.set_input_files("#id_files", paths)
        page.click(".batch-upload button[type=submit]")
        page.wait_for_selector(".batch-made")
        assert "3 drafts made" in page.inner_text("#content-main")
        assert axe_violations(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.click("text=L'orpaillage au Burkina Faso")
        page.wait_for_selector("#id_title")
        assert page.input_value("#id_title") == "L'orpaillage au Burkina Faso"
        assert page.input_value("#id_year") == "2021"
        assert page.input_value("#id_language") == "fr"
        assert page.input_value("#id_authors-0-name") == "Ouédraogo, Awa"
    finally:
        context.close()
    assert Resource.objects.filter(status=Resource.Status.DRAFT).count() == 3


def test_publishing_several_from_the_list_asks_first(browser, live_server):
    CuratorFactory(username="curator")
    for title in ("Galamsey and livelihoods", "Mercury retorts"):
        ResourceFactory(title=title, status=Resource.Status.IN_REVIEW)
    ResourceFactory(title="A draft still", status=Resource.Status.DRAFT)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        log_in(page, live_server.url, "curator")
        page.goto(f"{live_server.url}/admin/resources/resource/")
        page.check("#action-toggle")
        page.select_option("select[name=action]", "publish_selected")
        page.click("button[name=index]")
        page.wait_for_selector(".goes-public-list")
        assert "Publish these resources?" in page.inner_text("#content")
        assert "Mercury retorts" in page.inner_text(".goes-public-list")
        assert "A draft still" in page.inner_text(".stays-list")
        assert axe_violations(page) == []
        assert not Resource.objects.filter(status=Resource.Status.PUBLISHED).exists()
        page.click("input[value='Yes, publish them']")
        page.wait_for_selector(".messagelist")
        assert "2 published" in page.inner_text(".messagelist")
    finally:
        page.close()
    statuses = dict(Resource.objects.values_list("title", "status"))
    assert statuses["Mercury retorts"] == statuses["Galamsey and livelihoods"] == "published"
    assert statuses["A draft still"] == "draft"
