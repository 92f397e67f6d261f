"""Chapter 02's item tables as a reader sees them: each item's top-2 share, median and share at
the maximum, beside what the publication says of the share (fixed, or a range with the words and
lines it rests on).

Examples
--------
>>> items_caption([8, 9, 13, 14, 15])[:20]
'Figuur 8, 9, 13–15: '
"""
from __future__ import annotations

import pandas as pd

from ..codebook import GOALS_V1, Codebook
from ..fmt import interval_text, pct
from ..i18n import N_, _, current
from ..stats.descriptive import WORDED, ceiling_open
from .labels import MISREAD_CELL
from .narrative.common import and_

REVERSED_SCALE = N_(" (reversed: scale turned)")
# What the publication says of an item's top-2 share, by its provenance: fixed, or a range.
FIXED_WORDS = {"count": N_("gives the number, or the counts it follows from"), "bound": N_("fixes it by a statement about everybody")}
RANGE_WORDS = {"quantifier": N_("a word, as this report reads it, allows"),
               "contested": N_("said two ways; the two readings together allow"), "inferred": N_("not stated:")}
NO_BOUND = N_("named in the text, no share bounded:")
ITEMS_CAPTION = N_("Figuur {figures}: each item's top-2 share, median and share at the maximum, beside what the "
                   "publication fixes")
ITEMS_CAPTION_OWN = N_("Figuur {figures}: each item's top-2 share, median and share at the maximum")


def items_caption(figures, publication: bool = True) -> str:
    """The caption of a chapter 02 section's item table, naming its figures ("Figuur 8, 9, 13–21");
    ``publication``: the table sets a publication's figures beside the shares (reconstructed).

    >>> items_caption([8, 9, 13, 14, 15])[:20]
    'Figuur 8, 9, 13–15: '
    """
    runs: list[list[int]] = []
    for f in sorted(figures):
        if runs and f == runs[-1][-1] + 1:
            runs[-1].append(f)
        else:
            runs.append([f])
    named = ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)
    return _(ITEMS_CAPTION if publication else ITEMS_CAPTION_OWN).format(figures=named)



# ... and the same, naming the words the range rests on (chapter 02's column "the publication")
NAMED_RANGE = (N_("{words}, as this report reads it, allows {range}"),
               N_("{words}, as this report reads them, allow {range}"))
NAMED_RANGE_COUNTS = (N_("{words}, as this report reads it, together with {counts}, allows {range}"),
                      N_("{words}, as this report reads them, together with {counts}, allow {range}"))
COUNTS_AT = (N_("the count given at line {lines}"), N_("the counts given at lines {lines}"))
BOUND_AT = (N_("the statement about everybody at line {lines}"), N_("the statements about everybody at lines {lines}"))
NAMED_READINGS = N_("said two ways, {readings}; the two readings together allow {range}")
NAMED_STATEMENT = N_("{words}: no count and no quantifier, so no share bounded: {range}")
NAMED_NO_BOUND = N_("named in the sentence with {words}, which bounds no share: {range}")
WORD_AT_LINE = {"quantifier": (N_("“{word}” (line {lines})"), N_("“{word}” (lines {lines})")),
                "compared": (N_("“{word}” (line {lines}, said of other items)"), N_("“{word}” (lines {lines}, said of other items)"))}
EITHER = N_("{first} or {last}")
FAVOURABLE_SIDE = N_("{range} answering ‘{first}’ or ‘{second}’")


def _named(found, *roles: str) -> tuple[int, str]:
    """How many words of ``roles`` and "“vaker” (line 1658) and “betrekkelijk minder” (lines 1697,
    1904)": each word once, with every line it stands on (counts: "the count given at line 1690")."""
    lines: dict[tuple, list[int]] = {}
    for word, line, r in found:
        if r in roles:
            lines.setdefault((word, r), []).append(line)
    if roles[0] in ("count", "bound"):
        said = [_((COUNTS_AT if r == "count" else BOUND_AT)[len(at) > 1]).format(lines=", ".join(map(str, sorted(at))))
                for r in ("count", "bound") for at in [[line for (_w, rr), ls in lines.items() if rr == r for line in ls]] if at]
        return len(said), and_(said)
    named = [_((WORD_AT_LINE.get(r) or WORD_AT_LINE["quantifier"])[len(at) > 1]).format(
        word=w, lines=", ".join(map(str, sorted(at)))) for (w, r), at in lines.items()]
    if roles == ("reading",) and len(named) == 2:
        return 2, _(EITHER).format(first=named[0], last=named[1])
    return len(named), and_(named)


def _allows(r, turned=None) -> str:
    """What the publication says of an item's top-2 share, for the summary view: where it is a
    range, the words (and counts) that narrow it, with their lines
    (:func:`analysis_utils.stats.wording.publication_words`)."""
    if pd.isna(r["admissible_low"]):
        return ""
    if r["admissible_low"] == r["admissible_high"]:
        return _(FIXED_WORDS.get(r["provenance"], r["provenance"]))
    span = interval_text(r["admissible_low"], r["admissible_high"])
    if turned is not None:  # "vaker" beside the share NOT naming it: the answers it counts, in the scale's words
        first, second = (turned.scale.label(c, current()) for c in turned.top2_codes)
        span = _(FAVOURABLE_SIDE).format(range=span, first=first, second=second)
    found = r.get("publication_words")
    found = found if isinstance(found, tuple) else ()
    (k, words), (n_readings, readings), (n_counts, counts), (said, statement) = (
        _named(found, *roles) for roles in (("quantifier", "compared"), ("reading",), ("count", "bound"), ("statement",)))
    unbounded = r["admissible_low"] <= 0 and r["admissible_high"] >= 1
    if n_readings and r["provenance"] == "contested":
        return _(NAMED_READINGS).format(readings=readings, range=span)
    if k and unbounded:  # the text speaks of the item, but nothing it says bounds the share
        return _(NAMED_NO_BOUND).format(words=words, range=span)
    if k and r["provenance"] == "quantifier":  # Dutch plurals as English
        return _((NAMED_RANGE_COUNTS if n_counts else NAMED_RANGE)[k > 1]).format(words=words, counts=counts, range=span)
    if said and unbounded:
        return _(NAMED_STATEMENT).format(words=statement, range=span)
    word = _(NO_BOUND) if unbounded and r["provenance"] != "inferred" else _(RANGE_WORDS.get(r["provenance"], r["provenance"]))
    return f"{word} {span}"


def item_summary(summary: pd.DataFrame, codebook: Codebook, figures) -> pd.DataFrame:
    """The item summary of some figures, formatted for reading: whole percentages, the Wilson
    interval (the exact Clopper–Pearson interval is in ``item_summary.csv``, not to widen the page)."""
    rows = []
    show = (lambda x: "" if pd.isna(x) else f"{pct(x)}")
    for _i, r in summary[summary["figure"].isin(list(figures))].iterrows():
        item = codebook.item(r["item_id"])
        # a share the publication only words: the reconstruction's point is no result, so its
        # point statistics stay empty and the last column gives the range the word allows
        worded = r["provenance"] in WORDED or item.id == GOALS_V1  # the misread goals item: no share either
        point = (lambda x: "—") if worded else show
        # where the publication gives only a positive total, the split over the top two answers is
        # the reconstruction's: the share at the maximum is then a range, and the median open
        split = bool(ceiling_open(pd.DataFrame([r])).iloc[0])
        open_median = split or r.get("quartiles_fixed") is False
        rows.append({
            _("Figuur"): r["figure"],
            "item": item.label(current()) + (_(REVERSED_SCALE) if item.reversed and item.id != GOALS_V1 else ""),
            "n": r["n"],
            _("top-2 %"): point(r["top2_share"]),
            _("95 % CI (Wilson)"): "—" if item.id == GOALS_V1 else _ci_cell(r, show),
            _("median [IQR]"): "" if pd.isna(r["median"]) else "—" if worded or open_median else
            f"{r['median']:g} [{r['q1']:g}–{r['q3']:g}]",
            _("at maximum %"): "—" if worded else f"{pct(r['ceiling_low'])}–{pct(r['ceiling_high'])}" if split
            else show(r["ceiling_share"]),
            **({} if r["provenance"] == "data" else {_("the publication"): _(MISREAD_CELL) if item.id == GOALS_V1
                                                     else _allows(r, item if item.reversed else None)}),
        })
    table = pd.DataFrame(rows).set_index("item")
    table.index.name = None  # the row labels are the items: no index-name row
    table.columns.name = _("item")  # their header, in the top-left cell
    return table


NOT_A_SAMPLE = N_("none: a word, not a count")


def _ci_cell(r, show) -> str:
    """The Wilson interval of a row of the item summary, or why there is none: a share the
    publication only words has no sampling interval (its range is in the last column)."""
    if not pd.isna(r["top2_ci_low"]):
        return f"{show(r['top2_ci_low'])}–{show(r['top2_ci_high'])}"
    return _(NOT_A_SAMPLE) if r.get("provenance") in WORDED else ""
