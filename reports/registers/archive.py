"""All of a school's own data in one ZIP: an XLSX per table, restricted to the school, and its files.

For a school that wants its data (152-ФЗ: the operator keeps control of it) or leaves the system: its
director downloads it, or the district's officer hands it over. Tables are found, not listed: every model
of the product whose foreign keys lead to the school (at most three steps) gives one workbook with the
school's rows; users appear only as the school's members, without password hashes. Secret tokens
(personal questionnaire links, calendar feeds, document verification) are left out.
"""

import datetime
import io
import json
import uuid
import zipfile
from collections import deque
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from organisations.models import Organisation
from participants.models import Person
from reports.exports.base import Column, Exporter, ExportResult, Sheet, write_workbook

APP_LABELS = ("organisations", "participants", "roadmap", "mentorship", "reports")
# Temporary files made from the data above, not data of the school.
SKIPPED_MODELS = {"reports.reportjob"}
SECRET_PARTS = ("password", "token", "secret")
MAX_DEPTH = 3

README = """Архив данных организации «{name}»
Сформирован {when}.

Каждый файл XLSX — одна таблица базы данных «Наставника» с записями только этой организации;
первая строка листа — название таблицы, затем заголовки столбцов (название поля и его имя в базе).
Ссылки на другие записи — их номера (столбцы *_id). Папка files/ — загруженные и сформированные файлы
(сканы согласий, сертификаты, утверждённые приказы) под их именами в хранилище; столбцы с файлами
таблиц указывают эти имена. Пароли и секретные ссылки в архив не входят.

Таблицы ({tables}):
{contents}
"""


def _is_secret(field) -> bool:
    return any(part in field.name.lower() for part in SECRET_PARTS)


def _path_to_organisation(model) -> str | None:
    """The lookup from ``model`` to its organisation through forward foreign keys, shortest first."""
    if model is Organisation:
        return "pk"
    queue = deque([(model, "", 0)])
    while queue:
        current, prefix, depth = queue.popleft()
        if depth >= MAX_DEPTH:
            continue
        # «organisation» itself first: a model may also point at another organisation (a partner's).
        fields = sorted(
            (f for f in current._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)),
            key=lambda f: f.name != "organisation",
        )
        for field in fields:
            lookup = f"{prefix}{field.name}"
            if field.related_model is Organisation:
                return lookup
            if field.related_model is get_user_model():
                continue  # users belong to several organisations
            queue.append((field.related_model, f"{lookup}__", depth + 1))
    return None


def school_tables(school: Organisation) -> list[tuple[type[models.Model], models.QuerySet]]:
    """Each table of the product with the school's rows (models with no way to the school are left out)."""
    user_model = get_user_model()
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in APP_LABELS or model._meta.label_lower in SKIPPED_MODELS:
            continue
        if model is user_model:
            tables.append((model, model.objects.filter(memberships__organisation=school).distinct().order_by("pk")))
            continue
        lookup = _path_to_organisation(model)
        if lookup is None:
            continue
        tables.append((model, model._default_manager.filter(**{lookup: school.pk}).order_by("pk")))
    return sorted(tables, key=lambda item: item[0]._meta.label_lower)


def _columns(model) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if not _is_secret(field)]


def _cell(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (uuid.UUID, datetime.timedelta)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return None
    if isinstance(value, Decimal):
        return value
    return value


def school_archive(*, school: Organisation) -> tuple[bytes, int]:
    """The ZIP and how many people's records it holds."""
    buffer = io.BytesIO()
    contents = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for model, queryset in school_tables(school):
            fields = _columns(model)
            file_fields = [field for field in fields if isinstance(field, models.FileField)]
            rows = []
            for values in queryset.values_list(*[field.attname for field in fields]).iterator(chunk_size=1000):
                rows.append([_cell(value) for value in values])
                for field in file_fields:
                    name = values[fields.index(field)]
                    if name and field.storage.exists(name):
                        with field.storage.open(name, "rb") as stream:
                            archive.writestr(f"files/{name}", stream.read())
            label = f"{model._meta.app_label}.{model._meta.model_name}"
            title = str(model._meta.verbose_name_plural)
            columns = [Column(f"{field.verbose_name} ({field.attname})", 18) for field in fields]
            workbook = write_workbook([Sheet(model._meta.model_name[:31], f"{title}: {len(rows)}", columns, rows)])
            archive.writestr(f"{label}.xlsx", workbook)
            contents.append(f"  {label}.xlsx — {title}, записей: {len(rows)}")
        archive.writestr(
            "README.txt",
            README.format(
                name=school.short_name,
                when=timezone.localtime().strftime("%d.%m.%Y %H:%M"),
                tables=len(contents),
                contents="\n".join(contents),
            ),
        )
    return buffer.getvalue(), Person.objects.filter(organisation=school).count()


class SchoolArchiveExporter(Exporter):
    """The school's archive (ZIP), built by the worker; journalled as an export of everybody's data."""

    identifier = "school-archive"
    title = "Архив всех данных организации"
    capability = "school.archive"
    personal_data = True
    formats = ("zip",)
    background = True
    # A small school's archive takes a second or two: answered in the request below this many people.
    background_from_people = 500

    def in_background(self, *, organisation, params) -> bool:
        threshold = settings.EXPORTS_BACKGROUND_FROM_ROWS or self.background_from_people
        return Person.objects.filter(organisation=organisation).count() >= threshold

    def required_capability(self, access) -> str:
        # The school's director (school.archive), or the district's officer handing the school over.
        if not access.can("school.archive") and access.can("school.handover"):
            return "school.handover"
        return "school.archive"

    def render(self, *, organisation, params, fmt: str = "zip", context=None) -> ExportResult:
        content, people = school_archive(school=organisation)
        return ExportResult(
            filename=f"archive-{organisation.slug}-{datetime.date.today():%Y-%m-%d}.zip",
            content_type="application/zip",
            content=content,
            people_count=people,
            what=f"Архив всех данных организации «{organisation.short_name}» (ZIP)",
        )
