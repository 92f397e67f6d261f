"""The questionnaire as an XLSForm for tablets (ODK Collect, KoboToolbox, Enketo), written with
openpyxl and checked by converting it with pyxform, the ODK project's own converter.

Sheet ``survey``: the interviewer's items in a group of their own, then (as on paper) the
introduction to the client, the questions in the codebook's order, each multi-item figure a group shown on one screen (``field-list``, opened by
a note: one answer on every line), every follow-up with
its ``relevant`` (and, in v1, the items the 2015 pilot form did not ask with theirs); the team (v2)
chosen from the list of the teams given (``--teams``), else typed. Dutch labels
(``label::Nederlands (nl)``) with English beside them; sheet ``choices``: one list per scale, the
codes as choice names, so that an export holds the codes the intake reads, and the teams. Sheet ``settings``:
Dutch as the default language. The form collects no metadata about the device or the person
(no ``deviceid``, ``username``, ``start``, ``end``); the platforms add their own, and reading an
export drops them (:mod:`analysis_utils.intake.export`).

Examples
--------
>>> rows = survey_rows(build_form("v2"))
>>> [r.get("name") or r["type"] for r in rows[:6]]
['group_administration', 'a01_interview_mode', 'a02_questionnaire_form', 'a03_team', 'end_group', 'intro']
>>> next(r["relevant"] for r in rows if r.get("name") == "q23a_concealment_topic")
"${q23_concealment} = '2' or ${q23_concealment} = '3' or ${q23_concealment} = '4'"
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from pyxform.xls2xform import convert

from ..codebook import Item
from ..intake.export import FORM_NOTES, grid_note, team_choice_name
from .form_model import Form, build_form, split_blanks, texts

LANGUAGES = {"nl": "Nederlands (nl)", "en": "English (en)"}
SURVEY_COLUMNS = ["type", "name", *(f"label::{name}" for name in LANGUAGES.values()),
                  *(f"hint::{name}" for name in LANGUAGES.values()), "required", "relevant", "appearance"]
CHOICE_COLUMNS = ["list_name", "name", *(f"label::{name}" for name in LANGUAGES.values())]
TEAM_LIST = "teams"  # the choice list of the teams given (--teams), for the team item
PILOT = "a02_questionnaire_form"  # code 1: the pilot questionnaire (v1's did not ask some items)


def _labels(key: str | None = None, **by_lang: str) -> dict[str, str]:
    """``label::<language>`` cells from the questionnaire texts' ``key``, or from ``by_lang``."""
    out = {}
    for lang, name in LANGUAGES.items():
        out[f"label::{name}"] = by_lang[lang] if key is None else texts(lang)[0][key]
    return out


def _plain(text: str, lang: str, filled: dict[str, str]) -> str:
    """A text with its blanks as given in ``filled``, the others as [placeholders] the team
    replaces before uploading the form."""
    blanks = texts(lang)[1]
    return "".join(words if name is None else filled.get(name, f"[{blanks[name]}]") for words, name in split_blanks(text))


def _intro(lang: str, filled: dict[str, str]) -> str:
    w = texts(lang)[0]
    lines = [w["title"], "", w["greeting"], *w["intro"], "", w["anonymity_title"], *(f"• {a}" for a in w["anonymity"]),
             "", _plain(w["organised_by"], lang, filled), "", w["tablet_how_to"]]
    return "\n".join(lines)


def relevant(item: Item, has_pilot: bool) -> str:
    """When the item is asked: its follow-up condition, and not on the pilot questionnaire if it
    was absent there."""
    conditions = []
    for lead, codes in (item.asked_if or {}).items():
        conditions.append(" or ".join(f"${{{lead}}} = '{c}'" for c in codes))
    if item.absent_in_pilot and has_pilot:
        conditions.append(f"${{{PILOT}}} != '1'")
    if len(conditions) > 1:
        return " and ".join(f"({c})" for c in conditions)
    return conditions[0] if conditions else ""


def _question(item: Item, has_pilot: bool, label: dict[str, str], teams: tuple[str, ...] = ()) -> dict:
    """An item's row: a scale's list; the team from the list ``teams`` if given, else typed (with
    the hint never to type a social worker's name)."""
    kind = f"select_one {item.scale.id}" if item.coded else f"select_one {TEAM_LIST}" if teams else "text"
    row = {"type": kind, "name": item.id, **label, "relevant": relevant(item, has_pilot)}
    if item.section == "administration":
        row["required"] = "yes" if item.coded or teams else ""
        if kind == "text":
            row.update({f"hint::{name}": texts(lang)[0]["team_hint"] for lang, name in LANGUAGES.items()})
    elif item.ordinal:
        row["appearance"] = "likert"
    return row


def _run_of(item: Item) -> str:
    """The group an item belongs to on the tablet: its figure's group, else its section."""
    return item.group or item.section


def _group_rows(cb, item: Item, name: str) -> list[dict]:
    """The rows that open the group of ``item``: its section's name; a grid's stem, on one screen,
    with a note first that says to answer every line (a group's hint is shown nowhere: ODK
    Collect and Enketo show a group's label only)."""
    if not item.group:
        return [{"type": "begin_group", "name": name,
                 **_labels(**{lang: texts(lang)[0]["sections"][item.section] for lang in LANGUAGES})}]
    stem = _labels(**{lang: cb.groups[item.group].stem(lang) for lang in LANGUAGES})
    return [{"type": "begin_group", "name": name, **stem, "appearance": "field-list"},
            {"type": "note", "name": grid_note(item.group), **_labels("each_line")}]


def survey_rows(form: Form) -> list[dict]:
    """The ``survey`` sheet as rows (column -> cell): groups and questions, the introduction to the
    client after the interviewer's group (as on paper: the interviewer fills in the box, then hands
    over the form) and a closing note."""
    cb = form.codebook
    has_pilot = PILOT in cb.item_ids
    rows: list[dict] = []
    names: set[str] = set()
    current = None
    for item in cb.items:
        if _run_of(item) != current:
            if current is not None:
                rows.append({"type": "end_group"})
            current = _run_of(item)
            name = f"group_{current}" + (f"_{sum(n.startswith(f'group_{current}') for n in names) + 1}"
                                         if f"group_{current}" in names else "")
            names.add(name)
            rows.extend(_group_rows(cb, item, name))
        label = _labels(**{lang: item.label(lang) if item.group else item.wording(lang) for lang in LANGUAGES})
        rows.append(_question(item, has_pilot, label, form.teams))
    rows.append({"type": "end_group"})
    rows.append({"type": "note", "name": FORM_NOTES[1], **_labels("closing")})
    admin = next((k for k, r in enumerate(rows) if r.get("name") == "group_administration"), None)
    after = 0 if admin is None else next(k for k in range(admin, len(rows)) if rows[k]["type"] == "end_group") + 1
    rows.insert(after, {"type": "note", "name": FORM_NOTES[0], **_labels(**{lang: _intro(lang, form.filled) for lang in LANGUAGES})})
    return rows


def choice_rows(form: Form) -> list[dict]:
    """The ``choices`` sheet: one list per scale the form asks, codes as names; the list ``teams``
    of the teams given, each named by :func:`~analysis_utils.intake.export.team_choice_name` (an
    export holds that name; reading it gives the team back) and labelled by itself."""
    rows, done = [], set()
    for item in form.codebook.items:
        if item.coded and item.scale.id not in done:
            done.add(item.scale.id)
            for code in item.scale.codes:
                rows.append({"list_name": item.scale.id, "name": str(code),
                             **_labels(**{lang: item.scale.label(code, lang) for lang in LANGUAGES})})
    rows += [{"list_name": TEAM_LIST, "name": team_choice_name(team), **_labels(**dict.fromkeys(LANGUAGES, team))}
             for team in form.teams]
    return rows


def _sheet(wb, title: str, columns: list[str], rows: list[dict]) -> None:
    ws = wb.create_sheet(title)
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row.get(c, "") or None for c in columns])


def write_xlsform(out: str | Path, version: str = "v2", teams: list[str] | None = None,
                  filled: dict[str, str] | None = None) -> Path:
    """Write the XLSForm of questionnaire ``version`` to ``out`` (an .xlsx file); with ``teams``,
    the team is chosen from them (else typed); ``filled``: the blanks of the introduction given."""
    form = build_form(version, teams=teams, filled=filled)
    wb = Workbook()
    wb.remove(wb.active)
    _sheet(wb, "survey", SURVEY_COLUMNS, survey_rows(form))
    _sheet(wb, "choices", CHOICE_COLUMNS, choice_rows(form))
    settings = {"form_title": form.texts["title"], "form_id": f"hulpverleningsrelatie_{version}",
                "version": f"{version}.1", "default_language": LANGUAGES["nl"]}
    _sheet(wb, "settings", list(settings), [settings])
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def check_xlsform(path: str | Path, odk_validate: bool = False) -> list[str]:
    """Convert the XLSForm with pyxform as the platforms do; return its warnings (an error raises).
    ``odk_validate`` also runs ODK Validate, the Java checker pyxform ships (Java needed)."""
    warnings: list[str] = []
    convert(xlsform=str(path), warnings=warnings, validate=odk_validate)
    return warnings
