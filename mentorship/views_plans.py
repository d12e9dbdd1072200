"""Pages of individual plans: the school's list with fulfilment, and a pair's plan.

A methodist, curator, deputy or director («plans.edit») edits the plan of any pair of the
school; a mentor («meetings.log» without «plans.edit») only the plans of own pairs, and another
pair's plan is a 404 for them, exactly like a missing one.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from organisations.tenancy import OrganisationMixin
from participants.journal import access_record
from participants.models import AccessLogEntry

from .forms_plans import PlanForm, PlanItemFormSet, add_service_errors, item_initial, items_from_formset
from .models import Pair
from .selectors_plans import fulfilment_percent, school_plans, with_mentees
from .services_plans import plan_for_pair, plan_pairs, plan_save


class PlanListView(OrganisationMixin, TemplateView):
    required_capability = "plans.edit"
    template_name = "mentorship/plan_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        pairs = list(school_plans(organisation=self.organisation, status=status))
        for pair in pairs:
            pair.fulfilment = fulfilment_percent(pair.items_done, pair.items_total)
        done = sum(p.items_done for p in pairs)
        total = sum(p.items_total for p in pairs)
        # The totals are over every plan; the table shows a page of them.
        page = Paginator(pairs, self.paginate_by).get_page(self.request.GET.get("page"))
        if pairs:
            access_record(
                request=self.request,
                organisation=self.organisation,
                action=AccessLogEntry.Action.VIEW,
                what="Индивидуальные планы пар и групп",
                people_count=len(page.object_list),
            )
        kwargs.update(
            pairs=page.object_list,
            page_obj=page,
            status=status,
            statuses=[(value, label) for value, label in Pair.Status.choices if value != Pair.Status.DRAFT],
            total_fulfilment=fulfilment_percent(done, total),
            items_done=done,
            items_total=total,
        )
        return super().get_context_data(**kwargs)


class PlanScopedMixin(OrganisationMixin):
    """A page of one pair's plan: staff with «plans.edit», or the pair's own mentor."""

    def get_required_capability(self) -> str:
        return "plans.edit" if self.access.can("plans.edit") else "meetings.log"

    def get_pair(self) -> Pair:
        pairs = plan_pairs(access=self.access, user=self.request.user).select_related("mentor", "form", "programme")
        return get_object_or_404(with_mentees(pairs), pk=self.kwargs["pair_pk"])


class PlanEditView(PlanScopedMixin, TemplateView):
    template_name = "mentorship/plan_edit.html"

    def get(self, request, *args, **kwargs):
        pair = self.get_pair()
        plan = plan_for_pair(pair=pair)
        return self.render_page(pair, plan, PlanForm(instance=plan), PlanItemFormSet(initial=item_initial(plan)))

    def post(self, request, *args, **kwargs):
        pair = self.get_pair()
        plan = plan_for_pair(pair=pair)
        form = PlanForm(request.POST, instance=plan)
        formset = PlanItemFormSet(request.POST, initial=item_initial(plan))
        if form.is_valid() and formset.is_valid():
            items, deleted = items_from_formset(formset)
            try:
                with transaction.atomic():
                    plan_save(
                        plan=plan,
                        goals=form.cleaned_data["goals"],
                        tasks=form.cleaned_data["tasks"],
                        items=items,
                        deleted_ids=deleted,
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "План сохранён.")
                return redirect("mentorship:plan_edit", org=self.organisation.slug, pair_pk=pair.pk)
        return self.render_page(pair, plan, form, formset)

    def render_page(self, pair, plan, form, formset):
        items = list(plan.items.all())
        done = sum(item.done for item in items)
        context = self.get_context_data(
            pair=pair,
            plan=plan,
            form=form,
            formset=formset,
            items_done=done,
            items_total=len(items),
            fulfilment=fulfilment_percent(done, len(items)),
            is_staff_view=self.access.can("plans.edit"),
        )
        return self.render_to_response(context)
