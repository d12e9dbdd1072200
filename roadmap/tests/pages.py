"""Tenant pages of this app for the tenancy tests (see organisations/tests/tenant_pages.py)."""

from organisations.tests.tenant_pages import Page


def _roadmap(school):
    from roadmap.tests.factories import RoadmapFactory

    return {"pk": RoadmapFactory(organisation=school).pk}


def _roadmap_with_item(school):
    from roadmap.tests.factories import ItemFactory

    return {"pk": ItemFactory(section__roadmap__organisation=school).roadmap_id}


def _section(school):
    from roadmap.tests.factories import SectionFactory

    return {"pk": SectionFactory(roadmap__organisation=school).pk}


def _item(school):
    from roadmap.tests.factories import ItemFactory

    return {"pk": ItemFactory(section__roadmap__organisation=school).pk}


def _occurrence(school):
    from roadmap.tests.factories import ItemFactory, occurrence_of

    return {"pk": occurrence_of(ItemFactory(section__roadmap__organisation=school)).pk}


def _evidence(school):
    # A comment only: the file page then sends back to the item (302) and no file is written.
    from roadmap.models import Evidence
    from roadmap.tests.factories import ItemFactory, occurrence_of

    occurrence = occurrence_of(ItemFactory(section__roadmap__organisation=school))
    return {"pk": Evidence.objects.create(organisation=school, occurrence=occurrence, comment="Приказ подписан").pk}


def _import(school):
    import datetime

    from roadmap.models import RoadmapImport

    batch = RoadmapImport.objects.create(
        organisation=school,
        original_name="дорожная карта.xlsx",
        title="Дорожная карта",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 8, 31),
        summary={"counts": {}},
    )
    return {"pk": batch.pk}


def _in_progress(school):
    return {"status": "in_progress"}


def _comment(school):
    return {"comment": "Протокол размещён на сайте"}


PAGES = {
    "roadmap:list": Page(allowed="mentor", denied="administrator"),
    "roadmap:create": Page(allowed="curator", denied="methodist"),
    "roadmap:my_items": Page(allowed="mentor", denied="administrator"),
    "roadmap:deadline_check": Page(allowed="curator", denied="methodist"),
    "roadmap:detail": Page(allowed="methodist", denied="administrator", kwargs=_roadmap_with_item),
    "roadmap:timeline": Page(allowed="mentor", denied="administrator", kwargs=_roadmap_with_item),
    "roadmap:edit": Page(allowed="deputy_director", denied="methodist", kwargs=_roadmap),
    "roadmap:copy": Page(allowed="curator", denied="methodist", kwargs=_roadmap),
    "roadmap:approve": Page(allowed="director", denied="curator", kwargs=_roadmap_with_item),
    "roadmap:return_to_draft": Page(allowed="director", denied="curator", kwargs=_roadmap, method="post"),
    "roadmap:archive": Page(allowed="curator", denied="methodist", kwargs=_roadmap, method="post"),
    "roadmap:delete": Page(allowed="curator", denied="methodist", kwargs=_roadmap, method="post"),
    "roadmap:section_add": Page(allowed="curator", denied="methodist", kwargs=_roadmap),
    "roadmap:section_edit": Page(allowed="curator", denied="methodist", kwargs=_section),
    "roadmap:section_delete": Page(allowed="curator", denied="methodist", kwargs=_section, method="post"),
    "roadmap:item_add": Page(allowed="curator", denied="methodist", kwargs=_roadmap_with_item),
    "roadmap:item_detail": Page(allowed="mentor", denied="administrator", kwargs=_item),
    "roadmap:item_edit": Page(allowed="curator", denied="methodist", kwargs=_item),
    "roadmap:item_delete": Page(allowed="curator", denied="methodist", kwargs=_item, method="post"),
    # A methodist sees the roadmap but is not responsible for this item: 403.
    "roadmap:occurrence_done": Page(allowed="curator", denied="methodist", kwargs=_occurrence),
    "roadmap:occurrence_status": Page(
        allowed="curator", denied="methodist", kwargs=_occurrence, method="post", data=_in_progress
    ),
    "roadmap:evidence_add": Page(
        allowed="curator", denied="methodist", kwargs=_occurrence, method="post", data=_comment
    ),
    "roadmap:evidence_file": Page(allowed="mentor", denied="administrator", kwargs=_evidence),
    "roadmap:evidence_delete": Page(allowed="curator", denied="methodist", kwargs=_evidence, method="post"),
    "roadmap:import_upload": Page(allowed="curator", denied="methodist"),
    "roadmap:import_preview": Page(allowed="curator", denied="methodist", kwargs=_import),
    "roadmap:import_apply": Page(allowed="curator", denied="methodist", kwargs=_import, method="post"),
}
