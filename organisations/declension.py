"""Russian full names in the case each document needs: «приказ о назначении Николаевой Ольги Андреевны».

The rules come from pytrovich (the petrovich-rules set, MIT); it was measured against the other
installed candidates on a hand-made set of tricky names (see the management command
``measure_declension``). On top of it this module:

- leaves Turkic patronymics («Рашид оглы», «Вагиф кызы») whole: neither the father's name nor the
  particle declines;
- declines women's first names in a soft sign (Айгуль → Айгули, Айгулью) that the rules do not list;
- infers the gender from the patronymic, then the first name and surname, when it is not given;
- keeps all-capital input all-capital (ИВАНОВ → ИВАНОВА);
- leaves whole the few surnames the rules decline against the grammar: French ones on a stressed
  -а/-я (Золя) and double surnames whose first part is not a surname (Демут-Малиновский).

A person's own corrections (``name_forms``, {case: full name}) win over the library: no rule set
knows every surname (Чаплин → «Чаплином», not «Чаплиным»).
"""

from enum import Enum
from functools import lru_cache

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case as _LibCase
from pytrovich.enums import Gender as _LibGender
from pytrovich.enums import NamePart
from pytrovich.maker import PetrovichDeclinationMaker

from organisations.russian import surname_with_initials

# The values of participants.models.Gender; this app sits below participants and cannot import it.
MALE = "M"
FEMALE = "F"


try:
    from enum import StrEnum
except ImportError:  # Python 3.10, which the project still supports

    class StrEnum(str, Enum):
        def __str__(self) -> str:
            return self.value


class Case(StrEnum):
    NOMINATIVE = "nominative"
    GENITIVE = "genitive"
    DATIVE = "dative"
    ACCUSATIVE = "accusative"
    INSTRUMENTAL = "instrumental"
    PREPOSITIONAL = "prepositional"


CASE_LABELS = {
    Case.NOMINATIVE: "именительный (кто?)",
    Case.GENITIVE: "родительный (кого?)",
    Case.DATIVE: "дательный (кому?)",
    Case.ACCUSATIVE: "винительный (кого?)",
    Case.INSTRUMENTAL: "творительный (кем?)",
    Case.PREPOSITIONAL: "предложный (о ком?)",
}

_LIB_CASES = {
    Case.NOMINATIVE: _LibCase.NOMINATIVE,
    Case.GENITIVE: _LibCase.GENITIVE,
    Case.DATIVE: _LibCase.DATIVE,
    Case.ACCUSATIVE: _LibCase.ACCUSATIVE,
    Case.INSTRUMENTAL: _LibCase.INSTRUMENTAL,
    Case.PREPOSITIONAL: _LibCase.PREPOSITIONAL,
}
_LIB_GENDERS = {MALE: _LibGender.MALE, FEMALE: _LibGender.FEMALE}

# «сын» / «дочь» in Azerbaijani, Turkish, Kazakh, Kyrgyz, Uzbek patronymics; they never decline.
_SON_MARKERS = ("оглы", "огли", "улы", "уулу", "ұлы")
_DAUGHTER_MARKERS = ("кызы", "гызы", "кизи", "қызы")
_MARKERS = _SON_MARKERS + _DAUGHTER_MARKERS

# Surnames the rules decline though they must not, listed because the spelling does not show why.
# French surnames on a stressed -а, -я never decline (Дюма is in the rules already; Розенталь's
# Золя, Тома, Дега, Петипа are not).
_INDECLINABLE_SURNAMES = frozenset({"золя", "тома", "дега", "петипа"})
# The first part of a double surname that is not a surname on its own does not decline
# (Бонч-Бруевича, Демут-Малиновского); «Бонч» the rules know, the others not.
_FIXED_FIRST_PARTS = frozenset({"бонч", "демут", "сен", "гаген", "кара", "мусин"})

# Third-declension endings for women's names in -ь (Айгуль, Асель): genitive, dative, prepositional -и,
# instrumental -ью, accusative unchanged.
_SOFT_SIGN_FEMININE = {
    Case.GENITIVE: "и",
    Case.DATIVE: "и",
    Case.PREPOSITIONAL: "и",
    Case.INSTRUMENTAL: "ью",
}


@lru_cache(maxsize=1)
def _maker() -> PetrovichDeclinationMaker:
    return PetrovichDeclinationMaker()


@lru_cache(maxsize=1)
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


def _is_turkic_patronymic(patronymic: str) -> bool:
    """«Рашид оглы», «Рашид-оглы», «Ержанұлы»."""
    return patronymic.lower().replace("-", " ").rstrip().endswith(_MARKERS)


def infer_gender(last_name: str = "", first_name: str = "", patronymic: str = "") -> str:
    """The gender "M" or "F" the name shows, or "" when it does not tell (Саша Ким)."""
    lowered = patronymic.lower().strip()
    if lowered.endswith(_SON_MARKERS) or lowered.endswith(("вич", "ич")):
        return MALE
    if lowered.endswith(_DAUGHTER_MARKERS) or lowered.endswith(("вна", "чна")):
        return FEMALE
    parts = {"firstname": first_name.strip(), "lastname": last_name.strip(), "middlename": lowered}
    parts = {key: value for key, value in parts.items() if value}
    if not parts:
        return ""
    detected = _detector().detect(**parts)
    return {_LibGender.MALE: MALE, _LibGender.FEMALE: FEMALE}.get(detected, "")


def gender_of(person) -> str:
    """ "M" or "F": the person's stored gender, else what the name tells, else ""."""
    gender = getattr(person, "gender", "") or ""
    if gender in (MALE, FEMALE):
        return gender
    last_name, first_name, patronymic, _gender = _name_of(person)
    return infer_gender(last_name, first_name, patronymic)


def _match_capitals(source: str, result: str) -> str:
    # The library appends lower-case endings: ИВАНОВ would become «ИВАНОВа».
    return result.upper() if source.isupper() and len(source) > 1 else result


# Whole parts go to the library: it keeps particles («ван Бетховен») and declines both halves of
# «Салтыков-Щедрин» itself. Cached: a list of orders repeats the same names.
@lru_cache(maxsize=8192)
def _decline(value: str, part: NamePart, gender: str, case: Case) -> str:
    if case == Case.NOMINATIVE or not value:
        return value
    if part == NamePart.LASTNAME:
        if value.lower() in _INDECLINABLE_SURNAMES:
            return value
        head, hyphen, tail = value.partition("-")
        if hyphen and tail and head.lower() in _FIXED_FIRST_PARTS:
            return f"{head}-{_decline(tail, part, gender, case)}"
    lib_gender = _LIB_GENDERS.get(gender, _LibGender.ANDROGYNOUS)
    result = _maker().make(part, lib_gender, _LIB_CASES[case], value, known_gender=gender in _LIB_GENDERS)
    if (
        result == value
        and part == NamePart.FIRSTNAME
        and gender == FEMALE
        and value.lower().endswith("ь")
        and case in _SOFT_SIGN_FEMININE
    ):
        result = value[:-1] + _SOFT_SIGN_FEMININE[case]
    return _match_capitals(value, result)


def decline_parts(
    last_name: str, first_name: str, patronymic: str = "", gender: str = "", *, case: Case | str
) -> tuple[str, str, str]:
    """The three parts of the name in ``case``; gender "M"/"F", or "" to infer it from the name."""
    case = Case(case)
    last_name, first_name, patronymic = (
        " ".join((value or "").split()) for value in (last_name, first_name, patronymic)
    )
    gender = gender if gender in _LIB_GENDERS else infer_gender(last_name, first_name, patronymic)
    return (
        _decline(last_name, NamePart.LASTNAME, gender, case),
        _decline(first_name, NamePart.FIRSTNAME, gender, case),
        patronymic if _is_turkic_patronymic(patronymic) else _decline(patronymic, NamePart.MIDDLENAME, gender, case),
    )


def decline_name(last_name: str, first_name: str, patronymic: str = "", gender: str = "", *, case: Case | str) -> str:
    """«Николаевой Ольге Андреевне» for ("Николаева", "Ольга", "Андреевна", "F", case="dative")."""
    return " ".join(part for part in decline_parts(last_name, first_name, patronymic, gender, case=case) if part)


def _override(obj, case: Case) -> str:
    forms = getattr(obj, "name_forms", None) or {}
    return " ".join(str(forms.get(case.value) or "").split())


def _name_of(obj) -> tuple[str, str, str, str]:
    return (
        getattr(obj, "last_name", "") or "",
        getattr(obj, "first_name", "") or "",
        getattr(obj, "patronymic", "") or "",
        getattr(obj, "gender", "") or "",
    )


def declined_full_name(obj, case: Case | str) -> str:
    """The full name of a Person, a User or anything with last_name, first_name, patronymic.

    The person's saved correction for the case (``name_forms``) wins over the library.
    """
    case = Case(case)
    return _override(obj, case) or decline_name(*_name_of(obj), case=case)


def declined_short_name(obj, case: Case | str) -> str:
    """«Николаевой О. А.»: the surname in ``case``, a space between the initials (ГОСТ Р 7.0.97-2025),
    non-breaking, so the initials never leave the surname."""
    case = Case(case)
    last_name, first_name, patronymic, gender = _name_of(obj)
    surname_words = len(last_name.split())
    override = _override(obj, case).split()
    if override and len(override) >= surname_words:
        # The correction is a full name; its first words are the surname.
        surname = " ".join(override[:surname_words])
    else:
        surname = decline_parts(last_name, first_name, patronymic, gender, case=case)[0]
    return surname_with_initials(surname, first_name, patronymic)
