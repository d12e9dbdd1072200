"""{% load declension %}: «{{ person|case:"dative" }}» → «Николаевой Ольге Андреевне»."""

from django import template

from organisations.declension import declined_full_name, declined_short_name

register = template.Library()


@register.filter(name="case")
def case_filter(person, case: str) -> str:
    """The full name in the case; the person's own correction (name_forms) wins."""
    return declined_full_name(person, case) if person else ""


@register.filter(name="case_short")
def case_short_filter(person, case: str) -> str:
    """«Николаевой О.А.»"""
    return declined_short_name(person, case) if person else ""
