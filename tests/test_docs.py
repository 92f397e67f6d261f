"""docs/outputs.md against the files a run writes: every CSV a run writes has a section there,
and every column of it is described (the items of the codebook, one column each, are described
once for ``responses.csv``).

The checks run on the runs the other tests make (:func:`assert_outputs_documented` is called by
tests of ``test_pipeline``, ``test_new_intake``); the tests here check the checker."""
import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ROOT / "docs" / "outputs.md"
# Files whose remaining columns are the codebook's items (and their reversed scores).
ITEM_FILES = {"responses.csv", "reconstructions.csv"}


def documented(text: str | None = None) -> dict[str, set[str]]:
    """``{path pattern: every name in backticks in its section}`` for each ``### `path` `` section."""
    text = OUTPUTS.read_text(encoding="utf-8") if text is None else text
    sections = re.split(r"^### `([^`]+)`\s*$", text, flags=re.M)
    return {path: set(re.findall(r"`([^`]+)`", body)) for path, body in zip(sections[1::2], sections[2::2])}


def pattern(path: Path, root: Path) -> str:
    """The section heading that documents ``path``, a file under a run's output ``root``."""
    parts = path.relative_to(root).parts
    if "processed" in parts:
        return f"data/processed/<intake>/{path.name}"
    if any(part.startswith("compare-") for part in parts):
        return f"reports/compare-<a>+<b>/tables/{path.name}"
    return f"reports/<intake>/tables/{path.name}"


def undocumented(root: Path, docs: dict[str, set[str]] | None = None) -> list[str]:
    """Every CSV under ``root`` (a run's ``processed/`` and ``reports/`` parent) without a
    section, and every column not named in its section."""
    from analysis_utils.codebook import load_codebook

    docs = documented() if docs is None else docs
    items = {i.id for v in ("v1", "v2") for i in load_codebook(v).items}
    items |= {i + "_pos" for i in items}
    wrong = []
    for csv in sorted(root.rglob("*.csv")):
        if any(part.startswith(".") for part in csv.relative_to(root).parts):
            continue  # a run's hidden build folders
        key = pattern(csv, root)
        if key not in docs:
            wrong.append(f"{csv.relative_to(root)}: no section '### `{key}`' in docs/outputs.md")
            continue
        columns = set(pd.read_csv(csv, nrows=0).columns)
        if csv.name in ITEM_FILES:
            columns -= items
        wrong += [f"{csv.relative_to(root)}: column {c!r} not described in docs/outputs.md"
                  for c in sorted(columns - docs[key])]
    return wrong


def assert_outputs_documented(root: Path) -> None:
    wrong = undocumented(root)
    assert not wrong, "\n".join(wrong)


def test_every_section_names_a_csv_and_describes_columns():
    docs = documented()
    assert len(docs) >= 12
    for key, names in docs.items():
        assert key.endswith(".csv") or key.endswith(".json"), key
        assert names, f"{key}: no column described"


@pytest.mark.parametrize("layout", ["processed/genk-2015", "reports/genk-2015/tables", "reports/genk-2015/nl/tables",
                                    "reports/compare-a+b/tables"])
def test_the_checker_finds_an_undescribed_column_and_a_missing_section(tmp_path, layout):
    folder = tmp_path / layout
    folder.mkdir(parents=True)
    name = "comparison.csv" if "compare" in layout else "data_dictionary.csv" if "processed" in layout else "frequencies.csv"
    columns = sorted(documented()[pattern(folder / name, tmp_path)])[:2]
    pd.DataFrame(columns=columns).to_csv(folder / name, index=False)
    assert undocumented(tmp_path) == []
    pd.DataFrame(columns=[*columns, "surprise"]).to_csv(folder / name, index=False)
    assert undocumented(tmp_path) == [f"{layout}/{name}: column 'surprise' not described in docs/outputs.md"]
    (folder / "new_table.csv").write_text("a\n1\n")
    assert any("new_table.csv: no section" in w for w in undocumented(tmp_path))


def test_item_columns_of_responses_need_no_words_but_others_do(tmp_path):
    folder = tmp_path / "processed" / "x"
    folder.mkdir(parents=True)
    pd.DataFrame(columns=["respondent_id", "q08_satisfaction", "q17_different_goals_pos", "pilot"]).to_csv(
        folder / "responses.csv", index=False)
    assert undocumented(tmp_path) == []
    pd.DataFrame(columns=["respondent_id", "q08_satisfaction", "favourite_colour"]).to_csv(
        folder / "responses.csv", index=False)
    assert undocumented(tmp_path) == ["processed/x/responses.csv: column 'favourite_colour' not described in docs/outputs.md"]
