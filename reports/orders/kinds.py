"""Order types (виды приказов): one declaration per type, and the registry that holds them.

Everything that differs between kinds of orders lives in the type's declaration: its title, the
seed of its template text, its appendices, the subjects it lists, whether a district or a school
issues it, the programme stage it belongs to, its checks before approval and its effects after.
Drafting, the forms, the stage checklist, the documents, the register, letters and analytics ask
the registry instead of switching on a code.

The built-in types are the modules of reports/orders/order_types/ (one module each, registered at
start-up by ReportsConfig.ready); a new type is one more module there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reports.orders.models import Order

# What an order may list; the edit form shows the fields of the subjects its type takes.
SUBJECTS = frozenset({"curator", "regulation", "pairs", "plans", "mentor_entries", "people", "partners"})
# Appendices in the order they are numbered (keys of reports.orders.drafting.APPENDICES).
APPENDIX_KEYS = ("regulation", "roadmap", "register", "pairs", "plans", "pay")

CONTROL_TEXT = "Контроль за исполнением настоящего приказа оставляю за собой."


@dataclass(frozen=True)
class TemplateSeed:
    """The standard wording of a type, used when no template row exists (placeholders as in
    reports.orders.drafting.PLACEHOLDERS). The rows of the built-in types were seeded by
    migration 0002 from the same text."""

    title: str
    preamble: str = ""
    points: tuple[dict, ...] = ()
    control_text: str = CONTROL_TEXT


# (order) -> problems in Russian; [] when nothing stops submission or approval.
Check = Callable[["Order"], list[str]]
# (order, user) -> None: what approval changes elsewhere, inside the approval's transaction.
Effect = Callable[["Order", object], None]
# (organisation, programme) -> {"pairs": [...], ...}: what a new draft lists from the programme.
DefaultSubjects = Callable[[object, object], dict]


@dataclass(frozen=True, eq=False)
class OrderType:
    code: str
    title: str
    seed: TemplateSeed | None = None
    appendices: tuple[str, ...] = ()
    subjects: frozenset[str] = frozenset()
    district: bool = False
    stage: int | None = None
    # The new draft names its author as the curator when the programme has none yet.
    author_is_curator: bool = False
    default_subjects: DefaultSubjects | None = None
    checks: tuple[Check, ...] = ()
    effects: Effect | None = None
    # Its approved orders are the signed mentor register (portfolio, district registers).
    approves_register: bool = False
    # Its approved orders thank the people they list (portfolio awards).
    awards: bool = False
    # Where it stands in lists (forms, filters, templates); built-ins use 10, 20, ...
    position: int = 1000

    def __post_init__(self):
        unknown = set(self.appendices) - set(APPENDIX_KEYS)
        if unknown:
            raise ValueError(f"Order type {self.code}: unknown appendices {sorted(unknown)}")
        unknown = set(self.subjects) - SUBJECTS
        if unknown:
            raise ValueError(f"Order type {self.code}: unknown subjects {sorted(unknown)}")

    @property
    def needs_programme(self) -> bool:
        """A school's order belongs to a programme; a district's does not."""
        return not self.district

    @property
    def appends_regulation(self) -> bool:
        return "regulation" in self.appendices

    @property
    def appends_roadmap(self) -> bool:
        return "roadmap" in self.appendices

    def problems(self, order: Order) -> list[str]:
        return [problem for check in self.checks for problem in check(order)]

    def apply_effects(self, order: Order, user) -> None:
        if self.effects is not None:
            self.effects(order, user)


_REGISTRY: dict[str, OrderType] = {}


def register(order_type: OrderType) -> OrderType:
    """Adds a type; registering the same declaration again is harmless, another one under a taken
    code is an error (two modules would fight over the same orders)."""
    current = _REGISTRY.get(order_type.code)
    if current is not None and current is not order_type:
        raise ValueError(f"Order type {order_type.code} is already registered")
    _REGISTRY[order_type.code] = order_type
    return order_type


def unregister(code: str) -> None:
    _REGISTRY.pop(code, None)


def order_types(*, district: bool | None = None) -> list[OrderType]:
    """The declared types in their list order; only a district's or a school's when asked."""
    types = sorted(_REGISTRY.values(), key=lambda t: (t.position, t.code))
    return [t for t in types if district is None or t.district == district]


def order_type(code: str) -> OrderType:
    """The declaration of a code; LookupError for a code nobody declares."""
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"Unknown order type {code!r}") from None


def order_type_of(order: Order) -> OrderType:
    """The declaration of an existing order; an order of a type no longer declared still opens
    (no appendices, no checks, no effects) instead of breaking its pages."""
    return _REGISTRY.get(order.kind) or OrderType(code=order.kind, title=order.kind)


def kind_choices() -> list[tuple[str, str]]:
    """The choices of Order.kind and OrderTemplate.kind: every declared type, read at each use."""
    return [(t.code, t.title) for t in order_types()]


def codes_where(predicate: Callable[[OrderType], bool]) -> list[str]:
    """The codes of the types a predicate picks, for queries: kind__in=codes_where(...)."""
    return [t.code for t in order_types() if predicate(t)]


def codes_of_stage(stage: int) -> tuple[str, ...]:
    return tuple(t.code for t in order_types() if t.stage == stage)


__all__ = [
    "APPENDIX_KEYS",
    "CONTROL_TEXT",
    "SUBJECTS",
    "OrderType",
    "TemplateSeed",
    "codes_of_stage",
    "codes_where",
    "kind_choices",
    "order_type",
    "order_type_of",
    "order_types",
    "register",
    "unregister",
]
