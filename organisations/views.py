from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.generic import UpdateView

from .forms import OrganisationForm
from .models import Organisation
from .tenancy import CURRENT_ORGANISATION_SESSION_KEY, OrganisationMixin


@login_required
def home(request):
    """Sends the user to the organisation they worked in last, or lets them choose one."""
    organisations = list(Organisation.objects.filter(memberships__user=request.user).distinct().order_by("short_name"))
    last = request.session.get(CURRENT_ORGANISATION_SESSION_KEY)
    for organisation in organisations:
        if organisation.slug == last:
            return redirect(organisation)
    if len(organisations) == 1:
        return redirect(organisations[0])
    return render(request, "organisations/home.html", {"organisations": organisations})


class OrganisationSettingsView(OrganisationMixin, UpdateView):
    required_capability = "organisation.edit"
    form_class = OrganisationForm
    template_name = "organisations/settings_form.html"

    def get_object(self, queryset=None):
        return self.organisation

    def form_valid(self, form):
        messages.success(self.request, "Реквизиты организации сохранены.")
        return super().form_valid(form)

    def get_success_url(self):
        return self.request.path
