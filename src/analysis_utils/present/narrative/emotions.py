"""Chapter 03's sentences on the emotions clients bring to their social worker (Figuur 10): what
the answers show, or, for an intake reconstructed from a publication, what the publication fixes
and what its words admit; and how many name at least one threshold emotion."""
from __future__ import annotations

import pandas as pd

from ...fmt import ci_text, pct_text
from ...i18n import _, ngettext
from ...stats.constructs import any_threshold_share
from ...stats.intervals import wilson_interval
from ...stats.limits import ANY_THRESHOLD
from ...stats.tests import ensemble_range
from ...theory_map import threshold_items
from .common import and_


def any_threshold_text(df: pd.DataFrame, ensemble: pd.DataFrame | None, identification: pd.DataFrame | None = None) -> str:
    """How many name at least one threshold emotion: observed, or, for a reconstruction, the
    range the published figures allow (and the typical spread if the items were unrelated)."""
    if identification is not None:
        rows = identification[identification["quantity_id"] == ANY_THRESHOLD]
        own, admitted = rows.iloc[0], rows.iloc[-1]
        few = round(admitted["outer_lower"] * len(df))  # the fewest who name one: they name all four
        over = (ngettext("over every count the text's words admit, anything from {outer_low} to {outer_high}: {few} "
                         "client naming all four and nobody else naming any fits the published figures too",
                         "over every count the text's words admit, anything from {outer_low} to {outer_high}: {few} "
                         "clients naming all four and nobody else naming any fits the published figures too", few)
                + _(", though it sits ill with the thesis's \"Veel cliënten voelen zich nog steeds beschaamd\" (line "
                    "2103)") if bool(admitted["sharp"]) else
                _("over every count the text's words admit, no value outside {outer_low} to {outer_high} (an outer "
                  "bound: \"vaker\" compares groups of emotions, not one by one)"))
        spread = (_("the mentions spread so that everyone names at least one") if own["upper"] >= 1 - 1e-12 else
                  _("the mentions spread as widely as they can"))
        text = _("How many name at least one threshold emotion depends on how answers combine, which the "
                 "publication does not tell: given the reconstruction's split of the answers, anything from {low} (the "
                 "same people name all four) to {high} ({spread}); {over}.").format(
            low=pct_text(own["lower"]), high=pct_text(own["upper"]), spread=spread, over=over.format(
                outer_low=pct_text(admitted["outer_lower"]), outer_high=pct_text(admitted["outer_upper"]), few=few))
        if ensemble is not None:
            lo, _m, hi = ensemble_range(ensemble, any_threshold_share, threshold_items())
            text += " " + _("If the emotions were unrelated, {low} to {high} would be typical ({k} random "
                            "reconstructions) — one scenario, not the limits.").format(
                low=pct_text(lo), high=pct_text(hi), k=ensemble["reconstruction"].nunique())
        return text
    if ensemble is not None:
        lo, med, hi = ensemble_range(ensemble, any_threshold_share, threshold_items())
        return _("How many name at least one threshold emotion depends on how answers combine, which the "
                 "publication does not tell: between {low} and {high} over {k} random reconstructions (median "
                 "{median}), typical values if the emotions were unrelated, not the limits.").format(
            low=pct_text(lo), high=pct_text(hi), k=ensemble["reconstruction"].nunique(), median=pct_text(med))
    share = any_threshold_share(df)
    k = round(share * len(df))
    lo, hi = wilson_interval(k, len(df))
    return _("{k} of {n} ({share}, {ci}) name at least one threshold emotion.").format(
        k=k, n=len(df), share=pct_text(share), ci=ci_text(lo, hi))


def emotions_summary(emotions: pd.DataFrame, any_threshold: str, reconstructed: bool = False) -> str:
    """Figuur 10's emotions in words: observed shares, or, for a reconstructed intake (whose table
    carries ``admissible_low`` / ``admissible_high``), what the thesis fixes and the range its
    words admit — never the reconstruction's reading as a finding."""
    closing = (_("The thesis reads the four emotions being named \"vaker\" as a sign that a threshold to the OCMW "
                 "remains (lines 1657–1659); later it ties shame, with fear and resistance, to that threshold, and "
                 "frustration and nervousness to the clients' dependence on the OCMW (lines 1880–1893), and it "
                 "comes back to that threshold for shame (lines 2103–2104). The published figures carry that some clients "
                 "feel these emotions, not how many people feel at least one.") if reconstructed else
               _("The thesis infers from such feelings that a threshold to the OCMW remains (lines 1657–1659, "
                 "2103–2104); these shares say how many clients already receiving help name such a feeling, not "
                 "whether it keeps anyone from asking for help."))
    if reconstructed and "admissible_low" in emotions:
        opening = _emotions_published(emotions)
    else:
        opening = _emotions_observed(emotions)
    return opening + " " + (any_threshold + " " if any_threshold else "") + closing


def _emotions_observed(emotions: pd.DataFrame) -> str:
    means = emotions.groupby("group")["share"].mean()
    threshold = emotions[emotions["group"] == "threshold"]
    tops = threshold[threshold["share"] == threshold["share"].max()]
    top = tops.iloc[0]
    if len(tops) == 1:
        most = _("the most named threshold emotion is {emotion} ({k} of {n})").format(
            emotion=top["emotion"], k=top["named"], n=top["n"])
    else:  # a tie is a tie
        most = _("{names} are named equally often ({k} of {n} each)").format(
            names=and_(list(tops["emotion"])), k=top["named"], n=top["n"])
    return _("On average {reassuring} name each reassuring emotion (gratitude, calm, safety, relief) and "
             "{threshold} each threshold emotion (shame, nervousness, frustration, sadness); {most}.").format(
        reassuring=pct_text(means["reassuring"]), threshold=pct_text(means["threshold"]), most=most)


def _emotions_published(emotions: pd.DataFrame) -> str:
    """What the publication fixes of each emotion (the share naming it), grouped by the range its
    words admit."""
    groups: dict[tuple, list[str]] = {}
    for _i, r in emotions.iterrows():
        groups.setdefault((r["admissible_low"], r["admissible_high"]), []).append(r["emotion"])
    parts = []
    for (low, high), names in groups.items():
        if low == high:
            parts.append(_("{names}: {share}, fixed by the thesis").format(names=and_(names), share=pct_text(low)))
        else:
            parts.append(_("{names}: anything from {low} to {high} each, as this report reads the thesis's words").format(
                names=and_(names), low=pct_text(low), high=pct_text(high)))
    return _("What the thesis fixes of these emotions, and what its words admit: {parts}. Gratitude is \"elke "
             "cliënt\" (line 1652); calm, safety and relief are named by all \"afgezien van enkele cliënten\" "
             "(line 1653); shame, nervousness, frustration and sadness occur \"vaker\" than doubt, fear and "
             "distrust (line 1658), a comparison that fixes no count beyond each of them being named at least once. Of "
             "shame alone the thesis also says \"Veel cliënten voelen zich nog steeds beschaamd\" (lines 2103–2104); "
             "this report does not read \"veel\" as a count (no rule says how many \"many\" is), so shame keeps the "
             "range of \"vaker\". The reconstruction's reading inside these "
             "ranges is its own choice, not a finding.").format(parts="; ".join(parts))
