"""Documents of a stage that an upper app keeps (the orders, in reports): a registry.

Imports go one way, so mentorship never imports reports; reports registers a source instead
(in its AppConfig.ready):

    from mentorship.stage_documents import STAGE_DOCUMENT_SOURCES
    STAGE_DOCUMENT_SOURCES.append(order_documents)

A source takes the programme and a stage number (roadmap.stages.Stage) and returns the documents
that stage must produce which the source knows of, each present or missing. The stage checklist
shows each one as a row; until a source is registered there are simply no such rows.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Programme


@dataclass(frozen=True)
class StageDocument:
    title: str  # «Приказ о закреплении наставнических пар и групп»
    present: bool
    url: str | None = None  # the document, or the page to make it
    detail: str = ""  # «№ 56-ОД от 01.10.2026», «проект, не утверждён»


StageDocumentSource = Callable[[Programme, int], list[StageDocument]]

STAGE_DOCUMENT_SOURCES: list[StageDocumentSource] = []


def stage_documents(*, programme: Programme, stage: int) -> list[StageDocument]:
    """The documents of the stage from every registered source, in registration order."""
    return [document for source in STAGE_DOCUMENT_SOURCES for document in source(programme, stage)]


@dataclass(frozen=True)
class StageIndicator:
    title: str  # «Вовлечённость обучающихся»
    value: str  # «54 %», «—»
    detail: str = ""  # «27 из 50, цель 70 %»
    ok: bool | None = None  # None: no target
    url: str | None = None  # the indicator's people


StageIndicatorSource = Callable[[Programme, int], list[StageIndicator]]

# The monitoring indicators a stage moves (reports registers the KPI source).
STAGE_INDICATOR_SOURCES: list[StageIndicatorSource] = []


def stage_indicators(*, programme: Programme, stage: int) -> list[StageIndicator]:
    return [indicator for source in STAGE_INDICATOR_SOURCES for indicator in source(programme, stage)]
