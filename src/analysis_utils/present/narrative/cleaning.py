"""Chapter 01's sentences: the intake, its validation, the items not everybody answered, what was
written, and what stage 01 computed for a reconstructed intake."""
from __future__ import annotations

import re

import pandas as pd

from ...fmt import pct
from ...i18n import _, ngettext
from ...intake.derive import respondent_codes
from ...intake.meta import confirmed_phrases
from ..escaping import md
from ..labels import item_label, source_words, value
from .common import RECONSTRUCTED_NOTE


def intake_summary(intake) -> str:
    """Title, organisation, fieldwork, response and source of the intake."""
    meta = intake.meta
    n = len(intake.responses)
    approached = meta["clients_approached"]
    text = (
        _("**{title}** — {organisation}, fieldwork {period}.").format(
            title=md(intake.text("title")), organisation=md(intake.text("organisation")),
            period=md(intake.text("fieldwork_period"))) + "\n\n"
        + _("{n} respondents of {approached} clients approached (response {rate} %), questionnaire version "
            "{version} ({items} items), source: {source}.").format(
            n=n, approached=approached, rate=pct(n / approached), version=intake.codebook.version,
            items=len(intake.codebook.items), source=source_words(meta["source"]))
    )
    if intake.reconstructed:
        text += "\n\n" + _(RECONSTRUCTED_NOTE)
    return text


def composition_note(reconstructed: bool) -> str:
    """Under the table of groups: for a reconstructed intake, which counts are the thesis's."""
    if not reconstructed:
        return ""
    return _("Where the thesis gives no count for a group, or a percentage that no whole count meets, the count "
             "above is the reconstruction's: chapter 2's table of the publication's facts shows which (for "
             "instance a share given only as a percentage, such as the type of help).")


def coverage_summary(coverage: pd.DataFrame, n: int, codebook, reconstructed: bool = False) -> str:
    """Which items not everybody answered, and why. In a reconstructed intake an item the
    publication never shows (``evidence: inferred``) has the reconstruction's answers: its missing
    answers are no client's, and are not counted as missing without a reason."""
    full = coverage[coverage["n"] == n]
    short = coverage[coverage["n"] < n]
    lines = [_("{full} of {items} items were answered by all {n} respondents.").format(
        full=len(full), items=len(coverage), n=n)]
    made = [i for i in coverage["item_id"] if reconstructed and codebook.item(i).evidence == "inferred"]
    for _i, r in short.iterrows():
        why = []
        if r["missing_by_design"]:
            why.append(_("{k} not asked by design").format(k=r["missing_by_design"]))
        if r["missing_otherwise"]:
            why.append((_("{k} left empty by the reconstruction") if r["item_id"] in made else
                        _("{k} missing otherwise")).format(k=r["missing_otherwise"]))
        lines.append(f"- `{r['item_id']}` ({item_label(codebook, r['item_id'])}): n = {r['n']} — {', '.join(why)}")
    unexpected = int(coverage.loc[~coverage["item_id"].isin(made), "missing_otherwise"].sum())
    lines.append("")
    lines.append(
        _("No answer is missing by accident.") if unexpected == 0 else
        ngettext("{k} answer is missing without a reason in the questionnaire's design.",
                 "{k} answers are missing without a reason in the questionnaire's design.", unexpected).format(k=unexpected)
    )
    inferred = coverage[coverage["item_id"].isin(made) & (coverage["missing_otherwise"] > 0)]
    if len(inferred):
        lines[-1] += " " + _("The answers of {items} are the reconstruction's: the thesis never shows this question, so "
                             "who answered it, and who did not, is the reconstruction's choice, not a client's.").format(
            items=", ".join(f"`{i}`" for i in inferred["item_id"]))
    return "\n".join(lines)


def validation_summary(intake) -> str:
    """What validation found, how the respondents are numbered, and the phrases the intake
    confirms are no person's name."""
    cb = intake.codebook
    n = len(intake.responses)
    answered = int(intake.responses[cb.item_ids].notna().sum().sum())
    codes = respondent_codes(n)
    text = _("All {n} rows of `{file}` passed validation against codebook {version}: {items} item columns, "
             "{answers} answers, every respondent id unique.").format(
        n=n, file=intake.files[-1].name, version=cb.version, items=len(cb.items), answers=answered)
    text += " " + _("The processed data number the respondents afresh, {first} to {last} in the order of the rows; "
                    "the ids as entered stay in `data/raw/`.").format(first=codes[0], last=codes[-1])
    if confirmed := confirmed_phrases(intake.meta):
        text += " " + _("The intake confirms that these phrases are no person's name: {phrases}.").format(
            phrases=", ".join(f"“{md(p)}”" for p in confirmed))
    return text + ("\n\n" + export_summary(intake.export) if intake.export is not None else "")


PLATFORMS = {"kobotoolbox": "KoboToolbox", "odk-central": "ODK Central"}


def export_summary(export) -> str:
    """Which columns of a tablet form's export were dropped on reading (:mod:`analysis_utils.intake.export`)."""
    plain = [c for c in export.dropped if re.fullmatch(r"[A-Za-z0-9_./-]{1,60}", c)]  # safe in a code span
    columns = ", ".join([f"`{c}`" for c in plain] + (["…"] if len(plain) < len(export.dropped) else []))
    return ngettext(
        "The answers are an export of {platform}. Its {k} metadata column was dropped on reading, before any of "
        "its cells was looked at, as it could identify a device or a person: {columns}. Respondent codes (R001, "
        "R002, …) were made from the rows, in the file's order.",
        "The answers are an export of {platform}. Its {k} metadata columns were dropped on reading, before any of "
        "their cells was looked at, as they could identify a device or a person: {columns}. Respondent codes "
        "(R001, R002, …) were made from the rows, in the file's order.", len(export.dropped)).format(
        platform=PLATFORMS[export.format], k=len(export.dropped), columns=columns or "—")


def outputs_summary(intake_id: str, written: list[str], processed: pd.DataFrame) -> str:
    files = ", ".join(f"`{f}`" for f in written)
    return _("Written to `data/processed/{intake}/`: {files} — {rows} rows, {columns} columns.").format(
        intake=intake_id, files=files, rows=len(processed), columns=processed.shape[1])


def ensemble_summary(source: str, ensemble: pd.DataFrame | None) -> str:
    """What the seeded reconstructions are, or why there are none."""
    if ensemble is None:
        return _("No reconstructions are needed. Source: {source}; the intake holds each respondent's own answers, "
                 "so later chapters test its sub-groups directly.").format(source=source_words(source))
    k = ensemble["reconstruction"].nunique()
    return _("Written `reconstructions.csv`: {k} reconstructions (seeds {first}–{last}) of {n} respondents each, "
             "each reproducing every reported fact as nearly as whole counts allow (a percentage that no count of "
             "{n} gives is met as nearly as possible).").format(
        k=k, first=ensemble["reconstruction"].min(), last=ensemble["reconstruction"].max(), n=len(ensemble) // k)


def identification_summary(table: pd.DataFrame) -> str:
    """Stage 01: what was written, over which counts, and how much of it is proven, in plain words
    (each range's method is a column of the file, not a list in the text)."""
    admitted = table[table["marginals_id"] == "admissible"] if "marginals_id" in table else table
    sharp = int(admitted["sharp"].astype(bool).sum())
    text = _("Written `identification.csv`: {k} results that depend on how answers combine, each with its value "
             "in the reconstruction and the lowest and highest value the published figures allow.").format(k=len(table))
    if len(admitted) < len(table):
        text += " " + _("{a} of them are taken over every count the publication admits; the other {r} hold only at "
                        "the reconstruction's own item counts.").format(a=len(admitted), r=len(table) - len(admitted))
    text += " " + (_("Over every admitted count, {sharp} ranges are proven: no arrangement of the published answers "
                     "gives a value outside them.") if sharp == len(admitted) else _(
        "Over every admitted count, {sharp} ranges are proven: no arrangement of the published answers gives a value "
        "outside them; for the other {loose} a search found values that some arrangement reaches, so the true range "
        "may be wider.")).format(sharp=sharp, loose=len(admitted) - sharp)
    return text + " " + _("The file names the method behind each range.")
