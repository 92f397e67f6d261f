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
