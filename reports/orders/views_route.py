"""The approval route of orders: the director's route settings, the visas waiting for a person,
«Согласовать» / «Вернуть с замечанием» on an order (reports.orders.route)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from organisations.tenancy import OrganisationMixin
from reports.orders.forms import ApprovalStepFormSet, OrderVisaForm
from reports.orders.kinds import order_types
from reports.orders.models import ApprovalStep
from reports.orders.route import StepRow, route_members, route_save, visa_agree, visa_return, visa_roles
from reports.orders.selectors import visas_waiting_for
from reports.orders.views import OrderMixin

VISA = "orders.visa"


class OrderRouteView(OrganisationMixin, TemplateView):
    """The director sets the organisation's route: ordered steps, each a role or a named person."""

    required_capability = "organisation.edit"
    template_name = "reports/orders/route.html"

    def formset(self, data=None):
        steps = ApprovalStep.objects.filter(organisation=self.organisation).order_by("position", "pk")
        initial = [
            {"position": step.position, "role": step.role, "user": step.user_id, "skip_kinds": step.skip_kinds}
            for step in steps
        ]
        return ApprovalStepFormSet(
            data,
            initial=initial,
            prefix="steps",
            form_kwargs={
                "organisation": self.organisation,
                "roles": visa_roles(),
                "members": route_members(self.organisation),
            },
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.formset())
        kwargs["kinds"] = dict((t.code, t.title) for t in order_types(district=self.organisation.is_district))
        kwargs["steps"] = ApprovalStep.objects.filter(organisation=self.organisation).select_related("user")
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(formset=formset))
        kept = [
            (form.cleaned_data.get("position") or index + 1, index, form.cleaned_data)
            for index, form in enumerate(formset.forms)
            if not form.cleaned_data.get("DELETE") and not form.is_blank
        ]
        rows = [
            StepRow(role=data["role"], user=data["user"], skip_kinds=tuple(data["skip_kinds"]))
            for _, _, data in sorted(kept, key=lambda item: item[:2])
        ]
        try:
            route_save(organisation=self.organisation, steps=rows)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(formset=formset, route_errors=error.messages))
        if rows:
            messages.success(request, "Маршрут согласования сохранён: новые приказы пойдут по нему.")
        else:
            messages.success(request, "Маршрут согласования очищен: приказы пойдут сразу руководителю.")
        return redirect("reports:order_route", org=self.organisation.slug)


class OrderVisaListView(OrganisationMixin, TemplateView):
    """«Визы, ожидающие вас»: the orders whose turn has come to the user's visa."""

    required_capability = VISA
    template_name = "reports/orders/visas.html"

    def get_context_data(self, **kwargs):
        kwargs["visas"] = list(visas_waiting_for(self.request.user, self.organisation))
        return super().get_context_data(**kwargs)


class OrderVisaView(OrderMixin, OrganisationMixin, View):
    """The person whose turn it is agrees, or returns the order with a comment."""

    required_capability = VISA

    def post(self, request, *args, **kwargs):
        form = OrderVisaForm(request.POST)
        form.is_valid()
        comment = form.cleaned_data.get("comment", "")
        visa_pk = request.POST.get("visa", "")
        visa_pk = int(visa_pk) if visa_pk.isdigit() else None
        try:
            if request.POST.get("decision") == "return":
                visa_return(order=self.order, user=request.user, comment=comment, visa_pk=visa_pk)
                messages.success(request, "Приказ возвращён составителю с замечанием.")
            else:
                visa_agree(order=self.order, user=request.user, visa_pk=visa_pk)
                messages.success(request, "Виза поставлена: приказ согласован с вашей стороны.")
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return self.back()
