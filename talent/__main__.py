"""`python -m talent` runs the command line."""

from talent.cli import main

main()
