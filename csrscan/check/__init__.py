"""Check mode: a policy over scan reports, for CI.

`config` layers the settings, `policy` states what must hold, `evaluate`
applies it, `suppress` and `baseline` quiet accepted gaps, `diff` compares two
revisions; `formats/` renders the result (text, JSON, SARIF, JUnit, GitHub).
"""

from csrscan.check.config import Config
from csrscan.check.evaluate import CheckResult, run_check

__all__ = ["CheckResult", "Config", "run_check"]
