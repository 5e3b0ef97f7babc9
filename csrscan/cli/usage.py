"""How a usage mistake is worded: one line, with the nearest right word."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any


def near_command(word: str, commands: Sequence[str]) -> str | None:
    """The one of `commands` a bare word is a near miss of, unless it names an existing path."""
    import difflib

    if os.path.exists(word) or "." in word or "/" in word:  # check.md is a (missing) file
        return None
    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.75)
    return close[0] if close else None


def usage_line(exc: Any) -> str:
    """A usage error in one line, with where to look: click prints three.

    A command group run without a command (bare `csrscan`, `csrscan rules`)
    gets its help as it is: the message is the help."""
    if type(exc).__name__ == "NoArgsIsHelpError":
        return str(exc.format_message()).rstrip("\n")
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "csrscan"
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    possible = getattr(exc, "possibilities", None)
    if possible and getattr(exc, "option_name", None):  # `--evidnce`: name the nearest
        import difflib

        near = difflib.get_close_matches(exc.option_name, possible, n=1, cutoff=0) or possible
        message = f"no such option: {exc.option_name} (did you mean {near[0]!r}?)"
    # click's sentences end in '.' and may add "Did you mean …?": one clause before the hint
    message = re.sub(r"\.?\s+Did you mean (.+)\?$", r" (did you mean \1?)", message.strip())
    return f"csrscan: error: {message.rstrip('.')}; try '{where} -h'"
