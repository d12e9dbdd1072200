"""Small helpers for Russian text."""

import re


def plural(number: int, one: str, few: str, many: str) -> str:
    """The noun form agreeing with a number: plural(2, "ученик", "ученика", "учеников")."""
    n = abs(number) % 100
    if 11 <= n <= 14:
        return many
    n %= 10
    if n == 1:
        return one
    if 2 <= n <= 4:
        return few
    return many


def agreeing(gender: str, masculine: str, feminine: str) -> str:
    """The word agreeing with a person's gender ("M"/"F"): agreeing("F", "обучающийся", "обучающаяся").

    Masculine when the gender is unknown: the generic form official texts use.
    """
    return feminine if gender == "F" else masculine


# --- Non-breaking spaces -------------------------------------------------------------------------
# Russian typesetting keeps together what a reader takes in at once: «№ 48-ОД», «1 сентября»,
# «2025 г.», initials with the surname. One pass, ``tie``, applied where documents are rendered
# (the PDF's HTML, the DOCX writer), so typed text, template text and data all follow it.

NBSP = "\u00a0"

# «1 сентября»: the months as a date names them (the genitive), January first.
MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS_GENITIVE, start=1)}

_MONTHS = "|".join(MONTHS_GENITIVE)
_SPACE = r"[ \u00a0]"  # not a tab: a tab separates columns (a signature line), it is no space to tie
# «№ 48-ОД», «№ Р-145», «№ АЗ-1128/08»: the sign, a space and the whole number, its hyphens included.
_NUMBER_SIGN = re.compile(rf"(№+){_SPACE}+([^\s<]+)")
# A word joiner after a hyphen forbids the break there and is invisible: PDF readers and search see
# «48-ОД». The DOCX writer turns it into Word's non-breaking hyphen.
WORD_JOINER = "\u2060"
_DAY_MONTH = re.compile(rf"(?<![\d.,])(\d{{1,2}}){_SPACE}+({_MONTHS})\b")
_YEAR_G = re.compile(rf"(?<=\d){_SPACE}*(гг?\.)(?![а-яё])")
_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
# «О.А. Николаева», «О. А. Николаева», «О. Николаева»: initials before the surname (signatures).
_INITIALS_FIRST = re.compile(rf"(?<![А-ЯЁа-яё])([А-ЯЁ])\.{_SPACE}*(?:([А-ЯЁ])\.{_SPACE}*)?({_SURNAME})")
# «Николаева О.А.», «Николаевой О. А.»: the surname before two initials (lists, «Ответственный:»).
_SURNAME_FIRST = re.compile(rf"({_SURNAME}){_SPACE}+([А-ЯЁ])\.{_SPACE}*([А-ЯЁ])\.(?![а-яё])")


def initials(*names: str) -> str:
    """«О. А.» for ("Ольга", "Андреевна"): ГОСТ Р 7.0.97-2025 puts a space between initials."""
    return NBSP.join(f"{name.strip()[0]}." for name in names if name and name.strip())


def signature_name(full_name: str) -> str:
    """«Николаева Ольга Андреевна» → «О. А. Николаева» (non-breaking), as under a signature."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip()
    return f"{initials(*parts[1:3])}{NBSP}{parts[0]}"


def surname_with_initials(surname: str, first_name: str = "", patronymic: str = "") -> str:
    """«Николаевой О. А.» (non-breaking): the surname as given, then the initials."""
    letters = initials(first_name, patronymic)
    return f"{surname}{NBSP}{letters}" if surname and letters else (surname or letters)


def _tied_number(match: re.Match) -> str:
    number = match.group(2).replace("-" + WORD_JOINER, "-").replace("-", "-" + WORD_JOINER)
    return match.group(1) + NBSP + number


def _initials_first(match: re.Match) -> str:
    letters = [letter for letter in match.group(1, 2) if letter]
    return NBSP.join(f"{letter}." for letter in letters) + NBSP + match.group(3)


def tie(text: str) -> str:
    """The text with non-breaking spaces where Russian typesetting wants them.

    «№ 48-ОД» (its hyphen too), «1 сентября 2025 г.», «О. А. Николаева», «Николаевой О. А.»; a space between
    initials is added (ГОСТ Р 7.0.97-2025). Other text is left as it is.
    """
    if not text:
        return text
    text = _NUMBER_SIGN.sub(_tied_number, text)
    text = _DAY_MONTH.sub(lambda m: m.group(1) + NBSP + m.group(2), text)
    text = _YEAR_G.sub(lambda m: NBSP + m.group(1), text)
    text = _INITIALS_FIRST.sub(_initials_first, text)
    return _SURNAME_FIRST.sub(lambda m: f"{m.group(1)}{NBSP}{m.group(2)}.{NBSP}{m.group(3)}.", text)


def programme_genitive(title: str) -> str:
    """«программы «Шаг вперёд»» — or, for a title that already names itself a programme,
    «Программы наставничества «Шаг вперёд»»: the generic word is declined and not repeated,
    and the title goes without quotes (as «Положения о наставничестве»).
    """
    title = " ".join(title.split())
    if not title:
        return ""
    first, _, rest = title.partition(" ")
    if first.lower() == "программа":
        return f"{first[:-1]}ы {rest}".rstrip()
    return f"программы «{title}»"


_SURNAME_AND_INITIALS = re.compile(
    rf"^({_SURNAME}){_SPACE}+[А-ЯЁ]\.|^[А-ЯЁ]\.{_SPACE}*(?:[А-ЯЁ]\.{_SPACE}*)?({_SURNAME})$"
)
_PLURAL_ENDINGS = ("ики", "ели", "ры", "ты", "ые", "ие", "ки", "ли", "ны", "ля")


def responsible_label(responsible: str, *, gender_of_surname) -> str:
    """«Ответственный», «Ответственная» or «Ответственные», agreeing with who is named after it.

    «Николаева О. А.» → «Ответственная», «Наставники» or «Кляпка О. В., Черных И. П.» →
    «Ответственные», «Комиссия по …» → «Ответственная»; when nothing tells, the generic
    masculine. "" when the text itself starts with the word («Ответственный за ведение сайта»).
    ``gender_of_surname`` reads "M"/"F"/"" off a surname.
    """
    text = " ".join(responsible.split())
    if not text:
        return "Ответственный"
    if text.lower().startswith("ответствен"):
        return ""
    if "," in text or ";" in text or " и " in text:
        return "Ответственные"
    name = _SURNAME_AND_INITIALS.match(text)
    if name:
        return agreeing(gender_of_surname(name.group(1) or name.group(2)), "Ответственный", "Ответственная")
    first_word = text.split()[0].lower()
    if first_word.endswith(_PLURAL_ENDINGS):
        return "Ответственные"
    if first_word.endswith(("ия", "ция", "ссия")):
        return "Ответственная"
    return "Ответственный"
