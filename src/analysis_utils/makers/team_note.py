"""The team's note beside the questionnaire: what it is, what to mind when taking it, how its
answers are entered, and — question by question — what comes verbatim from the thesis and what is
the project's wording (the codebook's ``evidence``, one rule for every item and answer label).
For the team, never for the respondent: it is a document of its own.

Examples
--------
>>> from analysis_utils.makers.form_model import build_form
>>> note = team_note(build_form("v1"))
>>> [s.title for s in note][:3]
['Wat deze vragenlijst is', 'Een negatief geformuleerde vraag', 'De proefenquête']
>>> next(r for r in note[-2].rows if r[1] == "q03_civil_status")[2]
'alleen het onderwerp staat in het eindwerk (regel 1557); formulering van het project'
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..codebook import GOALS_V1, Item, load_codebook
from ..yamlio import load_resource
from .form_model import BLANKS, Form


@dataclass(frozen=True)
class Section:
    """A heading with paragraphs, bullets and at most one table (head, rows)."""

    title: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    head: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


def note_texts(lang: str) -> dict:
    """The note's fixed sentences in ``lang`` (resources/questionnaire.yaml, ``team_note``)."""
    return load_resource("questionnaire.yaml")["team_note"][lang]


def provenance(item: Item, words: dict, in_v1: set[str]) -> str:
    """Where an item's wording comes from, as the note says it."""
    line = item.seed_line if item.seed_line is not None else "—"
    if item.evidence == "attested":
        return words["attested"].format(line=line)
    if item.section == "administration":
        return words["administration_item"]
    if item.id not in in_v1:
        return words["new_in_v2"].format(line=line)
    return words["group_item" if item.group else "inferred"].format(line=line)


def _wording_table(form: Form, words: dict) -> Section:
    in_v1 = set(load_codebook("v1").item_ids)
    rows = tuple((str(form.number_of(i.id) or "—"), i.id, provenance(i, words, in_v1)) for i in form.codebook.items)
    return Section(words["wording_title"], head=tuple(words["wording_head"]), rows=rows)


def _labels(form: Form, words: dict) -> Section:
    """Answer labels without a ``seen`` in the codebook, scale by scale, as far as this form asks them."""
    used = {i.scale.id: i.scale for i in form.codebook.items if i.coded}
    bullets = []
    for scale in used.values():
        own = [f"‘{scale.label(c, form.lang)}’" for c in scale.codes if scale.evidence(c) == "inferred"]
        if own:
            bullets.append(f"{scale.id}: {', '.join(own)}")
    return Section(words["labels_title"], (words["labels"],), tuple(bullets))


def _reversed(form: Form, words: dict) -> list[Section]:
    """v1's goals item (misread by most clients) and any verbatim typo."""
    paragraphs = []
    cb = form.codebook
    if GOALS_V1 in cb.item_ids:
        paragraphs.append(words["reversed"].format(number=form.number_of(GOALS_V1), item=GOALS_V1))
    for item in cb.items:
        for word in item.sic:
            paragraphs.append(words["sic"].format(number=form.number_of(item.id), item=item.id, word=word))
    return [Section(words["reversed_title"], tuple(paragraphs))] if paragraphs else []


def _teams(form: Form, words: dict) -> tuple[str, ...]:
    """Where the form asks the team: the teams it offers, or (without them) to make it again with
    ``--teams``, since a team typed with a typo is refused when the answers are checked."""
    if all(i.coded for i in form.codebook.items):
        return ()
    if form.teams:
        return (words["teams_given"].format(teams=", ".join(form.teams)),)
    return (words["teams_free"],)


def _fill_in(form: Form, words: dict) -> tuple[str, ...]:
    """The blanks of the introduction not given (``--organisation`` …): where to fill them in by hand."""
    left = [name for name in BLANKS if name not in form.filled]
    if not left:
        return ()
    return (words["fill_in"].format(blanks=", ".join(words["fill_in_names"][n] for n in left),
                                    options=", ".join(f"--{n}" for n in left)),)


def team_note(form: Form) -> list[Section]:
    """The note for the questionnaire ``form`` (its version and language)."""
    words = note_texts(form.lang)
    doc = load_resource("codebook.yaml")["versions"][form.version]
    about = words["about"].format(version=form.version, description=" ".join(doc[f"description_{form.lang}"].split()).rstrip("."))
    sections = [Section(words["about_title"], (about,))]
    sections += _reversed(form, words)
    pilot = [f"{i.id} ({form.number_of(i.id)})" for i in form.codebook.items if i.absent_in_pilot]
    if pilot:
        sections.append(Section(words["pilot_title"], (words["pilot"].format(items=", ".join(pilot)),)))
    sections.append(Section(words["administration_title"], bullets=tuple(words["administration"]) + _fill_in(form, words)))
    sections.append(Section(words["entry_title"], bullets=tuple(words["entry"]) + _teams(form, words)))
    sections.append(_wording_table(form, words))
    sections.append(_labels(form, words))
    return sections
