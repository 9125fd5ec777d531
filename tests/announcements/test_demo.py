"""The demo's announcements: written and published through the services once, their files real PDFs and an XLSX."""

from announcements.demo import pdf_bytes, seed_demo
from announcements.models import Announcement, AnnouncementFile
from prm.core.files import document_kind


def test_the_demo_posts_its_announcements_once(acme, net):
    assert seed_demo(distributor_number=net.seoul_distributor.business_number) == 6
    assert seed_demo(distributor_number=net.seoul_distributor.business_number) == 0
    assert Announcement.objects.filter(status="scheduled").count() == 1
    assert Announcement.objects.filter(author_organization=net.seoul_distributor, status="published").count() == 1
    assert sorted(AnnouncementFile.objects.values_list("kind", flat=True)) == ["pdf", "pdf", "xlsx"]


def test_the_demo_pdf_is_a_pdf_with_a_cross_reference_table_that_points_at_its_objects():
    data = pdf_bytes(["Demo (brochure)"])
    assert document_kind(data[:16], "x.pdf") == "pdf"
    xref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n", 1)[0])
    assert data[xref:xref + 4] == b"xref"
    first_object = int(data[xref:].split(b"\n")[3][:10])
    assert data[first_object:first_object + 7] == b"1 0 obj"
