"""The words a reader sees for the ids the statistics carry: variables, constructs, outcomes,
quantities, methods, groups and answer labels, in the current report language.

The processed data and the statistics' tables keep ids and English values (one file for every
report language); a value is looked up here as one term — a catalog term, a variable's name, a
construct's name, an answer label — and composite labels are composed from their parts, never
parsed back from a sentence.

Examples
--------
>>> from analysis_utils.i18n import language
>>> with language("nl"):
...     value("face to face"), value("interview_mode"), value("trust")
('persoonlijk', 'afnamewijze', 'vertrouwen')
>>> value("interview_mode")
'interview mode'
"""
from __future__ import annotations

import re

from ..codebook import Codebook, answer_glossary
from ..i18n import N_, _, current
from ..stats.identification import (
    ALPHA_CONSTRUCT,
    ALPHA_HELD,
    ALPHA_METHOD,
    COUNTED,
    EPSILON_SQUARED,
    EXACT,
    FEWEST,
    FRECHET,
    OVER_MARGINALS,
    RANK_BISERIAL,
    SEARCH,
)
from ..stats.limits import (
    ADMISSIBLE,
    ALPHA_RELATIONSHIP,
    ANY_THRESHOLD,
    SPEARMAN_SATISFACTION_TRUST,
)
from ..theory_map import SATISFACTION, constructs, glossary, scored_outcomes

# Variables a reader meets by name (groupings, compositions): their names in words.
VARIABLE_WORDS = {"pilot": N_("pilot questionnaire"), "interview_mode": N_("interview mode"),
                  "age_group": N_("age group"), "help_type": N_("type of help"), "q01_gender": N_("gender"),
                  "a03_team": N_("team"), "goals_author_reading": N_("goals as the author reads them"),
                  "q24_home_language": N_("home language")}
YES_NO = (N_("yes"), N_("no"))
READINGS = (N_("direction"), N_("balance"), N_("roles"))
# How a link of the theory map is used, what its quote does, and what a relation is.
LINK_WORDS = (N_("scored"), N_("indicated"), N_("relation"), N_("stated"), N_("inferred"), N_("condition"),
              N_("context"), N_("limit"))
EMOTION_GROUPS = (N_("reassuring"), N_("threshold"))
REVERSED_MARK = N_(" (reversed)")
MISREAD_CELL = N_("misread by most in 2015 (lines 2227–2231): not to be read as favourable or unfavourable")  # v1 goals
RECONSTRUCTED_LABEL = N_("{intake} (reconstructed)")
SOURCE_WORDS = {
    "reconstructed-from-publication": N_("reconstructed from the publication"),
    "survey": N_("survey answers"),
    "synthetic": N_("synthetic example (describes nobody)"),
}
# The quantities and methods of the identification table, in words (English in its CSV).
QUANTITIES = {ANY_THRESHOLD: N_("share naming at least one threshold emotion"),
              SPEARMAN_SATISFACTION_TRUST: N_("Spearman correlation satisfaction × bond of trust"),
              ALPHA_RELATIONSHIP: N_("Cronbach's alpha of the relationship items"),
              ALPHA_CONSTRUCT: N_("Cronbach's alpha"), RANK_BISERIAL: N_("rank-biserial"), EPSILON_SQUARED: N_("epsilon²")}
METHODS = {FRECHET: N_("Fréchet–Hoeffding"), SEARCH: N_("search (swaps between groups)"),
           EXACT: N_("exact: a limit reached, the sorted assignment, an integer programme or every composition counted"),
           ALPHA_METHOD: N_("Fréchet–Hoeffding (largest); balancing search (smallest)"),
           ALPHA_HELD: N_("Fréchet–Hoeffding (largest); balancing search (smallest); over every way the pilots can "
                          "hold each item's answers"),
           COUNTED: N_("every distribution the publication admits, each counted over every way its answers fall "
                       "into the groups (one item: exact)"),
           OVER_MARGINALS: N_("the range reached at the reconstruction's counts (themselves admitted); proven only "
                              "where it meets the outer bound"),
           FEWEST: N_("Fréchet–Hoeffding over every admitted count; the lowest reached by the fewest admitted answers, "
                      "given by the same respondents, an arrangement that keeps every published fact")}
EFFECT_NAMES = {"rank-biserial": RANK_BISERIAL, "epsilon²": EPSILON_SQUARED}  # the tests' effect sizes
MARGINALS = {"reconstruction": "the reconstruction's own item counts (given the reconstruction's split)",
             ADMISSIBLE: "every item count the publication admits (what the published figures allow)"}
BY = N_(" by ")
# The words of a reproduction row's observed value (stats.publication keeps them in English).
OBSERVED = (N_("largest"), N_("least of the first group"), N_("largest of the second"), N_("smallest n"),
            N_("most frequent"))
# A cell not shown because its group is small, as intake.privacy.suppress_small_cells stores it.
SUPPRESSED_WORDS = N_("not shown")  # the count beside it says why ("< 5", "> n − 5", "1–(n − 1)", "0–n")
SUPPRESSED = re.compile(r"suppressed \(< (\d+)\)")
SATISFACTION_WORDS = N_("satisfaction")  # the outcome beside the constructs (theory_map.SATISFACTION)


RECONSTRUCTED_COUNT = N_("the reconstruction's, not the thesis's")


def counts_text(counts: dict, worded=frozenset(), codebook: Codebook | None = None) -> str:
    """Item counts as a sentence or a cell shows them ("tevredenheid: 28 of 28"; the item's id
    where no ``codebook`` names it), each count of an item whose share the publication only words
    marked as the reconstruction's."""
    def name(i: str) -> str:
        return item_label(codebook, i) if codebook is not None and i in codebook.item_ids else i
    return "; ".join(f"{name(i)}: " + _("{k} of {n}").format(k=k, n=n)
                     + (f" ({_(RECONSTRUCTED_COUNT)})" if i in worded else "") for i, (k, n) in counts.items())


def value(text):
    """One table value in the current language: a variable's id (as words), a catalog term, a
    construct's name or id, an answer label of the codebook, a cell left out for privacy; anything
    else as it is."""
    if not isinstance(text, str) or not text:
        return text
    if (hidden := SUPPRESSED.fullmatch(text)):  # the one stored mark with a number in it (intake.privacy)
        return _(SUPPRESSED_WORDS).format(threshold=int(hidden[1]))
    if text in VARIABLE_WORDS:  # a variable's id: its name in words, in either language
        return _(VARIABLE_WORDS[text])
    whole = _(text)
    if whole != text:
        return whole
    return glossary(current()).get(text) or answer_glossary(current()).get(text) or text


def yes_no(flag) -> str:
    return _(YES_NO[0] if flag else YES_NO[1])


def item_label(codebook: Codebook, item_id: str) -> str:
    """An item's short label in the current language."""
    return codebook.item(item_id).label(current())


def construct_name(construct_id: str) -> str:
    """A construct's name in the current language (the theory map names each in both)."""
    c = constructs()[construct_id]
    return c["name_nl"] if current() == "nl" else c["name_en"]


def outcome_words(outcome: str, codebook: Codebook) -> str:
    """A sub-group outcome in words: overall satisfaction, or the constructs scored on the same
    items ("a = b")."""
    if outcome == SATISFACTION:
        return _(SATISFACTION_WORDS)
    outcomes = scored_outcomes(codebook)
    if outcome not in outcomes:
        return _construct_words(outcome)
    return " = ".join(_construct_words(c) for c in outcomes[outcome]["constructs"])


def _construct_words(cid: str) -> str:
    """A construct's name in the current language from its id (an id that is also a word, such as
    "confidentiality", is named as the map names it); anything else as :func:`value` gives it."""
    return construct_name(cid) if cid in constructs() else value(cid)


def source_words(source: str) -> str:
    """The intake's source in words, not as its key."""
    return _(SOURCE_WORDS[source]) if source in SOURCE_WORDS else source


def intake_label(intake_id: str, reconstructed: bool) -> str:
    """An intake's name in tables and figures, flagged when reconstructed."""
    return _(RECONSTRUCTED_LABEL).format(intake=intake_id) if reconstructed else intake_id


HIGHER = N_("{group} higher")


def higher_text(group: str) -> str:
    """The group whose answers lie higher, in words: "face to face higher"."""
    return _(HIGHER).format(group=value(group))


def group_label(kept) -> str:
    """Groups with their sizes: "face to face 18 / telephone 10", names in words."""
    return " / ".join(f"{value(lvl)} {k}" for lvl, k in kept)


def quantity_text(row, codebook: Codebook | None = None, english: bool = False) -> str:
    """An identification row's quantity in words (``english``: as the CSV keeps it, ids as they
    are): e.g. "rank-biserial: trust by interview mode"."""
    qid = row["quantity_id"]
    if english:
        if qid == ALPHA_CONSTRUCT:
            return f"Cronbach's alpha: {constructs()[row['construct_id']]['name_en']}"
        if qid in (RANK_BISERIAL, EPSILON_SQUARED):
            return f"{QUANTITIES[qid]}: {row['outcome']} by {row['grouping']}"
        return QUANTITIES[qid]
    if qid == ALPHA_CONSTRUCT:
        return f"{_(QUANTITIES[qid])}: {value(constructs()[row['construct_id']]['name_en'])}"
    if qid in (RANK_BISERIAL, EPSILON_SQUARED):
        return f"{_(QUANTITIES[qid])}: {outcome_words(row['outcome'], codebook)}{_(BY)}{value(row['grouping'])}"
    return _(QUANTITIES[qid])


def marginals_text(row) -> str:
    """Which item counts an identified range holds fixed (English, as the CSV keeps it)."""
    text = MARGINALS[row["marginals_id"]]
    n = row.get("n_complete")
    if n is not None and n == n:
        text += f"; the {int(n)} respondents who answered every item, the others' answers as reconstructed"
    return text
