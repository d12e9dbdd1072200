"""Tenancy: which organisation a request is about and what the user may do there.

The organisation is in the URL (``/o/<org>/…``). A user reaches an organisation through a
membership in it or, for a district officer, through a membership in the school's district,
or, for a region officer, through a membership in the region above the district (or above the
school's district). An organisation the user cannot reach gives the same 404 as one that does
not exist.

A region officer below the region sees aggregates only: a view opens to them only when it says
so (``open_to_region = True``); every other page, any person's page among them, is a 404.
"""

from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Membership, Organisation
from .roles import (
    CAPABILITIES,
    DISTRICT_OFFICER_IN_SCHOOL,
    REGION_OFFICER_IN_DISTRICT,
    REGION_OFFICER_IN_SCHOOL,
    Role,
    capabilities_of,
)

# The organisation the user worked in last: where the home page sends them back.
CURRENT_ORGANISATION_SESSION_KEY = "current_organisation"


@dataclass(frozen=True)
class Access:
    organisation: Organisation
    roles: frozenset[str]
    capabilities: frozenset[str]
    # Reached through a region officer's membership above the organisation only: aggregates.
    via_region: bool = False

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    @property
    def role_names(self) -> list[str]:
        return [Role(role).label for role in Role.values if role in self.roles]


def resolve_access(user, slug: str) -> Access:
    """The user's access to the organisation with this slug; Http404 when there is none."""
    if not user.is_authenticated:
        raise Http404
    organisation = Organisation.objects.select_related("parent").filter(slug=slug).first()
    if organisation is None:
        raise Http404
    parent = organisation.parent
    grandparent_id = parent.parent_id if parent is not None else None
    reachable = [pk for pk in (organisation.pk, organisation.parent_id, grandparent_id) if pk]
    memberships = Membership.objects.filter(user=user, organisation_id__in=reachable).values_list(
        "organisation_id", "role"
    )
    own_roles = {role for org_id, role in memberships if org_id == organisation.pk}
    above = {(org_id, role) for org_id, role in memberships if org_id != organisation.pk}
    school = organisation.kind == Organisation.Kind.SCHOOL
    district_officer = school and (organisation.parent_id, Role.DISTRICT_OFFICER) in above
    region_officer = (organisation.is_district and (organisation.parent_id, Role.REGION_OFFICER) in above) or (
        school and grandparent_id and (grandparent_id, Role.REGION_OFFICER) in above
    )
    if not own_roles and not district_officer and not region_officer:
        raise Http404
    capabilities = capabilities_of(own_roles)
    if district_officer:
        capabilities |= DISTRICT_OFFICER_IN_SCHOOL
    if region_officer:
        capabilities |= REGION_OFFICER_IN_SCHOOL if school else REGION_OFFICER_IN_DISTRICT
    return Access(
        organisation=organisation,
        roles=frozenset(own_roles),
        capabilities=capabilities,
        via_region=bool(region_officer and not own_roles and not district_officer),
    )


def require(access: Access, capability: str) -> None:
    if capability not in CAPABILITIES:
        raise ValueError(f"Unknown capability {capability!r}")
    if not access.can(capability):
        raise PermissionDenied(
            f"Недостаточно прав: действие «{CAPABILITIES[capability]}» недоступно для вашей роли "
            f"в организации «{access.organisation.short_name}»."
        )


class OrganisationMixin(LoginRequiredMixin):
    """First in every tenant view: resolves the organisation and checks the capability.

    Subclasses set ``required_capability``; ``self.organisation`` and ``self.access`` are
    available to the rest of the view, and every query starts from ``self.organisation``.
    """

    required_capability: str = ""
    # A page of aggregates only, which a region officer may open in the region's districts and schools.
    open_to_region: bool = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.access = resolve_access(request.user, kwargs["org"])
        self.organisation = self.access.organisation
        request.access = self.access
        if self.access.via_region and not self.open_to_region:
            raise Http404
        request.session[CURRENT_ORGANISATION_SESSION_KEY] = self.organisation.slug
        require(self.access, self.get_required_capability())
        return super().dispatch(request, *args, **kwargs)

    def get_required_capability(self) -> str:
        """The capability this view needs; a view serving several kinds may decide per request."""
        if not self.required_capability:
            raise TypeError(f"{type(self).__name__} must declare required_capability")
        return self.required_capability

    def get_context_data(self, **kwargs):
        kwargs.setdefault("organisation", self.organisation)
        kwargs.setdefault("access", self.access)
        return super().get_context_data(**kwargs)
