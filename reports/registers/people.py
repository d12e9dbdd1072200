"""Registers of people as XLSX/CSV: every exporter of personal data lives here.

Nobody without a valid consent to participation is exported (152-ФЗ); each file says how
many people were left out for that reason.
"""

from django.utils import timezone

from organisations.russian import plural
from organisations.school_year import school_year_from, school_year_label
from participants.filters import AccessLogFilter, ConsentFilter, PersonFilter
from participants.filters_bases import MenteeFilter, MentorFilter
from participants.models import AccessLogEntry, Consent
from participants.selectors import participants_with_consents, valid_consent_exists
from participants.selectors_bases import (
    mentee_entries,
    mentor_entries,
    mentor_register_entries,
    partners_with_mentor_counts,
    with_document_states,
)
from reports.exports.base import Column, TableExporter


def _left_out_notes(left_out: int) -> list[str]:
    if not left_out:
        return []
    people = f"{left_out} {plural(left_out, 'человек', 'человека', 'человек')}"
    return [f"Не выгружено из-за отсутствия действующего согласия на обработку персональных данных: {people}."]


class PeopleExporter(TableExporter):
    """People of the school as the list shows them: same filters, or the selected ones."""

    identifier = "people"
    title = "Участники программы наставничества"
    capability = "participants.view"
    personal_data = True
    background = True
    sheet_title = "Участники"
    columns = (
        Column("Фамилия", 18),
        Column("Имя", 14),
        Column("Отчество", 18),
        Column("Пол", 8),
        Column("Дата рождения", 14),
        Column("Категория", 22),
        Column("Класс", 8),
        Column("Должность", 24),
        Column("Предметы", 24),
        Column("Стаж, лет", 10),
        Column("Организация-партнёр", 28),
        Column("Телефон", 16),
        Column("Электронная почта", 24),
    )

    def selected(self, *, organisation, params):
        people = organisation.people.select_related("partner")
        ids = [int(value) for value in params.getlist("person") if value.isdigit()]
        if ids:
            return people.filter(pk__in=ids)
        return PersonFilter(params, queryset=people).qs

    def _split(self, *, organisation, params):
        people = self.selected(organisation=organisation, params=params).alias(consented=valid_consent_exists())
        return people.filter(consented=True), people.filter(consented=False)

    def rows(self, *, organisation, params):
        consented, _ = self._split(organisation=organisation, params=params)
        for person in consented.iterator(chunk_size=2000):
            yield (
                person.last_name,
                person.first_name,
                person.patronymic,
                person.get_gender_display(),
                person.birth_date,
                person.get_category_display(),
                person.class_name,
                person.position,
                person.subjects,
                person.experience_years,
                person.partner.name if person.partner else "",
                person.phone,
                person.email,
            )

    def people_count(self, *, organisation, params) -> int:
        return self._split(organisation=organisation, params=params)[0].count()

    row_total = people_count

    def notes(self, *, organisation, params) -> list[str]:
        return _left_out_notes(self._split(organisation=organisation, params=params)[1].count())


class AccessJournalExporter(TableExporter):
    """The access journal as the director filtered it."""

    identifier = "access-journal"
    title = "Журнал доступа к персональным данным"
    capability = "journal.view"
    personal_data = True  # the entries name people and their pages
    background = True  # it grows with every view of a card
    sheet_title = "Журнал"
    columns = (
        Column("Когда", 17),
        Column("Пользователь", 30),
        Column("Действие", 12),
        Column("Что", 40),
        Column("Участник", 30),
        Column("Человек", 9),
        Column("Адрес страницы", 40),
        Column("IP-адрес", 16),
    )

    def _entries(self, *, organisation, params):
        entries = AccessLogEntry.objects.filter(organisation=organisation).select_related("user", "person")
        return AccessLogFilter(params, queryset=entries, organisation=organisation).qs

    def row_total(self, *, organisation, params) -> int:
        return self._entries(organisation=organisation, params=params).count()

    def people_count(self, *, organisation, params) -> int:
        """The participants the exported entries name (the journal's own export is journalled too)."""
        entries = self._entries(organisation=organisation, params=params)
        return entries.exclude(person=None).order_by().values("person").distinct().count()

    def rows(self, *, organisation, params):
        for entry in self._entries(organisation=organisation, params=params).iterator(chunk_size=2000):
            yield (
                timezone.localtime(entry.at),
                entry.user.display_name if entry.user else "",
                entry.get_action_display(),
                entry.what,
                entry.person.full_name if entry.person else "",
                entry.people_count,
                entry.path,
                entry.ip_address,
            )


def _documents_text(states) -> tuple[str, str]:
    """«действует до 01.09.2027» / «просрочена (до …)» / «нет» per required document."""
    if states is None:
        return ("не требуется", "не требуется")
    texts = []
    for state in states:
        if state.document is None:
            texts.append("нет")
        elif state.expired:
            texts.append(f"просрочена (до {state.document.valid_until:%d.%m.%Y})")
        elif state.document.valid_until:
            texts.append(f"действует до {state.document.valid_until:%d.%m.%Y}")
        else:
            texts.append("бессрочно")
    return tuple(texts)


class _ConsentedEntriesExporter(TableExporter):
    """Base entries (mentor, mentee) of people with a valid consent only."""

    def entries(self, *, organisation, params):
        raise NotImplementedError

    def _split(self, *, organisation, params):
        entries = self.entries(organisation=organisation, params=params).alias(
            consented=valid_consent_exists(person_field="person")
        )
        return entries.filter(consented=True), entries.filter(consented=False)

    def people_count(self, *, organisation, params) -> int:
        return self._split(organisation=organisation, params=params)[0].count()

    def notes(self, *, organisation, params) -> list[str]:
        notes = [f"Учебный год {school_year_label(school_year_from(params))}."]
        left_out = self._split(organisation=organisation, params=params)[1].count()
        if left_out:
            people = f"{left_out} {plural(left_out, 'человек', 'человека', 'человек')}"
            notes.append(
                f"Не выгружено из-за отсутствия действующего согласия на обработку персональных данных: {people}."
            )
        return notes


MENTOR_COLUMNS = (
    Column("ФИО", 34),
    Column("Категория", 20),
    Column("Должность, место работы", 34),
    Column("Компетенции", 34),
    Column("Теги", 24),
    Column("Предпочтительные формы", 30),
    Column("Наставляемых не больше", 12),
    Column("Статус", 16),
    Column("Дата утверждения", 14),
    Column("Справка об отсутствии судимости", 22),
    Column("Медицинская справка", 22),
)


class MentorBaseExporter(_ConsentedEntriesExporter):
    identifier = "mentors"
    title = "База наставников"
    capability = "participants.view"
    personal_data = True
    sheet_title = "Наставники"
    columns = MENTOR_COLUMNS

    def entries(self, *, organisation, params):
        entries = mentor_entries(organisation=organisation, year=school_year_from(params))
        return MentorFilter(params, queryset=entries, organisation=organisation).qs

    def rows(self, *, organisation, params):
        consented, _ = self._split(organisation=organisation, params=params)
        for entry in with_document_states(consented, on=timezone.localdate()):
            person = entry.person
            workplace = ", ".join(
                part for part in (person.position, person.partner.name if person.partner else "") if part
            )
            yield (
                person.full_name,
                person.get_category_display(),
                workplace,
                entry.competencies,
                ", ".join(f"#{tag.name}" for tag in person.tags.all()),
                ", ".join(form.name for form in entry.preferred_forms.all()),
                entry.capacity,
                entry.get_status_display(),
                entry.approved_on,
                *_documents_text(entry.document_states),
            )


class MentorRegisterExporter(MentorBaseExporter):
    identifier = "mentor-register"
    title = "Реестр наставников"
    sheet_title = "Реестр"

    def entries(self, *, organisation, params):
        return mentor_register_entries(organisation=organisation, year=school_year_from(params))


class MenteeBaseExporter(_ConsentedEntriesExporter):
    identifier = "mentees"
    title = "База наставляемых"
    capability = "participants.view"
    personal_data = True
    sheet_title = "Наставляемые"
    columns = (
        Column("ФИО", 34),
        Column("Категория", 20),
        Column("Класс", 8),
        Column("Дата рождения", 14),
        Column("Вид запроса", 24),
        Column("Запрос и дефициты", 40),
        Column("Теги", 24),
        Column("Статус", 18),
    )

    def entries(self, *, organisation, params):
        entries = mentee_entries(organisation=organisation, year=school_year_from(params))
        return MenteeFilter(params, queryset=entries, organisation=organisation).qs

    def rows(self, *, organisation, params):
        consented, _ = self._split(organisation=organisation, params=params)
        for entry in consented:
            person = entry.person
            yield (
                person.full_name,
                person.get_category_display(),
                person.class_name,
                person.birth_date,
                entry.get_need_kind_display(),
                entry.needs,
                ", ".join(f"#{tag.name}" for tag in person.tags.all()),
                entry.get_status_display(),
            )


class PartnersExporter(TableExporter):
    """Partner organisations: no personal data, so no consent rule."""

    identifier = "partners"
    title = "Организации-партнёры"
    capability = "participants.view"
    personal_data = True
    sheet_title = "Партнёры"
    columns = (
        Column("Наименование", 40),
        Column("ИНН", 14),
        Column("Контакт", 30),
        Column("Соглашения", 44),
        Column("Наставников по соглашениям", 14),
        Column("Наставников предоставлено", 14),
    )

    def notes(self, *, organisation, params) -> list[str]:
        return [f"Учебный год {school_year_label(school_year_from(params))}."]

    def rows(self, *, organisation, params):
        for partner in partners_with_mentor_counts(organisation=organisation, year=school_year_from(params)):
            agreements = "; ".join(
                f"№ {a.number} от {a.signed_on:%d.%m.%Y}" + (f" до {a.valid_until:%d.%m.%Y}" if a.valid_until else "")
                for a in partner.agreements.all()
            )
            yield (
                partner.name,
                partner.inn,
                partner.contact,
                agreements,
                partner.mentors_planned_total,
                partner.mentors_provided,
            )


class ConsentsExporter(TableExporter):
    """The consents of the people the consent list shows, one row a consent."""

    identifier = "consents"
    title = "Реестр согласий на обработку персональных данных"
    capability = "participants.view"
    personal_data = True
    background = True
    sheet_title = "Согласия"
    columns = (
        Column("ФИО", 34),
        Column("Класс / категория", 20),
        Column("Цель", 30),
        Column("Статус", 12),
        Column("Дата подписания", 14),
        Column("Подписал", 34),
        Column("Подпись ребёнка", 10),
        Column("Редакция текста", 10),
        Column("Скан", 8),
        Column("Дата отзыва", 14),
    )

    def _people(self, *, organisation, params):
        people = participants_with_consents(organisation=organisation)
        return ConsentFilter(params, queryset=people, organisation=organisation).qs

    def people_count(self, *, organisation, params) -> int:
        return self._people(organisation=organisation, params=params).filter(has_valid_consent=True).count()

    def row_total(self, *, organisation, params) -> int:
        exported = self._people(organisation=organisation, params=params).filter(has_valid_consent=True)
        return Consent.objects.filter(organisation=organisation, person__in=exported.values("pk")).count()

    def notes(self, *, organisation, params) -> list[str]:
        without = self._people(organisation=organisation, params=params).filter(has_valid_consent=False)
        return _left_out_notes(without.count())

    def rows(self, *, organisation, params):
        for person in self._people(organisation=organisation, params=params).filter(has_valid_consent=True):
            for consent in person.consent_list:
                signer = consent.representative.full_name if consent.representative else "сам(а)"
                yield (
                    person.full_name,
                    person.class_name or person.get_category_display(),
                    consent.get_purpose_display(),
                    consent.get_status_display(),
                    consent.signed_on,
                    signer,
                    consent.signed_by_subject if consent.representative else None,
                    consent.text.version,
                    bool(consent.scan),
                    consent.withdrawn_on,
                )
