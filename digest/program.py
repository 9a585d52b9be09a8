"""The `digest` program's entry point (and `python -m digest`'s): the command line, imported
with the cycle collector paused.

Importing the command line and what a build needs makes some 300,000 objects that live as long
as the program (modules, classes, compiled patterns and templates) and no garbage; the collector
would walk them again and again on the way, about a tenth of the import time.
"""

from __future__ import annotations

import gc


def run() -> None:
    """Import the command line, then run it as the program (see `cli.run`)."""
    gc.disable()
    try:
        from .cli import run as run_command_line
    finally:
        gc.enable()
    run_command_line()
