"""The ``deepgrade`` command: a thin click layer over each subcommand's ``main``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from deepgrade import __version__
from deepgrade.errors import UserError
from deepgrade.project import find_root, resolve_homeworks


def _venv_on_path() -> None:
    # Kernels (nbclient's for the solutions) are found on PATH: make it this environment's.
    bin_dir = str(Path(sys.executable).parent)
    if not os.environ.get("PATH", "").startswith(bin_dir):
        os.environ["PATH"] = f"{bin_dir}:{os.environ.get('PATH', '')}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="deepgrade",
                      message="%(prog)s %(version)s")
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
def new(homework: str) -> None:
    """Write assignments/HOMEWORK/: a working master, homework.toml, a mutant, an alternate."""
    from deepgrade.assign.new import new_homework
    from deepgrade.project import Homework

    try:
        root = find_root()
    except UserError:  # a new course: the current folder becomes its root
        root = Path.cwd()
    for path in new_homework(Homework(homework, root)):
        click.echo(f"wrote {path}")
    click.echo(f"next: deepgrade build {homework} && deepgrade validate {homework} "
               "(docs/authoring.md tells how to write the rest)")


@cli.command()
@click.argument("homework")
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("grading-out"), show_default=True,
              help="Output folder: its grade store (grades.sqlite), <submission>/results.json, "
                   "gradebook.csv, import files, summary.txt. Grades already there are kept.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Grade this many submissions at a time.")
@click.option("--resume", is_flag=True,
              help="Grade only submissions this bundle has not graded yet (finish a killed run).")
@click.option("--due", default=None, metavar="DATETIME",
              help="Due date, e.g. 2026-10-08T23:59:00+00:00 (UTC without an offset); "
                   "overrides homework.toml [late] due.")
@click.option("--grace-minutes", type=click.FloatRange(0), default=None,
              help="Minutes after the due date that still count as on time.")
@click.option("--penalty-per-day", type=click.FloatRange(0, 1), default=None,
              help="Fraction of the total lost per started day late (0.1 = 10 %).")
@click.option("--late-policy", type=click.Choice(["none", "per_day"]), default=None,
              help="none: show lateness only; per_day: apply --penalty-per-day.")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Grade on the Dask scheduler at ADDRESS (tcp://HOST:8786, or a scheduler "
                   "file) instead of this machine; see docs/cluster.md.")
def grade(homework: str, submissions: tuple[Path, ...], out: Path, jobs: int, resume: bool,
          due: str | None, grace_minutes: float | None, penalty_per_day: float | None,
          late_policy: str | None, cluster: str | None) -> None:
    """Grade SUBMISSIONS (notebooks, folders, uploads, Gradescope exports) for HOMEWORK."""
    from deepgrade.grade import main

    if cluster and jobs > 1:
        raise UserError("--jobs and --cluster do not go together: on a cluster each Dask "
                        "worker grades one submission at a time; start more workers instead")
    [hw] = resolve_homeworks(find_root(), [homework])
    late = {"due": due, "grace_minutes": grace_minutes, "penalty_per_day": penalty_per_day,
            "policy": late_policy}
    main(hw, submissions, out, jobs, late=late, resume=resume, cluster=cluster)


@cli.command("merge-written")
@click.argument("homework")
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.argument("scores_csv", type=click.Path(path_type=Path))
def merge_written(homework: str, results_dir: Path, scores_csv: Path) -> None:
    """Merge staff's written-question scores (SCORES_CSV, e.g. Gradescope's Download Grades of
    the written assignment) into the grades in RESULTS_DIR; the gradebook's total adds them."""
    from deepgrade.grade import merge_written_main

    [hw] = resolve_homeworks(find_root(), [homework])
    merge_written_main(hw, results_dir, scores_csv)


@cli.command()
@click.argument("homework")
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("grading-out"), show_default=True,
              help="Write <out>/written.pdf and <out>/<submission>/written.pdf here.")
@click.option("--jobs", "-j", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Browser tabs printing at a time.")
def written(homework: str, submissions: tuple[Path, ...], out: Path, jobs: int) -> None:
    """One PDF of the written answers of SUBMISSIONS, a fixed page per written question."""
    from deepgrade.written.classpdf import main

    [hw] = resolve_homeworks(find_root(), [homework])
    main(hw, submissions, out, jobs)


@cli.command()
@click.argument("homework")
@click.argument("notebook", type=click.Path(dir_okay=False, path_type=Path))
def check(homework: str, notebook: Path) -> None:
    """Run NOTEBOOK's public tests as grader.check_all() does in the student's Jupyter; exit 1
    when one fails. Nothing is graded (the hidden tests are the autograder's)."""
    from deepgrade.check import main

    [hw] = resolve_homeworks(find_root(), [homework])
    if not notebook.is_file():
        raise UserError(f"{notebook}: no such notebook")
    if not main(hw, notebook):
        sys.exit(1)


@cli.command()
@click.argument("homeworks", nargs=-1)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--details", is_flag=True,
              help="Per mutant and alternate: the tests that failed and the points lost.")
def validate(homeworks: tuple[str, ...], jobs: int, details: bool) -> None:
    """Check that the hidden tests of HOMEWORKS tell right from wrong (mutants, alternates)."""
    from deepgrade.validate import main

    if not main(resolve_homeworks(find_root(), homeworks), jobs=jobs, details=details):
        sys.exit(1)


@cli.command()
@click.argument("homework")
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the page (default RESULTS_DIR/report.html).")
@click.option("--hide-names", is_flag=True, help="Show submissions only, not students' names.")
def report(homework: str, results_dir: Path, out: Path | None, hide_names: bool) -> None:
    """Write an HTML report of the results in RESULTS_DIR (from `deepgrade grade --out`)."""
    from deepgrade.report import main

    [hw] = resolve_homeworks(find_root(), [homework])
    main(hw.name, results_dir, out, hide_names=hide_names, hw=hw)


@cli.command()
@click.argument("homework")
@click.argument("results_dir", type=click.Path(path_type=Path))
@click.option("--hide-names", is_flag=True, help="Show submissions only, not students' names.")
def similar(homework: str, results_dir: Path, hide_names: bool) -> None:
    """Rank the pairs of submissions in RESULTS_DIR whose answers are unusually alike; write
    RESULTS_DIR/similarity.csv, similarity.html and a page per flagged pair."""
    from deepgrade.similar import main

    [hw] = resolve_homeworks(find_root(), [homework])
    main(hw, results_dir, hide_names=hide_names)


@cli.command()
@click.argument("homeworks", nargs=-1)
@click.option("--seeds", type=click.IntRange(1, 1000), default=None,
              help="Use seeds 0..N-1 instead of the homework's SEEDS (for a quick look).")
def calibrate(homeworks: tuple[str, ...], seeds: int | None) -> None:
    """Train the reference of HOMEWORKS across seeds; write calibration.json/.md beside it."""
    from deepgrade.calibrate import main

    root = find_root()
    hws = resolve_homeworks(root, homeworks)
    if not homeworks:
        hws = [hw for hw in hws if hw.calibration.is_file()]
    main(hws, list(range(seeds)) if seeds else None)


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
