"""Sentences for the report, generated from each run's data so that they stay true for a new
intake. Each function returns Markdown, in the current report language (:mod:`analysis_utils.i18n`)."""
from __future__ import annotations

import pandas as pd

from .escaping import md
from .fmt import ci_text, p_text, pct, pct_text
from .i18n import N_, _, ngettext, value
from .intake import Intake

RECONSTRUCTED_NOTE = N_(
    "> **Reconstructed data.** The thesis never published its respondent-level answers. This "
    "intake is *reconstructed* from the figures it reports: every count the thesis gives holds "
    "exactly, but how answers combine across questions is invented. Read a single-item count as "
    "the thesis's own where it gives one (chapter 02 marks which shares rest only on words such as "
    "\"het merendeel\"); read nothing into cross-tabulations, correlations or subgroup differences."
)
SYNTHETIC_NOTE = N_("> **Synthetic data.** These answers were generated to exercise the pipeline; they describe nobody.")


def _and(names: list[str]) -> str:
    """"a, b and c" in the current language."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def source_words(source: str) -> str:
    from .book import source_words as words

    return words(source)


def intake_summary(intake: Intake) -> str:
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


def coverage_summary(coverage: pd.DataFrame, n: int) -> str:
    """Which items not everybody answered, and why."""
    full = coverage[coverage["n"] == n]
    short = coverage[coverage["n"] < n]
    lines = [_("{full} of {items} items were answered by all {n} respondents.").format(
        full=len(full), items=len(coverage), n=n)]
    for _i, r in short.iterrows():
        why = []
        if r["missing_by_design"]:
            why.append(_("{k} not asked by design").format(k=r["missing_by_design"]))
        if r["missing_otherwise"]:
            why.append(_("{k} missing otherwise").format(k=r["missing_otherwise"]))
        lines.append(f"- `{r['item_id']}` ({r['label']}): n = {r['n']} — {', '.join(why)}")
    unexpected = int(coverage["missing_otherwise"].sum())
    lines.append("")
    lines.append(
        _("No answer is missing by accident.") if unexpected == 0 else
        ngettext("{k} answer is missing without a reason in the questionnaire's design.",
                 "{k} answers are missing without a reason in the questionnaire's design.", unexpected).format(k=unexpected)
    )
    return "\n".join(lines)


def validation_summary(intake: Intake) -> str:
    cb = intake.codebook
    n = len(intake.responses)
    answered = int(intake.responses[cb.item_ids].notna().sum().sum())
    return _("All {n} rows of `{file}` passed validation against codebook {version}: {items} item columns, "
             "{answers} answers, every respondent id unique.").format(
        n=n, file=intake.files[-1].name, version=cb.version, items=len(cb.items), answers=answered)


def outputs_summary(intake_id: str, written: list[str], processed: pd.DataFrame) -> str:
    files = ", ".join(f"`{f}`" for f in written)
    return _("Written to `data/processed/{intake}/`: {files} — {rows} rows, {columns} columns.").format(
        intake=intake_id, files=files, rows=len(processed), columns=processed.shape[1])


def source_note(manifest: dict) -> str:
    """The data's provenance, with the reconstruction warning where it applies."""
    text = _("Intake `{intake}`: {n} respondents, source: {source}.").format(
        intake=manifest["intake_id"], n=manifest["n_respondents"], source=source_words(manifest["source"]))
    if manifest["source"] == "reconstructed-from-publication":
        text += "\n\n" + _(RECONSTRUCTED_NOTE)
    elif manifest["source"] == "synthetic":
        text += "\n\n" + _(SYNTHETIC_NOTE)
    return text


def one_person_note(n: int) -> str:
    return _("At n = {n} one respondent is {points} percentage points: percentages are shown as whole "
             "numbers, and small differences between items mean one or two people.").format(
        n=n, points=round(100 / n, 1))


def tables_summary(intake_id: str, tables: list[str]) -> str:
    return _("Written to `reports/{intake}/tables/`: {tables}.").format(
        intake=intake_id, tables=", ".join(f"`{t}`" for t in tables))


def setup_display() -> None:
    """Show whole tables in the report: every row, full text, no truncation."""
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.max_colwidth", 300)
    pd.set_option("display.width", 250)


def view(table: pd.DataFrame, index: str, lang: str | None = None) -> pd.DataFrame:
    """A table for reading (:func:`analysis_utils.fmt.for_people`): ``index`` as the row labels
    with no index-name row, shares as "79 %", intervals as "60–90 %", p as "< 0.001", yes / no,
    headers in words, empty cells instead of <NA>, values in the report's language."""
    from .fmt import for_people

    return for_people(table, index, lang)


def ensemble_summary(intake: Intake, processed_dir) -> str:
    from .inference import read_ensemble

    ens = read_ensemble(processed_dir)
    if ens is None:
        return _("Not needed: this intake's source is {source}, its answers are observed as they combine, so "
                 "later chapters report its sub-group results as findings.").format(
            source=source_words(intake.meta["source"]))
    k = ens["reconstruction"].nunique()
    return _("Written `reconstructions.csv`: {k} reconstructions (seeds {first}–{last}) of {n} respondents each, "
             "all satisfying every reported fact.").format(
        k=k, first=ens["reconstruction"].min(), last=ens["reconstruction"].max(), n=len(ens) // k)


def identification_summary(table: pd.DataFrame) -> str:
    """Stage 01: what was written, and how much of it is proven."""
    methods = table["method"].value_counts()
    return _("Written `identification.csv`: {k} results that depend on how answers combine, each with its value "
             "in the reconstruction and the lowest and highest value the published figures allow. {sharp} ranges "
             "are proven (sharp); for the other {loose} the range found is reachable and the true one may be "
             "wider. Methods: {methods}.").format(
        k=len(table), sharp=int(table["sharp"].sum()), loose=int((~table["sharp"]).sum()),
        methods=", ".join(f"{value(m)} ({k})" for m, k in methods.items()))


def alpha_text(alphas: pd.DataFrame) -> str:
    """Cronbach's alpha per construct for a reconstruction: what the figures allow."""
    if alphas.empty:
        return ""
    return _("How consistently one person answers a construct's items is not in the publication: for the {k} "
             "constructs with several items, Cronbach's alpha in the reconstruction lies between {low:.2f} and "
             "{high:.2f}, but the published figures allow anything from {lower:.2f} to {upper:.2f} across them "
             "(per construct below; *proven* marks a range shown to be exact; the others were found with cells "
             "tied by a published fact held in place, so the true range may be wider — `identification.csv` "
             "names the method). Nothing can be said about the internal consistency of these constructs from "
             "the publication.").format(
        k=len(alphas), low=alphas["value_in_reconstruction"].min(), high=alphas["value_in_reconstruction"].max(),
        lower=alphas["lower"].min(), upper=alphas["upper"].max())


def constructs_summary(constructs: pd.DataFrame, worded: dict[str, str] | None = None) -> str:
    """The constructs read at a glance: the ``direction`` constructs ranked by their share on
    the strengthening side, the ``balance`` constructs (the thesis's balancing acts) shown
    between their poles with no ranking; ``worded`` (item label -> allowed range) names the
    constructs that pool shares a reconstruction read from a word of the text."""
    scored = constructs[constructs["positive_share"].notna()]
    direction = scored[scored["reading"] == "direction"].sort_values("positive_share", ascending=False, kind="stable")
    balance = scored[scored["reading"] == "balance"]
    unmeasured = constructs[constructs["n_items"] == 0]
    roles = constructs[(constructs["reading"] == "roles") & (constructs["n_items"] > 0)]
    first = _("{scored} of {total} constructs of the thesis's theory are scored from at least one item").format(
        scored=len(scored), total=len(constructs))
    if len(roles):
        first += _(", and {k} more ({names}) are only indicated: the thesis asks for roles that fit the situation, "
                   "so no answer scores them").format(k=len(roles), names=", ".join(roles["construct"]))
    lines = [first + "."]
    if len(direction):
        top, low = direction.iloc[0], direction.iloc[-1]
        lines += ["", _("Of the {k} constructs where more is better, the most answers on the strengthening side go "
                        "to **{top}** ({top_share}, {top_ci}, {answers} answers of {respondents} respondents); the "
                        "fewest to **{low}** ({low_share}, {low_ci}).").format(
            k=len(direction), top=top["construct"], top_share=pct_text(top["positive_share"]),
            top_ci=ci_text(top["ci_low"], top["ci_high"]), answers=int(top["n_answers"]),
            respondents=int(top["n_respondents"]), low=low["construct"], low_share=pct_text(low["positive_share"]),
            low_ci=ci_text(low["ci_low"], low["ci_high"]))]
    if len(balance):
        parts = "; ".join(
            _("**{construct}**: {negative} toward *{pole_negative}*, {middle} in the middle, {positive} toward "
              "*{pole_positive}*").format(
                construct=r["construct"], negative=pct_text(r["negative_share"]), pole_negative=r["pole_negative"],
                middle=pct_text(r["middle_share"]), positive=pct_text(r["positive_share"]),
                pole_positive=r["pole_positive"])
            + (" " + _("(line {line})").format(line=int(r["ideal_line"])) if pd.notna(r["ideal_line"]) else "")
            for _i, r in balance.iterrows())
        lines += ["", _("{k} constructs are balancing acts: the thesis puts the good relationship between their poles, "
                        "not at one end, so they are shown where the answers fall and not ranked — {parts}. The "
                        "questionnaire asks each item in one direction, so an answer at a pole says which way a "
                        "client leans, not that the balance is lost.").format(k=len(balance), parts=parts)]
    lines += ["", _("No item measures: {names}.").format(names=", ".join(f"*{c}*" for c in unmeasured["construct"]))
              if len(unmeasured) else _("Every construct is measured.")]
    deff = scored["design_effect"]
    lines += ["", (_("The intervals take the respondent as the unit: one person's answers to several items go "
                     "together, so each interval is widened by its design effect (here {low:.2f} to {high:.2f}).")
                   .format(low=deff.min(), high=deff.max()) if len(deff) else
                   _("The intervals take the respondent as the unit: one person's answers to several items go "
                     "together, so each interval is widened by its design effect."))]
    if "ci_widest_low" in scored and scored["ci_widest_low"].notna().any():
        lines[-1] += " " + _("For this reconstructed intake who gave which answer is invented, and the interval with "
                             "it: the table gives, beside the reconstruction's, the widest and the narrowest interval "
                             "that any arrangement of the published answers allows (at the reconstruction's own item "
                             "counts).")
    pooled = [r["construct"] for _i, r in scored.iterrows()
              if any(label.strip() in (worded or {}) for label in str(r["items"]).split(","))]
    if pooled:
        lines += ["", _("{k} of these constructs pool items whose share the thesis gives only as a word (\"het "
                        "merendeel\", \"afgezien van enkele\", \"vaker\"): {names}. Their shares are the "
                        "reconstruction's reading of those words, not counts of the thesis.").format(
            k=len(pooled), names=", ".join(pooled))]
    return "\n".join(lines)


def axes_summary(axes: pd.DataFrame) -> str:
    scored = axes[axes["positive_share"].notna()]
    parts = [_("*{negative} → {positive}*: {share} of {answers} answers on the {positive} side ({ci})").format(
        negative=r["pole_negative"], positive=r["pole_positive"], share=pct_text(r["positive_share"]),
        answers=int(r["n_answers"]), ci=ci_text(r["ci_low"], r["ci_high"])) for _i, r in scored.iterrows()]
    text = _("On Driessens & Van Regenmortel's three axes: {parts}.").format(
        parts="; ".join(parts) if parts else _("no axis is measured"))
    unscored = axes[axes["positive_share"].isna()]
    if len(unscored):
        text += " " + _("No item of the questionnaire measures {names}: the text links none to it.").format(
            names=", ".join(f"*{r['construct']}*" for _i, r in unscored.iterrows()))
    return text


from .theory import REVERSED_MARK  # noqa: E402


def ipa_summary(ipa: pd.DataFrame, worded: dict[str, str] | None = None) -> str:
    """The importance-performance reading. ``worded`` (item label -> the range the publication
    allows, :func:`analysis_utils.descriptives.worded_ranges`) marks shares that are a
    reconstruction's reading of a word, so no quadrant is claimed that the text cannot carry."""
    worded = worded or {}
    focus = ipa[ipa["quadrant"] == "concentrate here"]
    head = _("Cross-hairs at the medians: {importance} rate an expectation important, {performance} answer an "
             "experience item on its positive side.").format(
        importance=pct_text(ipa.attrs["importance_median"]), performance=pct_text(ipa.attrs["performance_median"]))
    quadrant = value("concentrate here")
    if focus.empty:
        return head + " " + _("No pair falls in *{quadrant}*.").format(quadrant=quadrant)

    def plain(label: str) -> str:
        return label.removesuffix(_(REVERSED_MARK))

    def share(label: str, v: float) -> str:
        allowed = worded.get(plain(label))
        return pct_text(v) + (" — " + _("the reconstruction's reading of a word; the thesis allows {allowed}").format(
            allowed=allowed) if allowed else "")

    pairs = "; ".join(_("**{expectation}** ↔ {experience} (important to {importance}, positive experience "
                        "{performance})").format(
        expectation=r["expectation"], experience=r["experience"], importance=share(r["expectation"], r["importance"]),
        performance=share(r["experience"], r["performance"])) for _i, r in focus.iterrows())
    text = head + " " + _("In *{quadrant}* — expected most, met less fully than the others: {pairs}.").format(
        quadrant=quadrant, pairs=pairs)
    unsure = [r for _i, r in focus.iterrows() if plain(r["experience"]) in worded or r["expectation"] in worded]
    if unsure:
        text += " " + _("For {k} of these {total} pairs the thesis gives no number, only a word, so the publication "
                        "does not fix whether they belong here.").format(k=len(unsure), total=len(focus))
    return text


def emotions_summary(emotions: pd.DataFrame, any_threshold: str, reconstructed: bool = False) -> str:
    means = emotions.groupby("group")["share"].mean()
    threshold = emotions[emotions["group"] == "threshold"]
    tops = threshold[threshold["share"] == threshold["share"].max()]
    top = tops.iloc[0]
    if len(tops) == 1:
        most = _("the most named threshold emotion is {emotion} ({k} of {n})").format(
            emotion=top["emotion"], k=top["named"], n=top["n"])
    else:  # a tie is a tie
        most = _("{names} are named equally often ({k} of {n} each)").format(
            names=_and(list(tops["emotion"])), k=top["named"], n=top["n"])
    worded = ""
    if reconstructed:  # the thesis gives no count for these emotions, only words
        worded = _("These shares are the reconstruction's reading of words, not counts the thesis gives: calm, "
                   "safety and relief are named by all \"afgezien van enkele cliënten\" (line 1653), and shame, "
                   "nervousness, frustration and sadness occur \"vaker\" than doubt, fear and distrust (line 1658), "
                   "which the reconstruction reads as half of the respondents; only gratitude (\"elke cliënt\", line "
                   "1652) is fixed.") + " "
    closing = (_("The thesis reads the four emotions being named \"vaker\" as a sign that a threshold to asking for "
                 "help remains (lines 1658–1660, 2103–2105); the published figures carry that some clients feel "
                 "them, not how many people feel at least one.") if reconstructed else
               _("This is the thesis's argument that a threshold to asking for help remains (lines 1658–1660, "
                 "2103–2105)."))
    return (_("On average {reassuring} name each reassuring emotion (gratitude, calm, safety, relief) and "
              "{threshold} each threshold emotion (shame, nervousness, frustration, sadness); {most}.").format(
        reassuring=pct_text(means["reassuring"]), threshold=pct_text(means["threshold"]), most=most)
        + " " + worded + (any_threshold + " " if any_threshold else "") + closing)


def home_language_text(table: pd.DataFrame | None, threshold: int = 5) -> str:
    """Understanding of information by home language, or why it is not shown."""
    wish = _("The author wished she had related the understanding of information to the clients' language "
             "(lines 2239–2243).")
    if table is None:
        return wish + " " + _("This questionnaire version does not ask the home language; version 2 does.")
    left = table.attrs.get("left_out", 0)
    dropped = (" " + _("{groups} language group(s) with fewer than {threshold} respondents ({left} respondents) are "
                       "not shown, so that nobody can be recognised.").format(
        groups=table.attrs.get("groups_left_out", 0), threshold=threshold, left=left) if left else "")
    if table.empty:
        return (wish + " " + _("No home language is spoken by {threshold} or more respondents, so nothing can be "
                               "shown.").format(threshold=threshold) + dropped)
    groups = table.iloc[:, 0].nunique()
    return (wish + " " + ngettext(
        "Questionnaire version 2 asks it: below, understanding of information and clear communication for the "
        "{groups} home language spoken by at least {threshold} respondents.",
        "Questionnaire version 2 asks it: below, understanding of information and clear communication for the "
        "{groups} home languages spoken by at least {threshold} respondents.", groups).format(
        groups=groups, threshold=threshold)
        + dropped + " " + _("The groups are small: read differences of a few points as one or two people."))


def overlap_note(shared: dict[str, list[str]]) -> str:
    """Which outcomes share items (:func:`analysis_utils.theory.shared_items`)."""
    if not shared:
        return ""
    pairs = "; ".join(_("{outcome} with {others}").format(outcome=value(o), others=", ".join(value(x) for x in others))
                      for o, others in shared.items())
    return " " + _("{k} of the outcomes share items with another ({pairs}): their tests reuse the same answers and "
                   "are not separate findings.").format(k=len(shared), pairs=pairs)


def subgroup_summary(tests: pd.DataFrame, reconstructed: bool, min_group_size: int,
                     shared: dict[str, list[str]] | None = None, identification: pd.DataFrame | None = None) -> str:
    """The sub-group comparisons in words: one Holm family over every test of the chapter, its
    size stated; ``shared`` names outcomes that reuse each other's items. For a reconstruction
    with its ``identification`` table: the ranges the published figures allow, per scale."""
    family = tests.attrs.get("family", len(tests))
    overlap = overlap_note(shared or {})
    if reconstructed and identification is not None:
        parts = []
        for name in ("rank-biserial", "epsilon²"):
            rows = identification[identification["quantity"].str.startswith(name + ":")]
            if len(rows):
                wide = rows["upper"] - rows["lower"]
                parts.append(_("for the {k} {scale} comparisons the allowed range spans a median {median:.2f} of the "
                               "scale, from {low:.2f} to {high:.2f} ({sharp} proven, the others at least as wide)").format(
                    k=len(rows), scale=value(name), median=wide.median(), low=rows["lower"].min(),
                    high=rows["upper"].max(), sharp=int(rows["sharp"].sum())))
        return _("These are **not findings**. The published figures fix each item's distribution but not who gave "
                 "which answer, so every sub-group difference below can take any value some arrangement of the "
                 "published answers gives: {parts}. The published figures cannot tell whether any group differs. "
                 "The table shows, per comparison, the reconstruction's value and the range the figures allow "
                 "(`identification.csv`); the random reconstructions add only typical values if the items were "
                 "unrelated, with the Holm correction over the family of all {family} tests of this chapter.").format(
            parts="; ".join(parts), family=family) + overlap
    if reconstructed:
        sig = tests[tests["share_significant"] > 0]
        spreads = (tests["effect_max"] - tests["effect_min"]).groupby(tests["effect_name"]).median()
        spread = _and([f"{v:.2f} ({value(name)})" for name, v in spreads.items()])  # one scale at a time
        return _("These are **not findings**. The published figures fix each item's distribution but not who gave "
                 "which answer, so the {k} comparisons below were repeated over {r} reconstructions that all "
                 "satisfy every reported fact. The effect sizes span a median range of {spread} between "
                 "reconstructions, and {sig} comparisons reach p < .05 in at least one reconstruction, "
                 "Holm-corrected over the family of all {family} tests of this chapter: the published figures "
                 "cannot tell whether any group differs.").format(
            k=len(tests), r=int(tests["reconstructions"].max()), spread=spread, sig=len(sig), family=family) + overlap
    tested = tests[tests["test"] != "none"]
    sig = tested[tested["p_holm"] < 0.05]
    text = _("{k} comparisons of groups with at least {min} respondents, Holm-corrected as one family of all "
             "{family} tests of this chapter.").format(k=len(tested), min=min_group_size, family=family) + overlap + " "
    if sig.empty:
        return text + _("None reaches p < .05 after correction.")
    found = "; ".join(_("{outcome} by {grouping} ({groups}): {effect_name} {effect:.2f}, p (Holm) {p}, n = {n}").format(
        outcome=value(r["outcome"]), grouping=value(r["grouping"]), groups=md(value(r["groups"])),
        effect_name=value(r["effect_name"]), effect=r["effect"], p=p_text(r["p_holm"]), n=r["n"])
        for _i, r in sig.iterrows())
    return text + _("{k} reach p < .05 after correction: {found}.").format(k=len(sig), found=found)


def any_threshold_text(df: pd.DataFrame, ensemble: pd.DataFrame | None, identification: pd.DataFrame | None = None) -> str:
    """How many name at least one threshold emotion: observed, or, for a reconstruction, the
    range the published figures allow (and the typical spread if the items were unrelated)."""
    from .descriptives import wilson_interval
    from .inference import ensemble_range
    from .theory import any_threshold_share, threshold_items

    if identification is not None:
        rows = identification[identification["quantity"] == "share naming at least one threshold emotion"]
        own, admitted = rows.iloc[0], rows.iloc[-1]
        text = _("How many name at least one threshold emotion depends on how answers combine, which the "
                 "publication does not tell: at the reconstruction's own counts the published figures allow anything "
                 "from {low} (the same people name all four) to {high} (each names a different one); over every "
                 "count the text's words admit, no more than {outer_low} to {outer_high} (an outer bound: \"vaker\" "
                 "compares groups of emotions, not one by one).").format(
            low=pct_text(own["lower"]), high=pct_text(own["upper"]), outer_low=pct_text(admitted["lower"]),
            outer_high=pct_text(admitted["upper"]))
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


# --- limitations (stage 04) ---------------------------------------------------------------------

def response_text(n: int, approached: int, bounds: pd.DataFrame) -> str:
    sat = bounds.iloc[0]
    widest = (bounds["best_case"] - bounds["worst_case"]).max()
    return _("{n} of {approached} clients approached answered ({rate}); {missing} did not. The thesis suspects that "
             "clients with a negative view are among them (lines 2150–2158). If every non-respondent had answered "
             "negatively or positively, each share below could lie anywhere in a band up to {widest} points wide: "
             "{item} (Figuur {figure}), observed {observed}, would lie between {worst} and {best} of all clients "
             "approached.").format(
        n=n, approached=approached, rate=pct_text(n / approached), missing=approached - n, widest=pct(widest),
        item=sat["item"], figure=sat["figure"], observed=pct_text(sat["observed"]), worst=pct_text(sat["worst_case"]),
        best=pct_text(sat["best_case"]))


def precision_text(n: int, widths: dict, mdd: dict) -> str:
    parts = [_("At n = {n} a Wilson 95 % interval is {half} points wide around a share of 50 % and {ninety} points "
               "around 90 %.").format(n=n, half=pct(widths[0.5]), ninety=pct(widths[0.9]))]
    for label, m in mdd.items():
        if m["share_to"] == m["share_to"]:
            drop = _("only a drop in a share from {start} (as observed) to {end} or lower").format(
                start=pct_text(m["share_from"]), end=pct_text(m["share_to"]))
        else:
            drop = _("no drop at all from a share of {start} (as observed)").format(start=pct_text(m["share_from"]))
        how = (_("Fisher's exact test, α = .05, two-sided, power computed exactly") if m["test"].startswith("Fisher")
               else _("two-sided test of two shares, α = .05, normal approximation"))
        parts.append(_("Two groups of {groups} detect with 80 % power ({how}) {drop}; for mean scores a t-test would "
                       "need Cohen's d = {d:.2f}.").format(groups=label, how=how, drop=drop, d=m["cohen_d"]))
    return " ".join(parts)


def mode_text(df: pd.DataFrame, subgroups: pd.DataFrame | None, reconstructed: bool,
              identification: pd.DataFrame | None = None) -> str:
    counts = df["interview_mode"].value_counts()
    text = _("{face} questionnaires were taken face to face and {phone} by telephone. Face to face, with the "
             "interviewer present, answers may lean towards what is socially desirable (lines 2166–2177); by "
             "telephone, anonymity is better but explanation harder.").format(
        face=counts.get("face to face", 0), phone=counts.get("telephone", 0)) + " "
    if subgroups is None or subgroups.empty:
        return text
    mode = subgroups[subgroups["grouping"] == "interview_mode"]
    if reconstructed and identification is not None:
        rows = identification[identification["quantity"].str.endswith(" by interview_mode")
                              & identification["quantity"].str.startswith("rank-biserial")]
        return text + _("Whether the two modes differ cannot be known from the publication: for the {k} outcomes "
                        "compared, the published figures allow rank-biserial correlations between modes from "
                        "{low:.2f} to {high:.2f} (table `identification.csv`).").format(
            k=len(rows), low=rows["lower"].min(), high=rows["upper"].max())
    if reconstructed:
        return text + _("Whether the two modes differ cannot be known from the publication: over the reconstructions "
                        "the rank-biserial correlation between modes ranges from {low:.2f} to {high:.2f} across the "
                        "outcomes compared.").format(low=mode["effect_min"].min(), high=mode["effect_max"].max())
    tested = mode[mode["test"] != "none"]
    return text + _("In this intake the rank-biserial correlation between modes lies between {low:.2f} and "
                    "{high:.2f}; the smallest Holm-corrected p {p}.").format(
        low=tested["effect"].min(), high=tested["effect"].max(), p=p_text(tested["p_holm"].min()))


def ceiling_text(ceiling: pd.DataFrame, reconstructed: bool) -> str:
    half = ceiling[ceiling["ceiling_share"] >= 0.5]
    text = _("{k} of {total} rated items have half or more of their answers at the most positive category (median "
             "{median}). With so little room at the top, differences between items, groups or rounds shrink, and the "
             "author herself saw many quick fives on scale items (line 2191).").format(
        k=len(half), total=len(ceiling), median=pct_text(ceiling["ceiling_share"].median()))
    if reconstructed:
        text += " " + _("For this reconstructed intake, how a positive total splits between the two highest answers "
                        "is set by the reconstruction's documented rule (21 : 6, from Figuur 21) wherever the thesis "
                        "gives no split, so these ceiling shares show the rule more than the clients.")
    return text


def pilot_text(coverage: pd.DataFrame, goals: dict | None, pilot_items: list[str]) -> str:
    short = coverage[coverage["item_id"].isin(pilot_items) & (coverage["missing_by_design"] > 0)]
    if short.empty:
        text = _("No pilot questionnaire is part of this intake, so no item lacks answers by design of the pilot.") + " "
    else:
        items = ", ".join(f"`{r['item_id']}` (n = {r['n']})" for _i, r in short.iterrows())
        text = _("The pilot questionnaires lacked some items, which therefore have a smaller n: {items}.").format(
            items=items) + " "
    if goals is None:
        return text + _("This questionnaire version asks whether client and social worker have the *same* goals, so "
                        "the misreading of the negatively worded 2015 item (lines 2225–2233) cannot arise.")
    return text + _("The goals item (Figuur 17) asks about *different* goals, so agreeing is the negative answer. The "
                    "author writes that a positive judgement had to be a 1 or 2, and that most clients had not "
                    "understood this (lines 2227–2231); yet she reads every answer as \"dezelfde doelen\" (line 1787). "
                    "Taken literally, {coded} of {n} report the same goals; read the way most clients meant it, "
                    "{other} of {n} do; the author's reading counts {author} of {n}. No reading can be checked, so "
                    "this report scores the item in no construct and reports it as neither agreement nor "
                    "disagreement; the comparison across intakes leaves it out.").format(
        coded=goals["same_goals_as_coded"], other=goals["same_goals_read_other_way"],
        author=goals["same_goals_author_reading"], n=goals["n"])


def own_limits_text(limits: list[dict], lang: str | None = None) -> str:
    """The limits the thesis names itself, each with its verbatim Dutch fragment and line."""
    from .i18n import current, language

    lang = lang or current()
    with language(lang):
        head = _("The thesis names these limits of its own study, each quoted with its line:")
        line = _("line")
    return head + "\n\n" + "\n".join(f"- {md(x['nl' if lang == 'nl' else 'en'])} — *\"{md(x['quote'])}\"* ({line} "
                                      f"{x['seed_line']})" for x in limits)


def pilot_sensitivity_text(table: pd.DataFrame, reconstructed: bool) -> str:
    if table.empty:
        return _("No pilot questionnaire is part of this intake, so there is nothing to leave out.")
    n_pilot = int(table["n_pilot"].max())
    biggest = table.loc[table["difference"].abs().idxmax()]
    text = ngettext(
        "Left out, the {k} pilot questionnaire changes the top-2 share of the {items} items it answered by at most "
        "{points} points ({item}: {with_} with, {without} without).",
        "Left out, the {k} pilot questionnaires change the top-2 share of the {items} items they answered by at most "
        "{points} points ({item}: {with_} with, {without} without).", n_pilot).format(
        k=n_pilot, items=len(table), points=pct(abs(biggest["difference"])), item=biggest["item"],
        with_=pct_text(biggest["share_all"]), without=pct_text(biggest["share_main_only"]))
    if reconstructed:
        widest = (table["main_only_highest"] - table["main_only_lowest"]).max()
        text += " " + _("Which answers the pilots gave is not published, so these values are the reconstruction's; any "
                        "arrangement the published counts allow puts each share without the pilots inside the "
                        "columns *{lowest}* and *{highest}*, a band at most {points} points wide.").format(
            lowest=_("without, lowest"), highest=_("without, highest"), points=pct(widest))
    return text


def representativeness_text(nat: dict, teams: int = 1) -> str:
    return (_("{k} of {n} respondents are Belgian ({share}, {ci}). The thesis notes that Genk, a former mining town, "
              "has a very diverse population and that clients of foreign origin are under-represented, perhaps "
              "through the language barrier (lines 2158–2162, 2200–2206), but gives no figure for the population it "
              "could be compared with.").format(
        k=nat["k"], n=nat["n"], share=pct_text(nat["share"]), ci=ci_text(nat["ci_low"], nat["ci_high"])) + " "
        + (_("Only budget clients of one team of one OCMW were asked, so the results describe that team's clients, "
             "not budget clients in general.") if teams == 1 else
           _("Budget clients of {teams} teams were asked, so the results describe those teams' clients, not budget "
             "clients in general.").format(teams=teams)))


def coverage_text(matrix: pd.DataFrame) -> str:
    empty = [c for c, row in matrix.iterrows() if row.sum() == 0]
    single = [c for c, row in matrix.iterrows() if row.sum() == 1]
    return _("{measured} of {total} constructs of the thesis's theory are measured by at least one item; {single} "
             "rest on a single item ({names}). Nothing measures: {empty}.").format(
        measured=len(matrix) - len(empty), total=len(matrix), single=len(single), names=", ".join(single),
        empty=", ".join(empty))


def dependence_text(table: pd.DataFrame, reconstructed: bool) -> str:
    if not reconstructed:
        return _("This intake's answers are observed as given, so every result in this report is a result of the data.")
    loose = table[~table["fixed by the publication"]]
    ranged = loose[loose["lower"].notna()]

    def allowed(r) -> str:
        sharp = r.get("sharp")
        proven = sharp is None or (isinstance(sharp, float) and sharp != sharp) or bool(sharp)  # NaN: not given
        words = _("{result}: anything from {low:.2f} to {high:.2f}") if proven else _("{result}: at least {low:.2f} to {high:.2f}")
        return words.format(result=value(r["result"]), low=r["lower"], high=r["upper"])

    parts = "; ".join(allowed(r) for _i, r in ranged.iterrows())
    if len(ranged) < len(loose):  # single-item shares the thesis only words ("het merendeel")
        head = _("The published figures fix the single-item shares the thesis gives in numbers or universal "
                 "statements. Those it only words (\"het merendeel\", \"enkele\", \"afgezien van enkele\") are the "
                 "reconstruction's reading of the word, inside the range the word allows (chapter 02, column *the "
                 "publication*; `item_summary.csv`), and so are the construct shares that pool them.") + " "
    else:
        head = _("The published figures fix every single-item distribution, and with it every share, interval, "
                 "construct share and the importance-performance grid.") + " "
    text = head + _("Everything that depends on how one person's answers combine is open: over every arrangement of "
                    "the published answers, the published figures allow — {parts}. These are identified ranges "
                    "(table `identification.csv`): \"anything from\" where the bound is proven, \"at least\" where a "
                    "search found values that some arrangement reaches, so the true range may be wider.").format(parts=parts)
    if "if unrelated" in table and table["if unrelated"].notna().any():
        text += " " + _("The column *if unrelated* shows the spread over random reconstructions, that is, typical "
                        "values if the items were unrelated — one scenario, not the limits.")
    return text


def small_group_note(min_group_size: int) -> str:
    return _("Groups with fewer than {min} respondents are left out of every comparison, so that nobody can be "
             "recognised and no test rests on a handful of answers.").format(min=min_group_size)


def split_rule_note(manifest: dict, summary: pd.DataFrame | None = None) -> str:
    """For a reconstructed intake: which of the numbers above the publication fixes."""
    if manifest["source"] != "reconstructed-from-publication":
        return ""
    fixed = ""
    if summary is not None and "provenance" in summary:
        k = summary["provenance"].dropna().value_counts()
        fixed = _("Of the {total} rated items, the thesis fixes the top-2 share of {count} by a number it gives and of "
                  "{bound} by a universal statement alone (\"elke\", \"iedereen\", \"geen enkele\"; *fixes it in "
                  "words*). For {quantifier} it uses only a verbal quantifier (\"het merendeel\", \"enkele\", "
                  "\"afgezien van enkele\", \"vaker\"): the text allows a range, shown in the column *the "
                  "publication*, and the share above is the point the reconstruction's rule picked inside it. For "
                  "{inferred} the text says nothing that pins the share.").format(
            total=int(k.sum()), count=k.get("count", 0), bound=k.get("bound", 0), quantifier=k.get("quantifier", 0),
            inferred=k.get("inferred", 0)) + " "
    return (_("> **Which numbers the publication fixes.**") + " " + fixed
            + _("n is the thesis's own throughout. Where the thesis gives only a positive total (\"tevreden or zeer "
                "tevreden\"), how it splits between the two highest answers is the reconstruction's documented rule "
                "(21 : 6, from Figuur 21), so the medians, quartiles and shares at the maximum of those items show "
                "that rule, not the clients."))
