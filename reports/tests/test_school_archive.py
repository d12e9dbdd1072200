"""All of a school's data in one archive: for its director, and for the district's officer (hand-over)."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from organisations.models import Membership
from participants.models import AccessLogEntry, ImportBatch
from participants.tests.factories import PersonFactory
from reports.models import ReportJob
from reports.registers.archive import school_archive

pytestmark = pytest.mark.django_db

INLINE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = INLINE


@pytest.fixture
def schools(school_a, school_b, director_a):
    PersonFactory(organisation=school_a, last_name="Своинова")
    PersonFactory(organisation=school_a, last_name="Нашенский")
    PersonFactory(organisation=school_b, last_name="Чужакова")
    batch = ImportBatch(organisation=school_a, original_name="7а.xlsx")
    batch.file.save("list.xlsx", ContentFile(b"PK list of 7a"), save=True)
    other = ImportBatch(organisation=school_b, original_name="9б.xlsx")
    other.file.save("other.xlsx", ContentFile(b"PK list of 9b"), save=True)
    return school_a, school_b, batch


def _sheet_text(archive: zipfile.ZipFile, name: str) -> str:
    workbook = load_workbook(io.BytesIO(archive.read(name)), read_only=True)
    return "\n".join(
        " ".join(str(cell) for cell in row if cell is not None) for row in workbook.active.iter_rows(values_only=True)
    )


def test_the_archive_holds_the_schools_rows_and_files_and_nothing_of_another(schools, director_a):
    school_a, school_b, batch = schools
    content, people = school_archive(school=school_a)
    assert people == 2
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = set(archive.namelist())
    assert {"README.txt", "participants.person.xlsx", "organisations.organisation.xlsx"} <= names
    assert "reports.reportjob.xlsx" not in names
    persons = _sheet_text(archive, "participants.person.xlsx")
    assert "Своинова" in persons and "Нашенский" in persons
    assert "Чужакова" not in persons
    organisations = _sheet_text(archive, "organisations.organisation.xlsx")
    assert school_a.short_name in organisations and school_b.short_name not in organisations
    users = _sheet_text(archive, "organisations.user.xlsx")
    assert director_a.username in users
    assert "password" not in users and "pbkdf2" not in users
    assert f"files/{batch.file.name}" in names
    assert archive.read(f"files/{batch.file.name}") == b"PK list of 7a"
    assert not any("other" in name for name in names)
    for name in names:
        if name.endswith(".xlsx") and not name.startswith("files/"):
            header = _sheet_text(archive, name)
            assert "token" not in header.lower(), name
    readme = archive.read("README.txt").decode()
    assert "participants.person.xlsx — участники" in readme.lower() or "participants.person.xlsx" in readme


def test_the_director_orders_the_archive_from_its_page_and_the_journal_records_it(
    client, schools, director_a, settings
):
    settings.EXPORTS_BACKGROUND_FROM_ROWS = 1  # as for a large school: built by the worker
    school_a, _, _ = schools
    client.force_login(director_a)
    page = client.get(reverse("reports:school_archive", kwargs={"org": school_a.slug}))
    assert page.status_code == 200
    assert "Подготовить архив" in page.content.decode()
    response = client.get(reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "school-archive"}))
    job = ReportJob.objects.get(organisation=school_a, user=director_a)
    assert response.status_code == 302 and response["Location"].endswith(f"/exports/{job.pk}/")
    assert job.status == ReportJob.Status.DONE, job.message
    download = client.get(reverse("reports:job_download", kwargs={"org": school_a.slug, "pk": job.pk}))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "participants.person.xlsx" in archive.namelist()
    # The build and the download are both journalled as an export of everybody's data.
    entries = AccessLogEntry.objects.filter(organisation=school_a, user=director_a, action="export")
    assert entries.count() == 2
    built = entries.order_by("pk").first()
    assert (built.people_count, built.what) == (2, "Выгрузка: Архив всех данных организации (ZIP)")


def test_the_district_officer_hands_a_school_over(client, schools, district_officer):
    school_a, _, _ = schools
    client.force_login(district_officer)
    page = client.get(reverse("reports:school_archive", kwargs={"org": school_a.slug}))
    assert page.status_code == 200
    assert "для передачи данных школы" in page.content.decode()
    # A small school's archive comes at once.
    response = client.get(reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "school-archive"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "Своинова" in _sheet_text(archive, "participants.person.xlsx")
    entry = AccessLogEntry.objects.get(organisation=school_a, user=district_officer, action="export")
    assert entry.people_count == 2


def test_others_cannot_have_the_archive(client, schools, curator_a, curator_b):
    school_a, _, _ = schools
    url = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "school-archive"})
    client.force_login(curator_a)
    assert client.get(url).status_code == 403
    client.force_login(curator_b)
    assert client.get(url).status_code == 404
    assert not ReportJob.objects.exists()
    assert Membership.objects.filter(user=curator_a, organisation=school_a).exists()


def test_the_menu_leads_the_director_and_the_officer_to_the_archive_and_not_the_curator(
    client, schools, director_a, district_officer, curator_a
):
    school_a, _, _ = schools
    url = reverse("reports:school_archive", kwargs={"org": school_a.slug})
    home = reverse("reports:dashboard", kwargs={"org": school_a.slug})
    for user, shown in ((director_a, True), (district_officer, True), (curator_a, False)):
        client.force_login(user)
        assert (url in client.get(home).content.decode()) is shown, user
