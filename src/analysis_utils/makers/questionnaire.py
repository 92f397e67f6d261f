"""The questionnaire of one version, generated from the codebook: ``python -m analysis_utils
questionnaire OUT --version v2`` writes into the folder OUT

- ``vragenlijst-<version>.html``: the print-ready page (A4; print it from a browser, or to PDF);
- ``vragenlijst-<version>.docx``: the same, editable, for the team's name, period and contact;
- ``teamnota-<version>.html``: the team's note (never for the respondent): what comes verbatim
  from the thesis, what is the project's wording, how to take and enter the questionnaire;
- ``xlsform-<version>.xlsx``: the tablet form (ODK Collect, KoboToolbox, Enketo), in Dutch with
  English as a second language, converted once with pyxform to check it.

With ``--teams "Team Noord; Team Zuid"`` (v2) the team is a box per team on paper and a list on
the tablet, so that no typo in a team's name is refused later. ``--organisation``, ``--period``,
``--contact`` and ``--minutes`` fill in the introduction's blanks in every file; a blank not given
stays a dotted line (HTML), a highlighted placeholder (.docx) or a [placeholder] (XLSForm).

In English (``--lang en``) the first three are ``questionnaire-``, ``questionnaire-`` and
``team-note-<version>``; the tablet form is the same.

Examples
--------
>>> import tempfile
>>> written = write_questionnaire(tempfile.mkdtemp(), "v1")
>>> [p.name for p in written]
['vragenlijst-v1.html', 'vragenlijst-v1.docx', 'teamnota-v1.html', 'xlsform-v1.xlsx']
"""
from __future__ import annotations

from pathlib import Path

from .docx_form import questionnaire_docx
from .form_model import build_form
from .printed import questionnaire_html, team_note_html
from .xlsform import check_xlsform, write_xlsform

NAMES = {"nl": ("vragenlijst", "teamnota"), "en": ("questionnaire", "team-note")}


class FormWarnings(RuntimeError):
    """pyxform converted the tablet form with warnings: the platforms would show them too."""


def write_questionnaire(out: str | Path, version: str = "v2", lang: str = "nl",
                        teams: list[str] | None = None, filled: dict[str, str] | None = None) -> list[Path]:
    """Write the questionnaire of ``version`` in ``lang`` into the folder ``out``; return the files.
    ``teams`` (v2): the team is ticked (on paper) or chosen (on the tablet) from them, not written.
    ``filled``: the blanks of the introduction given (organisation, period, contact, minutes),
    printed in every file; the others stay blanks to fill in by hand."""
    form = build_form(version, lang, teams, filled)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    page, note = NAMES[lang]
    html = out / f"{page}-{version}.html"
    html.write_text(questionnaire_html(form), encoding="utf-8")
    docx = out / f"{page}-{version}.docx"
    questionnaire_docx(form).save(docx)
    team = out / f"{note}-{version}.html"
    team.write_text(team_note_html(form), encoding="utf-8")
    xlsform = write_xlsform(out / f"xlsform-{version}.xlsx", version, teams, filled)
    warnings = check_xlsform(xlsform)
    if warnings:
        raise FormWarnings(f"{xlsform}: pyxform warns: " + "; ".join(warnings))
    return [html, docx, team, xlsform]
