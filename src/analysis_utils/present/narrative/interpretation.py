"""Chapter 03's sentences: the constructs between their poles, the relationship axes, the
importance–performance grid, the emotions, the home language and the sub-groups — read against
what the publication carries."""
from __future__ import annotations

import pandas as pd

from ...fmt import bound_text, ci_text, interval_text, p_text, pct_text
from ...i18n import _, current, decimal, ngettext
from ...stats.descriptive import worded_items
from ...theory_map import constructs
from ..escaping import md
from ..labels import (
    EFFECT_NAMES,
    REVERSED_MARK,
    construct_name,
    higher_text,
    outcome_words,
    value,
)
from .common import and_, at_ends
from .emotions import any_threshold_text, emotions_summary  # noqa: F401 (chapter 03's sentences, one module to call)
from .languages import home_language_text  # noqa: F401 (chapter 03's sentences, one module to call)
from .links import links_list, links_summary  # noqa: F401 (the same)


def worded_ranges(summary: pd.DataFrame | None, codebook) -> dict[str, str]:
    """Item label -> what the publication allows for its top-2 share, for the items whose share
    it only words or leaves open (e.g. 'asking for help easily' -> '68–100 %')."""
    rows = summary[summary["item_id"].isin(worded_items(summary))] if summary is not None else []
    return {codebook.item(r["item_id"]).label(current()): interval_text(r["admissible_low"], r["admissible_high"])
            for _, r in (rows.iterrows() if len(rows) else [])}


TIME_ITEMS = ("q12_comm_hurried", "q15_reachable_by_phone", "q19_appointments")  # the thesis's answer rests on them


def time_evidence_text(df: pd.DataFrame, codebook, summary: pd.DataFrame | None = None) -> str:
    """The answers the thesis's own answer to its question rests on (lines 1723–1727, 2437–2441):
    not hurried, reachable by telephone, enough appointments — counted in this intake; for a
    reconstructed intake, whether the thesis gives these counts or only words them."""
    items = [i for i in TIME_ITEMS if i in codebook.item_ids and i in df]
    if not items:
        return ""
    parts = []
    provenance = summary.set_index("item_id").loc[items, "provenance"] if summary is not None else None
    observed = provenance is None or provenance.eq("data").all()  # else the other side is the reconstruction's
    for i in items:
        item, col = codebook.item(i), df[i].dropna()
        low = item.scale.codes[-2:] if item.reversed else item.scale.codes[:2]  # the two least favourable answers
        said = (_("{k} of {n} answered ‘{first}’ or ‘{second}’ to *{item}* (Figuur {figure})") if item.reversed else
                _("{k} of {n} on the positive side of *{item}* (Figuur {figure})"))  # "not hurried", in the scale's words
        first, second = (item.scale.label(c, current()) for c in item.top2_codes)
        third, fourth = (item.scale.label(c, current()) for c in sorted(low, reverse=not item.reversed))
        rest = (_("and {k} ‘{third}’ or ‘{fourth}’") if item.reversed else _("and {k} on the negative side")).format(
            k=int(col.isin(low).sum()), third=third, fourth=fourth)
        parts.append(said.format(k=int(col.isin(item.top2_codes).sum()), n=len(col), figure=item.figure,
                                 item=item.label(current()), first=first, second=second) + (" " + rest if observed else ""))
    text = _("In this intake: {parts}.").format(parts="; ".join(parts))
    if provenance is not None and not provenance.eq("data").all():  # a publication's figures, not observed data
        given = provenance.isin(["count", "bound"])
        text += " " + (_("The thesis fixes these counts: it gives each, or the counts it follows from (chapter 2).")
                       if given.all() else
                       _("Not every one of these counts is the thesis's own: chapter 2 shows which rest on a word."))
    return text


def alpha_text(alphas: pd.DataFrame) -> str:
    """Cronbach's alpha per construct for a reconstruction: what the figures allow."""
    if alphas.empty:
        return ""
    return _("How consistently one person answers a construct's items is not in the publication. For the {k} "
             "constructs with several items, Cronbach's alpha lies between {low:.2f} and {high:.2f} in the "
             "reconstruction, but other ways of pairing the same answers, which the publication allows just as "
             "well, give values from {lower} (alpha has no lower limit: a strongly negative value means the items "
             "pull against each other) to {upper}{open_end}. So the "
             "publication says nothing about the internal consistency of these constructs (per construct in the table below; "
             "`identification.csv` names the method).").format(
        k=len(alphas), low=alphas["value_in_reconstruction"].min(), high=alphas["value_in_reconstruction"].max(),
        lower=bound_text(alphas["allowed_lower"].min()), upper=bound_text(alphas["allowed_upper"].max()),
        open_end="" if alphas.get("allowed_sharp", pd.Series([False])).astype(bool).all() else
        _(", and values up to 1 (perfect consistency) are not excluded"))


def _balance_text(r, twins: pd.DataFrame) -> str:
    """One measured balancing act: the middle the thesis wants and the poles it wants avoided, each
    with its line, and where the answers fall; a pole no item reaches is said to be not asked, and a
    direction construct of the same items among ``twins`` named (one answer read two ways)."""
    c = constructs()[r["construct_id"]]
    reached = r["poles_reached"] if isinstance(r["poles_reached"], tuple) else ()
    avoid = c.get("avoid") or {}
    lines = ", ".join(str(n) for n in sorted(avoid[k]["seed_line"] for k in ("negative", "positive") if k in avoid))
    missing = [r[p] for p in ("pole_negative", "pole_positive") if p not in reached]
    names = dict(construct=r["construct"], middle=md(c["middle"]["quote"]), middle_line=c["middle"]["seed_line"],
                 lines=lines, items=md(r["items"]), share_middle=pct_text(r["middle_share"]),
                 share_neutral=pct_text(r["neutral_share"]))
    if len(missing) == 1:  # the middle cannot be told from the pole no item asks
        pole, side = next((p, s) for p, s in (("pole_negative", "negative_share"), ("pole_positive", "positive_share"))
                          if p in reached)
        return _("**{construct}**: the thesis wants the middle (\"{middle}\", line {middle_line}) and names the poles "
                 "to avoid (lines {lines}). Of the answers to {items}, {share_middle} lean away from *{pole}*, "
                 "{share_neutral} are neutral and {share_pole} lean toward it. No item can place an answer at "
                 "*{missing}*: that pole is not asked, so these answers cannot tell the middle the thesis wants from "
                 "it.").format(pole=r[pole], share_pole=pct_text(r[side]), missing=missing[0], **names) + _twin(r, twins)
    if len(missing) == 2:
        return _("**{construct}**: the thesis wants the middle (\"{middle}\", line {middle_line}) and names the poles "
                 "to avoid (lines {lines}). Of the answers to {items}, {share_middle} agree and {share_neutral} are "
                 "neutral. No item can place an answer at *{missing}*: these poles are not asked, so the answers "
                 "cannot tell the middle the thesis wants from them.").format(missing="*, *".join(missing), **names) + _twin(r, twins)
    text = _("**{construct}**: the thesis wants the middle (\"{middle}\", line {middle_line}) and names the poles to "
             "avoid (lines {lines}). Of the answers to {items}, {share_middle} fall in that middle, {share_neutral} are "
             "neutral").format(**names)
    for pole, side in (("pole_negative", "negative_share"), ("pole_positive", "positive_share")):
        if pole in reached:
            text += ", " + _("{share} lean toward *{pole}*").format(share=pct_text(r[side]), pole=r[pole])
    return text + "." + _twin(r, twins)


def _twin(r, twins: pd.DataFrame) -> str:
    """A direction construct scored from the same items as balance ``r``: one answer read two ways."""
    return "".join(" " + _("The same item is also the only item of {twin}, where its {share} count as the strengthening "
                           "side: the two readings cannot both be taken at face value.").format(
        twin=t["construct"], share=pct_text(t["positive_share"])) for _i, t in twins[twins["items"] == r["items"]].iterrows())


def _unmeasured_text(unmeasured: pd.DataFrame, lang: str) -> str:
    """The constructs no item measures, each with why."""
    if not len(unmeasured):
        return _("Every construct is measured.")
    parts = [f"*{r['construct']}* ({md(constructs()[r['construct_id']]['not_measured'][lang])})"
             for _i, r in unmeasured.iterrows()]
    return _("Not measured from the client's answers: {parts}.").format(parts="; ".join(parts))


def _tension_fields_text() -> str:
    """The thesis's tension fields (2.9.x) as the theory map reads them: all balancing acts for the
    thesis, but those it names one side to work toward are read as directions, each cited with that
    side and the line of its ``wanted`` quote (the page adds the section; review_fidelity2 #13)."""
    fields = [c for c in constructs().values() if str(c.get("theory", "")).endswith("(tension field)")]
    directions = [c for c in fields if c.get("reading") == "direction" and c.get("wanted")]
    text = _("The thesis calls every tension field a balancing act (\"evenwichtsoefeningen\", line 1197).")
    if not directions:
        return text
    sides = [_("{side} (line {line})").format(side=construct_name(c["id"]).split(" – ")[-1],
                                              line=c["wanted"]["seed_line"]) for c in directions]
    return text + " " + ngettext(
        "Its section 2.9 describes {n} tension fields; for {k} of them the thesis still names one side to work toward, "
        "and it is read here as a direction (more is better): toward {sides}.",
        "Its section 2.9 describes {n} tension fields; for {k} of them the thesis still names one side to work toward, "
        "and these are read here as directions (more is better): toward {sides}.",
        len(directions)).format(k=len(directions), n=len(fields), sides=and_(sides))


def constructs_summary(constructs_table: pd.DataFrame, worded: dict[str, str] | None = None) -> str:
    """The constructs read at a glance: the ``direction`` constructs ranked by their share on
    the strengthening side; each measured ``balance`` construct by the middle the thesis wants,
    beside the poles it wants avoided (a pole no item reaches: not asked); the constructs no item
    measures, with why; ``worded`` (item label -> allowed range) names the constructs that pool
    shares a reconstruction read from a word of the text."""
    lang = current()
    scored = constructs_table[constructs_table["n_answers"].notna()]
    direction = scored[scored["reading"] == "direction"].sort_values("positive_share", ascending=False, kind="stable")
    balance = scored[scored["reading"] == "balance"]
    unmeasured = constructs_table[constructs_table["n_items"] == 0]
    roles = constructs_table[(constructs_table["reading"] == "roles") & (constructs_table["n_items"] > 0)]
    first = _("{scored} of {total} constructs of the thesis's theory are scored from at least one item").format(
        scored=len(scored), total=len(constructs_table))
    if len(roles):
        first += ngettext(", and one more ({names}) is only indicated: the thesis asks for roles that fit the "
                          "situation, so no answer scores it",
                          ", and {k} more ({names}) are only indicated: the thesis asks for roles that fit the "
                          "situation, so no answer scores them", len(roles)).format(k=len(roles), names=", ".join(roles["construct"]))
    lines = [first + "."]
    # a construct pooling shares the thesis only words is the reconstruction's reading: never ranked
    fixed = direction[~direction["assumed"].astype(bool)] if "assumed" in direction else direction
    if len(fixed):
        low, top = at_ends(fixed, "positive_share")
        ranked = _("Of the {k} constructs where more is better, the largest share of answers on the strengthening "
                   "side is that of {top}; the smallest that of {low}.") if len(fixed) == len(direction) else _(
            "Of the {k} constructs where more is better whose shares the thesis fixes (the others pool shares it "
            "only words), the largest share of answers on the strengthening side is that of {top}; the smallest "
            "that of {low}.")
        if top["positive_share"].iloc[0] == low["positive_share"].iloc[0]:  # one share, or all equal: no ends
            ranked = ngettext("The construct where more is better: {top}.", "The {k} constructs where more is better, "
                              "each with the same share: {top}.", len(fixed)) if len(fixed) == len(direction) else \
                ngettext("The one construct where more is better whose share the thesis fixes: {top}.", "The {k} "
                         "constructs where more is better whose shares the thesis fixes, each with the same share: "
                         "{top}.", len(fixed))
        lines += ["", ranked.format(k=len(fixed), low=and_([_construct_end(r) for _i, r in low.iterrows()]), top=and_(
            [_construct_end(r, answers=True) for _i, r in top.iterrows()]))]
    if len(balance):
        lines += ["", ngettext("One measured construct is a balancing act, read by the middle the thesis wants, not by "
                               "one pole — {parts}",
                               "{k} measured constructs are balancing acts, read by the middle the thesis wants, not "
                               "by one pole — {parts}", len(balance)).format(
            k=len(balance), parts=" ".join(_balance_text(r, fixed) for _i, r in balance.iterrows()))
            + " " + _tension_fields_text()]
    lines += ["", _unmeasured_text(unmeasured, lang)]
    deff = scored["design_effect"]
    lines += ["", _("The intervals take the respondent as the unit: one person's answers to several items go "
                    "together, so each interval is widened by its design effect (here {low:.2f} to {high:.2f}).").format(
        low=deff.min(), high=deff.max())]
    if "ci_widest_low" in scored and scored["ci_widest_low"].notna().any():
        lines[-1] += " " + _("For this reconstructed intake who gave which answer is invented, and the interval with "
                             "it: the table gives, beside the reconstruction's, the widest and the narrowest interval "
                             "that any arrangement of the published answer counts allows (at the reconstruction's own item "
                             "counts); for a construct whose share is the reconstruction's reading it gives no interval "
                             "but, after the name, the range the publication allows.")
    pooled = [r["construct"] for _i, r in scored.iterrows()
              if any(label.strip() in (worded or {}) for label in str(r["items"]).split(","))]
    if pooled:
        lines += ["", _("{k} of these constructs pool items whose share the thesis gives only as a word (\"het "
                        "merendeel\", \"afgezien van enkele\", \"vaker\"), says two ways, or does not state at "
                        "all: {names}. Their shares are the reconstruction's reading, not counts of the thesis.").format(
            k=len(pooled), names=", ".join(pooled))]
    return "\n".join(lines)


def _construct_end(r, answers: bool = False) -> str:
    """A construct at an end of the ranking: its name, share and interval (and how many answers)."""
    return (_("**{name}** ({share}, {ci}, {answers} answers of {respondents} respondents)") if answers else
            _("**{name}** ({share}, {ci})")).format(name=r["construct"], share=pct_text(r["positive_share"]),
                                                    ci=_construct_ci(r), answers=int(r["n_answers"]),
                                                    respondents=int(r["n_respondents"]))


def _construct_ci(r) -> str:
    """A construct's respondent-level 95 % interval; for a reconstructed intake it depends on who
    gave which answer, so the reconstruction's beside the widest the published answer counts allow."""
    own = ci_text(r["ci_low"], r["ci_high"])
    widest = r.get("ci_widest_low")
    if widest is None or widest != widest:
        return own
    return _("{own} in the reconstruction, {widest} at widest over the arrangements the published answer counts "
             "allow").format(own=own, widest=interval_text(r["ci_widest_low"], r["ci_widest_high"]))


def axes_summary(constructs: pd.DataFrame) -> str:
    """Driessens & Van Regenmortel's three axes (the constructs marked ``axis``): where the
    answers lie between the poles."""
    axes = constructs[constructs["axis"].astype(bool)]
    scored = axes[axes["positive_share"].notna()]
    parts = [_("*{negative} → {positive}*: {share} of {answers} answers on the *{positive}* side ({ci})").format(
        negative=r["pole_negative"], positive=r["pole_positive"], share=pct_text(r["positive_share"]),
        answers=int(r["n_answers"]), ci=_construct_ci(r)) for _i, r in scored.iterrows()]
    text = _("On Driessens & Van Regenmortel's three axes: {parts}.").format(
        parts="; ".join(parts) if parts else _("no axis is measured"))
    unscored = axes[axes["positive_share"].isna()]
    if len(unscored):
        text += " " + _("No item of the questionnaire measures {names}: the text links none to it.").format(
            names=", ".join(f"*{r['construct']}*" for _i, r in unscored.iterrows()))
    return text


def ipa_summary(ipa: pd.DataFrame, worded: dict[str, str] | None = None) -> str:
    """The expectations the thesis's words tie to an experience item, as positions: each pair with
    the line that makes it and its two shares. ``worded`` (item label -> the range the
    publication allows, :func:`worded_ranges`) marks shares that are a reconstruction's reading
    of a word. No quadrant and no advice: the thesis gives none."""
    worded = worded or {}

    def plain(label: str) -> str:
        return label.removesuffix(_(REVERSED_MARK))

    def share(label: str, v: float) -> str:
        allowed = worded.get(plain(label))
        return pct_text(v) + (" (" + _("the reconstruction's reading of a word; the thesis allows {allowed}").format(
            allowed=allowed) + ")" if allowed else "")

    pairs = "; ".join(_("**{expectation}** ↔ {experience} (line {line}): important to {importance}, experienced "
                        "positively by {performance}").format(
        expectation=r["expectation"], experience=r["experience"], line=r["seed_line"],
        importance=share(r["expectation"], r["importance"]), performance=share(r["experience"], r["performance"]))
        for _i, r in ipa.iterrows())
    text = ngettext("For {k} expectation of Figuur 11 the thesis's own words name what an experience item asks (the "
                    "line beside it); setting the two side by side is this report's: {pairs}.",
                    "For {k} expectations of Figuur 11 the thesis's own words name what an experience item asks (the "
                    "line beside each); setting the two side by side is this report's: {pairs}.",
                    len(ipa)).format(k=len(ipa), pairs=pairs)
    text += " " + _("For the other expectations its words name no experience item, so they are not paired here. The grid "
                    "shows positions only: the thesis draws no priority or advice from them, and neither does this "
                    "report.")
    unsure = [r for _i, r in ipa.iterrows() if plain(r["experience"]) in worded or r["expectation"] in worded]
    if unsure:
        text += " " + _("For {k} of the {total} pairs a share is only worded in the thesis, so the point is one "
                        "reading inside the range the bars show.").format(k=len(unsure), total=len(ipa))
    return text


def overlap_note(shared: dict[str, list[str]], codebook) -> str:
    """Which outcomes share items (:func:`analysis_utils.theory.shared_items`)."""
    if not shared:
        return ""
    said, parts = set(), []
    for o, others in shared.items():  # each pair once: "A with B", not then "B with A"
        later = [x for x in others if x not in said]
        said.add(o)
        if later:
            parts.append(_("{outcome} with {others}").format(outcome=outcome_words(o, codebook),
                                                             others=", ".join(outcome_words(x, codebook) for x in later)))
    pairs = "; ".join(parts)
    return " " + _("{k} of the outcomes share items with another ({pairs}): their tests reuse the same answers and "
                   "are not separate findings.").format(k=len(shared), pairs=pairs)


def subgroup_summary(tests: pd.DataFrame, reconstructed: bool, min_group_size: int, codebook,
                     shared: dict[str, list[str]] | None = None, identification: pd.DataFrame | None = None) -> str:  # long: the chapter's inputs, each named
    """The sub-group comparisons in words: one Holm family over every test of the chapter, its
    size stated; ``shared`` names outcomes that reuse each other's items. For a reconstruction
    with its ``identification`` table: the ranges the published figures allow, per scale."""
    family = tests.attrs.get("family", len(tests))
    overlap = overlap_note(shared or {}, codebook)
    if reconstructed and identification is not None:
        parts = []
        admitted = identification[identification["marginals_id"] == "admissible"]  # every count the publication admits
        for name in ("rank-biserial", "epsilon²"):
            rows = admitted[admitted["quantity_id"] == EFFECT_NAMES[name]]
            if len(rows):
                wide = rows["upper"] - rows["lower"]
                parts.append(_("for the {k} {scale} comparisons the allowed range is {median:.2f} wide in the median "
                               "comparison and runs from {low:.2f} to {high:.2f} over all of them ({sharp} proven, the "
                               "others at least as wide)").format(
                    k=len(rows), scale=value(name), median=wide.median(), low=rows["lower"].min(),
                    high=rows["upper"].max(), sharp=int(rows["sharp"].sum())))
        return _("These are **not findings**. The published figures fix each item's distribution but not who gave "
                 "which answer, so every sub-group difference below can take any value some arrangement of the "
                 "published answer counts gives: {parts}. The published figures cannot tell whether any group differs. "
                 "The table shows, per comparison, the reconstruction's value and the range the figures allow "
                 "(`identification.csv`); the random reconstructions add only typical values if the items were "
                 "unrelated, with the Holm correction over the family of all {family} tests of this chapter.").format(
            parts="; ".join(parts), family=family) + overlap
    if reconstructed:
        sig = tests[tests["share_significant"] > 0]
        spreads = (tests["effect_max"] - tests["effect_min"]).groupby(tests["effect_name"]).median()
        spread = and_([f"{v:.2f} ({value(name)})" for name, v in spreads.items()])  # one scale at a time
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
    found = "; ".join(_found_by(rows, codebook) for _g, rows in sig.groupby("grouping", sort=False))
    return text + _("{k} reach p < .05 after correction (each in the table below): {found}.").format(
        k=len(sig), found=found)


def _found_by(rows: pd.DataFrame, codebook) -> str:
    """The differences of one grouping that hold, in one clause: its outcomes, which group is
    higher, and the span of the effect sizes and Holm p-values (the table gives each)."""
    first = rows.iloc[0]
    sides = set(rows["higher"].dropna()) if "higher" in rows else set()
    higher = f", {higher_text(next(iter(sides)))}" if len(sides) == 1 and isinstance(next(iter(sides)), str) else ""
    effects, ps = rows["effect"], rows["p_holm"]
    low, high = f"{effects.min():.2f}", f"{effects.max():.2f}"
    span = decimal(low if low == high else f"{low}–{high}")
    p = p_text(ps.min()) if p_text(ps.min()) == p_text(ps.max()) else _("{low} to {high}").format(
        low=p_text(ps.min()), high=p_text(ps.max()).removeprefix("= "))
    return _("by {grouping} ({groups}){higher}: {outcomes} ({effect_name} {span}, p (Holm) {p})").format(
        grouping=value(first["grouping"]), groups=md(first["groups"]),
        outcomes=and_([outcome_words(o, codebook) for o in rows["outcome"]]), higher=higher,
        effect_name=value(first["effect_name"]), span=span, p=p)




def undecided_effects(undecided: int, total: int) -> str:
    """The line a folded table of sub-group effects stands behind: in how many of the ranges the
    published figures allow a negligible effect (``chapters.interpretation.NEGLIGIBLE``), so
    that none of them is a finding."""
    return _("For {k} of the {m} sub-group effects the published figures allow a negligible one (a rank-biserial "
             "between −0.1 and 0.1, an epsilon² below 0.01): none of them is a finding. Click to open the table "
             "of these ranges; identification.csv keeps every column.").format(k=undecided, m=total)
