"""The report's findings first: the front page opens with the thesis's question, its own answer
(a reconstructed intake: quoted with its line), and a handful of findings computed in the run,
each one sentence with its number, where that number comes from, and a link to the chapter behind
it.

Every number says where it comes from (:func:`share_words`): counted in the answers (a survey);
given by the publication as a count or fixed by its words (a reconstructed intake: "as the thesis
reports it"); or only worded by the publication — then the sentence gives the range the word
admits, never the reconstruction's point. A number the reconstruction made is never a finding.

The findings are read from the tables the chapters wrote (``item_summary.csv``,
``limitations.csv``, ``subgroups.csv``) and stage 01's ``identification.csv``, so the front page
says what the chapters say.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...codebook import GOALS_V1
from ...fmt import interval_text, pct_text
from ...i18n import N_, _, current, ngettext
from ...stats.descriptive import WORDED
from ...yamlio import load_resource
from ..labels import item_label, value
from .common import and_, at_ends


@dataclass(frozen=True)
class Finding:
    """One sentence of the front page and the chapter (page) it links to."""

    text: str
    href: str


def thesis() -> dict:
    """What is known of the thesis itself (``resources/thesis.yaml``)."""
    return load_resource("thesis.yaml")


def share_words(row: pd.Series) -> str:
    """A top-2 share as a finding may state it, by where it comes from: counted, reported by the
    thesis, or only worded by it (then the range the word admits, not the reconstruction's point)."""
    prov = row.get("provenance")
    if prov in WORDED:
        return _("not given as a number by the thesis: between {range}").format(
            range=interval_text(row["admissible_low"], row["admissible_high"]))
    if prov in ("count", "bound"):
        return _("{share}, as the thesis reports it").format(share=pct_text(row["top2_share"]))
    return _("{share} (95 % CI {range})").format(share=pct_text(row["top2_share"]),
                                                 range=interval_text(row["top2_ci_low"], row["top2_ci_high"]))


def _read(path: Path) -> pd.DataFrame | None:
    return pd.read_csv(path) if path.is_file() else None


def findings(intake, report: Path, processed: Path, codebook) -> list[Finding]:  # long: the run's places, each named
    """The front page's findings for one language's built ``report`` (its tables) and stage 01's
    ``processed`` folder; those whose table is missing are left out."""
    tables = report / "tables"
    summary, limits = _read(tables / "item_summary.csv"), _read(tables / "limitations.csv")
    out = [_response(intake, limits)]
    if summary is not None:
        out += _shares(summary.set_index("item_id"), codebook)
    ident = _read(processed / "identification.csv")
    if ident is not None:
        out.append(_subgroups_open(ident))
    else:
        subgroups = _read(tables / "subgroups.csv")
        if subgroups is not None and "p_holm" in subgroups:
            out.append(_subgroups_tested(subgroups))
    return [f for f in out if f is not None]


def _response(intake, limits: pd.DataFrame | None) -> Finding:
    n, approached = len(intake.responses), intake.meta["clients_approached"]
    text = _("{n} of {approached} clients approached answered ({rate}).").format(
        n=n, approached=approached, rate=pct_text(n / approached))
    if limits is not None:
        manski = limits[(limits["quantity_id"] == "top2_share") & (limits["item_id"] == "q08_satisfaction")]
        if len(manski):
            text += " " + _("Had every client who did not answer been dissatisfied, the share of satisfied clients "
                            "among all approached would be {worst}; had all been satisfied, {best}.").format(
                worst=pct_text(manski["lower"].iloc[0]), best=pct_text(manski["upper"].iloc[0]))
    return Finding(text, "04_limitations.html")


RELATIONSHIP = [8, 9, *range(13, 22)]  # the items on the relationship: Figuur 8, 9, 13-21
MISREAD = N_("The goals item of questionnaire v1 (Figuur 17) is left out: in 2015 most clients misread it (lines "
             "2227–2231), so its answers can be read neither as favourable nor as unfavourable.")


def relationship_items(summary: pd.DataFrame) -> pd.DataFrame:
    """The rated items on the relationship (:data:`RELATIONSHIP`), but for questionnaire v1's misread
    goals item, whose answers can be read neither as agreement nor as disagreement."""
    related = summary[summary["figure"].isin(RELATIONSHIP)].dropna(subset=["top2_share"])
    return related.drop(index=GOALS_V1, errors="ignore")


def _shares(summary: pd.DataFrame, codebook) -> list[Finding]:
    out = []
    if "q08_satisfaction" in summary.index:
        out.append(Finding(_("Satisfied or very satisfied with their social worker (Figuur 8): {share}.").format(
            share=share_words(summary.loc["q08_satisfaction"])), "02_descriptives.html"))
    related = relationship_items(summary)
    if len(related):
        fixed = related[~related["provenance"].isin(WORDED)]
        worded = len(related) - len(fixed)
        if len(fixed):
            lows, highs = at_ends(fixed, "top2_share")  # every item of a tie: 100 % may be several
            sentence = (N_("Of the {total} items on the relationship (Figuur 8, 9, 13–21), the thesis fixes the share in "
                           "the two most positive answers for {k}: it runs from {low} ({low_item}) to {high} "
                           "({high_item}).") if worded else
                        N_("Across the {k} items on the relationship (Figuur 8, 9, 13–21), the share in the two most "
                           "positive answers runs from {low} ({low_item}) to {high} ({high_item})."))
            text = _(sentence).format(
                k=len(fixed), total=len(related), low=pct_text(lows["top2_share"].iloc[0]),
                low_item=and_([item_label(codebook, i) for i in lows.index]), high=pct_text(highs["top2_share"].iloc[0]),
                high_item=and_([item_label(codebook, i) for i in highs.index]))
            if worded:
                names = and_([item_label(codebook, i) for i in related.index[related["provenance"].isin(WORDED)]])
                text += " " + ngettext("For the other one ({names}) it gives only a word, or nothing that fixes the share.",
                                       "For the other {w} ({names}) it gives only a word, or nothing that fixes the share.",
                                       worded).format(w=worded, names=names)
            if GOALS_V1 in summary.index:
                text += " " + _(MISREAD)
            out.append(Finding(text, "02_descriptives.html"))
    return out


def groups_undecided(ident: pd.DataFrame) -> str:
    """A reconstructed intake: in how many two-group comparisons the published figures allow a
    difference either way. Each range's ends are values some arrangement of the published answer counts
    reaches (proven, or found by the search), so a range across zero shows both directions occur."""
    rows = ident[(ident["quantity_id"] == "rank_biserial") & (ident["marginals_id"] == "admissible")]
    eps = ident[(ident["quantity_id"] == "epsilon_squared") & (ident["marginals_id"] == "admissible")]
    if rows.empty and eps.empty:
        return _("Whether clients differ by group, the publication cannot tell.")
    parts, none = [], eps[eps["lower"] <= 1e-12]  # none: some arrangement gives no difference at all
    both = rows[(rows["lower"] < 0) & (rows["upper"] > 0)]
    if len(both):
        parts.append(_("Whether clients differ by {groupings}, the publication cannot tell: in {k} of the {m} "
                       "comparisons between two groups, one arrangement of the published answer counts puts one "
                       "group higher and another puts it lower.").format(
            groupings=and_([value(g) for g in dict.fromkeys(both["grouping"])]), k=len(both),
            m=int(rows["grouping"].isin(set(both["grouping"])).sum())))
    if len(none):  # three groups or more: epsilon², no direction, but from none to a difference
        words = (_("Nor whether they differ by {groupings}: in {k} of the {m} comparisons between its groups, the "
                   "published counts fit no difference at all as well as {size} (epsilon² {high:.2f} or more).")
                 if parts else
                 _("Whether clients differ by {groupings}, the publication cannot tell: in {k} of the {m} comparisons "
                   "between its groups, the published counts fit no difference at all as well as {size} (epsilon² "
                   "{high:.2f} or more)."))
        high = none["upper"].min()  # Cohen's (1988) conventions for eta², read for epsilon²: .01, .06, .14
        size = _("a large one") if high >= 0.14 else _("a medium one") if high >= 0.06 else _("a small one")
        parts.append(words.format(groupings=and_([value(g) for g in dict.fromkeys(none["grouping"])]), k=len(none),
                                  m=int(eps["grouping"].isin(set(none["grouping"])).sum()), high=high, size=size))
    fixed = [*dict.fromkeys(rows.loc[~rows.index.isin(both.index), "grouping"]),
             *dict.fromkeys(eps.loc[~eps.index.isin(none.index), "grouping"])]
    if fixed:  # comparisons the publication does settle: named, not dropped
        parts.append(_("By {groupings}, the published counts settle that the groups differ in at least one comparison "
                       "(chapter 3 gives which).").format(groupings=and_([value(g) for g in dict.fromkeys(fixed)])))
    return " ".join(parts)


def _subgroups_open(ident: pd.DataFrame) -> Finding:
    return Finding(groups_undecided(ident), "03_interpretation.html")


def _subgroups_tested(tests: pd.DataFrame) -> Finding:
    """A survey: the sub-group differences that survive Holm's correction, or none."""
    sig = tests[tests["p_holm"] < 0.05]
    groupings = and_([value(g) for g in dict.fromkeys(tests["grouping"])]) if "grouping" in tests else ""
    if sig.empty:
        return Finding(_("No difference between groups ({groupings}) holds after correcting for the number of tests "
                         "({k} tests).").format(groupings=groupings, k=len(tests)), "03_interpretation.html")
    per = and_([_("{k} by {grouping}").format(k=k, grouping=value(g)) for g, k in sig["grouping"].value_counts(sort=False)
                .items()]) if "grouping" in sig else ""
    name = sig.loc[sig["effect"].abs().idxmax(), "effect_name"]
    return Finding(_("In {k} of {m} comparisons between groups the difference holds after correcting for the number "
                     "of tests ({per}); the largest effect: {effect:.2f} ({name}; {scale}).").format(
        k=len(sig), m=len(tests), per=per, effect=sig["effect"].abs().max(), name=value(name),
        scale=_(EFFECT_SCALE.get(name, EFFECT_SCALE["rank-biserial"]))), "03_interpretation.html")


# What an effect size's values mean, for a reader who does not know the measure.
EFFECT_SCALE = {"rank-biserial": N_("0 is no difference, 1 every respondent of one group above every one of the other"),
                "epsilon²": N_("0 is no difference, 1 the groups wholly apart")}


def question_and_answer(reconstructed: bool) -> dict:
    """The thesis's question (always: the survey asks it) and, for the intake reconstructed from
    it, the thesis's own answer, each quoted with its line (``thesis_says.yaml``, statement
    ``question_and_answer``: the question first, the answer last two)."""
    quotes = next(x for x in load_resource("thesis_says.yaml")["statements"] if x["id"] == "question_and_answer")["quotes"]
    about = thesis()["answer_about_nl" if current() == "nl" else "answer_about_en"]
    return {"question_label": _("The thesis's question"), "question": quotes[0]["quote"],
            "question_line": quotes[0]["seed_line"],
            "answer_label": _("Its own answer ({about})").format(about=about) if reconstructed else "",
            "answer": [(a["quote"], a["seed_line"]) for a in quotes[-2:]] if reconstructed else [],
            "findings_label": _("What the published figures fix") if reconstructed else _("What this round's data show"),
            "line_label": _("line")}
