"""Reuse by content: a chapter whose inputs — the intake's files, the package (code, codebook,
theory map), the package versions, the parameters and its notebook — are unchanged since the last
run, and whose outputs are intact, is reused from it. Content decides, never timestamps.

Examples
--------
>>> digest({"a": 1}) == digest({"a": 1}) != digest({"a": 2})
True
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..intake.folder import intake_files as files_of
from .render import package_versions

CHUNK = 1 << 20  # files are hashed a megabyte at a time


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in chunks (never whole into memory)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


BUILD_MANIFEST = "build.json"  # in reports/<intake>/: what each chapter was built from, and when


def sha256_files(files: list[Path], base: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file of ``files`` (all under ``base``)."""
    return {f.relative_to(base).as_posix(): sha256_file(f) for f in files}


def digest(obj) -> str:
    """SHA-256 of a JSON-able object (keys sorted)."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()


def package_source_files() -> list[Path]:
    """Every file of the installed package that can change a result: code, codebook, theory map."""
    pkg = Path(__file__).resolve().parent.parent
    return sorted(f for f in pkg.rglob("*") if f.is_file() and "__pycache__" not in f.parts)


def stage_keys(intake_dir: Path, notebooks: list[Path], lang: str, langs: list[str] | None = None) -> dict[str, str]:
    """The content key of every stage: a SHA-256 over what its output depends on.

    Stage 01 depends on the intake's files, the package (code, codebook, theory map), the package
    versions in the report, the parameters and its notebook; every later stage on stage 01's key
    and its own notebook. Content decides, never timestamps. ``langs`` are the languages published
    together (each page links to its twin when there are two).
    """
    intake_files = files_of(intake_dir)  # only what the intake consists of: nothing else is read
    pkg = Path(__file__).resolve().parent.parent
    common = digest({"intake": sha256_files(intake_files, intake_dir),
                      "package": sha256_files(package_source_files(), pkg),
                      "versions": package_versions(),
                      "params": {"lang": lang, "langs": sorted(langs or [lang])}})
    first = digest({"common": common, "notebook": sha256_file(notebooks[0])})
    keys = {notebooks[0].stem: first}
    for nb in notebooks[1:]:
        keys[nb.stem] = digest({"stage01": first, "notebook": sha256_file(nb)})
    return keys


def read_build_manifest(report: Path) -> dict | None:
    try:
        manifest = json.loads((report / BUILD_MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("chapters"), dict) else None


def _intact(folder: Path, files: dict[str, str]) -> bool:
    """Every file recorded is still there with the recorded content."""
    for rel, expected in files.items():
        f = folder / rel
        if not f.is_file() or sha256_file(f) != expected:
            return False
    return True


def reusable_chapters(previous: dict | None, keys: dict[str, str], report: Path, processed: Path) -> set[str]:
    """The chapters of the previous run whose key is unchanged and whose outputs are intact.

    Later chapters are reusable only together with stage 01's processed data, which they read.
    """
    if not previous:
        return set()
    chapters = previous["chapters"]
    if not _intact(processed, previous.get("processed", {"manifest.json": ""})):
        return set()
    first = next(iter(keys))
    if chapters.get(first, {}).get("key") != keys[first]:
        return set()
    return {stem for stem, key in keys.items()
            if chapters.get(stem, {}).get("key") == key and _intact(report, chapters[stem].get("files", {}))}
