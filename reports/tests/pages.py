"""Tenant pages of this app for the tenancy tests (see organisations/tests/tenant_pages.py)."""

from organisations.tests.tenant_pages import Page

PAGES = {
    "reports:dashboard": Page(allowed="mentor"),
    "reports:export": Page(allowed="curator", denied="mentor", fixed_kwargs={"identifier": "people"}),
}


# Printable consent forms.
def _person(school):
    from participants.tests.factories import PersonFactory

    return {"pk": PersonFactory(organisation=school).pk}


PAGES |= {
    "reports:consent_form_person": Page(allowed="methodist", denied="mentor", kwargs=_person),
    # Without ?grade= the page sends back to the consent list with a message (302).
    "reports:consent_forms_class": Page(allowed="methodist", denied="mentor"),
}


# The roadmap as a printable PDF.
def _roadmap(school):
    from roadmap.tests.factories import ItemFactory

    return {"pk": ItemFactory(section__roadmap__organisation=school).roadmap_id}


PAGES |= {
    "reports:roadmap_pdf": Page(allowed="mentor", denied="administrator", kwargs=_roadmap),
}


# The printable individual plan of a pair.
def _pair(school):
    from mentorship.tests.factories import PairFactory

    return {"pair_pk": PairFactory(organisation=school).pk}


PAGES |= {
    "reports:plan_pdf": Page(allowed="methodist", denied="administrator", kwargs=_pair),
}


# A class's printed sheet of questionnaire links (the page without a choice shows the form).
PAGES |= {
    "reports:questionnaire_sheet": Page(allowed="curator", denied="methodist"),
}


# Orders (views_orders.py): the register, drafting, approval.
def _order(school, status="draft"):
    from reports.models import Order, OrderKind

    order = Order.objects.create(
        organisation=school, kind=OrderKind.FINAL_EVENT, title="О проведении итогового мероприятия"
    )
    if status == "submitted":
        order.points.create(organisation=school, action="Провести итоговое мероприятие.")
        order.status = Order.Status.SUBMITTED
        order.save()
    return {"pk": order.pk}


def _approved_order(school):
    from reports.models import Order

    kwargs = _order(school)
    # The next free number: one test may make several approved orders in a school (the axe run).
    number = Order.objects.filter(organisation=school, number_year=2026).count() + 1
    Order.objects.filter(pk=kwargs["pk"]).update(
        status=Order.Status.APPROVED,
        number=number,
        number_year=2026,
        number_label=f"{number}-ОД",
        approved_on="2026-10-01",
    )
    return kwargs


PAGES |= {
    "reports:order_list": Page(allowed="curator", denied="methodist"),
    "reports:order_new": Page(allowed="deputy_director", denied="mentor"),
    "reports:order_sequence": Page(allowed="director", denied="curator"),
    # The methodist and the accountant read orders to give their visas (the approval route).
    "reports:order_detail": Page(allowed="accountant", denied="mentor", kwargs=_order),
    "reports:order_edit": Page(allowed="curator", denied="methodist", kwargs=_order),
    "reports:order_preview": Page(allowed="curator", denied="methodist", kwargs=_order, method="post"),
    "reports:order_submit": Page(allowed="curator", denied="methodist", kwargs=_order, method="post"),
    "reports:order_approve": Page(
        allowed="director", denied="curator", kwargs=lambda s: _order(s, "submitted"), method="post"
    ),
    "reports:order_return": Page(
        allowed="director", denied="curator", kwargs=lambda s: _order(s, "submitted"), method="post"
    ),
    "reports:order_cancel": Page(allowed="director", denied="curator", kwargs=_approved_order, method="post"),
    "reports:order_amend": Page(allowed="curator", denied="methodist", kwargs=_approved_order, method="post"),
    "reports:order_esign": Page(allowed="director", denied="curator", kwargs=_approved_order),
}


# An order as files (views_order_documents.py).
PAGES |= {
    "reports:order_pdf": Page(allowed="curator", denied="mentor", kwargs=_order),
    "reports:order_docx": Page(allowed="deputy_director", denied="mentor", kwargs=_approved_order),
    "reports:order_acquaintance": Page(allowed="director", denied="mentor", kwargs=_order),
}


# The approval route of orders (views_route.py): the director's settings, the visas waiting for a
# person, a visa given on an order (without its turn the page sends back with a message: 302).
PAGES |= {
    "reports:order_route": Page(allowed="director", denied="curator"),
    "reports:order_visas": Page(allowed="accountant", denied="mentor"),
    "reports:order_visa": Page(
        allowed="methodist", denied="mentor", kwargs=lambda s: _order(s, "submitted"), method="post"
    ),
}


# Order templates and the Положение (views_order_templates.py).
PAGES |= {
    "reports:order_templates": Page(allowed="curator", denied="methodist"),
    "reports:order_template_edit": Page(allowed="curator", denied="methodist", fixed_kwargs={"kind": "pairs"}),
    "reports:order_template_reset": Page(
        allowed="curator", denied="methodist", fixed_kwargs={"kind": "pairs"}, method="post"
    ),
    "reports:regulation_edit": Page(allowed="curator", denied="methodist"),
}


# Questionnaire results (views_questionnaire_results.py).
def _questionnaire(school):
    from participants.tests.factories_questionnaires import make_template

    return {"pk": make_template(organisation=school).pk}


PAGES |= {
    "reports:questionnaire_results": Page(allowed="methodist", denied="mentor", kwargs=_questionnaire),
    "reports:questionnaire_results_xlsx": Page(allowed="methodist", denied="mentor", kwargs=_questionnaire),
    "reports:questionnaire_entry_exit": Page(allowed="methodist", denied="mentor"),
    "reports:questionnaire_quarterly": Page(allowed="methodist", denied="mentor"),
}


# Thank-you letters and a mentor's portfolio (views_letters.py).
def _partner(school):
    from participants.tests.factories import PartnerFactory

    return {"pk": PartnerFactory(organisation=school).pk}


PAGES |= {
    "reports:letter_mentor": Page(allowed="curator", denied="methodist", kwargs=_person),
    "reports:letter_partner": Page(allowed="deputy_director", denied="mentor", kwargs=_partner),
    "reports:mentor_portfolio": Page(allowed="methodist", denied="administrator", kwargs=_person),
}


# Files built in the background (views_jobs.py): a job belongs to the user who asked for it, so
# the job is made for the member the tenancy test has just logged in (the school's newest one).
# The download of a job still in the queue sends back to the job page (302).
def _report_job(school):
    from organisations.models import Membership
    from organisations.tests.factories import MembershipFactory
    from reports.models import ReportJob

    membership = Membership.objects.filter(organisation=school).order_by("-pk").first()
    user = membership.user if membership else MembershipFactory(organisation=school, role="curator").user
    job = ReportJob.objects.create(organisation=school, user=user, exporter="people", title="Участники", fmt="xlsx")
    return {"pk": job.pk}


PAGES |= {
    "reports:job_list": Page(allowed="mentor"),
    "reports:job_detail": Page(allowed="curator", denied="mentor", kwargs=_report_job),
    "reports:job_progress": Page(allowed="curator", denied="mentor", kwargs=_report_job),
    "reports:job_download": Page(allowed="curator", denied="mentor", kwargs=_report_job),
}


# District pages: opened in a district by its officer; its administrator has no reports.view.
DISTRICT = {"allowed": "district_officer", "denied": "administrator", "organisation": "district"}


# Monitoring indicators (views_kpi.py): a school's, one indicator's people; the district's table
# of its schools is a district page (a school's own URL gives 404, test_kpi).
PAGES |= {
    "reports:kpi": Page(allowed="methodist", denied="mentor"),
    "reports:kpi_detail": Page(allowed="methodist", denied="mentor", fixed_kwargs={"code": "students_involved"}),
    "reports:district_kpi": Page(**DISTRICT),
}


# Analytical reports (views_analytics.py): the school's справка as a page and files; the district's
# annual report, its files and the schools' mentor registers are district pages.
PAGES |= {
    "reports:analytics": Page(allowed="methodist", denied="mentor"),
    "reports:analytics_pdf": Page(allowed="methodist", denied="mentor"),
    "reports:analytics_docx": Page(allowed="curator", denied="mentor"),
    "reports:district_report": Page(**DISTRICT),
    "reports:district_report_pdf": Page(**DISTRICT),
    "reports:district_report_xlsx": Page(**DISTRICT),
    "reports:district_registers": Page(**DISTRICT),
    "reports:district_registers_xlsx": Page(**DISTRICT),
}


# Mentors who are employees, ст. 351.8 ТК РФ (reports/employees/views.py).
def _employee_pair(school):
    from mentorship.tests.factories import PairFactory

    return {"pk": PairFactory(organisation=school).pk}


def _employee(school):
    from participants.tests.factories import TeacherFactory

    return {"pk": TeacherFactory(organisation=school).pk}


PAGES |= {
    "reports:employee_list": Page(allowed="curator", denied="methodist"),
    "reports:employee_my_consents": Page(allowed="mentor", denied="administrator"),
    "reports:employee_consent": Page(allowed="curator", denied="methodist", kwargs=_employee_pair, method="post"),
    # Without a scan the page sends back to the list with a message (302); the scan itself is tested there.
    "reports:employee_consent_scan": Page(allowed="curator", denied="methodist", kwargs=_employee_pair),
    "reports:employee_agreement": Page(allowed="curator", denied="methodist", kwargs=_employee_pair, method="post"),
    "reports:employee_end": Page(allowed="curator", denied="methodist", kwargs=_employee_pair),
    "reports:employee_terms": Page(allowed="curator", denied="methodist", kwargs=_employee),
    "reports:employee_pay_rules": Page(allowed="curator", denied="methodist"),
    "reports:employee_pay_register": Page(allowed="accountant", denied="methodist"),
    "reports:employee_pay_order": Page(allowed="curator", denied="methodist", method="post"),
    "reports:employee_calendar": Page(allowed="curator", denied="methodist"),
    "reports:employee_templates": Page(allowed="curator", denied="methodist"),
    "reports:employee_template_edit": Page(allowed="curator", denied="methodist", fixed_kwargs={"kind": "consent"}),
}


# All of the school's data in one archive (registers/views.py): the director, or the district's officer.
PAGES |= {
    "reports:school_archive": Page(allowed="director", denied="curator"),
}

# Monitoring campaigns (reports/monitoring, issue 20): a region's or district's pages, and the
# school's form. The region's pages are opened in the region above school A's district.
REGION = {"allowed": "region_officer", "denied": "administrator", "organisation": "region"}


def _campaign(authority):
    import datetime

    from reports.monitoring.models import Campaign

    campaign = Campaign.objects.create(
        organisation=authority, title="Мониторинг ЦМН", school_year=2026, deadline=datetime.date(2027, 1, 20)
    )
    return campaign


def _campaign_of(authority):
    return {"pk": _campaign(authority).pk}


def _school_campaign(school):
    from reports.monitoring.models import Response

    campaign = _campaign(school.parent)
    Response.objects.create(organisation=school, campaign=campaign)
    return {"pk": campaign.pk}


def _response(authority):
    from reports.monitoring.models import Response

    school = authority.schools_below().order_by("pk").first()
    return {"pk": Response.objects.create(organisation=school, campaign=_campaign(authority)).pk}


PAGES |= {
    "reports:campaign_list": Page(allowed="curator", denied="methodist"),
    "reports:campaign_fill": Page(allowed="curator", denied="methodist", kwargs=_school_campaign),
    "reports:campaign_new": Page(**DISTRICT),
    "reports:campaign_detail": Page(**DISTRICT, kwargs=_campaign_of),
    "reports:campaign_remind": Page(**DISTRICT, kwargs=_campaign_of, method="post"),
    "reports:campaign_review": Page(**DISTRICT, kwargs=_response),
    "reports:campaign_xlsx": Page(**REGION, kwargs=_campaign_of),
    "reports:campaign_layout": Page(**REGION),
    "reports:indicator_targets": Page(**REGION),
}
