"""The registers' files, registered at start-up (reports.exports.registry)."""

from reports.registers import archive, people, programme

EXPORTERS = (
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
    archive.SchoolArchiveExporter,
)
