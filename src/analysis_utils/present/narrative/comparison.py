"""The comparison page's sentences and tables in words: what differs between intakes, at one
familywise error rate, and which aligned items were left out and why."""
from __future__ import annotations

import pandas as pd

from ...codebook import GOALS_V1
from ...fmt import p_text, pct, signed, signed_end
from ...i18n import N_, _, current, decimal
from ...stats.compare import FAMILYWISE_ALPHA, not_comparable
from ..labels import intake_label

WHY_NOT_COMPARABLE = {  # aligned items whose answers cannot be compared, and why
    GOALS_V1: N_("Questionnaire v1 asks about *different* goals and most clients misread it (lines 2227–2231), so "
                 "its answers mean neither agreement nor disagreement; v2 asks about the same goals. The two are not "
                 "comparable."),
}
RECONSTRUCTED_INVOLVED = N_(
    "> **Reconstructed intake involved.** Its single-item distributions hold every count the "
    "publication reports, but where the thesis gives only a word (\"het merendeel\", \"enkele\") the "
    "table gives the range of shares the publication allows and no point difference, and the interval covers "
    "every count it admits; how a positive total "
    "splits between the two highest answers is mostly set by the reconstruction's rule, so a "
    "Mann–Whitney test is shown only for an item whose whole distribution the publication fixes.")


def _labels(loaded: list[tuple]) -> dict[str, str]:
    return {intake.id: intake_label(intake.id, intake.reconstructed) for intake, _df in loaded}


def comparison_words(table: pd.DataFrame, loaded: list[tuple]) -> pd.DataFrame:
    """:func:`~analysis_utils.stats.compare.compare_items` with the item's label first and the
    intakes named (flagged when reconstructed), their ids beside the words."""
    names, codebook = _labels(loaded), loaded[0][0].codebook
    t = table.copy()
    t.insert(0, "item", [codebook.item(k).label(current()) for k in t["item_key"]])
    t.insert(2, "item_key", t.pop("item_key"))
    for col in ("reference", "intake"):
        t.insert(list(t.columns).index(col) + 1, f"{col}_id", t[col])
        t[col] = t[col].map(names)
    t.attrs = dict(table.attrs)
    return t


def tidy_words(tidy: pd.DataFrame, loaded: list[tuple]) -> pd.DataFrame:
    """:func:`~analysis_utils.stats.compare.tidy_answers` with the item, the intakes and the
    answer categories in words (for :func:`analysis_utils.present.figures.draw_comparison`)."""
    names = _labels(loaded)
    items = {intake.codebook.item(i).id: intake.codebook.item(i) for intake, _df in loaded
             for i in set(tidy["item_id"]) if i in intake.codebook.item_ids}
    t = tidy.copy()
    t.insert(1, "item", [items[i].label(current()) for i in t["item_id"]])
    t["intake"] = t["intake"].map(names)
    t.insert(list(t.columns).index("category_code") + 1, "label",
             [items[i].scale.label(c, current()) for i, c in zip(t["item_id"], t["category_code"])])
    return t.drop(columns="item_id")


def left_out(loaded: list[tuple]) -> list[tuple[str, str]]:
    """(item label, reason) of the aligned items left out of the comparison."""
    codebooks = [intake.codebook for intake, _df in loaded]
    return [(codebooks[0].item(ids[0]).label(current()), _(next(WHY_NOT_COMPARABLE[i] for i in ids
                                                                 if i in WHY_NOT_COMPARABLE)))
            for ids in not_comparable(codebooks)]


def _span(r, side: str) -> str:
    """A round's top-2 share as its publication admits it: "86–93", or one number where fixed."""
    low, high = pct(r[f"top2_{side}_low"]), pct(r[f"top2_{side}_high"])
    return str(low) if low == high else f"{low}–{high}"


def _where(r) -> str:
    """One item whose top-2 share differs, with its Mann–Whitney test where it has one (none where
    the reconstruction's split would decide it)."""
    shares = pct(r["top2_intake"]), pct(r["top2_reference"])  # the difference of the shares as shown
    words = dict(item=r["item"], intake=r["intake"], reference=r["reference"], top2_intake=shares[0],
                 top2_reference=shares[1], difference=signed(shares[0] - shares[1]), low=signed_end(r["diff_ci_low"]),
                 high=signed_end(r["diff_ci_high"]))
    if not r.get("top2_fixed", True):  # a share its publication does not fix: the range it admits, no point
        words.update(top2_reference=_span(r, "reference"), top2_intake=_span(r, "intake"))
        return _("{item} ({intake} vs {reference}: top-2 {top2_intake} % vs {top2_reference} % as the publications "
                 "allow, simultaneous CI {low} to {high} over every count they admit; no Mann–Whitney test)").format(
            **words)
    if pd.isna(r["p_holm"]):
        return _("{item} ({intake} vs {reference}: top-2 {top2_intake} % vs {top2_reference} %, difference "
                 "{difference} points, simultaneous CI {low} to {high}; no Mann–Whitney test)").format(**words)
    return _("{item} ({intake} vs {reference}: top-2 {top2_intake} % vs {top2_reference} %, difference "
             "{difference} points, simultaneous CI {low} to {high}; rank-biserial {rbc}, p (Holm) {p})").format(
        **words, rbc=decimal(f"{r['RBC']:.2f}"), p=p_text(r["p_holm"]))


def comparison_summary(table: pd.DataFrame, loaded: list[tuple]) -> str:
    """Markdown: how many aligned items, which differ after Holm correction, and the caveats
    (``table``: :func:`comparison_words`)."""
    skipped = "".join("\n\n" + _("*Not compared: {item}.* {why}").format(item=item, why=why)
                      for item, why in left_out(loaded))
    if table.empty:
        return _("The intakes share no rated item: nothing to compare.") + skipped
    m = table.attrs.get("family", table["item"].nunique())
    level = round(100 * (1 - FAMILYWISE_ALPHA / m), 2)
    lines = [_("{k} rated items were asked in every intake. Every statement below keeps a 5 % familywise error over "
               "these {m} items: the intervals of the top-2 share are simultaneous (Bonferroni, {level:g} % each), the "
               "Mann–Whitney tests of the whole answer distribution are Holm-adjusted. The two measure different "
               "things — the share in the two most positive answers, and where the answers lie overall — so one can "
               "move without the other.").format(k=table["item"].nunique(), m=m, level=level) + " "]
    shifted = table[table["top2_differs"].astype(bool)]
    if shifted.empty:
        lines.append(_("No top-2 share differs between intakes: every simultaneous interval includes 0.") + " ")
    else:
        biggest = shifted.reindex(shifted["difference"].abs().sort_values(ascending=False).index).head(5)
        more = (" — " + _("and {k} more in the table below").format(k=len(shifted) - len(biggest))
                if len(shifted) > len(biggest) else "")
        lines.append(_("The top-2 share differs for {k}: {where}{more}.").format(
            k=len(shifted), where="; ".join(_where(r) for _i, r in biggest.iterrows()), more=more) + " ")
    sig = table[table["p_holm"] < 0.05]
    lines.append(_("No answer distribution differs at Holm-adjusted p < .05.") if sig.empty else
                 _("The answer distribution differs (Mann–Whitney, Holm-adjusted p < .05) for {k}: {items}.").format(
                     k=len(sig), items=", ".join(sig["item"])))
    if "distribution_fixed" in table and not table["distribution_fixed"].all():
        loose, open_share = table[~table["distribution_fixed"]], table[~table["top2_fixed"]]
        lines.append(" " + _("For {k} items a reconstructed intake's publication does not fix how the answers split "
                             "between the categories: their Mann–Whitney test is left out, since that split — the "
                             "reconstruction's choice — would decide it. For {j} of them it does not fix the top-2 "
                             "share either: their interval runs over every count it admits, and a share is called "
                             "different only when the interval excludes 0 whatever the count.").format(
            k=len(loose), j=len(open_share)))
    if any(i.reconstructed for i, _i in loaded):
        lines.append("\n\n" + _(RECONSTRUCTED_INVOLVED))
    return "".join(lines) + skipped
