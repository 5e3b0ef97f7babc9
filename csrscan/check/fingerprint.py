"""One stable fingerprint per finding, the same in every machine format.

Built from the pack id, the rule (topic / indicator) id and the file's path
as checked ('/'-separated, without a leading './'), never from line numbers,
so that a gap whose text moved is the same gap to GitLab, code scanning,
reviewdog and the baseline. A ratchet finding adds its topic, and a
malformed-suppression finding its message (which names the comment's ids and
problem), as one file can have several: GitLab shows only the first issue of
a fingerprint.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from csrscan.check.policy import Finding

VERSION = "csrscan/1"


def finding_path(file: str) -> str:
    """A checked file's path as the formats print it."""
    path = PurePath(file).as_posix()
    while path.startswith("./"):
        path = path[2:]
    return path


def fingerprint(pack_id: str, rule: str, file: str) -> str:
    """32 hex digits of SHA-256 over the pack, rule and path."""
    text = "\0".join((VERSION, pack_id, rule, finding_path(file)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def finding_fingerprint(f: Finding, pack_id: str) -> str:
    rule = f"{f.rule}:{f.topic}" if f.kind == "ratchet" and f.topic else f.rule
    if f.kind == "suppression":
        rule = f"{f.rule}:{f.message}"
    return fingerprint(pack_id, rule, f.file)
