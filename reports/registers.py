"""Registers of people as XLSX/CSV: every exporter of personal data lives here.

Nobody without a valid consent to participation is exported (152-ФЗ); each file says how
many people were left out for that reason.
"""

from django.db.models import Exists, OuterRef

from organisations.russian import plural
from participants.filters import PersonFilter
from participants.models import Consent, ConsentPurpose

from .exporters import Column, TableExporter, register


def _valid_participation_consent():
    return Exists(
        Consent.objects.filter(person=OuterRef("pk"), purpose=ConsentPurpose.PARTICIPATION, status=Consent.Status.VALID)
    )


class PeopleExporter(TableExporter):
    """People of the school as the list shows them: same filters, or the selected ones."""

    identifier = "people"
    title = "Участники программы наставничества"
    capability = "participants.view"
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
        people = self.selected(organisation=organisation, params=params).alias(consented=_valid_participation_consent())
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

    def notes(self, *, organisation, params) -> list[str]:
        left_out = self._split(organisation=organisation, params=params)[1].count()
        if not left_out:
            return []
        people = f"{left_out} {plural(left_out, 'человек', 'человека', 'человек')}"
        return [f"Не выгружено из-за отсутствия действующего согласия на обработку персональных данных: {people}."]


register(PeopleExporter)
