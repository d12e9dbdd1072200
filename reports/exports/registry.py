"""Every document the product hands out, registered once at start-up (ReportsConfig.ready).

A new exporter is added here: the one view (reports.exports.views), the background task
(reports.exports.tasks) and the tests of the registry then know it. Nothing is registered by
importing a view.
"""

from reports.exports.base import REGISTRY, register


def exporter_classes() -> list[type]:
    from reports.analytics import documents as analytics_documents
    from reports.analytics import exporters as analytics_exporters
    from reports.letters import exporters as letters
    from reports.orders import exporters as orders
    from reports.orders import register as order_register
    from reports.printouts import exporters as printouts
    from reports.printouts import roadmap
    from reports.registers import people, programme

    return [
        # Registers of people and of the programme (tables).
        people.PeopleExporter,
        people.AccessJournalExporter,
        people.MentorBaseExporter,
        people.MentorRegisterExporter,
        people.MenteeBaseExporter,
        people.PartnersExporter,
        people.ConsentsExporter,
        programme.PairsExporter,
        programme.MeetingsExporter,
        programme.PlanFulfilmentExporter,
        # Orders: the register, each order as PDF / DOCX, its лист ознакомления.
        order_register.OrdersExporter,
        orders.OrderPdfExporter,
        orders.OrderDocxExporter,
        orders.OrderAcquaintanceExporter,
        # Printouts: roadmaps, plans, consent forms, a class's questionnaire links.
        roadmap.RoadmapExporter,
        roadmap.RoadmapPdfExporter,
        printouts.PlanPdfExporter,
        printouts.ConsentFormPersonExporter,
        printouts.ConsentFormsClassExporter,
        printouts.QuestionnaireSheetExporter,
        # Letters and the mentor's portfolio.
        letters.MentorLetterExporter,
        letters.PartnerLetterExporter,
        letters.MentorPortfolioExporter,
        # Analytics: the school's справка, questionnaire results, the district's files.
        analytics_exporters.SchoolReportExporter,
        analytics_exporters.QuestionnaireResultsExporter,
        analytics_documents.DistrictReportExporter,
        analytics_documents.DistrictRegistersExporter,
    ]


def registry_fill() -> None:
    """Registers every exporter; called once by ReportsConfig.ready (a second call changes nothing)."""
    if REGISTRY:
        return
    for exporter_class in exporter_classes():
        register(exporter_class)
