"""Privacy guard: refuse an intake that holds direct identifiers, and suppress small cells.

These are clients in debt in a small town; one Turkish and one Italian respondent among 28 are
easy to recognise. An answers file may hold codes and labels, never a name, address, phone
number, e-mail address, bank account or Belgian national register or BIS number — and no social
worker is named.

What is closed by construction: a respondent id is a short code and never leaves ``data/raw``
(the processed data number the rows afresh, :func:`analysis_utils.intake.derive.clean`); a team
is one of the teams the intake declares; an answer is a code or a label. The checks below catch
identifiers typed where free text is possible (the intake's description in both languages, the
declared teams, the folder's name, the publication's texts, a stray column) and say what kind
was found; no part of a found value is printed.

Every text is first **normalised** as a reader would see it (:func:`variants`): Unicode NFKC
(full-width ``＠`` is ``@``, superscript digits are digits), zero-width and bidirectional
controls removed, every dash a hyphen, HTML entities and %-escapes decoded, letters that stand
for digits inside a number (``O475``) read as digits, and text after a bidirectional override
also read backwards. The patterns then run on each reading.

**Names** are recognised with the first names of Faker's person providers (a maintained library
whose lists come from national statistics: Belgium in Dutch and French, the Netherlands,
France, Germany, and the countries most of Genk's residents of foreign origin come from): a
first name followed by a capitalised word (``Els Janssens``, ``Jan van Damme``) is a name. A
phrase that is not a person's name (``Maria Middelares``, a hospital) can be confirmed in
``intake.yaml`` under ``not_a_name``; the report then says so.

Examples
--------
>>> identifier_kind("0475 12 34 56"), identifier_kind("gsm O475–12–34–56")
('phone number', 'phone number')
>>> identifier_kind("els.janssens＠ocmw-genk"), identifier_kind("BE68539007547034")
('e-mail address', 'bank account number')
>>> identifier_kind("zeker wel") is None, identifier_kind("2014-2015") is None
(True, True)
>>> name_in("Bevraging van Els Janssens"), name_in("OCMW Genk, Team Noord")
(True, False)
>>> header_kind("Naam cliënt")
'name'
"""
from __future__ import annotations

import html
import importlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote

import pandas as pd

from ..i18n import N_, _

# Header words that say a column holds an identifier (Dutch and English), by kind.
HEADER_WORDS = {
    "name": ("naam", "name", "voornaam", "achternaam", "familienaam"),
    "address": ("adres", "address", "straat", "woonplaats", "postcode", "street"),
    "phone number": ("telefoon", "tel.", "telnr", "gsm", "phone", "mobiel", "mobile"),
    "e-mail address": ("e-mail", "email", "mail"),
    "national register number": ("rijksregister", "rrn", "insz", "national register", "register number"),
    "bank account number": ("iban", "rekeningnummer", "bankrekening", "account number"),
    "social worker's name": ("assistent", "hulpverlener", "medewerker", "social worker", "caseworker"),
}

# What each kind is called in a message ("this looks like a phone number").
KIND_WORDS = {"name": N_("a name"), "address": N_("an address"), "phone number": N_("a phone number"),
              "e-mail address": N_("an e-mail address"), "national register number": N_("a national register number"),
              "bank account number": N_("a bank account number"), "social worker's name": N_("a social worker's name")}


def kind_words(kind: str) -> str:
    """A kind of identifier as a message names it, in the current language: "a phone number"."""
    return _(KIND_WORDS[kind]) if kind in KIND_WORDS else kind


# --- normalisation --------------------------------------------------------------------------------
_INVISIBLE = dict.fromkeys([*range(0x200B, 0x2010), *range(0x2060, 0x2065), 0xFEFF, 0x00AD, 0x061C,
                            *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d\u2043]")
# A letter that stands for a digit where it touches a digit or a number's separator: O475, 0475 l2 34.
_LOOKALIKE = re.compile(r"(?<=[\d\s./()-])[OoIl|](?=[\d\s./()-])|(?<![A-Za-z])[Oo](?=\d{2})|(?<=\d)[Oo](?![A-Za-z])")
_LOOKS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def normalise(text: str) -> str:
    """``text`` as a reader sees it: NFKC, without invisible and bidirectional controls, dashes
    as hyphens, white space collapsed."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_INVISIBLE)
    return " ".join(_DASHES.sub("-", text).split())


def variants(text: str) -> list[str]:
    """Every reading of ``text`` the patterns run on (see the module's description)."""
    plain = normalise(text)
    decoded = normalise(html.unescape(unquote(plain)))
    digits = _LOOKALIKE.sub(lambda m: m.group().translate(_LOOKS), decoded)
    out = [plain, decoded, digits]
    if _BIDI.search(str(text)):  # an override shows the characters after it in reverse order
        out += [normalise(part)[::-1] for part in _BIDI.split(str(text)) if part.strip()]
    return list(dict.fromkeys(out))


# --- identifiers other than names -------------------------------------------------------------------
# Every pattern runs in time linear in the text's length: quantifiers are bounded, and a text is
# at most a few hundred characters (longer ones are refused before they are scanned).
# National register number (YYMMDD + 3 + 2 check digits) and BIS number (the same with the
# month raised by 20 or 40): month digits 0-5.
_NRN = re.compile(r"(?<!\d)\d{2}[.\s/]?[0-5]\d[.\s/]?[0-3]\d[\s./-]?\d{3}[.\s/-]?\d{2}(?!\d)")
# An @ between a name and a host, with or without spaces or a domain ending.
_EMAIL = re.compile(r"[\w.+-]{1,64}\s{0,3}@\s{0,3}[\w-]{1,63}")
# "naam at provider dot be" (a domain ending needed: "at" is a word), "naam(at)provider",
# "naam [at] provider [dot] be", "naam (a) provider"
_DOT = r"\s{0,3}(?:\(dot\)|\[dot\]|\{dot\}|\sdot\s|\spunt\s|\.)\s{0,3}[a-z]{2,6}\b"
_EMAIL_SPELLED = re.compile(rf"\b[\w.+-]{{1,64}}(?:\s(?:at|apenstaartje)\s)[\w-]{{1,63}}{_DOT}", re.IGNORECASE)
_EMAIL_BRACKETED = re.compile(r"[\w.+-]{1,64}\s{0,3}(?:\((?:at|a)\)|\[(?:at|a)\]|\{at\})\s{0,3}[\w-]{1,63}",
                              re.IGNORECASE)
# A run of digits and a number's separators, judged by its digits (see _is_phone).
_NUMBER_RUN = re.compile(r"(?<![\d+])(?:\+|00)?\d[\d\s./()-]{6,24}\d(?!\d)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")
_STREET = (r"straat|str\.|str|laan|ln\.|weg|plein|pl\.|steenweg|stwg\.?|lei|dreef|baan|kaai|markt|singel|"
           r"dijk|wal|hof|park|heide|berg|veld|wijk|ring|street|st\.|road|rd\.|avenue|ave\.|rue|chaussée|place|boulevard")
_ADDRESS = re.compile(rf"\b[\w'-]{{0,40}}(?:{_STREET})\.?\s{{0,3}}(?:(?:nr|nummer|no|n°|num)\.?\s{{0,3}})?\d{{1,4}}\b",
                      re.IGNORECASE)
_POSTCODE_TOWN = re.compile(r"(?<!\d)[1-9]\d{3}\s{1,3}[A-Z][a-zà-ÿ]{1,30}")
_PERSON = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ'-]{1,30}(?:\s{1,3}(?:van|de|der|den|van der|van den|Van|De|Vanden))?"
                     r"\s{1,3}[A-ZÀ-Ý][a-zà-ÿ'-]{1,30}")


def _is_phone(run: str) -> bool:
    """A run of digits reads as a phone number: Belgian (0 and 8 or 9 digits; +32 or 0032 and 8
    or 9, a "(0)" after the country code allowed) or international (+ or 00 and 8 to 13 digits)."""
    digits = re.sub(r"\D", "", run)
    if run.startswith(("+", "00")):
        digits = digits[2:] if run.startswith("00") else digits
        if digits.startswith("32"):
            rest = digits[2:]
            rest = rest[1:] if rest.startswith("0") else rest
            return 8 <= len(rest) <= 9
        return 8 <= len(digits) <= 13
    return digits.startswith("0") and 9 <= len(digits) <= 10


def _kind_in(v: str) -> str | None:
    if _EMAIL.search(v) or _EMAIL_SPELLED.search(v) or _EMAIL_BRACKETED.search(v):
        return "e-mail address"
    if _NRN.search(v):
        return "national register number"
    if _IBAN.search(v.upper()) and re.search(r"\d{8}", re.sub(r"\s", "", v)):
        return "bank account number"
    if any(_is_phone(m.group()) for m in _NUMBER_RUN.finditer(v)):
        return "phone number"
    if _ADDRESS.search(v) or _POSTCODE_TOWN.search(v):
        return "address"
    return None


def header_kind(header: str) -> str | None:
    """The kind of identifier a column header announces, if any."""
    h = normalise(header).lower()
    for kind, words in HEADER_WORDS.items():
        if any(w in h for w in words):
            return kind
    return None


def identifier_kind(value: str, names: bool = True) -> str | None:
    """The kind of direct identifier a cell holds, if any, in any reading of it (:func:`variants`).
    ``names`` also takes a cell that is two capitalised words for a name (an answer cell);
    in longer texts names are found by :func:`name_in`."""
    if not str(value).strip():
        return None
    for v in variants(value):
        if kind := _kind_in(v):
            return kind
    if names and _PERSON.fullmatch(normalise(value)):
        return "name"
    return None


# --- names ------------------------------------------------------------------------------------------
# Faker's person providers whose first names are checked: Belgium (Dutch, French), the
# neighbours, and the countries of origin most represented in Genk.
NAME_LOCALES = ("nl_BE", "fr_BE", "nl_NL", "fr_FR", "de_DE", "en_US", "it_IT", "tr_TR", "es_ES", "pt_PT",
                "pl_PL", "ro_RO", "ar_AA")
# Words that may stand between a first name and a surname.
_PARTICLES = frozenset({"van", "de", "der", "den", "het", "ten", "ter", "vanden", "vander", "le", "la", "du", "des",
                        "da", "di", "del", "della", "dos", "el", "al", "ben", "bin", "ibn", "von", "zu", "'t"})
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """The first names of :data:`NAME_LOCALES`, case-folded (names of two letters or fewer left
    out: they are words too often)."""
    names: set[str] = set()
    for locale in NAME_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            found = getattr(provider, attr, None) or ()
            names.update(n.casefold() for n in found if len(n) > 2)
    return frozenset(names)


def name_in(text: str, confirmed: tuple[str, ...] | list[str] = ()) -> bool:
    """Whether ``text`` holds a person's name: a capitalised first name followed, after any
    particles (van, de, el …), by a capitalised word. Phrases in ``confirmed`` (the intake's
    ``not_a_name``) are left out first."""
    plain = normalise(text)
    for phrase in confirmed:
        plain = plain.replace(normalise(phrase), " ")
    words = _WORD.findall(plain)
    names = first_names()
    for i, word in enumerate(words):
        if not word[0].isupper() or word.casefold() not in names:
            continue
        rest = words[i + 1:i + 5]
        while rest and rest[0].casefold() in _PARTICLES:
            rest = rest[1:]
        if rest and rest[0][0].isupper():
            return True
    return False


def is_first_name(text: str) -> bool:
    """Whether ``text`` is a first name on its own (a team called "Els" is a person)."""
    return normalise(text).casefold() in first_names()


CONFIRMED_KEY = "not_a_name"  # intake.yaml: phrases the person confirms are no person's name (e.g. a hospital's)


def text_problem(text: str, confirmed: tuple[str, ...] = ()) -> str | None:
    """What makes ``text`` unfit to be printed (a direct identifier or a person's name), if anything."""
    if kind := identifier_kind(text, names=False):
        return _("this text holds what looks like {kind}").format(kind=kind_words(kind))
    if name_in(text, confirmed):
        return _("this text holds what looks like a person's name (a first name followed by a capitalised word); "
                 "remove it, or, if it is no person's name, list the phrase under {key} in intake.yaml").format(
            key=CONFIRMED_KEY)
    return None


def suppress_small_cells(table: pd.DataFrame, count_columns: list[str], threshold: int = 5,  # long: the table's parts
                         dependent_columns: list[str] | None = None, total_column: str | None = None) -> pd.DataFrame:
    """Replace counts below ``threshold`` (but above zero) by "< threshold", and the columns
    computed from them (``dependent_columns``, e.g. percentages) in the same rows by
    "suppressed (< threshold)": a suppressed cell says so, it is never blank. With
    ``total_column`` (the number each count is of), a count whose remainder is that small is
    suppressed too ("9 of 10" tells as much of the one as "1 of 10" would), as "> total −
    threshold"; where the total is below twice the threshold those two would tell each other
    apart (of 6, "> 1" could only be 5), so every suppressed count of the row reads
    "1–(total − 1)", and below the threshold every count reads "< threshold", 0 and all included.

    >>> t = pd.DataFrame({"n": [11, 11, 6, 6, 4], "k": [3, 7, 5, 2, 0]})
    >>> suppress_small_cells(t, ["n", "k"], total_column="n")["k"].tolist()
    ['< 5', '> 6', '1–5', '1–5', '< 5']
    """
    out = table.copy().astype({c: object for c in count_columns + (dependent_columns or [])})
    for col in count_columns:
        value, hidden = table[col], table[col].notna() & (table[col] > 0) & (table[col] < threshold)
        out.loc[hidden, col] = f"< {threshold}"
        if total_column is not None and col != total_column:
            total = table[total_column]
            rest = value.notna() & (total - value > 0) & (total - value < threshold) & ~hidden
            out.loc[rest, col] = [f"> {n - threshold}" for n in total[rest]]
            hidden |= rest
            mixed = hidden & (total < 2 * threshold) & (total >= threshold)  # the two labels would tell each other apart
            out.loc[mixed, col] = [f"1–{n - 1}" for n in total[mixed]]
            tiny = value.notna() & (total < threshold)  # a group this small: no count of it is shown
            out.loc[tiny, col] = f"< {threshold}"
            hidden |= tiny
        for dep in dependent_columns or []:
            out.loc[hidden, dep] = f"suppressed (< {threshold})"
    return out


def _range(label, n) -> tuple[int, int]:
    """What a reader knows of a count from its cell: the count itself, or the range its label gives."""
    if isinstance(n, str):  # n itself hidden ("< 5"): so is every count of it, 0 included
        return 0, int(n[2:]) - 1
    if not isinstance(label, str):
        return int(label), int(label)
    if label.startswith("< "):
        return 1, int(label[2:]) - 1
    if label.startswith("> "):
        return int(label[2:]) + 1, int(n) - 1
    low, high = label.split("–")
    return int(low), int(high)


def _narrowed(out: pd.DataFrame, hidden: list, rest: int, left: int) -> bool:
    """Whether the hidden counts' sum (``rest``, plus up to ``left`` answers of no shown group)
    narrows a small one (not one hidden only to protect it, "0–n") below its label's range."""
    ranges = {i: _range(out.at[i, "top2_count"], out.at[i, "n"]) for i in hidden}
    for i, (low, high) in ranges.items():
        if str(out.at[i, "top2_count"]).startswith("0–"):
            continue
        others_low = sum(r[0] for j, r in ranges.items() if j != i)
        others_high = sum(r[1] for j, r in ranges.items() if j != i)
        if max(low, rest - others_high - left) > low or min(high, rest - others_low) < high:
            return True
    return False


def protect_totals(table: pd.DataFrame, counts: pd.Series, totals: dict, threshold: int = 5) -> pd.DataFrame:
    """Secondary suppression of a table by group (:func:`suppress_small_cells` applied; columns
    ``item_id``, ``n``, ``top2_count``, ``top-2 %``; ``counts``: the true top-2 counts, by row).
    Each item's top-2 count over the whole round is published elsewhere, so the hidden counts of
    an item sum to it minus the shown ones, less what the item's answers in no shown group gave
    (``totals``: item -> (the round's count, those answers)). Where that narrows a hidden count
    :math:`h` below the range :math:`[l_h, u_h]` its label gives,

    .. math:: [\\max(l_h, S - \\textstyle\\sum_{j \\ne h} u_j - L),\\; \\min(u_h, S - \\sum_{j \\ne h} l_j)] \\ne [l_h, u_h],

    the smallest shown group's count of the item is hidden too, as "0–n", until none is
    (complementary suppression; Hundepool et al., 2012, ch. 4).

    >>> t = pd.DataFrame({"item_id": ["a"] * 3, "n": [20, 10, 6], "top2_count": [15, 5, "1–5"],
    ...                   "top-2 %": [75, 50, "suppressed (< 5)"]})
    >>> protect_totals(t, pd.Series([15, 5, 1]), {"a": (21, 0)})["top2_count"].tolist()  # else 21 − 15 − 5 = 1
    [15, '0–10', '1–5']
    """
    out = table.copy()
    for item, index in table.groupby("item_id", sort=False).groups.items():
        total, left = totals[item]
        while True:
            hidden = [i for i in index if isinstance(out.at[i, "top2_count"], str)]
            shown = [i for i in index if i not in hidden]
            rest = total - sum(int(counts[i]) for i in shown)
            if not hidden or not shown or not _narrowed(out, hidden, rest, left):
                break
            smallest = min(shown, key=lambda i: (int(out.at[i, "n"]), i))
            out.at[smallest, "top2_count"] = f"0–{int(out.at[smallest, 'n'])}"
            out.at[smallest, "top-2 %"] = f"suppressed (< {threshold})"
    return out


def hidden_groups(groups: pd.Series, threshold: int = 5) -> set:
    """The groups a table by group leaves out (``groups``: one value per respondent, missing for
    none): those of fewer than ``threshold`` respondents, and then, while the respondents left out
    (those of no group included) number 1 to ``threshold`` - 1, the smallest group shown too, since
    the round's totals, published elsewhere, would give the left-out ones by subtraction
    (secondary suppression; Hundepool et al., 2012).

    >>> sorted(hidden_groups(pd.Series(["A"] * 64 + ["B"] * 53 + ["C"] * 3)))
    ['B', 'C']
    >>> sorted(hidden_groups(pd.Series(["A"] * 64 + ["B"] * 53 + ["C"] * 3 + [None] * 2)))
    ['C']
    """
    sizes = groups.value_counts()
    hidden = set(sizes.index[sizes < threshold])
    out = len(groups) - int(sizes[sizes >= threshold].sum())
    for group, k in sizes[sizes >= threshold].sort_values(kind="stable").items():
        if not 0 < out < threshold:
            break
        hidden.add(group)
        out += int(k)
    return hidden
