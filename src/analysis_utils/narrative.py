"""Sentences for the report, generated from each run's data so that they stay true for a new
intake. Each function returns Markdown."""
from __future__ import annotations

import pandas as pd

from .escaping import md
from .fmt import ci_text, p_text, pct, pct_text
from .intake import Intake

RECONSTRUCTED_NOTE = (
    "> **Reconstructed data.** The thesis never published its respondent-level answers. This "
    "intake is *reconstructed* from the figures it reports: every count the thesis gives holds "
    "exactly, but how answers combine across questions is invented. Read a single-item count as "
    "the thesis's own where it gives one (chapter 02 marks which shares rest only on words such as "
    "\"het merendeel\"); read nothing into cross-tabulations, correlations or subgroup differences."
)


def intake_summary(intake: Intake) -> str:
    meta = intake.meta
    n = len(intake.responses)
    approached = meta["clients_approached"]
    text = (
        f"**{md(meta['title'])}** — {md(meta['organisation'])}, fieldwork {md(meta['fieldwork_period'])}.\n\n"
        f"{n} respondents of {approached} clients approached "
        f"(response {pct(n / approached)} %), questionnaire version "
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
        f"{unexpected} answer{'s are' if unexpected != 1 else ' is'} missing without a reason in the questionnaire's design."
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


def one_person_note(n: int) -> str:
    return (f"At n = {n} one respondent is {100 / n:.1f} percentage points: percentages are shown as whole "
            "numbers, and small differences between items mean one or two people.")


def tables_summary(intake_id: str, tables: list[str]) -> str:
    return f"Written to `reports/{intake_id}/tables/`: " + ", ".join(f"`{t}`" for t in tables) + "."


def setup_display() -> None:
    """Show whole tables in the report: every row, full text, no truncation."""
    pd.set_option("display.max_rows", 500)
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.max_colwidth", 300)
    pd.set_option("display.width", 250)


def view(table: pd.DataFrame, index: str, lang: str = "en") -> pd.DataFrame:
    """A table for reading (:func:`analysis_utils.fmt.for_people`): ``index`` as the row labels
    with no index-name row, shares as "79 %", intervals as "60–90 %", p as "< 0.001", yes / no,
    headers in words, empty cells instead of <NA>."""
    from .fmt import for_people

    return for_people(table, index, lang)


def ensemble_summary(intake: Intake, processed_dir) -> str:
    from .inference import read_ensemble

    ens = read_ensemble(processed_dir)
    if ens is None:
        return (f"Not needed: this intake's source is `{intake.meta['source']}`, its answers are observed "
                "as they combine, so later chapters report its sub-group results as findings.")
    return (f"Written `reconstructions.csv`: {ens['reconstruction'].nunique()} reconstructions "
            f"(seeds {ens['reconstruction'].min()}–{ens['reconstruction'].max()}) of {len(ens) // ens['reconstruction'].nunique()} "
            "respondents each, all satisfying every reported fact.")


def identification_summary(table: pd.DataFrame) -> str:
    """Stage 01: what was written, and how much of it is proven."""
    methods = table["method"].value_counts()
    return (f"Written `identification.csv`: {len(table)} results that depend on how answers combine, each with its "
            f"value in the reconstruction and the lowest and highest value the published figures allow. "
            f"{int(table['sharp'].sum())} ranges are proven (sharp); for the other {int((~table['sharp']).sum())} the "
            "range found is reachable and the true one may be wider. Methods: "
            + ", ".join(f"{m} ({k})" for m, k in methods.items()) + ".")


def alpha_text(alphas: pd.DataFrame) -> str:
    """Cronbach's alpha per construct for a reconstruction: what the figures allow."""
    if alphas.empty:
        return ""
    return (f"How consistently one person answers a construct's items is not in the publication: for the "
            f"{len(alphas)} constructs with several items, Cronbach's alpha in the reconstruction lies between "
            f"{alphas['value_in_reconstruction'].min():.2f} and {alphas['value_in_reconstruction'].max():.2f}, but the "
            f"published figures allow anything from {alphas['lower'].min():.2f} to {alphas['upper'].max():.2f} across "
            "them (per construct below; *proven* marks a range shown to be exact; the others were found with cells "
            "tied by a published fact held in place, so the true range may be wider — `identification.csv` names "
            "the method). Nothing can be said about the internal consistency of these constructs from the "
            "publication.")


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
    lines = [f"{len(scored)} of {len(constructs)} constructs of the thesis's theory are scored from at least one item"
             + (f", and {len(roles)} more ({', '.join(roles['construct'])}) are only indicated: the thesis asks for "
                "roles that fit the situation, so no answer scores them" if len(roles) else "") + "."]
    if len(direction):
        top, low = direction.iloc[0], direction.iloc[-1]
        lines += ["", f"Of the {len(direction)} constructs where more is better, the most answers on the strengthening side go "
                      f"to **{top['construct']}** ({pct_text(top['positive_share'])}, {ci_text(top['ci_low'], top['ci_high'])}, "
                      f"{int(top['n_answers'])} answers of {int(top['n_respondents'])} respondents); the fewest to **{low['construct']}** "
                      f"({pct_text(low['positive_share'])}, {ci_text(low['ci_low'], low['ci_high'])})."]
    if len(balance):
        parts = "; ".join(f"**{r['construct']}**: {pct_text(r['negative_share'])} toward *{r['pole_negative']}*, "
                          f"{pct_text(r['middle_share'])} in the middle, {pct_text(r['positive_share'])} toward "
                          f"*{r['pole_positive']}*" + (f" (line {int(r['ideal_line'])})" if pd.notna(r["ideal_line"]) else "")
                          for _, r in balance.iterrows())
        lines += ["", f"{len(balance)} constructs are balancing acts: the thesis puts the good relationship between their "
                      f"poles, not at one end, so they are shown where the answers fall and not ranked — {parts}. The "
                      "questionnaire asks each item in one direction, so an answer at a pole says which way a client leans, "
                      "not that the balance is lost."]
    lines += ["", "No item measures: " + ", ".join(f"*{c}*" for c in unmeasured["construct"]) + "."
              if len(unmeasured) else "Every construct is measured."]
    deff = scored["design_effect"]
    lines += ["", "The intervals take the respondent as the unit: one person's answers to several items go together, so "
                  "each interval is widened by its design effect" + (f" (here {deff.min():.2f} to {deff.max():.2f})"
                  if len(deff) else "") + "."]
    if "ci_widest_low" in scored and scored["ci_widest_low"].notna().any():
        lines[-1] += (" For this reconstructed intake who gave which answer is invented, and the interval with it: the "
                      "table gives, beside the reconstruction's, the widest and the narrowest interval that any arrangement "
                      "of the published answers allows (at the reconstruction's own item counts).")
    pooled = [r["construct"] for _, r in scored.iterrows()
              if any(label.strip() in (worded or {}) for label in str(r["items"]).split(","))]
    if pooled:
        lines += ["", f"{len(pooled)} of these constructs pool items whose share the thesis gives only as a word "
                      "(\"het merendeel\", \"afgezien van enkele\", \"vaker\"): " + ", ".join(pooled) + ". Their shares "
                      "are the reconstruction's reading of those words, not counts of the thesis."]
    return "\n".join(lines)


def axes_summary(axes: pd.DataFrame) -> str:
    scored = axes[axes["positive_share"].notna()]
    parts = [f"*{r['pole_negative']} → {r['pole_positive']}*: {pct_text(r['positive_share'])} of {int(r['n_answers'])} answers "
             f"on the {r['pole_positive']} side ({ci_text(r['ci_low'], r['ci_high'])})" for _, r in scored.iterrows()]
    text = "On Driessens & Van Regenmortel's three axes: " + ("; ".join(parts) if parts else "no axis is measured") + "."
    unscored = axes[axes["positive_share"].isna()]
    if len(unscored):
        text += (" No item of the questionnaire measures " + ", ".join(f"*{r['construct']}*" for _, r in unscored.iterrows())
                 + ": the text links none to it.")
    return text


def ipa_summary(ipa: pd.DataFrame, worded: dict[str, str] | None = None) -> str:
    """The importance-performance reading. ``worded`` (item label -> the range the publication
    allows, :func:`analysis_utils.descriptives.worded_ranges`) marks shares that are a
    reconstruction's reading of a word, so no quadrant is claimed that the text cannot carry."""
    worded = worded or {}
    focus = ipa[ipa["quadrant"] == "concentrate here"]
    head = (f"Cross-hairs at the medians: {pct_text(ipa.attrs['importance_median'])} rate an expectation important, "
            f"{pct_text(ipa.attrs['performance_median'])} answer an experience item on its positive side.")
    if focus.empty:
        return head + " No pair falls in *concentrate here*."

    def share(label: str, value: float) -> str:
        allowed = worded.get(label.removesuffix(" (reversed)"))
        return pct_text(value) + (f" — the reconstruction's reading of a word; the thesis allows {allowed}" if allowed else "")

    pairs = "; ".join(f"**{r['expectation']}** ↔ {r['experience']} (important to {share(r['expectation'], r['importance'])}, "
                      f"positive experience {share(r['experience'], r['performance'])})" for _, r in focus.iterrows())
    text = head + f" In *concentrate here* — expected most, met less fully than the others: {pairs}."
    unsure = [r for _, r in focus.iterrows() if r["experience"].removesuffix(" (reversed)") in worded
              or r["expectation"] in worded]
    if unsure:
        text += (f" For {len(unsure)} of these {len(focus)} pairs the thesis gives no number, only a word, so the "
                 "publication does not fix whether they belong here.")
    return text


def emotions_summary(emotions: pd.DataFrame, any_threshold: str, reconstructed: bool = False) -> str:
    means = emotions.groupby("group")["share"].mean()
    threshold = emotions[emotions["group"] == "threshold"]
    tops = threshold[threshold["share"] == threshold["share"].max()]
    top = tops.iloc[0]
    if len(tops) == 1:
        most = f"the most named threshold emotion is {top['emotion']} ({top['named']} of {top['n']})"
    else:  # a tie is a tie
        names = ", ".join(tops["emotion"].iloc[:-1]) + " and " + tops["emotion"].iloc[-1]
        most = f"{names} are named equally often ({top['named']} of {top['n']} each)"
    worded = ""
    if reconstructed:  # the thesis gives no count for these emotions, only words
        worded = ("These shares are the reconstruction's reading of words, not counts the thesis gives: calm, safety "
                  "and relief are named by all \"afgezien van enkele cliënten\" (line 1653), and shame, nervousness, "
                  "frustration and sadness occur \"vaker\" than doubt, fear and distrust (line 1658), which the "
                  "reconstruction reads as half of the respondents; only gratitude (\"elke cliënt\", line 1652) is "
                  "fixed. ")
    return (f"On average {pct_text(means['reassuring'])} name each reassuring emotion (gratitude, calm, safety, relief) "
            f"and {pct_text(means['threshold'])} each threshold emotion (shame, nervousness, frustration, sadness); "
            f"{most}. {worded}"
            f"{any_threshold} "
            + ("The thesis reads the four emotions being named \"vaker\" as a sign that a threshold to asking for "
               "help remains (lines 1658–1660, 2103–2105); the published figures carry that some clients feel them, not "
               "how many people feel at least one." if reconstructed else
               "This is the thesis's argument that a threshold to asking for help remains (lines 1658–1660, 2103–2105)."))


def home_language_text(table: pd.DataFrame | None, threshold: int = 5) -> str:
    """Understanding of information by home language, or why it is not shown."""
    wish = ("The author wished she had related the understanding of information to the clients' language "
            "(lines 2239–2243).")
    if table is None:
        return wish + " This questionnaire version does not ask the home language; version 2 does."
    left = table.attrs.get("left_out", 0)
    dropped = (f" {table.attrs.get('groups_left_out', 0)} language group(s) with fewer than {threshold} respondents "
               f"({left} respondents) are not shown, so that nobody can be recognised." if left else "")
    if table.empty:
        return wish + f" No home language is spoken by {threshold} or more respondents, so nothing can be shown." + dropped
    groups = table.iloc[:, 0].nunique()
    return (wish + f" Questionnaire version 2 asks it: below, understanding of information and clear communication "
            f"for the {groups} home language{'s' if groups != 1 else ''} spoken by at least {threshold} respondents."
            + dropped + " The groups are small: read differences of a few points as one or two people.")


def overlap_note(shared: dict[str, list[str]]) -> str:
    """Which outcomes share items (:func:`analysis_utils.theory.shared_items`)."""
    if not shared:
        return ""
    return (f" {len(shared)} of the outcomes share items with another ("
            + "; ".join(f"{o} with {', '.join(others)}" for o, others in shared.items())
            + "): their tests reuse the same answers and are not separate findings.")


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
                parts.append(f"for the {len(rows)} {name} comparisons the allowed range spans a median "
                             f"{wide.median():.2f} of the scale, from {rows['lower'].min():.2f} to {rows['upper'].max():.2f} "
                             f"({int(rows['sharp'].sum())} proven, the others at least as wide)")
        return (f"These are **not findings**. The published figures fix each item's distribution but not who gave "
                f"which answer, so every sub-group difference below can take any value some arrangement of the "
                f"published answers gives: " + "; ".join(parts) + ". The published figures cannot tell whether any "
                "group differs. The table shows, per comparison, the reconstruction's value and the range the figures "
                f"allow (`identification.csv`); the random reconstructions add only typical values if the items were "
                f"unrelated, with the Holm correction over the family of all {family} tests of this chapter." + overlap)
    if reconstructed:
        sig = tests[tests["share_significant"] > 0]
        spreads = (tests["effect_max"] - tests["effect_min"]).groupby(tests["effect_name"]).median()
        spread = " and ".join(f"{v:.2f} ({name})" for name, v in spreads.items())  # one scale at a time
        return (f"These are **not findings**. The published figures fix each item's distribution but not who gave "
                f"which answer, so the {len(tests)} comparisons below were repeated over "
                f"{int(tests['reconstructions'].max())} reconstructions that all satisfy every reported fact. "
                f"The effect sizes span a median range of {spread} between reconstructions, and "
                f"{len(sig)} comparisons reach p < .05 in at least one reconstruction, Holm-corrected over the "
                f"family of all {family} tests of this chapter: "
                "the published figures cannot tell whether any group differs." + overlap)
    tested = tests[tests["test"] != "none"]
    sig = tested[tested["p_holm"] < 0.05]
    text = (f"{len(tested)} comparisons of groups with at least {min_group_size} respondents, Holm-corrected "
            f"as one family of all {family} tests of this chapter.{overlap} ")
    if sig.empty:
        return text + "None reaches p < .05 after correction."
    found = "; ".join(f"{r['outcome']} by {r['grouping']} ({md(r['groups'])}): {r['effect_name']} {r['effect']:.2f}, "
                      f"p (Holm) {p_text(r['p_holm'])}, n = {r['n']}" for _, r in sig.iterrows())
    return text + f"{len(sig)} reach p < .05 after correction: {found}."


def any_threshold_text(df: pd.DataFrame, ensemble: pd.DataFrame | None, identification: pd.DataFrame | None = None) -> str:
    """How many name at least one threshold emotion: observed, or, for a reconstruction, the
    range the published figures allow (and the typical spread if the items were unrelated)."""
    from .descriptives import wilson_interval
    from .inference import ensemble_range
    from .theory import any_threshold_share, threshold_items

    if identification is not None:
        rows = identification[identification["quantity"] == "share naming at least one threshold emotion"]
        own, admitted = rows.iloc[0], rows.iloc[-1]
        text = (f"How many name at least one threshold emotion depends on how answers combine, which the publication "
                f"does not tell: at the reconstruction's own counts the published figures allow anything from "
                f"{pct_text(own['lower'])} (the same people name all four) to {pct_text(own['upper'])} (each names a "
                f"different one); over every count the text's words admit, no more than {pct_text(admitted['lower'])} to "
                f"{pct_text(admitted['upper'])} (an outer bound: \"vaker\" compares groups of emotions, not one by one).")
        if ensemble is not None:
            lo, _, hi = ensemble_range(ensemble, any_threshold_share, threshold_items())
            text += (f" If the emotions were unrelated, {pct_text(lo)} to {pct_text(hi)} would be typical "
                     f"({ensemble['reconstruction'].nunique()} random reconstructions) — one scenario, not the limits.")
        return text
    if ensemble is not None:
        lo, med, hi = ensemble_range(ensemble, any_threshold_share, threshold_items())
        return (f"How many name at least one threshold emotion depends on how answers combine, which the "
                f"publication does not tell: between {pct_text(lo)} and {pct_text(hi)} over "
                f"{ensemble['reconstruction'].nunique()} random reconstructions (median {pct_text(med)}), typical values "
                "if the emotions were unrelated, not the limits.")
    share = any_threshold_share(df)
    k = round(share * len(df))
    lo, hi = wilson_interval(k, len(df))
    return f"{k} of {len(df)} ({pct_text(share)}, {ci_text(lo, hi)}) name at least one threshold emotion."


# --- limitations (stage 04) ---------------------------------------------------------------------

def response_text(n: int, approached: int, bounds: pd.DataFrame) -> str:
    missing = approached - n
    sat = bounds.iloc[0]
    widest = (bounds["best_case"] - bounds["worst_case"]).max()
    return (f"{n} of {approached} clients approached answered ({pct_text(n / approached)}); {missing} did not. The thesis "
            "suspects that clients with a negative view are among them (lines 2150–2158). If every non-respondent had "
            f"answered negatively or positively, each share below could lie anywhere in a band up to {pct(widest)} "
            f"points wide: {sat['item']} (Figuur {sat['figure']}), observed {pct_text(sat['observed'])}, would lie between "
            f"{pct_text(sat['worst_case'])} and {pct_text(sat['best_case'])} of all clients approached.")


def precision_text(n: int, widths: dict, mdd: dict) -> str:
    parts = [f"At n = {n} a Wilson 95 % interval is {pct(widths[0.5])} points wide around a share of 50 % "
             f"and {pct(widths[0.9])} points around 90 %."]
    for label, m in mdd.items():
        if m["share_to"] == m["share_to"]:
            drop = (f"only a drop in a share from {pct_text(m['share_from'])} (as observed) to {pct_text(m['share_to'])} "
                    "or lower")
        else:
            drop = f"no drop at all from a share of {pct_text(m['share_from'])} (as observed)"
        how = ("Fisher's exact test, α = .05, two-sided, power computed exactly" if m["test"].startswith("Fisher")
               else "two-sided test of two shares, α = .05, normal approximation")
        parts.append(f"Two groups of {label} detect with 80 % power ({how}) {drop}; for mean scores a t-test would "
                     f"need Cohen's d = {m['cohen_d']:.2f}.")
    return " ".join(parts)


def mode_text(df: pd.DataFrame, subgroups: pd.DataFrame | None, reconstructed: bool,
              identification: pd.DataFrame | None = None) -> str:
    counts = df["interview_mode"].value_counts()
    text = (f"{counts.get('face to face', 0)} questionnaires were taken face to face and {counts.get('telephone', 0)} by "
            "telephone. Face to face, with the interviewer present, answers may lean towards what is socially "
            "desirable (lines 2166–2177); by telephone, anonymity is better but explanation harder. ")
    if subgroups is None or subgroups.empty:
        return text
    mode = subgroups[subgroups["grouping"] == "interview_mode"]
    if reconstructed and identification is not None:
        rows = identification[identification["quantity"].str.endswith(" by interview_mode")
                              & identification["quantity"].str.startswith("rank-biserial")]
        return text + (f"Whether the two modes differ cannot be known from the publication: for the {len(rows)} outcomes "
                       f"compared, the published figures allow rank-biserial correlations between modes from "
                       f"{rows['lower'].min():.2f} to {rows['upper'].max():.2f} (table `identification.csv`).")
    if reconstructed:
        return text + (f"Whether the two modes differ cannot be known from the publication: over the reconstructions the "
                       f"rank-biserial correlation between modes ranges from {mode['effect_min'].min():.2f} to "
                       f"{mode['effect_max'].max():.2f} across the outcomes compared.")
    tested = mode[mode["test"] != "none"]
    return text + (f"In this intake the rank-biserial correlation between modes lies between {tested['effect'].min():.2f} "
                   f"and {tested['effect'].max():.2f}; the smallest Holm-corrected p {p_text(tested['p_holm'].min())}.")


def ceiling_text(ceiling: pd.DataFrame, reconstructed: bool) -> str:
    half = ceiling[ceiling["ceiling_share"] >= 0.5]
    text = (f"{len(half)} of {len(ceiling)} rated items have half or more of their answers at the most positive "
            f"category (median {pct_text(ceiling['ceiling_share'].median())}). With so little room at the top, differences "
            "between items, groups or rounds shrink, and the author herself saw many quick fives on scale items "
            "(line 2191).")
    if reconstructed:
        text += (" For this reconstructed intake, how a positive total splits between the two highest answers is set by "
                 "the reconstruction's documented rule (21 : 6, from Figuur 21) wherever the thesis gives no split, so "
                 "these ceiling shares show the rule more than the clients.")
    return text


def pilot_text(coverage: pd.DataFrame, goals: dict | None, pilot_items: list[str]) -> str:
    short = coverage[coverage["item_id"].isin(pilot_items) & (coverage["missing_by_design"] > 0)]
    if short.empty:
        text = "No pilot questionnaire is part of this intake, so no item lacks answers by design of the pilot. "
    else:
        items = ", ".join(f"`{r['item_id']}` (n = {r['n']})" for _, r in short.iterrows())
        text = f"The pilot questionnaires lacked some items, which therefore have a smaller n: {items}. "
    if goals is None:
        return text + ("This questionnaire version asks whether client and social worker have the *same* goals, so the "
                       "misreading of the negatively worded 2015 item (lines 2225-2233) cannot arise.")
    return text + ("The goals item "
            "(Figuur 17) asks about *different* goals, so agreeing is the negative answer. The author writes that a "
            "positive judgement had to be a 1 or 2, and that most clients had not understood this (lines 2227–2231); "
            "yet she reads every answer as \"dezelfde doelen\" (line 1787). Taken literally, "
            f"{goals['same_goals_as_coded']} of {goals['n']} report the same goals; read the way most clients meant it, "
            f"{goals['same_goals_read_other_way']} of {goals['n']} do; the author's reading counts "
            f"{goals['same_goals_author_reading']} of {goals['n']}. No reading can be checked, so this report scores the "
            "item in no construct and reports it as neither agreement nor disagreement; the comparison across intakes "
            "leaves it out.")


def own_limits_text(limits: list[dict], lang: str = "en") -> str:
    """The limits the thesis names itself, each with its verbatim Dutch fragment and line."""
    head = ("The thesis names these limits of its own study, each quoted with its line:" if lang != "nl" else
            "De scriptie noemt zelf deze beperkingen van haar onderzoek, elk geciteerd met de regel:")
    line = "line" if lang != "nl" else "regel"
    return head + "\n\n" + "\n".join(f"- {md(x[lang if lang == 'nl' else 'en'])} — *\"{md(x['quote'])}\"* ({line} {x['seed_line']})"
                                      for x in limits)


def pilot_sensitivity_text(table: pd.DataFrame, reconstructed: bool) -> str:
    if table.empty:
        return "No pilot questionnaire is part of this intake, so there is nothing to leave out."
    n_pilot = int(table["n_pilot"].max())
    biggest = table.loc[table["difference"].abs().idxmax()]
    text = (f"Left out, the {n_pilot} pilot questionnaire{'s' if n_pilot != 1 else ''} change the top-2 share of the "
            f"{len(table)} items they answered by at most {pct(abs(biggest['difference']))} points ({biggest['item']}: "
            f"{pct_text(biggest['share_all'])} with, {pct_text(biggest['share_main_only'])} without).")
    if reconstructed:
        widest = (table["main_only_highest"] - table["main_only_lowest"]).max()
        text += (" Which answers the pilots gave is not published, so these values are the reconstruction's; any "
                 "arrangement the published counts allow puts each share without the pilots inside the columns "
                 f"*lowest* and *highest*, a band at most {pct(widest)} points wide.")
    return text


def representativeness_text(nat: dict, teams: int = 1) -> str:
    return (f"{nat['k']} of {nat['n']} respondents are Belgian ({pct_text(nat['share'])}, {ci_text(nat['ci_low'], nat['ci_high'])}). "
            "The thesis notes that Genk, a former mining town, has a very diverse population and that clients of "
            "foreign origin are under-represented, perhaps through the language barrier (lines 2158–2162, 2200–2206), but gives no "
            "figure for the population it could be compared with. "
            + ("Only budget clients of one team of one OCMW were asked, so the results describe that team's clients, "
               "not budget clients in general." if teams == 1 else
               f"Budget clients of {teams} teams were asked, so the results describe those teams' clients, not budget "
               "clients in general."))


def coverage_text(matrix: pd.DataFrame) -> str:
    empty = [c for c, row in matrix.iterrows() if row.sum() == 0]
    single = [c for c, row in matrix.iterrows() if row.sum() == 1]
    return (f"{len(matrix) - len(empty)} of {len(matrix)} constructs of the thesis's theory are measured by at least one "
            f"item; {len(single)} rest on a single item ({', '.join(single)}). Nothing measures: {', '.join(empty)}.")


def dependence_text(table: pd.DataFrame, reconstructed: bool) -> str:
    if not reconstructed:
        return "This intake's answers are observed as given, so every result in this report is a result of the data."
    loose = table[~table["fixed by the publication"]]
    ranged = loose[loose["lower"].notna()]

    def allowed(r) -> str:
        sharp = r.get("sharp")
        proven = sharp is None or (isinstance(sharp, float) and sharp != sharp) or bool(sharp)  # NaN: not given
        span = f"{r['lower']:.2f} to {r['upper']:.2f}"
        return f"{r['result']}: {'anything from ' if proven else 'at least '}{span}"

    parts = "; ".join(allowed(r) for _, r in ranged.iterrows())
    if len(ranged) < len(loose):  # single-item shares the thesis only words ("het merendeel")
        head = ("The published figures fix the single-item shares the thesis gives in numbers or universal statements. "
                "Those it only words (\"het merendeel\", \"enkele\", \"afgezien van enkele\") are the reconstruction's "
                "reading of the word, inside the range the word allows (chapter 02, column *the publication*; "
                "`item_summary.csv`), and so are the construct shares that pool them. ")
    else:
        head = ("The published figures fix every single-item distribution, and with it every share, interval, construct "
                "share and the importance-performance grid. ")
    text = (head + "Everything that depends on how one person's answers combine is open: over every arrangement of the "
            f"published answers, the published figures allow — {parts}. These are identified ranges (table "
            "`identification.csv`): \"anything from\" where the bound is proven, \"at least\" where a search found "
            "values that some arrangement reaches, so the true range may be wider.")
    if "if unrelated" in table and table["if unrelated"].notna().any():
        text += (" The column *if unrelated* shows the spread over random reconstructions, that is, typical values if "
                 "the items were unrelated — one scenario, not the limits.")
    return text


def small_group_note(min_group_size: int) -> str:
    return (f"Groups with fewer than {min_group_size} respondents are left out of every comparison, so that "
            "nobody can be recognised and no test rests on a handful of answers.")


def split_rule_note(manifest: dict, summary: pd.DataFrame | None = None) -> str:
    """For a reconstructed intake: which of the numbers above the publication fixes."""
    if manifest["source"] != "reconstructed-from-publication":
        return ""
    fixed = ""
    if summary is not None and "provenance" in summary:
        k = summary["provenance"].dropna().value_counts()
        fixed = (f"Of the {int(k.sum())} rated items, the thesis fixes the top-2 share of {k.get('count', 0)} by a "
                 f"number it gives and of {k.get('bound', 0)} by a universal statement alone (\"elke\", \"iedereen\", "
                 f"\"geen enkele\"; *fixes it in words*). For {k.get('quantifier', 0)} it uses only a verbal quantifier (\"het merendeel\", "
                 "\"enkele\", \"afgezien van enkele\", \"vaker\"): the text allows a range, shown in the column "
                 "*the publication*, and the share above is the point the reconstruction's rule picked inside it. "
                 f"For {k.get('inferred', 0)} the text says nothing that pins the share. ")
    return ("> **Which numbers the publication fixes.** " + fixed + "n is the thesis's own throughout. "
            "Where the thesis gives only a positive total (\"tevreden or zeer tevreden\"), how it splits between the "
            "two highest answers is the reconstruction's documented rule (21 : 6, from Figuur 21), so the medians, "
            "quartiles and shares at the maximum of those items show that rule, not the clients.")
