"""The act of destruction of personal data and the extract from the event journal (приказ
Роскомнадзора от 28.10.2022 № 179), as PDF and XLSX, from a DestructionAct (participants.destruction).

The act names the operator, the people by internal numbers with their count and categories, the
data categories, the information system, the reason, the method, the date and who destroyed them,
with the commission's signature lines; the extract lists the journal's events for those records."""

from django.http import Http404
from django.utils import timezone

from participants.models import DestructionAct
from reports.exports.base import XLSX_CONTENT_TYPE, Column, Exporter, ExportResult, Sheet, write_workbook
from reports.exports.pdf import render_pdf

PDF_CONTENT_TYPE = "application/pdf"
TEMPLATE = "reports/pdf/destruction_act.html"
SYSTEM = "информационная система «Наставник»"


def _act(organisation, params) -> DestructionAct:
    value = str(params.get("act") or "")
    if not value.isdigit():
        raise Http404
    act = organisation.destruction_acts.filter(pk=int(value)).first()
    if act is None:
        raise Http404
    return act


def _extract_rows(act: DestructionAct) -> list[list]:
    rows = []
    for n, event in enumerate(act.journal, start=1):
        at = timezone.localtime(timezone.datetime.fromisoformat(event["at"]))
        rows.append(
            [
                n,
                f"{at:%d.%m.%Y %H:%M:%S}",
                event["event"],
                event["subject"],
                event["category"],
                event["data"],
                event["system"],
                event["reason"],
                event["who"],
            ]
        )
    return rows


EXTRACT_COLUMNS = (
    Column("№", 5),
    Column("Дата и время", 18),
    Column("Событие", 30),
    Column("Субъект (внутренний номер)", 22),
    Column("Категория субъекта", 22),
    Column("Уничтоженные персональные данные", 50),
    Column("Информационная система", 30),
    Column("Причина", 50),
    Column("Кто уничтожил", 30),
)


class DestructionActExporter(Exporter):
    """The act and the journal extract of one run: param ``act``; PDF (both) or XLSX (two sheets)."""

    identifier = "destruction-act"
    title = "Акт об уничтожении персональных данных"
    capability = "journal.view"
    personal_data = True  # internal numbers of people: journalled, though no names
    formats = ("pdf", "xlsx")

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        act = _act(organisation, params)
        destroyed = timezone.localtime(act.destroyed_at)
        name = f"akt-unichtozheniya-{act.number}-{destroyed:%Y-%m-%d}"
        what = f"Акт об уничтожении персональных данных № {act.number} от {destroyed:%d.%m.%Y}"
        if fmt == "xlsx":
            act_rows = [
                ["Оператор", f"{organisation.full_name}{', ' + organisation.address if organisation.address else ''}"],
                ["Номер и дата акта", f"№ {act.number} от {destroyed:%d.%m.%Y}"],
                ["Субъекты персональных данных", f"{act.people_count} чел. ({act.subject_categories})"],
                ["Внутренние номера субъектов", ", ".join(str(pk) for pk in act.person_ids)],
                ["Перечень уничтоженных персональных данных", act.data_categories],
                ["Информационная система", SYSTEM],
                ["Материальный носитель", "не применяется: данные обрабатывались в информационной системе"],
                ["Способ уничтожения", act.method],
                ["Причина уничтожения", act.reason],
                ["Дата уничтожения", f"{destroyed:%d.%m.%Y %H:%M}"],
                ["Кто уничтожил", act.performed_by],
                ["Хранить до", f"{act.keep_until:%d.%m.%Y}"],
            ]
            content = write_workbook(
                [
                    Sheet("Акт", what, (Column("Реквизит", 40), Column("Значение", 90)), act_rows, wrap_long=True),
                    Sheet(
                        "Выгрузка из журнала",
                        f"Выгрузка из журнала регистрации событий к акту № {act.number}",
                        EXTRACT_COLUMNS,
                        _extract_rows(act),
                        wrap_long=True,
                    ),
                ]
            )
            return ExportResult(f"{name}.xlsx", XLSX_CONTENT_TYPE, content, people_count=act.people_count, what=what)
        content = render_pdf(
            template_name=TEMPLATE,
            context={
                "organisation": organisation,
                "act": act,
                "destroyed": destroyed,
                "system": SYSTEM,
                "extract": _extract_rows(act),
            },
        )
        return ExportResult(
            f"{name}.pdf", PDF_CONTENT_TYPE, content, people_count=act.people_count, what=what, action="print"
        )
