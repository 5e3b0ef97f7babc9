"""Hostile inputs end cleanly (issue #17 item 6): every case of hostile.CASES
(bombs, truncated and mislabelled files, nesting, invisible characters, bad
encodings, a huge line, a FIFO, a device, hanging regexes, YAML alias trees)
ends with exit 0 or 2, one line of error and no traceback, within a bounded
time and memory (measured in a subprocess); Hypothesis throws bytes at every
reader and text at the rule loader. benchmarks/fuzz.py runs the same larger."""

from __future__ import annotations

import os
from pathlib import Path

import hostile
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from runutil import run_measured

from csrscan.errors import CsrscanError, InputError, RuleError
from csrscan.ingest import IngestOptions, bytes_to_document
from csrscan.packs.load import load_pack

EXAMPLES = int(os.environ.get("CSRSCAN_FUZZ_EXAMPLES", "60"))  # benchmarks/fuzz.py: more
CAP_MIB = 300  # --max-memory of every case: the peak RSS of a run must stay near it
WALL = 45  # seconds: a run past it is a hang (run_measured fails the test)


@pytest.mark.parametrize("kind", sorted(hostile.CASES))
def test_hostile_input_ends_cleanly(kind: str, tmp_path: Path) -> None:
    args = hostile.CASES[kind](tmp_path, 1)
    run = run_measured(tmp_path, "scan", *args, "--max-memory", f"{CAP_MIB}MiB",
                       timeout=WALL)
    assert run.code in (0, 2), run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    if run.code == 2:
        errors = [line for line in run.stderr.splitlines() if line.startswith("csrscan: error")]
        assert len(errors) == 1, run.stderr
    assert run.peak_mib < CAP_MIB + 150, f"{kind}: {run.peak_mib:.0f} MiB"


SUFFIXES = (".pdf", ".docx", ".html", ".txt", ".md")
PREFIXES = (b"", b"%PDF-1.7\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2048),
       suffix=st.sampled_from(SUFFIXES))
def test_readers_raise_only_input_errors(prefix: bytes, body: bytes, suffix: str) -> None:
    try:
        doc = bytes_to_document(prefix + body, "fuzz" + suffix, IngestOptions())
    except InputError as exc:
        assert exc.path == "fuzz" + suffix and "\n" not in exc.message
    else:
        assert doc.pages


YAML_BITS = st.sampled_from([
    "pack: {id: f, version: '1.0', name: F}\n", "topics:\n", "  - id: t\n", "    name: T\n",
    "    indicators: []\n", "x: &a [1, 2]\n", "y: [*a, *a, *a]\n", "z: *b\n", "- [\n",
    "regex: '(a+)+'\n", "n: 1" + "0" * 5000 + "\n", "k: !!python/object:os.system ls\n",
    "\t- bad indent\n", "key: \"\\x\"\n", "? [a]\n: b\n", "<<: *a\n", "{" * 300 + "\n"])


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(lines=st.lists(YAML_BITS, max_size=12), tail=st.text(max_size=200))
def test_rule_loader_raises_only_rule_errors(lines: list[str], tail: str,
                                             tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("yaml") / "pack.yaml"
    path.write_text("".join(lines) + tail, encoding="utf-8")
    try:
        load_pack(path)
    except RuleError as exc:
        assert "\n" not in str(exc)
    except CsrscanError as exc:  # pragma: no cover - shown if it ever happens
        raise AssertionError(f"not a RuleError: {exc!r}") from None
