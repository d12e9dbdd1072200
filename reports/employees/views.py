"""«Наставники-работники» (ст. 351.8 ТК РФ): consents, agreements, early ends, pay, the calendar.

The files (consent, agreement, refusal or notice, registers) are served by the one export view
(reports:export) through the exporters of reports.employees.exporters.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from mentorship.employment import CalendarCorrection, PayRule
from mentorship.models import Pair
from mentorship.selectors import current_programmes
from mentorship.selectors_employees import employee_pair_condition, employee_pairs, employment_of
from mentorship.services_employees import (
    agreement_conclude,
    calendar_correction_set,
    consent_record,
    early_end_register,
    early_ends_close_due,
    employment_terms_save,
    end_earliest,
    pay_rule_add,
)
from organisations.scans import scan_file_response
from organisations.tenancy import OrganisationMixin
from participants.journal import access_record
from participants.models import AccessLogEntry, Person
from reports.employees.documents import consent_document, template_body
from reports.employees.exporters import month_of
from reports.employees.forms import (
    AgreementForm,
    CalendarCorrectionForm,
    ConsentForm,
    EarlyEndForm,
    EmploymentTermsForm,
    PayRuleForm,
    TemplateBodyForm,
)
from reports.employees.models import EmployeeDocumentTemplate
from reports.employees.pay import pay_register, pay_total
from reports.employees.services import (
    agreements_without_pay_order,
    employee_template_reset,
    employee_template_save,
    pay_order_draft,
)
from reports.employees.texts import PLACEHOLDER_LABELS
from roadmap.deadlines import month_label

CAPABILITY = "orders.draft"


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


class EmployeesMixin(OrganisationMixin):
    required_capability = CAPABILITY

    def back(self):
        return redirect("reports:employee_list", org=self.organisation.slug)


class EmployeeListView(EmployeesMixin, TemplateView):
    template_name = "reports/employees/list.html"

    def get_context_data(self, **kwargs):
        early_ends_close_due(organisation=self.organisation)
        programmes = current_programmes(organisation=self.organisation)
        pairs = list(employee_pairs(organisation=self.organisation).filter(programme__in=programmes))
        rows = [
            {
                "pair": pair,
                "terms": employment_of(pair.mentor),
                "consent": _related(pair, "employee_consent"),
                "agreement": _related(pair, "agreement"),
                "end": _related(pair, "early_end"),
            }
            for pair in pairs
        ]
        kwargs.update(
            rows=rows,
            programmes=programmes,
            consent_form=ConsentForm(),
            agreement_form=AgreementForm(),
            unpaid=agreements_without_pay_order(organisation=self.organisation).count(),
            missing_consents=sum(1 for row in rows if row["consent"] is None),
            today=timezone.localdate(),
        )
        return super().get_context_data(**kwargs)


def _related(obj, name):
    try:
        return getattr(obj, name)
    except AttributeError:
        return None


class PairActionMixin(EmployeesMixin):
    @cached_property
    def pair(self) -> Pair:
        early_ends_close_due(organisation=self.organisation)
        pairs = self.organisation.pairs.filter(employee_pair_condition()).select_related("mentor", "programme")
        return get_object_or_404(pairs, pk=self.kwargs["pk"])


class ConsentView(PairActionMixin, View):
    def post(self, request, *args, **kwargs):
        pair = self.pair  # another school's pair is a 404 before the form is read
        form = ConsentForm(request.POST, request.FILES)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
            return self.back()
        try:
            consent_record(
                pair=pair, signed_on=form.cleaned_data["signed_on"], scan=form.cleaned_data["scan"], user=request.user
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, f"Согласие {self.pair.mentor.short_name} внесено.")
        return self.back()


class AgreementView(PairActionMixin, View):
    def post(self, request, *args, **kwargs):
        pair = self.pair
        form = AgreementForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Укажите дату соглашения.")
            return self.back()
        try:
            agreement = agreement_conclude(pair=pair, concluded_on=form.cleaned_data["concluded_on"], user=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, f"Дополнительное соглашение № {agreement.number} оформлено: распечатайте его.")
        return self.back()


class EarlyEndView(PairActionMixin, TemplateView):
    template_name = "reports/employees/end.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", EarlyEndForm(initial={"initiator": "mentor"}))
        today = timezone.localdate()
        kwargs.update(pair=self.pair, earliest=end_earliest(organisation=self.organisation, notice_on=today))
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = EarlyEndForm(request.POST)
        if form.is_valid():
            try:
                early_end_register(
                    pair=self.pair,
                    initiator=form.cleaned_data["initiator"],
                    notice_on=form.cleaned_data["notice_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    "Досрочное прекращение внесено. Распечатайте документ и подготовьте приказ "
                    "«О досрочном прекращении наставничества»: после его утверждения пара завершится.",
                )
                return self.back()
        return self.render_to_response(self.get_context_data(form=form))


class EmploymentTermsView(EmployeesMixin, TemplateView):
    template_name = "reports/employees/terms.html"

    @cached_property
    def person(self) -> Person:
        people = self.organisation.people.filter(category__in=(Person.Category.TEACHER,))
        return get_object_or_404(people, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", EmploymentTermsForm(instance=employment_of(self.person)))
        kwargs["person"] = self.person
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = EmploymentTermsForm(request.POST, instance=employment_of(self.person))
        if form.is_valid():
            try:
                employment_terms_save(organisation=self.organisation, person=self.person, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Сведения о трудовом договоре {self.person.short_name} сохранены.")
                return self.back()
        return self.render_to_response(self.get_context_data(form=form))


class PayRulesView(EmployeesMixin, TemplateView):
    template_name = "reports/employees/pay_rules.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", PayRuleForm())
        kwargs["rules"] = PayRule.objects.filter(organisation=self.organisation).order_by("-valid_from", "-pk")
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = PayRuleForm(request.POST)
        if form.is_valid():
            try:
                pay_rule_add(organisation=self.organisation, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Правило оплаты добавлено; прежнее действует до дня перед ним.")
                return redirect("reports:employee_pay_rules", org=self.organisation.slug)
        return self.render_to_response(self.get_context_data(form=form))


class CalendarView(EmployeesMixin, TemplateView):
    template_name = "reports/employees/calendar.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", CalendarCorrectionForm())
        kwargs["corrections"] = CalendarCorrection.objects.filter(organisation=self.organisation)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = CalendarCorrectionForm(request.POST)
        if form.is_valid():
            calendar_correction_set(organisation=self.organisation, **form.cleaned_data)
            messages.success(request, f"Поправка на {form.cleaned_data['day']:%d.%m.%Y} сохранена.")
            return redirect("reports:employee_calendar", org=self.organisation.slug)
        return self.render_to_response(self.get_context_data(form=form))


class TemplatesView(EmployeesMixin, TemplateView):
    template_name = "reports/employees/templates.html"

    def get_context_data(self, **kwargs):
        rows = []
        for kind, label in EmployeeDocumentTemplate.Kind.choices:
            _body, own = template_body(organisation=self.organisation, kind=kind)
            rows.append({"kind": kind, "label": label, "own": own})
        kwargs["rows"] = rows
        return super().get_context_data(**kwargs)


class TemplateEditView(EmployeesMixin, TemplateView):
    template_name = "reports/employees/template_form.html"

    @cached_property
    def kind(self) -> str:
        kind = self.kwargs["kind"]
        if kind not in EmployeeDocumentTemplate.Kind.values:
            raise Http404
        return kind

    def get_context_data(self, **kwargs):
        body, own = template_body(organisation=self.organisation, kind=self.kind)
        kwargs.setdefault("form", TemplateBodyForm(initial={"body": body}))
        kwargs.update(
            kind=self.kind,
            label=EmployeeDocumentTemplate.Kind(self.kind).label,
            own=own,
            placeholders=PLACEHOLDER_LABELS,
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        if "reset" in request.POST:
            employee_template_reset(organisation=self.organisation, kind=self.kind)
            messages.success(request, "Восстановлен стандартный текст.")
            return redirect("reports:employee_templates", org=self.organisation.slug)
        form = TemplateBodyForm(request.POST)
        if form.is_valid():
            try:
                employee_template_save(organisation=self.organisation, kind=self.kind, body=form.cleaned_data["body"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Своя редакция документа сохранена.")
                return redirect("reports:employee_templates", org=self.organisation.slug)
        return self.render_to_response(self.get_context_data(form=form))


class PayRegisterView(EmployeesMixin, TemplateView):
    # The chief accountant reads the register too (without the rest of the employees' pages).
    required_capability = "pay.view"
    template_name = "reports/employees/pay_register.html"

    def get_context_data(self, **kwargs):
        year, month = month_of(self.request.GET)
        rows, without_order = pay_register(organisation=self.organisation, year=year, month=month)
        kwargs.update(
            rows=rows,
            without_order=without_order,
            total=pay_total(rows),
            month_value=f"{year}-{month:02d}",
            month_label=month_label(year, month),
        )
        return super().get_context_data(**kwargs)


class PayOrderView(EmployeesMixin, View):
    def post(self, request, *args, **kwargs):
        programmes = current_programmes(organisation=self.organisation)
        programme = next((p for p in programmes if p.kind == "teachers"), programmes[0] if programmes else None)
        if programme is None:
            messages.error(request, "Нет программы наставничества текущего учебного года: приказ не к чему отнести.")
            return self.back()
        try:
            order = pay_order_draft(organisation=self.organisation, programme=programme, user=request.user)
        except ValidationError as error:
            _errors(request, error)
            return self.back()
        messages.success(request, "Проект приказа об установлении выплаты составлен: проверьте суммы и основания.")
        return redirect("reports:order_edit", org=self.organisation.slug, pk=order.pk)


class MyConsentsView(OrganisationMixin, TemplateView):
    """A mentor with an account gives the written consent here: the text as the school words it is
    kept with the date and time (ст. 351.8 ТК РФ allows the form to be set by the employer)."""

    required_capability = "meetings.log"
    template_name = "reports/employees/my_consents.html"

    def pairs(self):
        return list(
            employee_pairs(organisation=self.organisation)
            .filter(mentor__user=self.request.user, employee_consent__isnull=True)
            .exclude(status=Pair.Status.CLOSED)
        )

    def get_context_data(self, **kwargs):
        kwargs["items"] = [{"pair": pair, "paper": consent_document(pair)} for pair in self.pairs()]
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        pair = next((p for p in self.pairs() if str(p.pk) == request.POST.get("pair")), None)
        if pair is None:
            messages.error(request, "Это наставничество не ждёт вашего согласия.")
            return redirect("reports:employee_my_consents", org=self.organisation.slug)
        paper = consent_document(pair)
        text = "\n\n".join(block["text"] for block in paper.blocks)
        try:
            consent_record(pair=pair, signed_on=timezone.localdate(), accepted_text=text, user=request.user)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, "Согласие на наставничество дано; школа видит его дату, время и текст.")
        return redirect("reports:employee_my_consents", org=self.organisation.slug)


class ConsentScanView(PairActionMixin, View):
    """The scan of the signed consent, only through this view; each opening is journalled."""

    def get(self, request, *args, **kwargs):
        consent = _related(self.pair, "employee_consent")
        if consent is None or not consent.scan:
            messages.warning(request, "Скан этого согласия не загружен.")
            return self.back()
        try:
            file = consent.scan.open("rb")
        except FileNotFoundError:
            messages.error(request, "Файл скана не найден в хранилище: обратитесь к администратору.")
            return self.back()
        access_record(
            request=request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.VIEW,
            what=f"Скан согласия на наставничество от {consent.signed_on:%d.%m.%Y}",
            person=self.pair.mentor,
        )
        return scan_file_response(file, download_name=f"Согласие на наставничество — {self.pair.mentor.short_name}")
