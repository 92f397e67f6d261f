"""The bounded readers of an intake's files (analysis_utils.intake.read): whatever a file holds,
reading takes bounded time and memory or the file is refused with a reason."""
import pytest
from openpyxl import Workbook

from analysis_utils.intake import read


def test_yaml_is_read_without_aliases_deep_nesting_or_size():
    assert read.load_yaml_bounded("a: 1\nb: [x, y]\n") == {"a": 1, "b": ["x", "y"]}
    with pytest.raises(read.Refused, match="no YAML anchors or aliases"):
        read.load_yaml_bounded("a: &x [1]\nb: *x\n")
    with pytest.raises(read.Refused, match="at most 10 levels of nesting"):
        read.load_yaml_bounded("a: " + "[" * 11 + "]" * 11)
    with pytest.raises(read.Refused, match="a description of at most 64 KB"):
        read.load_yaml_bounded("a: '" + "x" * (70 * 1024) + "'")
    with pytest.raises(read.Refused, match=r"valid YAML \(.* at line \d+\)"):
        read.load_yaml_bounded("a: 1\nb: [\n")
    with pytest.raises(read.Refused):  # the safe loader: no tag constructs an object
        read.load_yaml_bounded("d: !!python/object/apply:os.system ['true']\n")


def test_csv_takes_the_separator_excel_saved_and_its_windows_encoding(tmp_path):
    semicolons = tmp_path / "a.csv"
    semicolons.write_bytes("respondent_id;q01_gender\nR1;vrouw\nR2;1\n".encode("cp1252"))
    assert read.read_csv_cells(semicolons).rows == [["respondent_id", "q01_gender"], ["R1", "vrouw"], ["R2", "1"]]
    accents = tmp_path / "b.csv"
    accents.write_bytes("respondent_id,label\nR1,cliënt\n".encode("cp1252"))  # not UTF-8: read as Excel saves it
    assert read.read_csv_cells(accents).rows[1] == ["R1", "cliënt"]
    bom = tmp_path / "c.csv"
    bom.write_bytes("\ufeffrespondent_id\nR1\n".encode("utf-8"))
    assert read.read_csv_cells(bom).rows[0] == ["respondent_id"]
    empty = tmp_path / "d.csv"
    empty.write_text("  \n")
    assert read.read_csv_cells(empty).rows == []


def test_csv_beyond_its_bounds_is_refused(tmp_path, monkeypatch):
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(read.MAX_COLUMNS + 1)) + "\n")
    with pytest.raises(read.Refused, match=f"at most {read.MAX_COLUMNS} columns"):
        read.read_csv_cells(wide)
    monkeypatch.setattr(read, "MAX_ROWS", 3)
    long = tmp_path / "long.csv"
    long.write_text("respondent_id\n" + "R1\n" * 5)
    with pytest.raises(read.Refused, match="at most 3 respondent rows"):
        read.read_csv_cells(long)
    monkeypatch.setattr(read, "ANSWERS_MAX_BYTES", 10)
    with pytest.raises(read.Refused, match="an answers file of at most"):
        read.read_csv_cells(long)


def _workbook(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "antwoorden"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_xlsx_cells_are_text_and_formulas_or_errors_are_reported_by_cell(tmp_path):
    path = _workbook(tmp_path / "r.xlsx", [["respondent_id", "q08_satisfaction"], ["R1", 5.0], ["R2", "=1+4"],
                                           [None, None], ["R3", "#N/A"], ["R4", True]])
    sheet = read.read_xlsx_cells(path, "antwoorden")
    rows = [r[:2] for r in sheet.rows]  # (read as far as the widest row may go; the header trims them)
    assert rows[1] == ["R1", "5"]  # a whole number typed as 5 is the code 5
    assert rows[2] == ["R2", ""] and rows[5] == ["R4", "TRUE"]
    assert [(r, c) for r, c, _ in sheet.bad_cells] == [(3, 2), (5, 2)]
    assert "not a formula" in sheet.bad_cells[0][2] and "#N/A" in sheet.bad_cells[1][2]


def test_xlsx_that_is_no_workbook_or_unpacks_too_far_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("respondent_id\nR1\n")
    with pytest.raises(read.Refused, match="not a zip-packed workbook"):
        read.read_xlsx_cells(fake, "antwoorden")
    path = _workbook(tmp_path / "r.xlsx", [["respondent_id"], ["R1"]])
    monkeypatch.setattr(read, "XLSX_MAX_UNPACKED", 100)
    with pytest.raises(read.Refused, match="unpacked"):
        read.read_xlsx_cells(path, "antwoorden")


def test_decode_falls_back_to_cp1252_unless_strict():
    assert read.decode("é".encode("cp1252")) == "é"
    with pytest.raises(UnicodeDecodeError):
        read.decode("é".encode("cp1252"), strict=True)
