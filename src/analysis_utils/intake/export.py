"""An export of the tablet form (KoboToolbox, ODK Central) read as an intake.

The form (``python -m analysis_utils questionnaire``, its XLSForm) is filled in with ODK Collect,
KoboCollect or Enketo; the platform's export, CSV or XLSX, goes into an intake folder beside an
``intake.yaml`` that names the platform (``export: kobotoolbox`` or ``export: odk-central``; an
answers file whose header holds the platform's own columns is recognised without it). Reading it:

- the platform's **metadata columns are dropped** before any cell is looked at — submission times,
  device ids, user and submitter names, instance ids: what could identify a device or a person —
  and the intake says which were dropped (:class:`Export`, shown in chapter 01);
- a question's column is found by its name with or without the group path the platforms put in
  front of it (``group_relationship/q08_satisfaction`` in KoboToolbox, ``group_relationship-q08_
  satisfaction`` in ODK Central), or by its label when KoboToolbox exported labels as headers;
- answers may be the choice names (the codes) or their labels, as in any intake; the team's
  choice name (``Team_Noord``, :func:`team_choice_name`) is read back as the team (``Team Noord``);
- ``respondent_id`` is made from the row: R001, R002, … in the file's order.

The platforms' formats: KoboToolbox https://support.kobotoolbox.org/export_download.html and
https://support.kobotoolbox.org/advanced_export.html (CSV separated by ``;``, group separator
``/``, the columns ``_id`` … ``_index`` of kobotoolbox/kpi ``kpi/tests/test_mock_data_exports.py``);
ODK Central https://docs.getodk.org/central-submissions/#central-submissions-export-options
(group paths joined by ``-``, "remove group names" drops them; the columns ``SubmissionDate`` …
``FormVersion`` of getodk/central-backend ``lib/data/briefcase.js``).

Examples
--------
>>> import pandas as pd
>>> from analysis_utils.codebook import load_codebook
>>> cells = pd.DataFrame({"SubmissionDate": ["2027-03-01T10:00:00Z"], "group_x-q01_gender": ["2"],
...                       "SubmitterName": ["a person"], "KEY": ["uuid:1"]}, index=[2])
>>> answers, export = from_export(cells, "odk-central", load_codebook("v2"), "export.csv")
>>> answers.to_dict("records"), export.dropped
([{'respondent_id': 'R001', 'q01_gender': '2'}], ('SubmissionDate', 'SubmitterName', 'KEY'))
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..codebook import Codebook
from .columns import ID_COLUMN

EXPORT_KEY = "export"  # intake.yaml: the platform the answers file was exported from
KOBO, ODK_CENTRAL = "kobotoolbox", "odk-central"
FORMATS = (KOBO, ODK_CENTRAL)
FORM_NOTES = ("intro", "slot")  # the XLSForm's notes: they hold no answer, dropped where exported
# ... and the note that opens each grid's screen ("Zet op elke regel één kruisje."): this prefix and
# the grid's group id (each_line_fig10_emotions), a name no item id has (item ids start with q or a
# and a number; pyxform refuses a form that uses a name twice).
GRID_NOTE = "each_line_"
ANSWER_FILES = (".csv", ".xlsx")
# A team's choice name in the XLSForm: the team's name, a space as "_" (as "_x0020_" before an "x")
# and any other character but an ASCII letter or digit, "-" or "." (and a first character that is
# no letter) as "_x<hex>_", the escape of XML names; reversible, so that an export's value is read
# back as the team's name.
TEAM_CHOICE_ESCAPE = re.compile(r"_x([0-9a-f]{4,6})_|_")

# What a form may collect about the interview itself (XLSForm metadata types, as both platforms
# export them); the questionnaire's own form collects none, a team's changed form might.
DEVICE_METADATA = ("start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid",
                   "email", "audit", "start-geopoint", "background-audio")
METADATA = {
    # KoboToolbox: every column it adds starts with "_" (the documented ones are listed for the reader)
    KOBO: ("_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
           "__version__", "_tags", "_index", "_xform_id_string", "_attachments", "_geolocation",
           "formhub/uuid", "meta/instanceID", "meta/rootUuid", "meta/deprecatedID", "meta/instanceName",
           *DEVICE_METADATA),
    ODK_CENTRAL: ("SubmissionDate", "meta-instanceID", "instanceID", "KEY", "SubmitterID", "SubmitterName",
                  "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
                  "FormVersion", "isValidated", "meta-instanceName", "instanceName", "meta-deprecatedID",
                  "deprecatedID", *DEVICE_METADATA),
}
# The columns that tell a platform's export apart from a filled template.
SIGNATURE = {KOBO: ({"_uuid", "_submission_time"}, {"_id", "_index"}), ODK_CENTRAL: ({"SubmissionDate", "KEY"},)}


@dataclass(frozen=True)
class Export:
    """Where an intake's answers came from: the platform, its file and the columns dropped."""

    format: str
    file: str
    dropped: tuple[str, ...]


def detect(header: list[str]) -> str | None:
    """The platform whose export has this header, if any (by its own metadata columns)."""
    names = set(header)
    for fmt, signatures in SIGNATURE.items():
        if any(signature <= names for signature in signatures):
            return fmt
    return None


def is_metadata(column: str, fmt: str) -> bool:
    """A platform's column about the submission, its device or its submitter, not an answer."""
    name = column.strip()
    if name in METADATA[fmt] or name.casefold() in {m.casefold() for m in DEVICE_METADATA}:
        return True
    if fmt == KOBO and name.startswith("_"):
        return True
    return bool(re.match(r"(meta|formhub)[/\-.]", name, flags=re.IGNORECASE))


def team_choice_name(team: str) -> str:
    """The choice name of a team in the XLSForm's list ``teams``: safe for XLSForm and every
    platform, and read back as the team by :func:`team_from_choice`.

    >>> [team_choice_name(t) for t in ("Noord", "Team Noord", "Team 't Hofke", "3de_lijn", "Sint-Jan")]
    ['Noord', 'Team_Noord', 'Team__x0027_t_Hofke', '_x0033_de_x005f_lijn', 'Sint-Jan']
    """
    out = []
    for k, char in enumerate(team):
        if char == " ":
            out.append("_x0020_" if team[k + 1:k + 2] == "x" else "_")
        elif char.isascii() and (char.isalpha() or (k and (char.isdigit() or char in "-."))):
            out.append(char)
        else:
            out.append(f"_x{ord(char):04x}_")
    return "".join(out)


def team_from_choice(value: str) -> str:
    """The team whose choice name ``value`` is (a name typed or exported as its label stays as it is).

    >>> team_from_choice("Team__x0027_t_Hofke"), team_from_choice("Team Noord")
    ("Team 't Hofke", 'Team Noord')
    """
    return TEAM_CHOICE_ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else " ", value)


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def header_names(codebook: Codebook) -> dict[str, str]:
    """Every header an export may give an item: its id, its wording and the label a grid row shows,
    in Dutch and English (normalised; a text two items share is left out)."""
    seen: dict[str, set[str]] = {}
    for item in codebook.items:
        texts = {item.id, item.wording_nl, item.wording_en}
        if item.group:
            texts |= {item.label_nl, item.label_en}
        for text in texts:
            seen.setdefault(_normal(text), set()).add(item.id)
    return {text: ids.pop() for text, ids in seen.items() if len(ids) == 1}


def item_for_header(header: str, names: dict[str, str], ids: list[str]) -> str | None:
    """The item a column of an export holds: its name or label, with or without the group path."""
    text = header.strip()
    for item_id in ids:
        if re.search(rf"(?:^|[^A-Za-z0-9_]){re.escape(item_id)}$", text, flags=re.IGNORECASE):
            return item_id
    return names.get(_normal(text)) or names.get(_normal(text.rsplit("/", 1)[-1]))


def grid_note(group: str) -> str:
    """The name of the note that opens the screen of the grid ``group`` in the XLSForm."""
    return GRID_NOTE + group


def _is_note(column: str) -> bool:
    name = re.sub(r"^.*[/\-]", "", column.strip())
    return name in FORM_NOTES or name.startswith(GRID_NOTE)


def _tag_rows(cells: pd.DataFrame) -> pd.DataFrame:
    """KoboToolbox writes HXL hashtags (``#symmetry``) in a row below the header where a form has
    them: such a row holds no respondent."""
    if len(cells) and all(v == "" or v.startswith("#") for v in cells.iloc[0]) and (cells.iloc[0] != "").any():
        return cells.iloc[1:]
    return cells


def metadata_columns(header: list[str], declared: str | None) -> tuple[str | None, list[int]]:
    """The platform of an answers file (``declared`` in intake.yaml, else recognised from its
    header) and the positions of its metadata columns and form notes, left unread."""
    fmt = declared or detect(header)
    if fmt is None:
        return None, []
    return fmt, [j for j, h in enumerate(header) if is_metadata(h, fmt) or _is_note(h)]


def from_export(cells: pd.DataFrame, fmt: str, codebook: Codebook, file: str,  # long: what was dropped unread
                unread: tuple[str, ...] = ()) -> tuple[pd.DataFrame, Export]:
    """The text cells of an export (header as columns, spreadsheet rows as index, as
    :func:`~analysis_utils.intake.columns.read_table` gives them) as the cells of an intake: the
    metadata columns and the form's notes dropped (``unread``: those the reader left unread), the
    questions' columns named by item id, a ``respondent_id`` made from the row. Columns that are
    neither stay, for validation to refuse."""
    dropped = [*unread, *(c for c in cells.columns if is_metadata(c, fmt) or _is_note(c))]
    kept = _tag_rows(cells.drop(columns=[c for c in dropped if c in cells.columns]))
    names, ids = header_names(codebook), codebook.item_ids
    rename = {c: item_for_header(c, names, ids) or c for c in kept.columns}
    kept = kept.rename(columns=rename)
    for item in (i for i in codebook.items if not i.coded and i.id in kept.columns):  # the team: its choice name
        kept[item.id] = kept[item.id].map(team_from_choice)
    if ID_COLUMN not in kept.columns:
        kept.insert(0, ID_COLUMN, [f"R{i:03d}" for i in range(1, len(kept) + 1)])
    kept.attrs["letters"] = {rename[c]: letter for c, letter in cells.attrs.get("letters", {}).items() if c in rename}
    return kept, Export(fmt, file, tuple(dropped))
