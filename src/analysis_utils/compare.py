"""Comparison across intakes: the same questions asked in different rounds, teams or OCMWs.

Items are aligned across questionnaire versions (the codebook's ``aligns_with``) and compared
on their positively oriented scores, except those of :data:`NOT_COMPARABLE` (v1's "different
goals", misread by most clients, against v2's "same goals"), which the page names with the
reason. Intakes reconstructed from a publication are flagged wherever they appear.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .cleaning import clean
from .codebook import Codebook, aligned_items
from .facts import percent_of
from .inference import holm, mann_whitney
from .intake import Intake, read_intake
from .fmt import p_text, pct
from .i18n import N_, _, current
from .book import source_words

RELATIONSHIP_FIGURES = [8, 9, 13, 14, 15, 16, 17, 18, 19, 20, 21]
FAMILYWISE_ALPHA = 0.05
COMPARISON_COLUMNS = ["item", "figure", "item_key", "reference", "intake", "n_reference", "n_intake", "top2_reference",
                      "top2_intake", "difference", "ci_level", "diff_ci_low", "diff_ci_high", "top2_differs", "U_val",
                      "p_val", "RBC", "p_holm", "reconstructed_involved"]


def label(intake: Intake) -> str:
    """The intake's name in tables and figures, flagged when reconstructed."""
    return _("{intake} (reconstructed)").format(intake=intake.id) if intake.reconstructed else intake.id


def load(intake_dirs: list[str | Path]) -> list[tuple[Intake, pd.DataFrame]]:
    """Read and clean every intake (raises IntakeError listing every problem of every intake)."""
    from .intake import IntakeError

    out, problems = [], []
    for d in intake_dirs:
        try:
            intake = read_intake(d)
        except IntakeError as exc:
            problems.extend(exc.problems)
            continue
        out.append((intake, clean(intake.responses, intake.codebook)))
    if problems:
        raise IntakeError(problems)
    return out


NOT_COMPARABLE = {  # aligned items whose answers cannot be compared, and why
    "q17_different_goals": N_("questionnaire v1 asks about *different* goals and most clients misread it (lines "
                              "2227–2231), so its answers mean neither agreement nor disagreement; v2 asks about the "
                              "same goals. The two are not comparable."),
}


def common_items(codebooks: list[Codebook], comparable_only: bool = True) -> list[tuple[str, ...]]:
    """Items every intake asked: one tuple of item ids (one per intake) per aligned question;
    with ``comparable_only``, not those of :data:`NOT_COMPARABLE` where an intake asks them."""
    first = codebooks[0]
    maps = [dict(aligned_items(first, cb)) for cb in codebooks[1:]]
    both = [(i, *(m[i] for m in maps)) for i in first.item_ids if all(i in m for m in maps)]
    return [ids for ids in both if not (comparable_only and set(ids) & set(NOT_COMPARABLE) and len(set(ids)) > 1)]


def not_comparable(codebooks: list[Codebook]) -> list[tuple[str, str]]:
    """(item label, reason) of the aligned items left out of the comparison."""
    kept = set(common_items(codebooks))
    return [(codebooks[0].item(ids[0]).label(current()), _(next(NOT_COMPARABLE[i] for i in ids if i in NOT_COMPARABLE)))
            for ids in common_items(codebooks, comparable_only=False) if ids not in kept]


def _oriented(values: pd.Series, item, positive: bool) -> pd.Series:
    """Codes, turned to positive orientation when ``positive``."""
    v = values.dropna().astype(int)
    return v.map(item.positive_score) if positive else v


def tidy_answers(loaded: list[tuple[Intake, pd.DataFrame]], figures: list[int] | None = None,
                 lang: str = "en") -> pd.DataFrame:
    """Long table of the aligned rated items: one row per intake, item and answer category.

    Where the intakes word an item in opposite directions, codes are positively oriented and
    labelled with the positively worded version's scale.
    """
    cbs = [cb.codebook for cb, _ in loaded]
    rows = []
    for ids in common_items(cbs):
        items = [cb.item(i) for cb, i in zip(cbs, ids)]
        first = items[0]
        if first.type not in ("scale", "frequency") or (figures and first.figure not in figures):
            continue
        positive = len({it.reversed for it in items}) > 1
        named = next((it for it in items if not it.reversed), first) if positive else first
        for (intake, df), item, item_id in zip(loaded, items, ids):
            answers = _oriented(df[item_id], item, positive)
            counts = answers.value_counts()
            for code in named.scale.codes:
                rows.append({"item_key": ids[0], "item": named.label(lang), "figure": first.figure,
                             "intake": label(intake), "category_code": code,
                             "label": named.scale.label(code, lang), "count": int(counts.get(code, 0)),
                             "n": int(len(answers)), "reconstructed": intake.reconstructed})
    return pd.DataFrame(rows)


def compare_items(loaded: list[tuple[Intake, pd.DataFrame]], lang: str = "en") -> pd.DataFrame:
    """Per aligned rated item, every intake against the first, at one error rate: a 5 %
    familywise error over the items of an intake pair, for both things measured.

    - The top-2 share: the difference with a Newcombe interval at the simultaneous level
      (Bonferroni, 1 - 0.05 / m for m items; ``ci_level``); ``top2_differs`` when it excludes 0.
    - The whole distribution: Mann-Whitney on positively oriented scores with the rank-biserial
      (positive = the later intake higher), Holm-adjusted over the same m items (``p_holm``).

    The two answer different questions (a shift of the top-2 share can come with an unchanged
    distribution of ranks, and the other way round), so neither contradicts the other.
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    cbs = [intake.codebook for intake, _ in loaded]
    ref_intake, ref_df = loaded[0]
    rows = []
    for ids in common_items(cbs):
        items = [cb.item(i) for cb, i in zip(cbs, ids)]
        if items[0].type not in ("scale", "frequency"):
            continue
        ref_scores = _oriented(ref_df[ids[0]], items[0], True)
        for (intake, df), item, item_id in list(zip(loaded, items, ids))[1:]:
            scores = _oriented(df[item_id], item, True)
            if not len(scores) or not len(ref_scores):
                continue
            k_ref = int(ref_df[ids[0]].isin(items[0].top2_codes).sum())
            k = int(df[item_id].isin(item.top2_codes).sum())
            mw = mann_whitney(scores, ref_scores) if pd.concat([scores, ref_scores]).nunique() > 1 else \
                {"U_val": float("nan"), "p_val": float("nan"), "RBC": 0.0}
            rows.append({"item": items[0].label(lang), "figure": items[0].figure, "item_key": ids[0],
                         "reference": label(ref_intake), "intake": label(intake),
                         "n_reference": len(ref_scores), "n_intake": len(scores),
                         "top2_reference": k_ref / len(ref_scores), "top2_intake": k / len(scores),
                         "difference": k / len(scores) - k_ref / len(ref_scores),
                         "_counts": (k, len(scores), k_ref, len(ref_scores)),
                         "U_val": mw["U_val"], "p_val": mw["p_val"], "RBC": mw["RBC"],
                         "reconstructed_involved": ref_intake.reconstructed or intake.reconstructed})
    table = pd.DataFrame(rows)
    if table.empty:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    table["p_holm"] = float("nan")
    for _, idx in table.groupby("intake").groups.items():
        m = len(idx)
        table.loc[idx, "p_holm"] = holm(table.loc[idx, "p_val"])
        table.loc[idx, "ci_level"] = 1 - FAMILYWISE_ALPHA / m
        bounds = [confint_proportions_2indep(*c, method="newcomb", compare="diff", alpha=FAMILYWISE_ALPHA / m)
                  for c in table.loc[idx, "_counts"]]
        table.loc[idx, "diff_ci_low"] = [float(lo) for lo, _ in bounds]
        table.loc[idx, "diff_ci_high"] = [float(hi) for _, hi in bounds]
    table["top2_differs"] = (table["diff_ci_low"] > 0) | (table["diff_ci_high"] < 0)
    table.attrs["family"] = int(table.groupby("intake").size().max())
    return table.drop(columns="_counts").reindex(columns=COMPARISON_COLUMNS)


def overview(loaded: list[tuple[Intake, pd.DataFrame]]) -> pd.DataFrame:
    """One row per intake: who, how many, which questionnaire, which source."""
    rows = []
    for intake, df in loaded:
        n, approached = len(df), intake.meta["clients_approached"]
        rows.append({"intake": label(intake), "title": intake.text("title"), "questionnaire": intake.codebook.version,
                     "source": source_words(intake.meta["source"]), "n": n, "clients approached": approached,
                     "response %": percent_of(n, approached)})
    return pd.DataFrame(rows)


def comparison_summary(table: pd.DataFrame, loaded: list[tuple[Intake, pd.DataFrame]]) -> str:
    """Markdown: how many aligned items, which differ after Holm correction, and the caveats."""
    left_out = not_comparable([intake.codebook for intake, _i in loaded])
    skipped = "".join("\n\n" + _("*Not compared: {item}.* {why}").format(item=item, why=why) for item, why in left_out)
    if table.empty:
        return _("The intakes share no rated item: nothing to compare.") + skipped
    m = table.attrs.get("family", table["item"].nunique())
    level = round(100 * (1 - FAMILYWISE_ALPHA / m), 2)
    lines = [_("{k} rated items were asked in every intake. Every statement below keeps a 5 % familywise error over "
               "these {m} items: the intervals of the top-2 share are simultaneous (Bonferroni, {level:g} % each), the "
               "Mann–Whitney tests of the whole answer distribution are Holm-adjusted. The two measure different "
               "things — the share in the two most positive answers, and where the answers lie overall — so one can "
               "move without the other.").format(k=table["item"].nunique(), m=m, level=level) + " "]

    def where(r) -> str:
        return _("{item} ({intake} vs {reference}: top-2 {top2_intake} % vs {top2_reference} %, difference "
                 "{difference} points, simultaneous CI {low} to {high}; rank-biserial {rbc:.2f}, p (Holm) {p})").format(
            item=r["item"], intake=r["intake"], reference=r["reference"], top2_intake=pct(r["top2_intake"]),
            top2_reference=pct(r["top2_reference"]), difference=pct(r["difference"]), low=pct(r["diff_ci_low"]),
            high=pct(r["diff_ci_high"]), rbc=r["RBC"], p=p_text(r["p_holm"]))

    shifted = table[table["top2_differs"]]
    if shifted.empty:
        lines.append(_("No top-2 share differs between intakes: every simultaneous interval includes 0.") + " ")
    else:
        biggest = shifted.reindex(shifted["difference"].abs().sort_values(ascending=False).index).head(5)
        more = (" — " + _("and {k} more in the table below").format(k=len(shifted) - len(biggest))
                if len(shifted) > len(biggest) else "")
        lines.append(_("The top-2 share differs for {k}: {where}{more}.").format(
            k=len(shifted), where="; ".join(where(r) for _i, r in biggest.iterrows()), more=more) + " ")
    sig = table[table["p_holm"] < 0.05]
    lines.append(_("No answer distribution differs at Holm-adjusted p < .05.") if sig.empty else
                 _("The answer distribution differs (Mann–Whitney, Holm-adjusted p < .05) for {k}: {items}.").format(
                     k=len(sig), items=", ".join(sig["item"])))
    if any(i.reconstructed for i, _i in loaded):
        lines.append("\n\n" + _(
            "> **Reconstructed intake involved.** Its single-item distributions hold every count the "
            "publication reports, but where the thesis gives only a word (\"het merendeel\", \"enkele\") the share "
            "is the reconstruction's reading of it, and the difference inherits that; how a positive total "
            "splits between the two highest answers is mostly set by the reconstruction's rule, which the "
            "Mann–Whitney test also uses. Treat those tests with that in mind."))
    return "".join(lines) + skipped


def draw_item(tidy: pd.DataFrame, item_key: str):
    """One figure per aligned item: a diverging bar per intake, in the order given."""
    import matplotlib.pyplot as plt

    from . import plots

    data = tidy[tidy["item_key"] == item_key]
    intakes = list(dict.fromkeys(data["intake"]))
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(intakes) + 1.6))
    plots.diverging_bars(data, y="intake", hue="category_code", x="count", neutral=3, ax=ax, order=intakes)
    first = data.iloc[0]
    ax.set_title(f"Figuur {first['figure']}: {first['item']}", loc="left", fontsize=10)
    fig.tight_layout()
    return fig
