"""The root's help without building every command (`csrscan`, `csrscan -h`).

typer turns each command into a click command, evaluating the annotations
of every parameter, before it prints anything: ~35 ms for csrscan's
commands, a quarter of `csrscan --help`. The root's help shows only each
command's name and the first sentence of its help, so it is printed by a
twin of the root app whose commands carry the real ones' help and no
parameters (tests/test_cli.py holds the two outputs equal).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import typer


def listing_app(settings: dict[str, Any], root: Callable[..., None],
                commands: Sequence[tuple[str, Any]]) -> typer.Typer:
    """The twin: `settings` and `root` (the callback) as the real app's;
    `commands`: (name, command function or sub-app) in the real app's order."""
    twin = typer.Typer(**settings)
    twin.callback()(root)
    for name, target in commands:
        if isinstance(target, typer.Typer):
            twin.add_typer(typer.Typer(help=target.info.help), name=name)
        else:  # typer's own rule: the docstring is the help
            twin.command(name, help=inspect.getdoc(target))(_no_options)
    return twin


def _no_options() -> None:
    """Never runs: the twin only prints the command list."""
