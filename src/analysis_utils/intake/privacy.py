"""Privacy guard: refuse an intake that holds direct identifiers, and suppress small cells.

These are clients in debt in a small town; one Turkish and one Italian respondent among 28 are
easy to recognise. An answers file may hold codes and labels, never a name, address, phone
number, e-mail address or Belgian national register or BIS number — and no social worker is named.

What is closed by construction (in :mod:`analysis_utils.intake.answers`): a respondent id is a short
code with a digit, a team is one of the teams the intake declares, an answer is a code or a
label. The patterns below catch identifiers typed where free text is possible (the intake's
description, a stray column) and say what kind was found; no part of a found value is printed.

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

# Every pattern runs in time linear in the cell's length: quantifiers are bounded, and a cell
# is at most a few hundred characters (longer cells are refused before they are scanned).
# National register number (YYMMDD + 3 + 2 check digits) and BIS number (the same with the
# month raised by 20 or 40): month digits 0-5.
_NRN = re.compile(r"(?<!\d)\d{2}[.\s]?[0-5]\d[.\s]?[0-3]\d[\s.-]?\d{3}[.\s]?\d{2}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}")
# "naam at provider dot be", "naam(at)provider.be", "naam [at] provider [dot] be"
_EMAIL_SPELLED = re.compile(
    r"\b[\w.+-]{1,64}\s{0,3}(?:\(at\)|\[at\]|\{at\}|\sat\s|\sapenstaartje\s)\s{0,3}[\w-]{1,63}"
    r"\s{0,3}(?:\(dot\)|\[dot\]|\{dot\}|\sdot\s|\spunt\s|\.)\s{0,3}[a-z]{2,6}\b", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w])(?:\+32|0032|0)[\s./-]?\d{1,3}(?:[\s./-]?\d{2,3}){2,3}(?![\w])")
_ADDRESS = re.compile(
    r"\b[\w'-]{0,40}(?:straat|str\.|str|laan|ln\.|weg|plein|pl\.|steenweg|stwg\.?|lei|dreef|baan|kaai|"
    r"street|st\.|road|rd\.|avenue|ave\.)\s{0,3}\d{1,4}", re.IGNORECASE)
_POSTCODE_TOWN = re.compile(r"(?<!\d)[1-9]\d{3}\s{1,3}[A-Z][a-zà-ÿ]{1,30}")
_PERSON = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ'-]{1,30}(?:\s{1,3}(?:van|de|der|den|van der|van den|Van|De|Vanden))?"
                     r"\s{1,3}[A-ZÀ-Ý][a-zà-ÿ'-]{1,30}")


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
    if _EMAIL.search(v) or _EMAIL_SPELLED.search(v):
        return "e-mail address"
    if _NRN.search(v):
        return "national register number"
    if _PHONE.search(v):
        return "phone number"
    if _ADDRESS.search(v) or _POSTCODE_TOWN.search(v):
        return "address"
    if names and _PERSON.fullmatch(v):
        return "name"
    return None


def suppress_small_cells(table: pd.DataFrame, count_columns: list[str], threshold: int = 5,
                         dependent_columns: list[str] | None = None) -> pd.DataFrame:
    """Replace counts below ``threshold`` (but above zero) by "< threshold", and the columns
    computed from them (``dependent_columns``, e.g. percentages) in the same rows by
    "suppressed (< threshold)": a suppressed cell says so, it is never blank."""
    out = table.copy().astype({c: object for c in count_columns + (dependent_columns or [])})
    for col in count_columns:
        small = table[col].notna() & (table[col] > 0) & (table[col] < threshold)
        out.loc[small, col] = f"< {threshold}"
        for dep in dependent_columns or []:
            out.loc[small, dep] = f"suppressed (< {threshold})"
    return out
