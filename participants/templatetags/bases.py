"""Template helpers of the mentor and mentee bases: {% load bases %}."""

from django import template

from organisations.school_year import school_year_label

from ..services_bases import documents_state, needs_documents

register = template.Library()


@register.filter
def school_year(year) -> str:
    """{{ 2026|school_year }} -> «2026/2027»."""
    return school_year_label(int(year))


@register.simple_tag
def mentor_document_states(person):
    """The required documents of an external mentor today, or None when the person needs none."""
    if not needs_documents(person):
        return None
    return documents_state(person.documents.all())
