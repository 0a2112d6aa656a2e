"""`python -m deepgrade` runs the CLI."""

from deepgrade.cli import main

main()
