"""Argument types shared by the scripts' command lines (run_notebooks.py, assignment.py, build_site.py): a bad value
is refused by argparse before anything runs, exit status 2, with the option, the value and the rule, e.g.
``argument --cell-timeout: 0 must be a whole number of seconds >= 1``."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable


def whole_number(unit: str, minimum: int) -> Callable[[str], int]:
    """An int option of at least ``minimum`` ``unit`` (e.g. seconds)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(f"{text} must be a whole number of {unit} >= {minimum}")
        return value
    return parse


def output_folder(text: str) -> Path:
    """A folder the script writes into, created now (with its parents) so that a path that cannot be one (an
    existing file, a read-only place) is refused before the work whose results it would hold."""
    path = Path(text)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise argparse.ArgumentTypeError(f"{text} must be a folder that can be created and written: "
                                         f"{e.strerror or e}") from None
    return path


def require_at_least(parser: argparse.ArgumentParser, option: str, value: int, minimum: int, rule: str) -> None:
    """Refuses an option already parsed as an int when it is below ``minimum`` (parser.error: usage, exit status 2,
    nothing run), e.g. ``--runs (0) must be at least 1 (the median of the timed calls)``; ``rule`` completes "must
    be"."""
    if value < minimum:
        parser.error(f"{option} ({value}) must be {rule}")
