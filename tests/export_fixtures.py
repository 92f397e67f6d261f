"""Exports of the questionnaire's tablet form (its XLSForm) as KoboToolbox and ODK Central write
them, built for the tests from synthetic answers (fixed seeds; they describe nobody).

The formats, as their documentation and their own tests give them:

- KoboToolbox. Export types and the "value and header format" (Labels / XML values and headers):
  https://support.kobotoolbox.org/export_download.html ; "Include groups in headers" (group names
  in front of each question, separated by "/" unless another separator is chosen):
  https://support.kobotoolbox.org/advanced_export.html ; the CSV itself — every value quoted,
  separated by ";", and the columns it adds after the questions, `_id`, `_uuid`, `_submission_time`,
  `_validation_status`, `_notes`, `_status`, `_submitted_by`, `__version__`, `_tags`, `_index` — as
  kobotoolbox/kpi's own tests expect it (kpi/tests/test_mock_data_exports.py,
  test_csv_export_default_options, https://github.com/kobotoolbox/kpi). A form that collects
  `start`, `end`, `deviceid` or `username` exports them as columns of those names.
- ODK Central. The CSV download and its options ("remove group names" takes out the prefix
  usually added to groups in the header, so that `meta-instanceID` becomes `instanceID`):
  https://docs.getodk.org/central-submissions/#central-submissions-export-options ; the header —
  `SubmissionDate`, the form's fields (group paths joined by "-"), `meta-instanceID`, `KEY`,
  `SubmitterID`, `SubmitterName`, `AttachmentsPresent`, `AttachmentsExpected`, `Status`,
  `ReviewState`, `DeviceID`, `Edits`, `FormVersion` — as getodk/central-backend writes it
  (lib/data/briefcase.js) and tests it (test/assertions.js, "SimpleCsv"),
  https://github.com/getodk/central-backend . Choice names (the codes) as values.
"""
from __future__ import annotations

import csv
import random
import uuid
from pathlib import Path

import pandas as pd
import yaml
from openpyxl import Workbook

from analysis_utils.codebook import load_codebook
from analysis_utils.makers.form_model import build_form
from analysis_utils.makers.synthetic import generate
from analysis_utils.makers.xlsform import survey_rows

TEAMS = ["Team Noord", "Team Zuid"]
# What the platforms record about the interviewer and the device: it must never reach an output.
SUBMITTER_USER, SUBMITTER_NAME, DEVICE = "els.maes", "Els Maes", "collect:Qx7rT2kLm9AbC3dE"
KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
             "__version__", "_tags", "_index"]
CENTRAL_META = ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
                "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
FORM_META = ["start", "end", "deviceid", "username"]  # collected only where a team added them to the form


def group_paths(version: str = "v2") -> dict[str, list[str]]:
    """Each question of the XLSForm -> the names of the groups it sits in."""
    stack, paths = [], {}
    for row in survey_rows(build_form(version)):
        if row["type"] == "begin_group":
            stack.append(row["name"])
        elif row["type"] == "end_group":
            stack.pop()
        elif row["type"] != "note":
            paths[row["name"]] = list(stack)
    return paths


def answers(n: int, seed: int, version: str = "v2") -> pd.DataFrame:
    """Synthetic codes of ``n`` respondents, as the tablet form would have collected them."""
    df = generate(n, seed, load_codebook(version), group_shift={"a01_interview_mode": {3: -0.8}}, teams=TEAMS)
    return df.drop(columns="respondent_id")


def _meta(folder: Path, export: str | None, n: int) -> None:
    meta = {"id": folder.name, "title": f"Tabletronde ({export or 'herkend'})", "organisation": "fictief OCMW",
            "fieldwork_period": "voorjaar 2027", "clients_approached": n + 15, "questionnaire_version": "v2",
            "source": "survey", "teams": TEAMS}
    if export:
        meta["export"] = export
    (folder / "intake.yaml").write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _text(value) -> str:
    return "" if pd.isna(value) else str(value)


def _times(rng: random.Random, i: int) -> tuple[str, str, str]:
    start = f"2027-03-{1 + i % 28:02d}T{9 + i % 8:02d}:{rng.randrange(60):02d}:00.000+01:00"
    return start, start.replace(":00.000", ":14.000"), start[:16].replace("+01", "") + ":59Z"


def write_kobo_csv(folder: Path, n: int = 40, seed: int = 27, declare: bool = True) -> pd.DataFrame:
    """A KoboToolbox CSV export, "XML values and headers" with groups in headers: returns the codes."""
    folder.mkdir(parents=True, exist_ok=True)
    codes, paths, rng = answers(n, seed), group_paths(), random.Random(seed)
    header = ["start", "end", *("/".join([*paths[c], c]) for c in codes.columns), "deviceid", "username", *KOBO_META]
    with open(folder / "Clientbevraging_-_latest_version_-_False_-_2027-04-02-08-15-00.csv", "w", newline="",
              encoding="utf-8") as f:
        out = csv.writer(f, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        out.writerow(header)
        for i, (_, row) in enumerate(codes.iterrows()):
            start, end, submitted = _times(rng, i)
            out.writerow([start, end, *map(_text, row), DEVICE, SUBMITTER_USER, 100 + i,
                          str(uuid.UUID(int=rng.getrandbits(128))), submitted, "", "", "submitted_via_web",
                          SUBMITTER_USER, "vbKavWWCpgBCZms6hQX4FN", "", i + 1])
    _meta(folder, "kobotoolbox" if declare else None, n)
    return codes


def write_kobo_xlsx_labels(folder: Path, n: int = 30, seed: int = 28) -> pd.DataFrame:
    """A KoboToolbox XLSX export with "Labels" (the default): Dutch question labels as headers,
    without groups, Dutch choice labels as values; the sheet named after the form."""
    folder.mkdir(parents=True, exist_ok=True)
    cb = load_codebook("v2")
    codes, rng = answers(n, seed), random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.title = "De hulpverleningsrelatie door d"[:31]
    heads = [cb.item(c).label_nl if cb.item(c).group else cb.item(c).wording_nl for c in codes.columns]
    ws.append([*heads, *KOBO_META])
    for i, (_, row) in enumerate(codes.iterrows()):
        labels = [_text(v) if pd.isna(v) or not cb.item(c).coded else cb.scale_of(c).label(int(v), "nl")
                  for c, v in row.items()]
        ws.append([*labels, 200 + i, str(uuid.UUID(int=rng.getrandbits(128))), _times(rng, i)[2], None, None,
                   "submitted_via_web", SUBMITTER_USER, "vbKavWWCpgBCZms6hQX4FN", None, i + 1])
    wb.save(folder / "Clientbevraging_-_all_versions_-_labels_-_2027-04-02.xlsx")
    _meta(folder, "kobotoolbox", n)
    return codes


def write_odk_central_csv(folder: Path, n: int = 40, seed: int = 29) -> pd.DataFrame:
    """The root table of an ODK Central CSV download (group paths joined by "-", codes as values)."""
    folder.mkdir(parents=True, exist_ok=True)
    codes, paths, rng = answers(n, seed), group_paths(), random.Random(seed)
    header = ["SubmissionDate", "start", "end", "deviceid", "username",
              *("-".join([*paths[c], c]) for c in codes.columns), *CENTRAL_META]
    with open(folder / "hulpverleningsrelatie_v2.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        for i, (_, row) in enumerate(codes.iterrows()):
            start, end, submitted = _times(rng, i)
            instance = f"uuid:{uuid.UUID(int=rng.getrandbits(128))}"
            out.writerow([submitted, start, end, DEVICE, SUBMITTER_USER, *map(_text, row), instance, instance, 5,
                          SUBMITTER_NAME, 0, 0, "", "", DEVICE, 0, "v2.1"])
    _meta(folder, "odk-central", n)
    return codes
