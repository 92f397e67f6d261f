"""Chapter 02's tables about the publication as a reader sees them: each fact the thesis reports
beside the data, its percentages checked against n (GRIM), its universal statements beside the
counts; each row named by its figure in the thesis, not by its id (the CSV files keep the ids).

Examples
--------
>>> figure_word(19.0)
'Figuur 19'
"""
from __future__ import annotations

import pandas as pd

from ..codebook import Codebook
from ..i18n import N_, _, current, decimal, in_language
from ..stats.publication import Answers, Compared, observed_text
from .labels import YES_NO, counts_text, value
from .tables import for_people


def reproduction(table: pd.DataFrame, facts: list[dict], reconstructed: bool = False,
                 codebook: Codebook | None = None) -> pd.DataFrame:
    """The reproduction table for reading: the Dutch report gives each fact in the thesis's own
    words (its verbatim quote) where the English one describes it in English, followed by the
    fact's Dutch reading (``reported_nl``) where the fact reads more into the words than they say;
    for a ``reconstructed`` intake the counts beside them are headed as the reconstruction's; with
    the ``codebook``, answers are named as the questionnaire names them ("41 to 50 (9)"), else by
    their codes."""
    t = table.drop(columns=["observed_parts", "figure"])
    t["observed"] = [observed_text(parts, value, lambda a: compared_text(a, codebook) if isinstance(a, Compared)
                                   else answers_text(a, codebook)) for parts in table["observed_parts"]]
    if current() == "nl":
        by_id = {f["id"]: f for f in facts}
        t["reported"] = [_dutch_reported(by_id.get(i, {"reported": r})) for i, r in zip(t["fact_id"], t["reported"])]
    t.insert(0, "in the thesis", [figure_word(f) for f in table["figure"]])
    if reconstructed:  # the counts beside the facts are the reconstruction's, not observations
        t = t.rename(columns={"observed": "value_in_reconstruction"})
    return for_people(t.drop(columns="fact_id"), "in the thesis")  # reproduction.csv keeps the fact ids


def compared_text(compared: Compared, codebook: Codebook | None = None) -> str:
    """A count beside the count it is compared with, the conditions in words: "14 (single without
    children + widowed: 14)"; as the CSV keeps it where no ``codebook`` names the answers.

    >>> from analysis_utils.codebook import load_codebook
    >>> compared_text(Compared(14, (("q03_civil_status", (1, 4)),), 14), load_codebook())
    '14 (single without children + widowed: 14)'
    """
    if codebook is None or any(isinstance(codes, str) or item not in codebook.item_ids for item, codes in compared.where):
        return str(compared)
    said = " & ".join(" + ".join(codebook.item(item).scale.label(c, current()) for c in codes)
                      for item, codes in compared.where)  # the count of either answer: their sum
    return f"{compared.count} ({said}: {compared.target})"


def answers_text(answers: Answers, codebook: Codebook | None = None) -> str:
    """Answers to an item as a reader sees them: each code's answer in the report's language, then
    how many gave it ("41 to 50 (9)"; tied answers "41 to 50 / 51 to 60 (9)"); the codes where no
    ``codebook`` names them.

    >>> from analysis_utils.codebook import load_codebook
    >>> answers_text(Answers("q02_age_band", (4,), 9), load_codebook())
    '41 to 50 (9)'
    """
    if codebook is None or answers.item not in codebook.item_ids:
        return str(answers)
    scale = codebook.scale_of(answers.item)
    return f"{' / '.join(scale.label(c, current()) for c in answers.codes)} ({answers.count})"  # a label may hold a comma


def figure_word(figure) -> str:
    """Where a fact or claim stands in the thesis, in words: its figure, else the survey itself."""
    return f"Figuur {int(figure)}" if pd.notna(figure) and str(figure).strip() else _("the survey")


def _figures_of(ids, records: list[dict] | None) -> list[str]:
    """Each id's figure in words (:func:`figure_word`), from the facts or claims that carry it."""
    figure = {r["id"]: r.get("figure") for r in records or []}
    return [figure_word(figure.get(i)) for i in ids]


def _dutch_reported(fact: dict) -> str:
    """A fact in Dutch: the quote, then its reading; either alone where the fact has only one."""
    quote, reading = fact.get("quote"), fact.get("reported_nl")
    if quote and reading:
        return f"“{quote}” — {reading}"
    return f"“{quote}”" if quote else in_language(fact, "reported")


def percent_checks(grim: pd.DataFrame, facts: list[dict] | None = None, n_max: int = 60) -> pd.DataFrame:
    """GRIM on the reported percentages: possible at n, the nearest k/n, the bases that fit; each
    row named by its figure (``facts``: the publication's facts, which carry it)."""

    t = pd.DataFrame({
        "in the thesis": _figures_of(grim["fact_id"], facts), "seed_line": grim["seed_line"], "reported": [f"{p} %" for p in grim["percent"]],
        "n": grim["n"], "possible at n": grim["possible"],
        "nearest k/n": [f"{k}/{n} = {decimal(f'{100 * k / n:.1f}')} %" for k, n in zip(grim["nearest"], grim["n"])],
        _("bases ≤ {n_max} giving all of the figure's percentages").format(n_max=n_max):
            [", ".join(map(str, b)) for b in grim["bases"]]})
    return for_people(t, "in the thesis")


def claim_checks(claims: pd.DataFrame, says: dict[str, str], worded=frozenset(),  # long: what a row needs
                 listed: list[dict] | None = None, codebook: Codebook | None = None) -> pd.DataFrame:
    """Universal statements of the text beside the counts (``says``: claim id -> what the text
    says, in the report's language; ``worded``: items whose counts are the reconstruction's;
    ``listed``: the claims as the publication lists them, which name their figure and the answers
    they count)."""
    by_id = {r["id"]: r for r in listed or []}
    t = pd.DataFrame({
        "in the thesis": _figures_of(claims["claim_id"], listed), "seed_line": claims["seed_line"],
        "the text says": [says[c] for c in claims["claim_id"]],
        "the counts say": [counts_text(counts, worded, codebook) + _counted(by_id.get(c), codebook)
                           for c, counts in zip(claims["claim_id"], claims["counts"])],
        "consistent": [_consistent(counts, ok, worded) for counts, ok in zip(claims["counts"], claims["consistent"])]})
    return for_people(t, "in the thesis")


# every count the statement is checked against is the reconstruction's: it holds by construction
UNTESTABLE = N_("cannot be told: the counts are the reconstruction's")
HOLDS_AT_OWN = N_("yes, at the reconstruction's counts")


def _consistent(counts: dict, ok: bool, worded) -> str:
    """Whether a statement about everybody fits the counts: not to be told where every count is the
    reconstruction's; a fit that rests on one of its counts says so; a published count against it: no."""
    mine = bool(counts) and set(counts) & set(worded)
    if mine and set(counts) <= set(worded):
        return _(UNTESTABLE)
    return _(HOLDS_AT_OWN) if ok and mine else _(YES_NO[0] if ok else YES_NO[1])


BUT_NEUTRAL = N_("counted: every answer but neutral")


def _counted(claim: dict | None, codebook: Codebook | None) -> str:
    """Which answers a claim's count counts, where it is not plain: every answer but the neutral one
    (Figuur 17's "dezelfde doelen": 26 of 26 is nobody neutral, not 26 who see different goals)."""
    items, codes = (claim or {}).get("items") or [], (claim or {}).get("codes")
    if codebook is None or len(items) != 1 or not codes or items[0] not in codebook.item_ids:
        return ""
    scale = codebook.item(items[0]).scale
    plain = scale.neutral is not None and set(codes) == set(scale.codes) - {scale.neutral}
    return "; " + _(BUT_NEUTRAL) if plain else ""
