"""Order templates and the Положение: adapting the wording, publishing a district's version."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from organisations.tenancy import OrganisationMixin
from reports.orders.drafting import regulation_for, template_for, template_text_for
from reports.orders.forms import OrderPointFormSet, OrderTemplateForm, RegulationForm
from reports.orders.services_templates import (
    PLACEHOLDER_LABELS,
    kinds_of,
    order_template_reset,
    order_template_save,
    regulation_reset,
    regulation_save,
    template_source_label,
)

DRAFT = "orders.draft"


class OrderTemplateListView(OrganisationMixin, TemplateView):
    required_capability = DRAFT
    template_name = "reports/orders/template_list.html"

    def get_context_data(self, **kwargs):
        rows = []
        for kind, label in kinds_of(self.organisation):
            template = template_for(organisation=self.organisation, kind=kind)
            rows.append(
                {
                    "kind": kind,
                    "label": label,
                    "template": template,
                    "source": template_source_label(organisation=self.organisation, template=template),
                    "own": template is not None and template.organisation_id == self.organisation.pk,
                }
            )
        regulation = regulation_for(organisation=self.organisation)
        kwargs.update(
            rows=rows,
            regulation=regulation,
            regulation_source=template_source_label(organisation=self.organisation, template=regulation),
        )
        return super().get_context_data(**kwargs)


class OrderTemplateEditView(OrganisationMixin, TemplateView):
    required_capability = DRAFT
    template_name = "reports/orders/template_form.html"

    @cached_property
    def kind(self) -> str:
        kind = self.kwargs["kind"]
        if kind not in dict(kinds_of(self.organisation)):
            raise Http404
        return kind

    def forms(self, data=None):
        # Without a template row the form starts from the text the type declares.
        template, text = template_text_for(organisation=self.organisation, kind=self.kind)
        initial = {
            "title": text.title if text else "",
            "preamble": text.preamble if text else "",
            "control_text": text.control_text if text else "",
            "is_published": bool(
                template and template.organisation_id == self.organisation.pk and template.is_published
            ),
        }
        points = list(text.points) if text else []
        return (
            OrderTemplateForm(data, initial=initial, organisation=self.organisation),
            OrderPointFormSet(data, initial=points, prefix="points"),
            template,
        )

    def get_context_data(self, **kwargs):
        kwargs.update(
            kind_label=dict(kinds_of(self.organisation))[self.kind],
            placeholders=sorted(PLACEHOLDER_LABELS.items()),
        )
        return super().get_context_data(**kwargs)

    def get(self, request, *args, **kwargs):
        form, points, template = self.forms()
        source = template_source_label(organisation=self.organisation, template=template)
        return self.render_to_response(self.get_context_data(form=form, point_forms=points, source=source))

    def post(self, request, *args, **kwargs):
        form, points, template = self.forms(request.POST)
        source = template_source_label(organisation=self.organisation, template=template)
        context = {"form": form, "point_forms": points, "source": source}
        if not (form.is_valid() and points.is_valid()):
            return self.render_to_response(self.get_context_data(**context))
        rows = points.rows()
        try:
            order_template_save(organisation=self.organisation, kind=self.kind, points=rows, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(**context))
        messages.success(request, "Шаблон сохранён: новые проекты приказов будут составляться по нему.")
        return redirect("reports:order_templates", org=self.organisation.slug)


class OrderTemplateResetView(OrganisationMixin, View):
    required_capability = DRAFT

    def post(self, request, *args, **kwargs):
        if kwargs["kind"] not in dict(kinds_of(self.organisation)):
            raise Http404
        order_template_reset(organisation=self.organisation, kind=kwargs["kind"])
        messages.success(request, "Своя редакция удалена: приказы снова составляются по исходному шаблону.")
        return redirect("reports:order_templates", org=self.organisation.slug)


class RegulationEditView(OrganisationMixin, TemplateView):
    required_capability = DRAFT
    template_name = "reports/orders/regulation_form.html"

    def form(self, data=None):
        regulation = regulation_for(organisation=self.organisation)
        initial = {
            "title": regulation.title if regulation else "Положение о наставничестве",
            "body": regulation.body if regulation else "",
            "is_published": bool(
                regulation and regulation.organisation_id == self.organisation.pk and regulation.is_published
            ),
        }
        return RegulationForm(data, initial=initial, organisation=self.organisation), regulation

    def get(self, request, *args, **kwargs):
        form, regulation = self.form()
        source = template_source_label(organisation=self.organisation, template=regulation)
        return self.render_to_response(self.get_context_data(form=form, source=source))

    def post(self, request, *args, **kwargs):
        form, regulation = self.form(request.POST)
        if "reset" in request.POST:
            regulation_reset(organisation=self.organisation)
            messages.success(request, "Своя редакция положения удалена.")
            return redirect("reports:order_templates", org=self.organisation.slug)
        if form.is_valid():
            try:
                regulation_save(organisation=self.organisation, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("body", error)
            else:
                messages.success(request, "Положение сохранено: оно будет приложено к новым приказам о внедрении.")
                return redirect("reports:order_templates", org=self.organisation.slug)
        source = template_source_label(organisation=self.organisation, template=regulation)
        return self.render_to_response(self.get_context_data(form=form, source=source))
