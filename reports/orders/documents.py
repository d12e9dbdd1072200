"""An order as a document: its appendices' data, the acquaintance sheet, PDF and DOCX.

A draft is rendered from live data; an approved order from ``Order.snapshot``, taken at approval,
so a printed order never changes when pairs or people change later.
"""

import re

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import capfirst

from mentorship.employment import AdditionalAgreement, PayRule
from mentorship.models import Pair
from mentorship.selectors_employees import money
from organisations.declension import Case, declined_full_name, gender_of, infer_gender
from organisations.russian import agreeing, responsible_label
from participants.models import Person
from reports.exports.pdf import render_pdf
from reports.orders.drafting import APPENDICES, appendix_numbers
from reports.orders.models import Order, OrderVisa
from reports.orders.verification import esign_context, qr_context
from roadmap.deadlines import ru_date, short_date
from roadmap.models import Roadmap
from roadmap.selectors import roadmap_table
from roadmap.texts import deadline_cell, responsible_cell, signature_of

SNAPSHOT_VERSION = 1
ORDER_TEMPLATE = "reports/pdf/order.html"


def _who(person: Person) -> str:
    """The class of a student, the position of an adult: the second column of the pairs table."""
    if person.category == Person.Category.STUDENT:
        word = agreeing(gender_of(person), "обучающийся", "обучающаяся")
        return f"{word} {person.class_name}" if person.class_name else word
    return person.position or person.get_category_display()


def _term(pair: Pair) -> str:
    return f"{short_date(pair.starts_on)}–{short_date(pair.planned_end_on)}"


def _pairs_rows(order: Order) -> list[dict]:
    pairs = order.pairs.select_related("mentor", "form", "role_model").prefetch_related(
        Prefetch("mentees", queryset=Person.objects.order_by("last_name", "first_name"))
    )
    return [
        {
            "mentor": pair.mentor.full_name,
            "mentor_who": _who(pair.mentor),
            "mentees": [{"name": m.full_name, "who": _who(m)} for m in pair.mentees.all()],
            "form": str(pair.form),
            # The name only: str(role_model) starts with the form, which has its own column.
            "role_model": pair.role_model.name if pair.role_model else "",
            "term": _term(pair),
        }
        for pair in pairs.order_by("mentor__last_name", "mentor__first_name", "pk")
    ]


def _register_rows(order: Order) -> list[dict]:
    entries = order.mentor_entries.select_related("person", "person__partner").order_by(
        "person__last_name", "person__first_name"
    )
    return [
        {
            # The person's id lets the district's view apply the transfer consent to a signed register.
            "person_id": entry.person_id,
            "name": entry.person.full_name,
            "who": _who(entry.person),
            "organisation": entry.person.partner.name if entry.person.partner_id else "",
            "competencies": entry.competencies,
        }
        for entry in entries
    ]


def _plans_rows(order: Order) -> list[dict]:
    plans = (
        order.plans.select_related("pair__mentor", "pair__form")
        .prefetch_related(Prefetch("pair__mentees", queryset=Person.objects.order_by("last_name")))
        .order_by("pair__mentor__last_name", "pk")
    )
    rows = []
    for plan in plans:
        rows.append(
            {
                "mentor": plan.pair.mentor.full_name,
                "mentees": ", ".join(m.full_name for m in plan.pair.mentees.all()),
                "form": str(plan.pair.form),
                "goals": plan.goals,
            }
        )
    return rows


def _pay_rule_text(agreement: AdditionalAgreement) -> str:
    if agreement.pay_basis == PayRule.Basis.PERCENT:
        return f"{agreement.pay_rate:g}".replace(".", ",") + " % должностного оклада (ставки)"
    if agreement.pay_basis == PayRule.Basis.PER_MENTEE:
        return f"{money(agreement.pay_rate)} руб. в месяц за каждого наставляемого"
    return "фиксированная сумма в месяц"


def _pay_rows(order: Order) -> list[dict]:
    """The pay order's appendix: each mentor's agreements (ст. 351.8 ТК РФ) with their bases, the
    pay rule, the monthly amount and the term; an agreement is one row, a mentor may have several."""
    agreements = AdditionalAgreement.objects.filter(
        organisation=order.organisation, pair__mentor__in=order.people.all()
    ).select_related("pair__mentor__employment", "pair__employee_consent")
    if order.programme_id:
        agreements = agreements.filter(pair__programme=order.programme)
    rows = []
    for agreement in agreements.order_by("pair__mentor__last_name", "pair__mentor__first_name", "year", "number"):
        mentor = agreement.pair.mentor
        consent = getattr(agreement.pair, "employee_consent", None)
        terms = getattr(mentor, "employment", None)
        basis = []
        if consent is not None:
            basis.append(f"согласие от {consent.signed_on:%d.%m.%Y}")
        contract = ""
        if terms is not None and terms.contract_number:
            contract = f" к трудовому договору от {terms.contract_date:%d.%m.%Y} № {terms.contract_number}"
        basis.append(f"дополнительное соглашение от {agreement.concluded_on:%d.%m.%Y} № {agreement.number}{contract}")
        rule = _pay_rule_text(agreement)
        rows.append(
            {
                "mentor": mentor.full_name,
                "who": _who(mentor),
                "basis": "; ".join(basis),
                "rule": rule + (f" ({agreement.pay_source})" if agreement.pay_source else ""),
                "amount": f"{money(agreement.monthly_amount)} руб.",
                "term": f"с {agreement.starts_on:%d.%m.%Y} по {agreement.ends_on:%d.%m.%Y}",
            }
        )
    return rows


def order_roadmap(order: Order) -> Roadmap | None:
    """The school's roadmap for the programme's period (the latest one without a programme)."""
    roadmaps = order.organisation.roadmaps.order_by("-starts_on")
    if order.programme_id:
        covering = roadmaps.filter(starts_on__lte=order.programme.ends_on, ends_on__gte=order.programme.starts_on)
        return covering.first() or roadmaps.first()
    return roadmaps.first()


def _roadmap_rows(order: Order) -> dict:
    roadmap = order_roadmap(order)
    if roadmap is None:
        return {}
    table = roadmap_table(roadmap=roadmap, today=timezone.localdate())
    sections = [
        {
            "title": rows.section.title,
            "items": [
                {
                    "content": item.content,
                    "deadline": deadline_cell(item),
                    "result": item.expected_result,
                    "indicator": item.indicator,
                    "responsible": responsible_cell(item),
                }
                for item in rows.items
            ],
        }
        for rows in table.sections
    ]
    return {"title": roadmap.title, "sections": sections}


_NAME = re.compile(r"^[А-ЯЁ][а-яё]+(-[А-ЯЁ][а-яё]+)?(\s+[А-ЯЁ]\.\s?[А-ЯЁ]?\.?|(\s+[А-ЯЁ][а-яё]+){1,3})$")


def _looks_like_a_name(text: str) -> bool:
    """«Николаева О.А.» or «Николаева Ольга Андреевна», not «Наставники» or «Заместитель директора по УВР»."""
    return bool(_NAME.match(text.strip()))


def acquaintance_rows(order: Order, data: dict) -> list[dict]:
    """Everyone the order names, once: they sign the лист ознакомления."""
    seen: dict[str, dict] = {}

    def add(name: str, who: str = "") -> None:
        # «Николаева Ольга Андреевна» and «Николаева О.А.» are one person: keyed by surname and initials.
        name = " ".join(name.split())
        if not name:
            return
        surname, *rest = name.split(" ", 1)
        key = surname + "".join(part[0] for part in " ".join(rest).replace(".", " ").split())
        if key not in seen or (len(name) > len(seen[key]["name"]) and not name.endswith(".")):
            seen[key] = {"name": name, "who": who or seen.get(key, {}).get("who", "")}

    if data.get("curator"):
        add(data["curator"]["name"], data["curator"]["who"])
    for row in data.get("pairs", []):
        add(row["mentor"], row["mentor_who"])
    for row in data.get("register", []):
        add(row["name"], row["who"])
    for row in data.get("plans", []):
        add(row["mentor"])
    for row in data.get("people", []):
        add(row["name"], row["who"])
    for point in order.points.all():
        for name in point.responsible.split(","):
            if _looks_like_a_name(name):
                add(name)
    return sorted(seen.values(), key=lambda row: row["name"])


def order_snapshot(order: Order) -> dict:
    """The appendices' data of the order as of now: what approval freezes."""
    curator = order.curator
    data: dict = {"version": SNAPSHOT_VERSION}
    if curator is not None:
        person = curator.person_records.filter(organisation=order.organisation).first()
        subject = person or curator
        data["curator"] = {
            "name": curator.display_name,
            "who": person.position if person else "",
            "dative": declined_full_name(subject, Case.DATIVE),
            "accusative": declined_full_name(subject, Case.ACCUSATIVE),
        }
    numbers = appendix_numbers(
        order.kind, include_regulation=order.include_regulation, include_roadmap=order.include_roadmap
    )
    if "pairs" in numbers:
        data["pairs"] = _pairs_rows(order)
    if "register" in numbers:
        data["register"] = _register_rows(order)
    if "plans" in numbers:
        data["plans"] = _plans_rows(order)
    if "roadmap" in numbers:
        data["roadmap"] = _roadmap_rows(order)
    if "pay" in numbers:
        data["pay"] = _pay_rows(order)
    people = order.people.order_by("last_name", "first_name")
    data["people"] = [
        {"name": p.full_name, "who": _who(p), "dative": declined_full_name(p, Case.DATIVE)} for p in people
    ]
    data["partners"] = [{"name": p.name} for p in order.partners.order_by("name")]
    data["acquaintance"] = acquaintance_rows(order, data)
    return data


def regulation_blocks(text: str) -> list[dict]:
    """Paragraphs of the Положение; a paragraph starting with «#» is a section heading."""
    blocks = []
    for paragraph in (p.strip() for p in text.replace("\r\n", "\n").split("\n\n")):
        if not paragraph:
            continue
        if paragraph.startswith("#"):
            blocks.append({"heading": True, "text": paragraph.lstrip("#").strip()})
        else:
            blocks.append({"heading": False, "text": " ".join(paragraph.split())})
    return blocks


def _genders_by_surname(data: dict, director: str) -> dict[str, str]:
    """The gender of each surname the order names in full (the director, the curator, mentors, people):
    «Кляпка О. В.» alone does not tell, «Кляпка Ольга Викторовна» does."""
    names = [director, (data.get("curator") or {}).get("name", "")]
    names += [row.get("mentor", "") for row in data.get("pairs", [])]
    names += [row.get("name", "") for key in ("register", "people") for row in data.get(key, [])]
    genders = {}
    for name in names:
        parts = (name or "").split()
        if len(parts) >= 2:
            genders.setdefault(parts[0], infer_gender(*parts[:3]))
    return genders


def _with_responsible_labels(points: list, genders: dict[str, str]) -> list:
    """Each point gets ``responsible_label``: «Ответственная: Николаева О. А.», «Ответственные: Наставники»."""
    for point in points:
        point.responsible_label = responsible_label(
            point.responsible, gender_of_surname=lambda surname: genders.get(surname) or infer_gender(surname)
        )
    return points


APPROVAL_DECISIONS = {
    OrderVisa.Status.AGREED: "Согласовано",
    OrderVisa.Status.RETURNED: "Возвращено с замечанием",
}


def approval_rows(order: Order) -> list[dict]:
    """The лист согласования: one row per visa of the route (empty when the order has none).

    The position is the staff record's of who gave the visa (or of the named person), else the
    step's role; a visa not given yet leaves its decision, date and signature to be filled in."""
    visas = list(order.visas.select_related("user", "decided_by").order_by("position"))
    if not visas:
        return []
    users = {visa.decided_by_id or visa.user_id for visa in visas} - {None}
    positions = dict(
        Person.objects.filter(organisation=order.organisation_id, user_id__in=users)
        .exclude(position="")
        .order_by("pk")
        .values_list("user_id", "position")
    )
    rows = []
    for visa in visas:
        person = visa.decided_by or visa.user
        role = visa.get_role_display() if visa.role else ""
        rows.append(
            {
                "number": visa.position,
                "position": capfirst((positions.get(person.pk) if person else "") or role),
                "name": person.display_name if person else "",
                "decision": APPROVAL_DECISIONS.get(visa.status, ""),
                "date": f"{timezone.localtime(visa.decided_at):%d.%m.%Y}" if visa.decided_at else "",
                "comment": visa.comment,
                "status": visa.status,
            }
        )
    return rows


def order_context(order: Order) -> dict:
    """Everything the PDF, the DOCX and the on-page preview print."""
    data = order.snapshot if order.status in {Order.Status.APPROVED, Order.Status.CANCELLED} else order_snapshot(order)
    organisation = order.organisation
    numbers = appendix_numbers(
        order.kind, include_regulation=order.include_regulation, include_roadmap=order.include_roadmap
    )
    titles = dict(APPENDICES)
    appendix_caption = f"к приказу {order.label}" if order.label else "к приказу от «___» __________ 20__ г. № ____"
    appendices = [
        {"key": key, "number": number, "title": titles[key], "caption": f"Приложение № {number} {appendix_caption}"}
        for key, number in sorted(numbers.items(), key=lambda kv: kv[1])
    ]
    director = order.signer_name or organisation.director_name
    return {
        "order": order,
        "organisation": organisation,
        "points": _with_responsible_labels(list(order.points.all()), _genders_by_surname(data, director)),
        "data": data,
        "appendices": appendices,
        "regulation": regulation_blocks(order.regulation_text) if "regulation" in numbers else [],
        "date_text": ru_date(order.approved_on) if order.approved_on else "«___» __________ 20__ г.",
        "date_short": short_date(order.approved_on) if order.approved_on else "",
        "number_text": order.number_label or "____",
        "signer_position": order.signer_position or organisation.director_position or "Директор",
        "signer_signature": signature_of(director) if director else "",
        "is_draft": order.number_label == "",
        "plans_count": len(data.get("plans", [])),
        # ГОСТ Р 7.0.97-2025: the QR code of a registered order, the electronic-signature mark.
        "qr": qr_context(order),
        "esign": esign_context(order),
        # The approval route's visas, printed as the лист согласования after the лист ознакомления.
        "approval": approval_rows(order),
    }


def order_pdf(order: Order) -> bytes:
    """The order rendered now; an approved order's file is rendered once (reports.orders.services)."""
    return render_pdf(template_name=ORDER_TEMPLATE, context=order_context(order))
