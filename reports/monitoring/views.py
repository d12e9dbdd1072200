"""Monitoring campaigns: the authority's list, new campaign, status page with the consolidated
table, a school's answers under review, the XLSX in the authority's layout, the column mapping and
the indicators' targets; the school's list and form."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import modelformset_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from organisations.models import Membership
from organisations.roles import CAMPAIGN_SUBMITTERS
from organisations.school_year import current_school_year, school_year_choices, school_year_from, school_year_label
from organisations.tenancy import OrganisationMixin
from reports.analytics import targets
from reports.analytics.models import IndicatorTarget
from reports.exports.base import REGISTRY
from reports.exports.serving import export_or_job
from reports.monitoring import selectors, services
from reports.monitoring.exporters import CampaignExporter
from reports.monitoring.forms import CampaignForm, ExportColumnForm, IndicatorForm, ReturnForm, TargetForm
from reports.monitoring.models import Campaign, ExportColumn, Question, Response

MANAGE, FILL = "campaigns.manage", "campaigns.fill"


class _AuthorityMixin(OrganisationMixin):
    required_capability = MANAGE

    def authority_only(self):
        if not self.organisation.is_authority:
            raise Http404

    def get_campaign(self) -> Campaign:
        self.authority_only()
        return get_object_or_404(Campaign, organisation=self.organisation, pk=self.kwargs["pk"])


class CampaignListView(OrganisationMixin, TemplateView):
    """An authority's campaigns with their counts; a school's forms to fill."""

    template_name = "reports/monitoring/list.html"

    def get_required_capability(self) -> str:
        return MANAGE if self.organisation.is_authority else FILL

    def get_context_data(self, **kwargs):
        kwargs["items"] = list(selectors.campaigns_of(self.organisation))
        return super().get_context_data(**kwargs)


class CampaignCreateView(_AuthorityMixin, FormView):
    template_name = "reports/monitoring/new.html"
    form_class = CampaignForm

    def get(self, request, *args, **kwargs):
        self.authority_only()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.authority_only()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            campaign = services.open_campaign(
                organisation=self.organisation,
                title=data["title"],
                school_year=data["school_year"],
                deadline=data["deadline"],
                indicators=list(data["indicators"]),
                schools=list(data["schools"]),
                questions=form.questions(),
                user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, "Мониторинг открыт: школы увидят форму на своей главной странице.")
        return redirect("reports:campaign_detail", org=self.organisation.slug, pk=campaign.pk)


class CampaignDetailView(_AuthorityMixin, TemplateView):
    """Per-school status with counts, the reminder, the consolidated table with totals."""

    template_name = "reports/monitoring/detail.html"

    def get_context_data(self, **kwargs):
        campaign = self.get_campaign()
        kwargs.update(
            campaign=campaign,
            year_label=school_year_label(campaign.school_year),
            counts=selectors.status_counts(campaign),
            table=selectors.consolidated(campaign),
            late=sum(n for status, _, n in selectors.status_counts(campaign) if status in services.LATE),
        )
        return super().get_context_data(**kwargs)


class CampaignRemindView(_AuthorityMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        campaign = self.get_campaign()
        schools, people = services.remind_late(campaign=campaign)
        messages.success(request, services.reminder_message(schools, people))
        return redirect("reports:campaign_detail", org=self.organisation.slug, pk=campaign.pk)


class ResponseReviewView(_AuthorityMixin, TemplateView):
    """A school's answers: accept, or return with a comment."""

    template_name = "reports/monitoring/review.html"

    def get_response(self) -> Response:
        self.authority_only()
        return get_object_or_404(
            Response.objects.select_related("campaign", "organisation"),
            campaign__organisation=self.organisation,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        response = self.get_response()
        kwargs.update(
            response=response,
            campaign=response.campaign,
            answers=response.answers.select_related("indicator", "question").order_by(
                "indicator__position", "question__position", "pk"
            ),
            return_form=kwargs.get("return_form") or ReturnForm(),
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        response = self.get_response()
        form = ReturnForm(request.POST)
        form.is_valid()
        try:
            if request.POST.get("action") == "accept":
                services.accept_response(response=response)
                messages.success(request, f"Ответ школы «{response.organisation.short_name}» принят.")
            else:
                services.return_response(response=response, comment=form.cleaned_data.get("comment", ""))
                messages.success(request, f"Ответ возвращён школе «{response.organisation.short_name}» на доработку.")
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(return_form=form))
        return redirect("reports:campaign_detail", org=self.organisation.slug, pk=response.campaign_id)


class CampaignXlsxView(_AuthorityMixin, TemplateView):
    """The consolidated table through its exporter (reports/monitoring/exporters.py)."""

    def get(self, request, *args, **kwargs):
        campaign = self.get_campaign()
        return export_or_job(
            request=request,
            organisation=self.organisation,
            access=self.access,
            exporter=REGISTRY[CampaignExporter.identifier],
            params={"campaign": campaign.pk},
            fmt="xlsx",
            as_attachment=True,
        )


class LayoutView(_AuthorityMixin, TemplateView):
    """The authority's own XLSX layout: which column holds what."""

    template_name = "reports/monitoring/layout.html"

    def formset(self, data=None):
        self.authority_only()
        FormSet = modelformset_factory(ExportColumn, form=ExportColumnForm, extra=3, can_delete=True)
        return FormSet(
            data,
            queryset=self.organisation.export_columns.order_by("column"),
            form_kwargs={"organisation": self.organisation},
            prefix="columns",
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.formset())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(formset=formset))
        columns = formset.save(commit=False)
        for column in formset.deleted_objects:
            column.delete()
        numbers = [
            form.cleaned_data["column"]
            for form in formset.forms
            if form.cleaned_data and form not in formset.deleted_forms
        ]
        if len(numbers) != len(set(numbers)):
            messages.error(request, "Два столбца с одним номером: у каждого столбца свой номер.")
            return self.render_to_response(self.get_context_data(formset=formset))
        for column in columns:
            column.organisation = self.organisation
            column.save()
        messages.success(request, "Раскладка выгрузки сохранена.")
        return redirect("reports:campaign_layout", org=self.organisation.slug)


class TargetsView(_AuthorityMixin, TemplateView):
    """The indicators and the authority's targets for a school year (?year=); its own indicators."""

    template_name = "reports/monitoring/targets.html"
    required_capability = "indicators.edit"

    def year(self) -> int:
        year = school_year_from(self.request.GET)
        return year if year in dict(school_year_choices()) else current_school_year()

    def rows(self, data=None):
        self.authority_only()
        year = self.year()
        records = [r for r in targets.indicator_records(self.organisation) if r.is_active]
        applied = {spec.code: spec for spec in targets.specs_for(self.organisation, year, entered=True)}
        own = {
            t.indicator_id: t for t in IndicatorTarget.objects.filter(organisation=self.organisation, school_year=year)
        }
        rows = []
        for record in records:
            mine = own.get(record.pk)
            initial = {
                "target": mine.target if mine else None,
                "direction": mine.direction if mine else IndicatorTarget.Direction.HIGHER,
                "may_tighten": mine.may_tighten if mine else True,
            }
            spec = applied.get(record.code)
            rows.append((record, spec, mine, TargetForm(data, prefix=f"i{record.pk}", initial=initial)))
        return year, rows

    def get_context_data(self, **kwargs):
        year, rows = self.rows()
        kwargs.setdefault("indicator_form", IndicatorForm(organisation=self.organisation))
        kwargs.update(year=year, year_label=school_year_label(year), rows=rows, year_choices=school_year_choices())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "add":
            form = IndicatorForm(request.POST, organisation=self.organisation)
            if form.is_valid():
                form.save()
                messages.success(request, "Показатель добавлен.")
                return redirect(request.get_full_path())
            return self.render_to_response(self.get_context_data(indicator_form=form))
        year, rows = self.rows(request.POST)
        if not all(form.is_valid() for _, _, _, form in rows):
            messages.error(request, "Проверьте целевые значения: в отмеченных строках ошибка.")
            return self.render_to_response(self.get_context_data())
        for record, _, mine, form in rows:
            data = form.cleaned_data
            if data["target"] is None:
                if mine:
                    mine.delete()
                continue
            IndicatorTarget.objects.update_or_create(
                indicator=record,
                organisation=self.organisation,
                school_year=year,
                defaults={"target": data["target"], "direction": data["direction"], "may_tighten": data["may_tighten"]},
            )
        messages.success(request, f"Целевые значения на {school_year_label(year)} учебный год сохранены.")
        return redirect(f"{reverse('reports:indicator_targets', kwargs={'org': self.organisation.slug})}?year={year}")


# --- The school's side ----------------------------------------------------------------------------


def _number(raw: str):
    raw = (raw or "").strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    if not raw:
        return None
    try:
        return Decimal(raw)
    except InvalidOperation:
        return "bad"


class FillView(OrganisationMixin, TemplateView):
    """The school's form: computed values prefilled and editable with a reason; draft or submit."""

    template_name = "reports/monitoring/fill.html"
    required_capability = FILL

    def get_response(self) -> Response:
        if self.organisation.is_authority:
            raise Http404
        return get_object_or_404(
            Response.objects.select_related("campaign__organisation"),
            organisation=self.organisation,
            campaign_id=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        response = kwargs.pop("response", None) or self.get_response()
        answers = list(
            response.answers.select_related("indicator", "question").order_by(
                "indicator__position", "question__position", "pk"
            )
        )
        kwargs.update(
            response=response,
            campaign=response.campaign,
            year_label=school_year_label(response.campaign.school_year),
            indicator_answers=[a for a in answers if a.indicator_id],
            question_answers=[a for a in answers if a.question_id],
            can_submit=Membership.objects.filter(
                user=self.request.user, organisation=self.organisation, role__in=CAMPAIGN_SUBMITTERS
            ).exists(),
            Kind=Question.Kind,
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        response = self.get_response()
        if request.POST.get("action") == "start":
            services.start_response(response=response)
            return redirect("reports:campaign_fill", org=self.organisation.slug, pk=response.campaign_id)
        values, errors = {}, []
        for answer in response.answers.select_related("indicator", "question"):
            entry = {}
            if answer.indicator_id or answer.question.kind == Question.Kind.NUMBER:
                number = _number(request.POST.get(f"value_{answer.pk}", ""))
                title = answer.indicator.title if answer.indicator_id else answer.question.text
                if number == "bad":
                    errors.append(f"«{title}»: введите число, например 75 или 7,5.")
                    continue
                entry["value"] = number
                entry["reason"] = request.POST.get(f"reason_{answer.pk}", "")
            elif answer.question.kind == Question.Kind.TEXT:
                entry["text"] = request.POST.get(f"text_{answer.pk}", "")
            else:
                entry["file"] = request.FILES.get(f"file_{answer.pk}")
            values[answer.pk] = entry
        submit = request.POST.get("action") == "submit"
        if not errors:
            try:
                services.save_answers(response=response, values=values, submit=submit, user=request.user)
            except ValidationError as error:
                errors = error.messages
        if errors:
            for message in errors:
                messages.error(request, message)
            return self.render_to_response(self.get_context_data(response=response))
        messages.success(request, "Ответ отправлен." if submit else "Черновик сохранён.")
        return redirect("reports:campaign_fill", org=self.organisation.slug, pk=response.campaign_id)
