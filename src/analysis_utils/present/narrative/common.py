"""Sentences every chapter may need: the data's provenance, what one respondent weighs, where the
tables went, what the thesis says beside the numbers, and "a, b and c" in the report's language.

Examples
--------
>>> and_(["a", "b", "c"])
'a, b and c'
"""
from __future__ import annotations

from ...fmt import round_half_up
from ...i18n import N_, _, current
from ...theory_map import thesis_says
from ..escaping import md
from ..labels import source_words

RECONSTRUCTED_NOTE = N_(
    "> **Reconstructed data.** The thesis never published its respondent-level answers. This "
    "intake is *reconstructed* from the figures it reports: every count the thesis gives holds "
    "exactly, but how answers combine across questions is invented. Read a single-item count as "
    "the thesis's own where it gives one (chapter 2 marks which shares rest only on words such as "
    "\"het merendeel\"); read nothing into cross-tabulations, correlations or subgroup differences."
)
SYNTHETIC_NOTE = N_("> **Synthetic data.** These answers were generated to exercise the pipeline; they describe nobody.")


def and_(names: list[str]) -> str:
    """"a, b and c" in the current language."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def at_ends(table, column: str):
    """The rows at the lowest and at the highest ``column``: every row of a tie (to 1e-9), so that
    no sentence names one of two equal shares as the largest."""
    v = table[column]
    return table[v <= v.min() + 1e-9], table[v >= v.max() - 1e-9]


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
    """What one respondent weighs in a percentage; in a large round (one person under half a point),
    how many respondents one percentage point is.

    >>> one_person_note(10_000), one_person_note(250)
    ('At n = 10000 one percentage point is about 100 respondents.', 'At n = 250 one percentage point is about 3 respondents.')
    """
    if 100 / n < 0.5:
        return _("At n = {n} one percentage point is about {k} respondents.").format(n=n, k=round_half_up(n / 100))
    return _("At n = {n} one respondent is {points} percentage points: percentages are shown as whole "
             "numbers, and small differences between items mean one or two people.").format(
        n=n, points=round(100 / n, 1))


def tables_summary(intake_id: str, tables: list[str]) -> str:
    return _("Written to `reports/{intake}/tables/`: {tables}.").format(
        intake=intake_id, tables=", ".join(f"`{t}`" for t in tables))


def small_cell_note(threshold: int) -> str:
    return _("Cells with fewer than {threshold} respondents are suppressed (shown as “< {threshold}”) so that "
             "nobody can be recognised.").format(threshold=threshold)


def small_group_note(min_group_size: int) -> str:
    return _("Groups with fewer than {min} respondents are left out of every comparison, so that nobody can be "
             "recognised and no test rests on a handful of answers.").format(min=min_group_size)


def thesis_says_text(chapter: str, section: str, manifest: dict) -> str:
    """What the thesis says that this part of a chapter sets beside its numbers
    (``resources/thesis_says.yaml``): each statement's sentence in the report's language, then its
    verbatim Dutch fragments with their lines. Empty where there is none; for an intake that is
    not the thesis's own (``manifest``: not reconstructed from the publication), only the
    statements marked ``any_intake`` (the thesis's question and its answer)."""
    own = manifest.get("source") == "reconstructed-from-publication"
    lang, parts = current(), []
    for x in (x for x in thesis_says(chapter, section) if own or x.get("any_intake")):
        quotes = "; ".join(f"“{md(q['quote'])}” ({_('line')} {q['seed_line']})" for q in x["quotes"])
        parts.append(md(" ".join(x[lang].split())) + "\n\n> " + _("In the thesis's words: {quotes}.").format(
            quotes=quotes))
    return "\n\n".join(parts)
