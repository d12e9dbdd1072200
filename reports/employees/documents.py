"""The employee mentor's documents as data: consent, additional agreement, refusal, notice.

One ``PaperDocument`` feeds both the PDF template (templates/reports/pdf/employee_document.html)
and the DOCX writer (reports.employees.docx), so the two files always say the same.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.utils import timezone

from mentorship.employment import AdditionalAgreement, EarlyEnd
from mentorship.models import Pair
from mentorship.selectors_employees import employment_of, pay_text
from organisations.declension import Case, decline_name, declined_full_name, declined_short_name, infer_gender
from organisations.models import Organisation
from organisations.russian import signature_name
from participants.models import Gender, Person
from reports.employees.models import EmployeeDocumentTemplate
from reports.employees.texts import STANDARD
from reports.employees.verification import qr_context
from reports.orders.documents import regulation_blocks
from reports.orders.drafting import fill
from roadmap.deadlines import ru_date, short_date

Kind = EmployeeDocumentTemplate.Kind
PAPER_TEMPLATE = "reports/pdf/employee_document.html"
BLANK_DATE = "«___» ____________ 20__ г."
TITLES = {
    Kind.CONSENT: "Согласие на выполнение наставничества",
    Kind.AGREEMENT: "Дополнительное соглашение",
    Kind.REFUSAL: "Заявление",
    Kind.NOTICE: "Уведомление",
}


@dataclass
class Signature:
    caption: str
    lines: list[str]
    signer: str


@dataclass
class PaperDocument:
    """A document as ГОСТ Р 7.0.97-2025 lays it out: the author (the organisation, for its own
    documents), the addressee, the type (``title``), the heading to the text (``subtitle``), the place
    and the date with the registration number, the text, the signatures, the QR code of a registered one."""

    kind: str
    title: str
    filename: str
    subtitle: str = ""
    author: list[str] = field(default_factory=list)
    addressee: list[str] = field(default_factory=list)
    place_and_date: tuple[str, str] | None = None
    blocks: list[dict] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    date_line: str = ""
    marks: list[str] = field(default_factory=list)
    qr: dict | None = None

    def fingerprint(self) -> str:
        """The hash of what the document says (without its QR code): a changed agreement is printed anew."""
        data = {k: v for k, v in asdict(self).items() if k != "qr"}
        return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


def template_body(*, organisation: Organisation, kind: str) -> tuple[str, bool]:
    """(the text the school uses for a document, whether it is the school's own version)."""
    own = EmployeeDocumentTemplate.objects.filter(organisation=organisation, kind=kind).first()
    if own is not None:
        return own.body, True
    standard = EmployeeDocumentTemplate.objects.filter(organisation__isnull=True, kind=kind).first()
    return (standard.body if standard else STANDARD[kind]), False


def _who(person: Person) -> str:
    if person.category == Person.Category.STUDENT:
        return f"обучающийся {person.class_name} класса" if person.class_name else "обучающийся"
    return person.position or person.get_category_display().lower()


def _mentees(pair: Pair) -> str:
    mentees = sorted(pair.mentees.all(), key=lambda p: (p.last_name, p.first_name))
    return "; ".join(f"{m.full_name} ({_who(m)})" for m in mentees) or "—"


def _director(organisation: Organisation) -> tuple[str, str, str]:
    """(full name, genitive, gender) of the director typed as one string in the school's details."""
    parts = (organisation.director_name or "").split()
    if len(parts) < 2:
        return organisation.director_name or "", organisation.director_name or "", ""
    last, first, patronymic = [*parts, ""][:3]
    gender = infer_gender(last, first, patronymic)
    return organisation.director_name, decline_name(last, first, patronymic, gender, case=Case.GENITIVE), gender


def _position_genitive(position: str) -> str:
    position = (position or "Директор").strip()
    head, _, rest = position.partition(" ")
    lowered = head.lower()
    if lowered in {"директор", "руководитель"}:
        head = {"директор": "директора", "руководитель": "руководителя"}[lowered]
    else:
        head = lowered
    return f"{head} {rest}".strip()


def _signed(person: Person) -> str:
    """«М. П. Иванова»: ГОСТ Р 7.0.97-2025 puts the initials before the surname under a signature."""
    return signature_name(person.full_name)


def values_of(pair: Pair) -> dict[str, str]:
    """The placeholders' values for one assignment."""
    organisation = pair.organisation
    mentor = pair.mentor
    terms = employment_of(mentor)
    consent = _related(pair, "employee_consent")
    agreement = AdditionalAgreement.objects.filter(pair=pair).first()
    end = EarlyEnd.objects.filter(pair=pair).first()
    director_full, director_genitive, director_gender = _director(organisation)
    female = mentor.gender == Gender.FEMALE
    plan = _related(pair, "plan")
    return {
        "organisation_full": organisation.full_name,
        "organisation_short": organisation.short_name,
        "director_full": director_full,
        "director_genitive": director_genitive,
        "director_position_genitive": _position_genitive(organisation.director_position),
        "director_acting": "действующей" if director_gender == Gender.FEMALE else "действующего",
        "mentor_full": mentor.full_name,
        "mentor_genitive": declined_full_name(mentor, Case.GENITIVE),
        "mentor_dative": declined_full_name(mentor, Case.DATIVE),
        "mentor_position": mentor.position or "работник",
        "mentor_position_genitive": position_in(mentor.position or "работник", Case.GENITIVE),
        "mentor_position_dative": position_in(mentor.position or "работник", Case.DATIVE),
        "mentor_named": "именуемая" if female else "именуемый",
        "mentees": _mentees(pair),
        "form": str(pair.form),
        "plan": f" (утверждён {short_date(plan.approved_on)})" if plan and plan.approved_on else "",
        "term_start": short_date(agreement.starts_on if agreement else pair.starts_on),
        "term_end": short_date(agreement.ends_on if agreement else pair.planned_end_on),
        "contract_number": (terms.contract_number if terms and terms.contract_number else "____"),
        "contract_date": short_date(terms.contract_date) if terms and terms.contract_date else "__.__.____",
        "consent_date": short_date(consent.signed_on) if consent else "__.__.____",
        "agreement": agreement.label if agreement else "от __.__.____ № ____",
        "pay_text": pay_text(agreement) if agreement else "__________ руб. в месяц",
        "pay_source": f" (основание: {agreement.pay_source})" if agreement and agreement.pay_source else "",
        "notice_date": ru_date(end.notice_on) if end else BLANK_DATE,
        "end_date": ru_date(end.ends_on) if end else BLANK_DATE,
    }


def _blocks(organisation: Organisation, kind: str, values: dict) -> list[dict]:
    body, _own = template_body(organisation=organisation, kind=kind)
    return regulation_blocks(fill(body, values))


def _employee_signature(pair: Pair, values: dict) -> Signature:
    return Signature("Работник", [values["mentor_full"], values["mentor_position"]], _signed(pair.mentor))


def _employer_signature(organisation: Organisation) -> Signature:
    lines = [organisation.full_name]
    if organisation.address:
        lines.append(organisation.address)
    if organisation.inn:
        lines.append(f"ИНН {organisation.inn}")
    lines.append(organisation.director_position or "Директор")
    return Signature("Работодатель", lines, signature_name(organisation.director_name or ""))


# The place of making (ГОСТ Р 7.0.97-2025) is written by hand when the school has not typed its town.
BLANK_PLACE = "______________"
BLANK_NUMBER = "____"


def _place(organisation: Organisation) -> str:
    return organisation.town or BLANK_PLACE


def consent_document(pair: Pair) -> PaperDocument:
    organisation = pair.organisation
    values = values_of(pair)
    consent = _related(pair, "employee_consent")
    director = declined_short_name(_DirectorName(organisation.director_name), Case.DATIVE)
    return PaperDocument(
        kind=Kind.CONSENT,
        title="Согласие",
        subtitle="на выполнение наставничества",
        filename=f"Согласие на наставничество — {pair.mentor.short_name}",
        addressee=[
            f"{_position_dative(organisation.director_position)} {organisation.short_name}",
            director,
            f"от {values['mentor_position_genitive']}",
            values["mentor_genitive"],
        ],
        blocks=_blocks(organisation, Kind.CONSENT, values),
        signatures=[_employee_signature(pair, values)],
        date_line=ru_date(consent.signed_on) if consent else BLANK_DATE,
    )


def agreement_document(agreement: AdditionalAgreement) -> PaperDocument:
    pair = agreement.pair
    organisation = pair.organisation
    values = values_of(pair)
    return PaperDocument(
        kind=Kind.AGREEMENT,
        title=f"Дополнительное соглашение № {agreement.number}",
        subtitle=(
            f"к трудовому договору от {values['contract_date']} № {values['contract_number']} "
            "о выполнении наставничества"
        ),
        filename=f"Дополнительное соглашение № {agreement.number} — {pair.mentor.short_name}",
        place_and_date=(_place(organisation), ru_date(agreement.concluded_on)),
        blocks=_blocks(organisation, Kind.AGREEMENT, values),
        signatures=[_employer_signature(organisation), _employee_signature(pair, values)],
        # ГОСТ Р 7.0.97-2025: a registered document carries its QR code once its verification link is issued.
        qr=qr_context(agreement),
        marks=[f"Экземпляр соглашения получил(а): ______________ / {_signed(pair.mentor)} /  {BLANK_DATE}"],
    )


def early_end_document(end: EarlyEnd) -> PaperDocument:
    pair = end.pair
    organisation = pair.organisation
    values = values_of(pair)
    director = declined_short_name(_DirectorName(organisation.director_name), Case.DATIVE)
    if end.initiator == EarlyEnd.Initiator.MENTOR:
        return PaperDocument(
            kind=Kind.REFUSAL,
            title=TITLES[Kind.REFUSAL],
            subtitle="об отказе от выполнения наставничества",
            filename=f"Заявление об отказе от наставничества — {pair.mentor.short_name}",
            addressee=[
                f"{_position_dative(organisation.director_position)} {organisation.short_name}",
                director,
                f"от {values['mentor_position_genitive']}",
                values["mentor_genitive"],
            ],
            blocks=_blocks(organisation, Kind.REFUSAL, values),
            signatures=[_employee_signature(pair, values)],
            date_line=ru_date(end.notice_on),
        )
    return PaperDocument(
        kind=Kind.NOTICE,
        title=TITLES[Kind.NOTICE],
        subtitle="об отмене поручения о выполнении наставничества",
        author=[organisation.full_name],
        # An outgoing document of the school: date and registration number (written in when it is
        # registered in the school's journal), place.
        place_and_date=(_place(organisation), f"{short_date(end.notice_on)} № {BLANK_NUMBER}"),
        filename=f"Уведомление об отмене наставничества — {pair.mentor.short_name}",
        addressee=[
            values["mentor_position_dative"][:1].upper() + values["mentor_position_dative"][1:],
            values["mentor_dative"],
        ],
        blocks=_blocks(organisation, Kind.NOTICE, values),
        signatures=[_employer_signature(organisation)],
        marks=[f"Уведомление получил(а): ______________ / {_signed(pair.mentor)} /  {BLANK_DATE}"],
    )


def _related(obj, name: str):
    """A reverse one-to-one object, or None when there is none."""
    try:
        return getattr(obj, name)
    except AttributeError:  # RelatedObjectDoesNotExist is an AttributeError
        return None


_ADJECTIVE_ENDINGS = {
    Case.GENITIVE: (("ый", "ого"), ("ой", "ого"), ("ий", "его")),
    Case.DATIVE: (("ый", "ому"), ("ой", "ому"), ("ий", "ему")),
}
_NOUN_ENDINGS = {Case.GENITIVE: (("ь", "я"), ("", "а")), Case.DATIVE: (("ь", "ю"), ("", "у"))}


def _decline_word(word: str, case: Case) -> tuple[str, bool]:
    """(the word in the case, whether it was the head noun): leading adjectives agree, the head
    noun changes, the rest («учитель математики») stays as typed."""
    for ending, replacement in _ADJECTIVE_ENDINGS[case]:
        if word.endswith(ending) and len(word) > 3:
            return word[: -len(ending)] + replacement, False
    parts = []
    for part in word.split("-"):
        for ending, replacement in _NOUN_ENDINGS[case]:
            if part.endswith(ending) and part[-1:] not in "аяео":
                parts.append(part[: len(part) - len(ending)] + replacement)
                break
        else:
            parts.append(part)
    return "-".join(parts), True


def position_in(position: str, case: Case) -> str:
    """«учитель математики» → «учителя математики» / «учителю математики»; «социальный педагог» →
    «социального педагога». Only the masculine nouns of school positions are declined."""
    words = position.split()
    result = []
    for index, word in enumerate(words):
        declined, was_noun = _decline_word(word, case)
        result.append(declined)
        if was_noun:
            result.extend(words[index + 1 :])
            break
    return " ".join(result)


class _DirectorName:
    """The director typed as one string, as the declension helpers take a person."""

    def __init__(self, full_name: str):
        parts = (full_name or "").split()
        self.last_name, self.first_name, self.patronymic = [*parts, "", "", ""][:3]
        self.gender = infer_gender(self.last_name, self.first_name, self.patronymic)
        self.name_forms = {}


def _position_dative(position: str) -> str:
    """«Директору» for the addressee block of an application."""
    position = (position or "Директор").strip()
    head, _, rest = position.partition(" ")
    dative = {"директор": "Директору", "руководитель": "Руководителю"}.get(head.lower(), head)
    return f"{dative} {rest}".strip()


def printed_on():
    return timezone.localdate()
