"""A pack's grading: its `grading` block over a shared base file.

The base (`rules/_base/<name>-grading.yaml`, named by `pack.grading_base`,
default zh) gives every key; the pack's own `grading` block replaces the keys
it gives. Schema errors name the file and key like the rest of the pack.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from csrscan.errors import RuleError
from csrscan.models import Grading

DEFAULT_GRADING_BASE = "zh"  # packs written before grading was data grade as before
GRADING_BASE_DIR = "_base"
_PLAIN_WORDS = ("subjects", "units", "measure")  # literal words; the other lists are regexes
_NUMBERS = ("covered_sentences",)
Validated = Callable[[Path], dict[str, Any]]


def grading_base_files(rules_dir: Path) -> list[Path]:
    """Every shared grading file (the pack cache's key covers their bytes)."""
    folder = rules_dir / GRADING_BASE_DIR
    return sorted(folder.glob("*-grading.yaml")) if folder.is_dir() else []


def grading_base_path(rules_dir: Path, name: str, head_file: Path) -> Path:
    """The built-in base file `rules/_base/<name>-grading.yaml`."""
    file = rules_dir / GRADING_BASE_DIR / f"{name}-grading.yaml"
    if not file.is_file():
        known = ", ".join(f.name.removesuffix("-grading.yaml")
                          for f in grading_base_files(rules_dir))
        raise RuleError(f"unknown grading base {name!r} (known: {known}, none)",
                        path=str(head_file), key="pack.grading_base")
    return file


def load_grading(rules_dir: Path, head_file: Path, head: dict[str, Any],
                 docs: list[tuple[Path, dict[str, Any]]], validated: Validated) -> Grading:
    """The base's grading, each key the pack's `grading` block gives replaced.

    `docs`: the pack's files and their validated data; `validated` reads and
    validates the base file. `pack.subjects`, older than the block, still
    sets the subjects.
    """
    merged: dict[str, Any] = {}
    origin: dict[str, Path] = {}  # the file each key comes from, for errors
    name = str(head.get("grading_base", DEFAULT_GRADING_BASE))
    if name != "none":
        base = grading_base_path(rules_dir, name, head_file)
        block = validated(base).get("grading")
        if not isinstance(block, dict):
            raise RuleError("a grading base file needs a 'grading' block", path=str(base),
                            key="grading")
        merged.update(block)
        origin.update(dict.fromkeys(block, base))
    blocks = [(f, d["grading"]) for f, d in docs if "grading" in d]
    if len(blocks) > 1:
        raise RuleError("more than one 'grading' block in rule pack",
                        path=str(blocks[1][0]), key="grading")
    for file, block in blocks:
        merged.update(block)
        origin.update(dict.fromkeys(block, file))
    if "subjects" in head:
        merged["subjects"], origin["subjects"] = head["subjects"], head_file
    for key, values in merged.items():
        if key not in _PLAIN_WORDS and key not in _NUMBERS:
            _check_regexes(key, values, origin[key])
    fields: dict[str, Any] = {k: v if k in _NUMBERS else tuple(str(x) for x in v)
                              for k, v in sorted(merged.items())}
    # a user's regexes run under a time budget; the built-in files' stay on `re`
    guarded = sorted(k for k in merged if k not in _PLAIN_WORDS and k not in _NUMBERS
                     and not _builtin(origin[k], rules_dir))
    if guarded:
        fields.update(guarded=tuple(guarded), guarded_by=str(origin[guarded[0]]))
    return Grading(**fields)


def _builtin(file: Path, rules_dir: Path) -> bool:
    try:
        return file.resolve().is_relative_to(rules_dir.resolve())
    except (OSError, ValueError):
        return False


def _check_regexes(key: str, patterns: list[str], file: Path) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern.replace("{unit}", "u"))
        except re.error as exc:
            raise RuleError(f"bad regex {pattern!r}: {exc}", path=str(file),
                            key=f"grading.{key}") from None
