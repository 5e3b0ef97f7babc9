"""Refuse YAML that would expand past a sane size (docs/writing-rules.md, Limits).

A safe loader still honours anchors and aliases, and shares the aliased
object: ten aliases of ten aliases of … ("billion laughs") load in
microseconds into a small graph that every walker (the schema validator,
the pack builder) then visits as a tree of 10^11 nodes, and hangs. So the
loaded value is measured as the tree it stands for (each distinct object once,
memoized), and refused past MAX_NODES; so is a scalar longer than MAX_SCALAR.
Only then is the file read again as events, to name the line at fault.
The same checks guard `.csrscan.yaml` and `--config` files (check/config.py).
"""

from __future__ import annotations

import re
from typing import Any

from csrscan.errors import CsrscanError, RuleError, value_problem

MAX_NODES = 1_000_000   # the built-in pack's largest file has ~5,000
MAX_SCALAR = 100_000    # characters: the longest built-in scalar is a few hundred
# a run of digits Python refuses to make an int of (sys.get_int_max_str_digits)
_LONG_NUMBER = re.compile(r"[0-9][0-9_]{4300,}")


def check_expansion(data: Any, text: str, file: str,
                    error: type[CsrscanError] = RuleError) -> None:
    """Raise `error` (a rule pack's RuleError, a config's ConfigError) naming
    the line if `data` expands too far or holds an over-long scalar; `text` is
    the YAML it was loaded from."""
    sizes: dict[int, int] = {}
    if _size(data, sizes) <= MAX_NODES:
        return
    raise error(_problem(text), path=file)


def value_error(exc: ValueError, text: str) -> str:
    """A loader's ValueError (a number of over 4,300 digits) in a user's words,
    with the line of the first such number in `text` (YAML or TOML) when found."""
    problem = value_problem(exc)
    if "digits" not in problem:
        return problem
    for number, line in enumerate(text.splitlines(), 1):
        if _LONG_NUMBER.search(line):
            return f"line {number}: {problem}"
    return problem


def _size(node: Any, sizes: dict[int, int]) -> int:
    """Nodes of the tree `node` stands for; past MAX_NODES the count stops."""
    stack: list[tuple[Any, bool]] = [(node, False)]
    visiting: set[int] = set()
    while stack:
        obj, done = stack.pop()
        key = id(obj)
        if key in sizes:
            continue
        if not done and key in visiting:  # a recursive alias (&a [*a]): endless
            return MAX_NODES + 1
        if isinstance(obj, dict):
            children = [*obj.keys(), *obj.values()]
        elif isinstance(obj, list):
            children = obj
        else:
            sizes[key] = MAX_NODES + 1 if isinstance(obj, str) and len(obj) > MAX_SCALAR else 1
            continue
        if not done:
            visiting.add(key)
            stack.append((obj, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        sizes[key] = min(MAX_NODES + 1, 1 + sum(sizes[id(c)] for c in children))
    return sizes[id(node)]


def _problem(text: str) -> str:
    """Where the expansion passes the limit, from the YAML's events."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    anchors: dict[str, int] = {}
    open_counts: list[tuple[str | None, int]] = []
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1 if event.start_mark else 0
        if isinstance(event, yaml.ScalarEvent):
            if len(event.value) > MAX_SCALAR:
                return f"line {line}: a value of {len(event.value)} characters " \
                       f"(at most {MAX_SCALAR})"
            size = 1
        elif isinstance(event, yaml.AliasEvent):
            size = anchors.get(event.anchor or "", 1)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            open_counts.append((event.anchor, 1))
            continue
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = open_counts.pop()
            if anchor:
                anchors[anchor] = size
            if open_counts:
                open_counts[-1] = (open_counts[-1][0], open_counts[-1][1] + size)
            continue
        else:
            continue
        if isinstance(event, yaml.ScalarEvent) and event.anchor:
            anchors[event.anchor] = 1
        if open_counts:
            open_counts[-1] = (open_counts[-1][0], open_counts[-1][1] + size)
        if size > MAX_NODES or sum(c for _, c in open_counts) > MAX_NODES:
            return (f"line {line}: aliases expand the YAML past {MAX_NODES:,} nodes "
                    "(a 'billion laughs' file?)")
    return f"aliases expand the YAML past {MAX_NODES:,} nodes (a 'billion laughs' file?)"
