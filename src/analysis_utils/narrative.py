"""Sentences for the report, generated from each run's data so that they stay true for a new
intake. Each function returns Markdown."""
from __future__ import annotations

import pandas as pd

from .intake import Intake

RECONSTRUCTED_NOTE = (
    "> **Reconstructed data.** The thesis never published its respondent-level answers. This "
    "intake is *reconstructed* from the figures it reports: every count the thesis gives holds "
    "exactly, but how answers combine across questions is invented. Read single-item results as "
    "the thesis's own; read nothing into cross-tabulations, correlations or subgroup differences."
)


def intake_summary(intake: Intake) -> str:
    meta = intake.meta
    n = len(intake.responses)
    approached = meta["clients_approached"]
    text = (
        f"**{meta['title']}** — {meta['organisation']}, fieldwork {meta['fieldwork_period']}.\n\n"
        f"{n} respondents of {approached} clients approached "
        f"(response {round(100 * n / approached)} %), questionnaire version "
        f"{intake.codebook.version} ({len(intake.codebook.items)} items), source: `{meta['source']}`."
    )
    if intake.reconstructed:
        text += "\n\n" + RECONSTRUCTED_NOTE
    return text


def coverage_summary(coverage: pd.DataFrame, n: int) -> str:
    """Which items not everybody answered, and why."""
    full = coverage[coverage["n"] == n]
    short = coverage[coverage["n"] < n]
    lines = [f"{len(full)} of {len(coverage)} items were answered by all {n} respondents."]
    for _, r in short.iterrows():
        why = []
        if r["missing_by_design"]:
            why.append(f"{r['missing_by_design']} not asked by design")
        if r["missing_otherwise"]:
            why.append(f"{r['missing_otherwise']} missing otherwise")
        lines.append(f"- `{r['item_id']}` ({r['label']}): n = {r['n']} — {', '.join(why)}")
    unexpected = int(coverage["missing_otherwise"].sum())
    lines.append("")
    lines.append(
        "No answer is missing by accident." if unexpected == 0 else
        f"{unexpected} answers are missing without a reason in the questionnaire's design."
    )
    return "\n".join(lines)


def validation_summary(intake: Intake) -> str:
    cb = intake.codebook
    n = len(intake.responses)
    answered = int(intake.responses[cb.item_ids].notna().sum().sum())
    return (
        f"All {n} rows of `{intake.files[-1].name}` passed validation against codebook "
        f"{cb.version}: {len(cb.items)} item columns, {answered} answers, every respondent id unique."
    )


def outputs_summary(intake_id: str, written: list[str], processed: pd.DataFrame) -> str:
    files = ", ".join(f"`{f}`" for f in written)
    return (
        f"Written to `data/processed/{intake_id}/`: {files} — {len(processed)} rows, "
        f"{processed.shape[1]} columns."
    )


def source_note(manifest: dict) -> str:
    """The data's provenance, with the reconstruction warning where it applies."""
    text = f"Intake `{manifest['intake_id']}`: {manifest['n_respondents']} respondents, source `{manifest['source']}`."
    if manifest["source"] == "reconstructed-from-publication":
        text += "\n\n" + RECONSTRUCTED_NOTE
    elif manifest["source"] == "synthetic":
        text += "\n\n> **Synthetic data.** These answers were generated to exercise the pipeline; they describe nobody."
    return text


def tables_summary(intake_id: str, tables: list[str]) -> str:
    return f"Written to `reports/{intake_id}/tables/`: " + ", ".join(f"`{t}`" for t in tables) + "."


def setup_display() -> None:
    """Show whole tables in the report: every row, full text, no truncation."""
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.max_colwidth", 300)
    pd.set_option("display.width", 250)


def view(table: pd.DataFrame, index: str) -> pd.DataFrame:
    """A table for reading: ``index`` as the row labels, empty cells instead of <NA>."""
    return table.set_index(index).astype(object).where(table.set_index(index).notna(), "")


def ensemble_summary(intake: Intake, processed_dir) -> str:
    from .inference import read_ensemble

    ens = read_ensemble(processed_dir)
    if ens is None:
        return (f"Not needed: this intake's source is `{intake.meta['source']}`, its answers are observed "
                "as they combine, so later chapters report its sub-group results as findings.")
    return (f"Written `reconstructions.csv`: {ens['reconstruction'].nunique()} reconstructions "
            f"(seeds {ens['reconstruction'].min()}–{ens['reconstruction'].max()}) of {len(ens) // ens['reconstruction'].nunique()} "
            "respondents each, all satisfying every reported fact.")


def _pct(x: float) -> str:
    return f"{round(100 * x)} %"


def _ci(lo: float, hi: float) -> str:
    return f"95 % CI {round(100 * lo)}–{round(100 * hi)} %"


def constructs_summary(constructs: pd.DataFrame) -> str:
    measured = constructs[constructs["n_items"] > 0].sort_values("positive_share", ascending=False, kind="stable")
    unmeasured = constructs[constructs["n_items"] == 0]
    top, low = measured.iloc[0], measured.iloc[-1]
    lines = [
        f"{len(measured)} of {len(constructs)} constructs of the thesis's theory are indicated by at least one item. "
        f"The most answers on the strengthening side go to **{top['construct']}** ({_pct(top['positive_share'])}, "
        f"{_ci(top['ci_low'], top['ci_high'])}, {top['n_answers']} answers); the fewest to **{low['construct']}** "
        f"({_pct(low['positive_share'])}, {_ci(low['ci_low'], low['ci_high'])}, {low['n_answers']} answers).",
        "",
        "No item measures: " + ", ".join(f"*{c}*" for c in unmeasured["construct"]) + "."
        if len(unmeasured) else "Every construct is measured.",
        "",
        "Answers of one person to several items are not independent, so the intervals are somewhat too narrow; "
        "the shares themselves depend only on each item's own distribution.",
    ]
    return "\n".join(lines)


def axes_summary(axes: pd.DataFrame) -> str:
    parts = [f"*{r['pole_negative']} → {r['pole_positive']}*: {_pct(r['positive_share'])} of {r['n_answers']} answers "
             f"on the {r['pole_positive']} side ({_ci(r['ci_low'], r['ci_high'])})" for _, r in axes.iterrows()]
    return "On Driessens & Van Regenmortel's three axes: " + "; ".join(parts) + "."


def ipa_summary(ipa: pd.DataFrame) -> str:
    focus = ipa[ipa["quadrant"] == "concentrate here"]
    head = (f"Cross-hairs at the medians: {_pct(ipa.attrs['importance_median'])} rate an expectation important, "
            f"{_pct(ipa.attrs['performance_median'])} answer an experience item on its positive side.")
    if focus.empty:
        return head + " No pair falls in *concentrate here*."
    pairs = "; ".join(f"**{r['expectation']}** ↔ {r['experience']} (important to {_pct(r['importance'])}, "
                      f"positive experience {_pct(r['performance'])})" for _, r in focus.iterrows())
    return head + f" In *concentrate here* — expected most, met less fully than the others: {pairs}."


def emotions_summary(emotions: pd.DataFrame, any_threshold: str) -> str:
    means = emotions.groupby("group")["share"].mean()
    top = emotions[emotions["group"] == "threshold"].sort_values("share", ascending=False).iloc[0]
    return (f"On average {_pct(means['reassuring'])} name each reassuring emotion (gratitude, calm, safety, relief) "
            f"and {_pct(means['threshold'])} each threshold emotion (shame, nervousness, frustration, sadness); "
            f"the most named threshold emotion is {top['emotion']} ({top['named']} of {top['n']}). "
            f"{any_threshold} This is the thesis's argument that a threshold to asking for help remains "
            "(lines 1658-1660, 2103-2105).")


def subgroup_summary(tests: pd.DataFrame, reconstructed: bool, min_group_size: int) -> str:
    if reconstructed:
        sig = tests[tests["share_significant"] > 0]
        spread = (tests["effect_max"] - tests["effect_min"]).median()
        return (f"These are **not findings**. The published figures fix each item's distribution but not who gave "
                f"which answer, so the {len(tests)} comparisons below were repeated over "
                f"{int(tests['reconstructions'].max())} reconstructions that all satisfy every reported fact. "
                f"The effect sizes span a median range of {spread:.2f} between reconstructions, and "
                f"{len(sig)} comparisons reach Holm-corrected p < .05 in at least one reconstruction: "
                "the published figures cannot tell whether any group differs.")
    tested = tests[tests["test"] != "none"]
    sig = tested[tested["p_holm"] < 0.05]
    text = (f"{len(tested)} comparisons of groups with at least {min_group_size} respondents, Holm-corrected "
            f"within each grouping. ")
    if sig.empty:
        return text + "None reaches p < .05 after correction."
    found = "; ".join(f"{r['outcome']} by {r['grouping']} ({r['groups']}): {r['effect_name']} {r['effect']:.2f}, "
                      f"p (Holm) = {r['p_holm']:.3f}, n = {r['n']}" for _, r in sig.iterrows())
    return text + f"{len(sig)} reach p < .05 after correction: {found}."


def any_threshold_text(df: pd.DataFrame, ensemble: pd.DataFrame | None) -> str:
    """How many name at least one threshold emotion: observed, or its range over reconstructions."""
    from .descriptives import wilson_interval
    from .inference import ensemble_range
    from .theory import any_threshold_share

    if ensemble is not None:
        lo, med, hi = ensemble_range(ensemble, any_threshold_share)
        return (f"How many name at least one threshold emotion depends on how answers combine, which the "
                f"publication does not tell: between {_pct(lo)} and {_pct(hi)} over "
                f"{ensemble['reconstruction'].nunique()} reconstructions (median {_pct(med)}).")
    share = any_threshold_share(df)
    k = round(share * len(df))
    lo, hi = wilson_interval(k, len(df))
    return f"{k} of {len(df)} ({_pct(share)}, {_ci(lo, hi)}) name at least one threshold emotion."
