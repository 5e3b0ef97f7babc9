"""The JSONL stream of a batch: one line per finished file, and `--resume`.

Each line is a `csrscan.report/1` object (with `identity`) or a
`csrscan.error/1` object. Lines are flushed as files finish, so an interrupted
run keeps everything it finished. On `--resume` the file is read back (a
truncated last line is dropped), the reports that still match a file
(same path, same sha256, same pack id and version) are reused, and the file
is rewritten without the lines of files that will be scanned again.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from csrscan.atomic import atomic_path
from csrscan.compare.batch import ERROR_SCHEMA, Outcome, file_sha256
from csrscan.errors import CsrscanError
from csrscan.models import printable_path
from csrscan.render.report import SCHEMA as REPORT_SCHEMA


def read_journal(path: Path) -> list[dict[str, Any]]:
    """Valid JSON object lines of a journal; broken or foreign lines are skipped."""
    if not path.exists():
        return []
    out = []
    # a run killed mid-write can cut a character in two: that line is broken too
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict) and obj.get("schema") in (REPORT_SCHEMA, ERROR_SCHEMA):
                out.append(obj)
    return out


@dataclass(frozen=True, slots=True)
class ResumePlan:
    reused: list[Outcome]
    todo: list[str]
    keep_lines: list[dict[str, Any]]


def plan_resume(lines: list[dict[str, Any]], paths: list[str], pack_id: str,
                pack_version: str) -> ResumePlan:
    """Split `paths` into finished (reused reports) and still to scan."""
    done: dict[tuple[str, str], dict[str, Any]] = {}
    for obj in lines:
        if obj.get("schema") == REPORT_SCHEMA and obj.get("pack") == {
                "id": pack_id, "version": pack_version}:
            src = obj.get("source", {})
            done[(str(src.get("path")), str(src.get("sha256")))] = obj
    reused: list[Outcome] = []
    todo: list[str] = []
    done_paths = {k[0] for k in done}
    for path in paths:
        shown = printable_path(path)  # as the journal wrote it
        hit = done.get((shown, _sha_or_empty(path))) if shown in done_paths else None
        if hit is None:
            todo.append(path)
        else:
            reused.append(Outcome(path, hit["source"]["sha256"], "resumed", hit))
    rescan = set(map(printable_path, todo))
    keep = [line for line in lines if _line_path(line) not in rescan]
    return ResumePlan(reused=reused, todo=todo, keep_lines=keep)


def _sha_or_empty(path: str) -> str:
    try:
        return file_sha256(path)
    except OSError:
        return ""


def _line_path(obj: dict[str, Any]) -> str:
    if obj.get("schema") == REPORT_SCHEMA:
        return str(obj.get("source", {}).get("path"))
    return str(obj.get("path"))


class JournalWriter:
    """Append outcomes as JSON lines, flushed one by one; '-' means stdout."""

    def __init__(self, path: Path | None, keep_lines: list[dict[str, Any]] | None = None,
                 stream: IO[str] | None = None) -> None:
        self.path = path
        self.written = 0  # lines written by this run
        self._fh: IO[str] | None = stream
        self._owned = stream is None
        if path is None:
            return
        try:
            if keep_lines is not None:
                _rewrite(path, keep_lines)
            self._fh = path.open("a", encoding="utf-8")
        except OSError as exc:
            raise CsrscanError(f"cannot write output: {exc.strerror}", path=str(path)) from None

    def write(self, outcome: Outcome) -> None:
        """Append one line; a failed write (a full disk) stops the batch as an
        input error, every line written before it kept (flushed one by one)."""
        if self._fh is None:
            return
        try:
            self._fh.write(dump_line(outcome.to_line()))
            self._fh.flush()
        except OSError as exc:
            where = str(self.path) if self.path else "<stdout>"
            with contextlib.suppress(OSError):  # the half line stays; --resume skips it
                self.close()
            self._fh = None
            raise CsrscanError(f"cannot write output: {exc.strerror or exc}; the batch stopped "
                               f"with {self.written} result(s) written before it kept",
                               path=where) from None
        self.written += 1

    def close(self) -> None:
        if self._fh is not None and self._owned:
            self._fh.close()
        self._fh = None


def dump_line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=False) + "\n"


def _rewrite(path: Path, lines: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8") as fh:
        fh.writelines(dump_line(obj) for obj in lines)
