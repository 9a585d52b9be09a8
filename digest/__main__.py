"""`python -m digest` runs the command line."""

from digest.program import run

run()
