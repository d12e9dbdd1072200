"""Importing a roadmap from a table: preview first, then the whole roadmap at once or nothing.

``roadmap_import_preview`` reads the file and keeps what it understood (sections, items, errors,
warnings) in a RoadmapImport; the file itself is not kept. ``roadmap_import_apply`` creates the
draft roadmap from the kept rows in one transaction, only when there is no error.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from organisations.models import Organisation
from organisations.russian import plural
from participants.importing import MAX_FILE_SIZE, ImportFileError, format_size

from .deadlines import parse_deadline
from .importing import decimal_or_none, parse_roadmap_file
from .models import Item, ItemResponsible, Roadmap, RoadmapImport, Section
from .services import ResponsibleMatcher, _check_period, _error, _sync_occurrences

FILE_TOO_LARGE = "Файл слишком большой ({size}): можно загрузить файл не больше {limit}."
APPLY_NOT_PREVIEW = "Эта дорожная карта уже загружена: загрузить её ещё раз нельзя. Выберите файл заново."
APPLY_HAS_ERRORS = "В таблице есть ошибки, поэтому ничего не создано. Исправьте файл и загрузите его заново."


def _read_upload(uploaded_file) -> bytes:
    size = getattr(uploaded_file, "size", None)
    limit = format_size(MAX_FILE_SIZE)
    if size is not None and size > MAX_FILE_SIZE:
        raise ImportFileError(FILE_TOO_LARGE.format(size=format_size(size), limit=limit))
    uploaded_file.seek(0)
    data = uploaded_file.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise ImportFileError(FILE_TOO_LARGE.format(size=format_size(size or len(data)), limit=limit))
    return data


@transaction.atomic
def roadmap_import_preview(
    *,
    organisation: Organisation,
    uploaded_file,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    user,
) -> RoadmapImport:
    """What importing the file would create; ImportFileError when it is not a readable table."""
    _check_period(starts_on, ends_on)
    data = _read_upload(uploaded_file)
    filename = (getattr(uploaded_file, "name", "") or "дорожная карта").rsplit("/", 1)[-1][:255]
    batch = RoadmapImport(
        organisation=organisation,
        uploaded_by=user if user is not None and user.is_authenticated else None,
        original_name=filename,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    parsed = parse_roadmap_file(data, filename, period=batch.period)
    if parsed.file_error:
        raise ImportFileError(parsed.file_error)
    batch.summary = parsed.as_summary()
    batch.save()
    return batch


@transaction.atomic
def roadmap_import_apply(*, batch: RoadmapImport, user) -> Roadmap:
    """Creates the draft roadmap with every section and item of the file, or nothing (ValidationError)."""
    batch = RoadmapImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status != RoadmapImport.Status.PREVIEW:
        raise _error(APPLY_NOT_PREVIEW)
    summary = batch.summary or {}
    if summary.get("errors") or not summary.get("counts", {}).get("items"):
        raise _error(APPLY_HAS_ERRORS)
    organisation = batch.organisation
    roadmap = Roadmap.objects.create(
        organisation=organisation,
        title=batch.title,
        starts_on=batch.starts_on,
        ends_on=batch.ends_on,
        created_by=user,
    )
    sections = Section.objects.bulk_create(
        [
            Section(organisation=organisation, roadmap=roadmap, title=spec["title"][:500], position=position)
            for position, spec in enumerate(summary["sections"], start=1)
        ]
    )
    matcher = ResponsibleMatcher(organisation)
    items, responsibles = [], []
    for section, spec in zip(sections, summary["sections"], strict=True):
        for position, row in enumerate(spec["items"], start=1):
            item = Item(
                organisation=organisation,
                roadmap=roadmap,
                section=section,
                position=position,
                content=row["content"],
                expected_result=row["expected_result"],
                indicator=row["indicator"],
                responsible_text=row["responsible"][:500],
                target_value=decimal_or_none(row["target_value"]),
                target_unit=row["target_unit"][:50],
            )
            item.set_deadline(parse_deadline(row["deadline_text"], period=roadmap.period), row["deadline_text"])
            items.append(item)
            responsibles.append(matcher.match(row["responsible"]))
    Item.objects.bulk_create(items)
    ItemResponsible.objects.bulk_create(
        [
            ItemResponsible(organisation=organisation, item=item, **{field: pk})
            for item, (user_ids, person_ids) in zip(items, responsibles, strict=True)
            for field, ids in (("user_id", user_ids), ("person_id", person_ids))
            for pk in ids
        ]
    )
    _sync_occurrences(items, roadmap.period, new=True)
    batch.status = RoadmapImport.Status.APPLIED
    batch.roadmap = roadmap
    batch.summary = {**summary, "applied_at": timezone.now().isoformat()}
    batch.save(update_fields=["status", "roadmap", "summary"])
    return roadmap


def items_phrase(count: int) -> str:
    return f"{count} {plural(count, 'мероприятие', 'мероприятия', 'мероприятий')}"


def sections_phrase(count: int) -> str:
    return f"{count} {plural(count, 'раздел', 'раздела', 'разделов')}"
