"""Orders: the register (журнал приказов), drafting with a live preview, approval."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from organisations.tenancy import OrganisationMixin
from reports.orders.documents import order_context
from reports.orders.filters import OrderFilter
from reports.orders.forms import (
    OrderCancelForm,
    OrderEsignForm,
    OrderNewForm,
    OrderPointFormSet,
    OrderReturnForm,
    OrderSequenceForm,
    OrderTextForm,
    OrderVisaForm,
)
from reports.orders.models import ApprovalStep, Order, OrderNumberSequence, OrderVisa
from reports.orders.route import may_give
from reports.orders.services import (
    order_amend,
    order_approve,
    order_cancel,
    order_draft,
    order_esign_mark,
    order_problems,
    order_return,
    order_save,
    order_submit,
    sequence_set,
)

DRAFT, APPROVE, VIEW = "orders.draft", "orders.approve", "orders.view"
DOCUMENT_TEMPLATE = "reports/orders/_document.html"


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _submitted_message(order: Order) -> str:
    order.refresh_from_db(fields=["status"])
    if order.status == Order.Status.VISAS:
        return "Приказ передан на согласование: он пройдёт визы и попадёт к руководителю."
    return "Приказ передан на утверждение руководителю."


class OrderListView(OrganisationMixin, FilterView):
    required_capability = DRAFT
    filterset_class = OrderFilter
    template_name = "reports/orders/list.html"
    paginate_by = 50

    def get_queryset(self):
        return self.organisation.orders.select_related("programme", "approved_by", "created_by")

    def get_context_data(self, **kwargs):
        year = timezone.localdate().year
        sequence = OrderNumberSequence.objects.filter(organisation=self.organisation, year=year).first()
        kwargs.update(
            can_approve=self.access.can(APPROVE),
            can_route=self.access.can("organisation.edit"),
            can_visa=self.access.can("orders.visa"),
            waiting=self.organisation.orders.filter(status=Order.Status.SUBMITTED).count(),
            on_visas=self.organisation.orders.filter(status=Order.Status.VISAS).count(),
            year=year,
            last_number=sequence.last_number if sequence else 0,
        )
        return super().get_context_data(**kwargs)


class OrderNewView(OrganisationMixin, FormView):
    required_capability = DRAFT
    form_class = OrderNewForm
    template_name = "reports/orders/new.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def get_initial(self):
        return {"kind": self.request.GET.get("kind", "")}

    def form_valid(self, form):
        try:
            order = order_draft(
                organisation=self.organisation,
                kind=form.cleaned_data["kind"],
                programme=form.cleaned_data.get("programme"),
                user=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, "Проект приказа составлен по шаблону: проверьте текст и состав приложений.")
        return redirect("reports:order_edit", org=self.organisation.slug, pk=order.pk)


class OrderMixin:
    @cached_property
    def order(self) -> Order:
        queryset = self.organisation.orders.select_related("organisation", "programme", "curator", "amends")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def back(self):
        return redirect("reports:order_detail", org=self.organisation.slug, pk=self.order.pk)


class OrderDetailView(OrderMixin, OrganisationMixin, TemplateView):
    """The order, its route of visas and what the user may do with it now."""

    required_capability = VIEW
    template_name = "reports/orders/detail.html"

    def get_context_data(self, **kwargs):
        order = self.order
        kwargs.update(order_context(order))
        visas = list(order.visas.select_related("user", "decided_by").order_by("position"))
        waiting = next((visa for visa in visas if visa.status == OrderVisa.Status.WAITING), None)
        kwargs.update(
            visas=visas,
            waiting_visa=waiting,
            returned_visa=next((visa for visa in visas if visa.status == OrderVisa.Status.RETURNED), None),
            can_visa=waiting is not None
            and self.access.can("orders.visa")
            and may_give(waiting, self.request.user, self.access.roles),
            visa_form=OrderVisaForm(),
            can_draft=self.access.can(DRAFT),
            has_route=ApprovalStep.objects.filter(organisation=self.organisation).exists(),
            can_approve=self.access.can(APPROVE),
            problems=order_problems(order) if order.is_editable or order.status == Order.Status.SUBMITTED else [],
            return_form=OrderReturnForm(),
            cancel_form=OrderCancelForm(),
            amended_by=list(order.amended_by.all()),
        )
        return super().get_context_data(**kwargs)


class OrderEditView(OrderMixin, OrganisationMixin, TemplateView):
    """Text, points and subjects of a draft; the preview beside the form follows every change."""

    required_capability = DRAFT
    template_name = "reports/orders/edit.html"

    def forms(self, data=None):
        order = self.order
        initial_points = [
            {"action": p.action, "responsible": p.responsible, "deadline": p.deadline} for p in order.points.all()
        ]
        return (
            OrderTextForm(data, instance=order),
            OrderPointFormSet(data, initial=initial_points, prefix="points"),
        )

    def get(self, request, *args, **kwargs):
        if not self.order.is_editable:
            messages.error(request, "Утверждённый или переданный на утверждение приказ не редактируется.")
            return self.back()
        text_form, points = self.forms()
        return self.render_to_response(self.get_context_data(form=text_form, point_forms=points))

    def get_context_data(self, **kwargs):
        kwargs.update(order_context(self.order))
        kwargs["has_route"] = ApprovalStep.objects.filter(organisation=self.organisation).exists()
        return super().get_context_data(**kwargs)

    def _save(self, text_form, points) -> Order:
        point_rows = points.rows()
        fields = {name: value for name, value in text_form.cleaned_data.items() if name in text_form.Meta.fields}
        return order_save(order=self.order, fields=fields, points=point_rows, **text_form.subjects())

    def post(self, request, *args, **kwargs):
        text_form, points = self.forms(request.POST)
        if not (text_form.is_valid() and points.is_valid()):
            return self.render_to_response(self.get_context_data(form=text_form, point_forms=points))
        try:
            self._save(text_form, points)
        except ValidationError as error:
            text_form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=text_form, point_forms=points))
        if "submit" not in request.POST:
            messages.success(request, "Проект приказа сохранён.")
            return self.back()
        if self.order.status == Order.Status.VISAS:
            messages.success(request, "Приказ исправлен: полученные визы сняты, согласование начинается заново.")
            return self.back()
        try:
            order_submit(order=self.order, user=request.user)
        except ValidationError as error:
            messages.warning(request, "Проект сохранён, но передать его на утверждение пока нельзя.")
            _error_messages(request, error)
        else:
            messages.success(request, _submitted_message(self.order))
        return self.back()


class OrderPreviewView(OrderEditView):
    """htmx: the order as it would print with the form's unsaved values; nothing is kept."""

    def post(self, request, *args, **kwargs):
        text_form, points = self.forms(request.POST)
        if not (self.order.is_editable and text_form.is_valid() and points.is_valid()):
            return render(request, "reports/orders/_preview_invalid.html")
        with transaction.atomic():
            order = self._save(text_form, points)
            html = render(request, DOCUMENT_TEMPLATE, order_context(order))
            transaction.set_rollback(True)
        return html


class OrderSubmitView(OrderMixin, OrganisationMixin, View):
    required_capability = DRAFT

    def post(self, request, *args, **kwargs):
        try:
            order_submit(order=self.order, user=request.user)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, _submitted_message(self.order))
        return self.back()


class OrderApproveView(OrderMixin, OrganisationMixin, View):
    required_capability = APPROVE

    def post(self, request, *args, **kwargs):
        try:
            # The QR code prints the address the director works at.
            order = order_approve(order=self.order, user=request.user, absolute_url=request.build_absolute_uri)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, f"Приказ утверждён и зарегистрирован: {order.label}.")
        return self.back()


class OrderEsignView(OrderMixin, OrganisationMixin, FormView):
    """The director records that the approved order was signed with an electronic signature."""

    required_capability = APPROVE
    form_class = OrderEsignForm
    template_name = "reports/orders/esign_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.order, **kwargs)

    def form_valid(self, form):
        try:
            order_esign_mark(order=self.order, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, "Отметка об электронной подписи добавлена в PDF приказа.")
        return self.back()


class OrderReturnView(OrderMixin, OrganisationMixin, View):
    required_capability = APPROVE

    def post(self, request, *args, **kwargs):
        form = OrderReturnForm(request.POST)
        try:
            order_return(order=self.order, comment=form.data.get("comment", ""), user=request.user)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, "Приказ возвращён на доработку с замечанием.")
        return self.back()


class OrderCancelView(OrderMixin, OrganisationMixin, View):
    required_capability = APPROVE

    def post(self, request, *args, **kwargs):
        form = OrderCancelForm(request.POST)
        try:
            order_cancel(order=self.order, reason=form.data.get("reason", ""), user=request.user)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, "Приказ отменён.")
        return self.back()


class OrderAmendView(OrderMixin, OrganisationMixin, View):
    required_capability = DRAFT

    def post(self, request, *args, **kwargs):
        try:
            draft = order_amend(order=self.order, user=request.user)
        except ValidationError as error:
            _error_messages(request, error)
            return self.back()
        messages.success(request, "Составлен проект приказа о внесении изменений.")
        return redirect("reports:order_edit", org=self.organisation.slug, pk=draft.pk)


class OrderSequenceView(OrganisationMixin, FormView):
    """Where the register of the current year stands (schools arrive with paper orders numbered)."""

    required_capability = APPROVE
    form_class = OrderSequenceForm
    template_name = "reports/orders/sequence.html"

    @cached_property
    def year(self) -> int:
        return timezone.localdate().year

    def get_form_kwargs(self):
        sequence = OrderNumberSequence.objects.filter(organisation=self.organisation, year=self.year).first()
        return {**super().get_form_kwargs(), "instance": sequence or OrderNumberSequence(last_number=0)}

    def get_context_data(self, **kwargs):
        kwargs["year"] = self.year
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            sequence_set(organisation=self.organisation, year=self.year, last_number=form.cleaned_data["last_number"])
        except ValidationError as error:
            form.add_error("last_number", error)
            return self.form_invalid(form)
        messages.success(
            self.request, f"Следующий приказ {self.year} года получит № {form.cleaned_data['last_number'] + 1}."
        )
        return redirect("reports:order_list", org=self.organisation.slug)
