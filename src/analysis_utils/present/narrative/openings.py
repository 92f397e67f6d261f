"""Each chapter opens with what it finds, in two or three sentences computed in the run, before
its method: the reader who stops after the opening knows the answer. The numbers say where they
come from as the front page's do (:mod:`.findings`): counted, given by the thesis, or only worded
by it (then its range) — never a number the reconstruction made.
"""
from __future__ import annotations

import pandas as pd

from ...codebook import GOALS_V1
from ...fmt import interval_text, pct, pct_text
from ...i18n import N_, _, ngettext
from ...stats.descriptive import WORDED
from ...stats.intervals import wilson_interval
from ..labels import item_label
from .common import and_, at_ends
from .findings import MISREAD, groups_undecided, relationship_items, share_words


def _heading() -> str:
    return "**" + _("In short.") + "** "


def cleaning(ch, coverage: pd.DataFrame) -> str:
    """Chapter 01: the intake passes validation; how complete it is; what kind of answers they are."""
    n, items = ch.n, len(coverage)
    full = int((coverage["n"] == n).sum())
    text = _("All {n} questionnaires pass validation. {full} of the {items} items (the questions, each part of a "
             "multi-part question counted apart) were answered by every respondent; the list below says where answers "
             "are missing and whether the questionnaire's design explains it.").format(n=n, full=full, items=items)
    if ch.intake.reconstructed:
        text += " " + _("The answers are reconstructed from the thesis's figures: every count the thesis gives holds, "
                        "everything else is the reconstruction's choice.")
    return _heading() + text


def descriptives(ch) -> str:
    """Chapter 02: satisfaction, the spread of the relationship items, and how many shares the
    publication fixes."""
    summary = ch.summary.set_index("item_id")
    parts = []
    if "q08_satisfaction" in summary.index:
        parts.append(_("Satisfied or very satisfied with their social worker (Figuur 8): {share}.").format(
            share=share_words(summary.loc["q08_satisfaction"])))
    related = relationship_items(summary)
    fixed = related[~related["provenance"].isin(WORDED)]
    if len(fixed):
        lows, highs = at_ends(fixed, "top2_share")  # every item of a tie
        sentence = (N_("On the {f} relationship items whose share the thesis fixes, the share in the two most positive "
                       "answers runs from {low} ({low_item}) to {high} ({high_item}).") if ch.from_publication else
                    N_("On the {f} relationship items, the share in the two most positive answers runs from {low} "
                       "({low_item}) to {high} ({high_item})."))
        parts.append(_(sentence).format(
            f=len(fixed), low=pct_text(lows["top2_share"].iloc[0]), high=pct_text(highs["top2_share"].iloc[0]),
            low_item=and_([item_label(ch.codebook, i) for i in lows.index]),
            high_item=and_([item_label(ch.codebook, i) for i in highs.index])))
    worded = related[related["provenance"].isin(WORDED)]
    if len(worded):
        ranges = [f"{item_label(ch.codebook, i)} {interval_text(r['admissible_low'], r['admissible_high'])}"
                  for i, r in worded.iterrows()]
        parts.append(_("For the other {w} the thesis gives only a word, or nothing that fixes the share: the chapter "
                       "shows the range the text allows ({ranges}).").format(w=len(worded), ranges="; ".join(ranges)))
    if GOALS_V1 in summary.index:
        parts.append(_(MISREAD))
    return _heading() + " ".join(parts)


def interpretation(ch, constructs: pd.DataFrame) -> str:
    """Chapter 03: the weakest and strongest direction constructs, and whether groups differ."""
    scored = constructs[(constructs["reading"] == "direction") & constructs["positive_share"].notna()]
    parts = []
    if len(scored):
        solid = scored[~scored.get("assumed", pd.Series(False, index=scored.index)).astype(bool)]
        use = solid if len(solid) else scored
        low, high = at_ends(use, "positive_share")
        names = {"low": pct_text(low["positive_share"].iloc[0]), "high": pct_text(high["positive_share"].iloc[0]),
                 "low_name": and_(low["construct"]), "high_name": and_(high["construct"]), "k": len(solid),
                 "m": len(scored) - len(solid)}
        one = len(use) == 1 or low["positive_share"].iloc[0] == high["positive_share"].iloc[0]  # no range to give
        if not len(solid) and names["m"]:  # every share pools one the thesis only words: no reconstruction's number
            parts.append(ngettext("Read against the thesis's theory, the thesis fixes no share of a construct where more "
                                  "is better: the one scored rests partly on a share it only words (marked in the figure).",
                                  "Read against the thesis's theory, the thesis fixes no share of a construct where more "
                                  "is better: all {m} scored rest partly on shares it only words (marked in the figure).",
                                  names["m"]).format(**names))
        elif one:
            parts.append(ngettext("Read against the thesis's theory, {high_name} has {high} of its answers on the "
                                  "strengthening side.", "Read against the thesis's theory, {high_name} each have {high} "
                                  "of their answers on the strengthening side.", len(high)).format(**names))
        else:
            parts.append((_("Read against the thesis's theory, the share of answers on the strengthening side of a "
                            "construct runs from {low} ({low_name}) to {high} ({high_name}).") if len(solid) == len(scored)
                          else _("Read against the thesis's theory, the share of answers on the strengthening side runs "
                                 "from {low} ({low_name}) to {high} ({high_name}) among the {k} constructs whose shares "
                                 "the thesis fixes.")).format(**names))
        if 0 < names["m"] < len(scored):
            parts.append(ngettext("{m} more rests partly on shares the thesis only words: it is marked in the figure "
                                  "and not counted here.", "{m} more rest partly on shares the thesis only words: they "
                                  "are marked in the figure and not counted here.", names["m"]).format(**names))
        ends = pd.concat([low, high]).drop_duplicates("construct")
        parts += [_drawn(end) for _i, end in ends.iterrows() if _drawn(end)]
    if ch.identification is not None:
        parts.append(groups_undecided(ch.identification))
    return _heading() + " ".join(parts)


def _drawn(construct) -> str:
    """Whether a construct's share rests on links of the theory map that this report draws (inferred),
    not the thesis: only, partly, or not at all (empty)."""
    if not construct.get("n_inferred"):
        return ""
    text = (_("The share for {name} rests only on links this report draws from the thesis's words, not on links the "
              "thesis makes itself.") if not construct.get("n_stated") else
            _("The share for {name} rests partly on links this report draws from the thesis's words."))
    return text.format(name=construct["construct"])


def limitations(ch, numbers: dict) -> str:
    """Chapter 04: response, what non-response could do to satisfaction, and the precision at n."""
    response, bounds = numbers["response"], numbers["bounds"]
    text = _("{n} of {approached} clients approached answered ({rate}).").format(
        n=response["n"], approached=response["approached"], rate=pct_text(response["rate"]))
    if len(bounds):
        sat = bounds.iloc[0]
        text += " " + _("Counting the clients who did not answer, satisfaction among all approached lies between {worst} "
                        "and {best}.").format(worst=pct_text(sat["worst_case"]), best=pct_text(sat["best_case"]))
    if response["n"]:  # Wilson's interval is not symmetric: near 90 % it reaches further down than up
        n = response["n"]
        (k1, k2) = (round(share * n) for share in (0.5, 0.9))  # as the precision section counts them
        (a, b), (c, d) = wilson_interval(k1, n), wilson_interval(k2, n)
        text += " " + _("At this sample size a 95 % interval runs from {a} to {b} at {k1} of {n} ({p1}) and from {c} to "
                        "{d} at {k2} of {n} ({p2}): near the top it reaches further down than up.").format(
            a=pct(a), b=pct_text(b), c=pct(c), d=pct_text(d), k1=k1, k2=k2, n=n, p1=pct_text(k1 / n), p2=pct_text(k2 / n))
    return _heading() + text
