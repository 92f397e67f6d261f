"""Privacy guard: refuse an intake that holds direct identifiers, and suppress small cells.

These are clients in debt in a small town; one Turkish and one Italian respondent among 28 are
easy to recognise. An answers file may hold codes and labels, never a name, address, phone
number, e-mail address or Belgian national register number — and no social worker is named.

Examples
--------
>>> identifier_kind("0475 12 34 56")
'phone number'
>>> identifier_kind("zeker wel") is None
True
>>> header_kind("Naam cliënt")
'name'
"""
from __future__ import annotations

import re

import pandas as pd

# Header words that say a column holds an identifier (Dutch and English), by kind.
HEADER_WORDS = {
    "name": ("naam", "name", "voornaam", "achternaam", "familienaam"),
    "address": ("adres", "address", "straat", "woonplaats", "postcode", "street"),
    "phone number": ("telefoon", "tel.", "telnr", "gsm", "phone", "mobiel", "mobile"),
    "e-mail address": ("e-mail", "email", "mail"),
    "national register number": ("rijksregister", "rrn", "insz", "national register", "register number"),
    "social worker's name": ("assistent", "hulpverlener", "medewerker", "social worker", "caseworker"),
}

_NRN = re.compile(r"(?<!\d)\d{2}[.\s]?[01]\d[.\s]?[0-3]\d[\s.-]?\d{3}[.\s]?\d{2}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w])(\+32|0032|0)[\s./-]?\d{1,3}([\s./-]?\d{2,3}){2,3}(?![\w])")
_ADDRESS = re.compile(
    r"\b[\w'-]*(straat|laan|weg|plein|steenweg|lei|dreef|baan|kaai|street|road|avenue)\s*\d+", re.IGNORECASE)
_POSTCODE_TOWN = re.compile(r"(?<!\d)[1-9]\d{3}\s+[A-Z][a-zà-ÿ]+")
_PERSON = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ'-]+(\s+(van|de|der|den|van der|van den|Van|De|Vanden))?\s+[A-ZÀ-Ý][a-zà-ÿ'-]+$")


def header_kind(header: str) -> str | None:
    """The kind of identifier a column header announces, if any."""
    h = str(header).strip().lower()
    for kind, words in HEADER_WORDS.items():
        if any(w in h for w in words):
            return kind
    return None


def identifier_kind(value: str, names: bool = True) -> str | None:
    """The kind of direct identifier a cell holds, if any. ``names`` also looks for a person's
    name (two capitalised words), which is not done in free-text fields such as the team."""
    v = str(value).strip()
    if not v:
        return None
    if _EMAIL.search(v):
        return "e-mail address"
    if _NRN.search(v):
        return "national register number"
    if _PHONE.search(v):
        return "phone number"
    if _ADDRESS.search(v) or _POSTCODE_TOWN.search(v):
        return "address"
    if names and _PERSON.match(v):
        return "name"
    return None


def mask(value: str) -> str:
    """Show enough of an identifier to find it in the file, not enough to read it."""
    v = str(value).strip()
    return f"{v[:2]}…{v[-2:]}" if len(v) > 4 else "…"


def small_cell_note(threshold: int) -> str:
    return (f"Cells with fewer than {threshold} respondents are suppressed (shown as “<{threshold}”) "
            "so that nobody can be recognised.")


def suppress_small_cells(table: pd.DataFrame, count_columns: list[str], threshold: int = 5,
                         dependent_columns: list[str] | None = None) -> pd.DataFrame:
    """Replace counts below ``threshold`` (but above zero) by ``<threshold``, and blank the
    columns computed from them (``dependent_columns``, e.g. percentages) in the same rows."""
    out = table.copy().astype({c: object for c in count_columns + (dependent_columns or [])})
    for col in count_columns:
        small = table[col].notna() & (table[col] > 0) & (table[col] < threshold)
        out.loc[small, col] = f"<{threshold}"
        for dep in dependent_columns or []:
            out.loc[small, dep] = ""
    return out
