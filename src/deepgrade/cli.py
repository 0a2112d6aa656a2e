"""The ``deepgrade`` command: a thin click layer over each subcommand's ``main``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from deepgrade.errors import UserError
from deepgrade.project import find_root, list_homeworks, resolve_homeworks


def _venv_on_path() -> None:
    # Kernels (nbclient's for the solutions) are found on PATH: make it this environment's.
    bin_dir = str(Path(sys.executable).parent)
    if not os.environ.get("PATH", "").startswith(bin_dir):
        os.environ["PATH"] = f"{bin_dir}:{os.environ.get('PATH', '')}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Build, grade and validate autograded deep-learning homeworks."""
    _venv_on_path()


@cli.command()
@click.argument("homeworks", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write student/, autograder/, solutions/ under this folder instead of the repo.")
@click.option("--no-execute", is_flag=True, help="Do not execute the solution notebook.")
def build(homeworks: tuple[str, ...], out: Path | None, no_execute: bool) -> None:
    """Build HOMEWORKS (all by default) from assignments/<hw>/<hw>.ipynb."""
    from deepgrade.assign import build_homework

    for hw in resolve_homeworks(find_root(), homeworks):
        build_homework(hw, out, execute=not no_execute)


@cli.command()
@click.argument("homework")
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("grading-out"), show_default=True,
              help="Write <out>/<submission>/results.json here.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Grade this many submissions at a time.")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Grade on the Dask scheduler at ADDRESS (tcp://HOST:8786, or a scheduler "
                   "file) instead of this machine; see the README's cluster section.")
def grade(homework: str, submissions: tuple[Path, ...], out: Path, jobs: int,
          cluster: str | None) -> None:
    """Grade SUBMISSIONS (notebooks or folders of them) for HOMEWORK."""
    from deepgrade.grade import main

    if cluster and jobs > 1:
        raise UserError("--jobs and --cluster do not go together: on a cluster each Dask "
                        "worker grades one submission at a time; start more workers instead")
    [hw] = resolve_homeworks(find_root(), [homework])
    main(hw, submissions, out, jobs, cluster)


@cli.command()
@click.argument("homeworks", nargs=-1)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=2, show_default=True)
def validate(homeworks: tuple[str, ...], jobs: int) -> None:
    """Check that the hidden tests of HOMEWORKS tell right from wrong (mutants, alternates)."""
    from deepgrade.validate import main

    if not main(resolve_homeworks(find_root(), homeworks), jobs=jobs):
        sys.exit(1)


@cli.command()
@click.argument("homework")
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the page (default RESULTS_DIR/report.html).")
def report(homework: str, results_dir: Path, out: Path | None) -> None:
    """Write an HTML report of the results in RESULTS_DIR (from `deepgrade grade --out`)."""
    from deepgrade.report import main

    [hw] = resolve_homeworks(find_root(), [homework])
    main(hw.name, results_dir, out)


@cli.command()
@click.argument("homeworks", nargs=-1)
@click.option("--seeds", type=click.IntRange(1, 1000), default=None,
              help="Use seeds 0..N-1 instead of the homework's SEEDS (for a quick look).")
def calibrate(homeworks: tuple[str, ...], seeds: int | None) -> None:
    """Train the reference of HOMEWORKS across seeds; write calibration.json/.md beside it."""
    from deepgrade.calibrate import main

    root = find_root()
    names = homeworks or tuple(h for h in list_homeworks(root)
                               if (root / "assignments" / h / "calibration.py").is_file())
    main(resolve_homeworks(root, names), list(range(seeds)) if seeds else None)


def main() -> None:
    try:
        cli(standalone_mode=False)
    except UserError as exc:
        click.echo(f"deepgrade: error: {exc}", err=True)
        sys.exit(exc.status)
    except click.exceptions.Abort:
        click.echo("deepgrade: aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("deepgrade: interrupted", err=True)
        sys.exit(130)
