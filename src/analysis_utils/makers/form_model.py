"""The questionnaire as a respondent sees it, built from the codebook: what the printed page, the
.docx and the tablet form all show, in the codebook's order and wording.

The interviewer's items (section ``administration``) go in a box of their own; every other item
is a numbered question, and the items of a multi-item figure (the emotions, expectations and
qualities of communication) one grid under their shared stem, which says to tick one box on every
line. A follow-up question says when to
answer it and carries its lead question's number and a letter (23a), so that every printed number
is the one in its item's code. Each question carries its item id, the entry template's column.

Examples
--------
>>> form = build_form("v2")
>>> [q.item_id for q in form.admin]
['a01_interview_mode', 'a02_questionnaire_form', 'a03_team']
>>> first = form.blocks[0]
>>> first.number, first.text, [o.label for o in first.options]
('1', 'Wat is uw geslacht?', ['man', 'vrouw'])
>>> followup = next(b for b in form.blocks if getattr(b, "item_id", "") == "q23a_concealment_topic")
>>> followup.number, followup.routing
('23a', 'Alleen invullen als u bij vraag 23 ‘één keer’, ‘twee tot vier keer’ of ‘meer dan vier keer’ aankruiste.')
>>> form.number_of("q24_home_language")
'24'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..codebook import Codebook, Item, load_codebook, question_numbers
from ..intake.meta import SPREADSHEET_FORMULA_START
from ..yamlio import load_resource

LANGS = ("nl", "en")
# A blank the team fills in: ``{organisation}`` in a text of resources/questionnaire.yaml.
BLANKS = ("organisation", "period", "contact", "minutes")
BLANK = re.compile(r"\{(" + "|".join(BLANKS) + r")\}")
# The page's number and the number of pages in the footer printed on every page (``page_footer``).
PAGE_FIELD = re.compile(r"\{(page|pages)\}")


@dataclass(frozen=True)
class Option:
    """One answer box: the scale's code (None for a declared team) and its printed label."""

    code: int | None
    label: str


@dataclass(frozen=True)
class Question:
    """One item asked on its own: no options means a line to write on."""

    item_id: str
    text: str
    options: tuple[Option, ...]
    number: str | None = None  # "1", "23a" (a follow-up); None in the interviewer's box
    routing: str = ""  # "Alleen invullen als …" for a follow-up question


@dataclass(frozen=True)
class Grid:
    """The items of one multi-item figure: a shared stem, one row per item, one scale."""

    number: str
    stem: str
    rows: tuple[tuple[str, str], ...]  # (item id, what the row rates)
    options: tuple[Option, ...]
    instruction: str = ""  # "Zet op elke regel één kruisje." under the stem

    @property
    def item_ids(self) -> list[str]:
        return [item_id for item_id, _label in self.rows]


@dataclass(frozen=True)
class Form:
    """Everything the questionnaire of one version shows, in one language."""

    version: str
    lang: str
    texts: dict
    blanks: dict[str, str]  # placeholder name -> what the team writes there
    admin: tuple[Question, ...]
    blocks: tuple[Question | Grid, ...]
    codebook: Codebook
    filled: dict[str, str] = field(default_factory=dict)  # placeholder name -> the text given for it

    @property
    def teams(self) -> tuple[str, ...]:
        """The teams given for the team item (boxes on paper, a list on the tablet); none: a line."""
        return tuple(o.label for q in self.admin for o in q.options if o.code is None)

    def number_of(self, item_id: str) -> str | None:
        """The question number an item is asked under (None for the interviewer's items)."""
        for block in self.blocks:
            if item_id in (block.item_ids if isinstance(block, Grid) else [block.item_id]):
                return block.number
        return None


def texts(lang: str) -> tuple[dict, dict]:
    """The fixed texts of the questionnaire in ``lang`` and its blanks (resources/questionnaire.yaml)."""
    if lang not in LANGS:
        raise ValueError(f"the questionnaire exists in {' and '.join(LANGS)}, not {lang!r}")
    doc = load_resource("questionnaire.yaml")
    return doc[lang], doc["placeholders"][lang]


def options(item: Item, lang: str, teams: list[str] | None = None) -> tuple[Option, ...]:
    """The answer boxes of an item: its scale's labels, the declared teams, or none (a line)."""
    if item.coded:
        return tuple(Option(code, item.scale.label(code, lang)) for code in item.scale.codes)
    return tuple(Option(None, team) for team in teams or [])


def routing(item: Item, cb: Codebook, number_of: dict[str, str], words: dict, lang: str) -> str:
    """"Alleen invullen als u bij vraag 23 ‘één keer’ … aankruiste." for a follow-up question."""
    if not item.asked_if:
        return ""
    parts = []
    for lead, codes in item.asked_if.items():
        answers = either([cb.scale_of(lead).label(c, lang) for c in codes], words["or"])
        parts.append(words["only_if"].format(number=number_of[lead], answers=answers))
    return " ".join(parts)


def either(labels: list[str], or_word: str) -> str:
    """Answer labels quoted, as a list that ends in "or".

    >>> either(["één keer", "twee tot vier keer", "meer dan vier keer"], "of")
    '‘één keer’, ‘twee tot vier keer’ of ‘meer dan vier keer’'
    """
    quoted = [f"‘{label}’" for label in labels]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} {or_word} {quoted[-1]}"


def _blocks(cb: Codebook, lang: str, words: dict) -> tuple[Question | Grid, ...]:
    """The numbered questions: one per item, one grid per multi-item figure, in codebook order."""
    number_of = question_numbers(cb)
    asked: list[list[Item]] = []
    for item in (i for i in cb.items if i.id in number_of):
        if item.group and asked and asked[-1][0].group == item.group:
            asked[-1].append(item)
        else:
            asked.append([item])
    blocks: list[Question | Grid] = []
    for items in asked:
        first = items[0]
        number = number_of[first.id]
        if first.group:
            blocks.append(Grid(number, cb.groups[first.group].stem(lang), tuple((i.id, i.label(lang)) for i in items),
                               options(first, lang), words["each_line"]))
        else:
            blocks.append(Question(first.id, first.wording(lang), options(first, lang), number,
                                   routing(first, cb, number_of, words, lang)))
    return tuple(blocks)


def build_form(version: str = "v2", lang: str = "nl", teams: list[str] | None = None,
               filled: dict[str, str] | None = None) -> Form:
    """The questionnaire of ``version`` in ``lang`` (``nl``, the respondents' language, or ``en``).

    ``teams``: the teams or sites of this round, printed as boxes for the team item (v2);
    without them the interviewer writes the team on a line. ``filled``: the blanks given
    (:func:`parse_blank`), printed as given; the others stay blanks for the team to fill in.
    """
    cb = load_codebook(version)
    words, blanks = texts(lang)
    admin = tuple(Question(i.id, i.wording(lang), options(i, lang, teams)) for i in cb.items
                  if i.section == "administration")
    return Form(version, lang, words, blanks, admin, _blocks(cb, lang, words), cb, dict(filled or {}))


def parse_teams(text: str) -> list[str]:
    """The teams of ``--teams "Team Noord; Team Zuid"``: separated by ';' as in the intake's
    ``teams``, each stripped; an empty name, a name given twice (in any case) or one a spreadsheet
    would read as a formula (as the intake refuses it) is refused (ValueError).

    >>> parse_teams(" Team Noord;Team Zuid ")
    ['Team Noord', 'Team Zuid']
    >>> parse_teams("Team Noord;; Team Zuid")
    Traceback (most recent call last):
    ValueError: team 2 of 'Team Noord;; Team Zuid' is empty: separate the teams by ';', e.g. "Team Noord; Team Zuid"
    """
    teams = [t.strip() for t in re.split(r"[;\n]", text)]
    seen: set[str] = set()
    for k, team in enumerate(teams, start=1):
        if not team:
            raise ValueError(f"team {k} of {text!r} is empty: separate the teams by ';', e.g. \"Team Noord; Team Zuid\"")
        if team.casefold() in seen:
            raise ValueError(f"the team {team!r} is given twice (in any case): name each team once")
        refuse_formula(team, "the team")
        seen.add(team.casefold())
    return teams


def refuse_formula(value: str, what: str) -> None:
    """A value a spreadsheet would read as a formula is refused (ValueError), as the intake refuses it."""
    if value.startswith(SPREADSHEET_FORMULA_START):
        raise ValueError(f"{what} {value!r} starts with {value[0]!r}: a spreadsheet would read it as a formula")


def parse_blank(name: str, text: str) -> str:
    """The text of ``--organisation``, ``--period``, ``--contact`` or ``--minutes`` (a whole number
    of at least 1), stripped; an empty one, one with a line break or one a spreadsheet would read
    as a formula is refused (ValueError).

    >>> parse_blank("contact", " Els Peeters, 089 65 00 00 ")
    'Els Peeters, 089 65 00 00'
    >>> parse_blank("minutes", "0")
    Traceback (most recent call last):
    ValueError: the minutes '0' is not a whole number of at least 1, e.g. 15
    """
    value = text.strip()
    if not value:
        raise ValueError(f"the {name} is empty: give its text, or leave the option out to fill it in by hand")
    if text.splitlines() != [text]:
        raise ValueError(f"the {name} {text!r} has a line break: give it on one line")
    refuse_formula(value, f"the {name}")
    if name == "minutes" and not (re.fullmatch(r"[0-9]+", value) and int(value) >= 1):
        raise ValueError(f"the minutes {value!r} is not a whole number of at least 1, e.g. 15")
    return str(int(value)) if name == "minutes" else value


def split_blanks(text: str, pattern: re.Pattern = BLANK) -> list[tuple[str, str | None]]:
    """A text as (words, None) and (placeholder description key, name) pieces, in order; with
    :data:`PAGE_FIELD`, its page fields.

    >>> split_blanks("van {organisation} ({period})")
    [('van ', None), ('', 'organisation'), (' (', None), ('', 'period'), (')', None)]
    >>> split_blanks("pagina {page} van {pages}", PAGE_FIELD)
    [('pagina ', None), ('', 'page'), (' van ', None), ('', 'pages')]
    """
    pieces: list[tuple[str, str | None]] = []
    last = 0
    for m in pattern.finditer(text):
        pieces.append((text[last:m.start()], None))
        pieces.append(("", m.group(1)))
        last = m.end()
    pieces.append((text[last:], None))
    return [p for p in pieces if p != ("", None)]
