"""The thesis text for the quote tests: the full text where it is beside the project (or at
$THESIS_TEXT), else the committed excerpt ``thesis_excerpt.json`` — every line from two lines before
to six after a line the project quotes, verbatim — so that the quotes are checked on CI too.

Regenerate the excerpt after changing a quote or a line (needs the full text):

    python tests/thesis_text.py
"""
from __future__ import annotations

import json
import os
from pathlib import Path

SOURCE_NAME = "000_fe003d12e638c0f1.txt"
EXCERPT = Path(__file__).with_name("thesis_excerpt.json")
ROOT = Path(__file__).resolve().parents[1]


def full_text_path(root: Path = ROOT) -> Path | None:
    for path in (os.environ.get("THESIS_TEXT"), root.parent / "shared" / "seed" / SOURCE_NAME):
        if path and Path(path).is_file():
            return Path(path)
    return None


def quoted_lines(root: Path = ROOT) -> set[int]:
    """Every line of the thesis the project quotes or points at with a quote."""
    import sys

    sys.path.insert(0, str(root / "src"))
    from analysis_utils.codebook import load_codebook
    from analysis_utils.theory_map import load_limits, map_quotations
    from analysis_utils.yamlio import load_yaml

    reported = load_yaml((root / "data/raw/genk-2015/reported.yaml").read_text("utf-8"))
    lines = {f["seed_line"] for f in reported["facts"] + reported.get("claims", []) if "quote" in f}
    lines |= {f["counterpart"]["seed_line"] for f in reported["facts"] + reported.get("claims", []) if "counterpart" in f}
    for entry in load_yaml((root / "src/analysis_utils/resources/quantifiers.yaml").read_text("utf-8")).values():
        lines |= {c[key] for c in entry.get("calibration", []) for key in ("word_line", "count_line")}
    lines |= {q["seed_line"] for c in reported.get("contradictions", []) for q in c["statements"]}
    lines |= {x["seed_line"] for x in load_limits()}
    lines |= {line for _where, _quote, line in map_quotations()}
    says = load_yaml((root / "src/analysis_utils/resources/thesis_says.yaml").read_text("utf-8"))["statements"]
    lines |= {q["seed_line"] for x in says for q in x["quotes"]}
    terminology = load_yaml((root / "src/analysis_utils/locale/nl/terminology.yaml").read_text("utf-8"))["terms"]
    lines |= {q["line"] for t in terminology for q in t.get("thesis", [])}
    for version in ("v1", "v2"):
        cb = load_codebook(version)
        lines |= {i.seed_line for i in cb.items if i.seed_line}
        lines |= {seen["line"] for s in cb.scales.values() for seen in s.seen.values()}
    return lines


def build_excerpt(full: list[str], wanted: set[int]) -> dict:
    keep = sorted({n for line in wanted for n in range(line - 2, line + 7) if 1 <= n <= len(full)})
    return {"source": SOURCE_NAME, "lines_in_source": len(full), "lines": {str(n): full[n - 1] for n in keep}}


def load(root: Path = ROOT) -> tuple[list[str], bool]:
    """(lines of the thesis, whether it is the full text); lines not in the excerpt are empty."""
    path = full_text_path(root)
    if path is not None:
        return path.read_text("utf-8").splitlines(), True
    excerpt = json.loads(EXCERPT.read_text("utf-8"))
    lines = [""] * excerpt["lines_in_source"]
    for n, text in excerpt["lines"].items():
        lines[int(n) - 1] = text
    return lines, False


if __name__ == "__main__":
    path = full_text_path()
    if path is None:
        raise SystemExit("the full thesis text is needed: put the project beside shared/seed/ or set THESIS_TEXT")
    excerpt = build_excerpt(path.read_text("utf-8").splitlines(), quoted_lines())
    EXCERPT.write_text(json.dumps(excerpt, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {EXCERPT} ({len(excerpt['lines'])} lines)")
