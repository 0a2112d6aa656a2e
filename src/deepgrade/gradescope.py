"""Gradescope's ``run_autograder``: grade ``ROOT/submission`` into ``ROOT/results/results.json``.

Whatever happens, a results.json is written: a submission that cannot be graded gets zero with a
reason, and a fault of the grader itself is reported as such (and exits non-zero for the logs).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from deepgrade.grade.batch import grader_fault_report, no_notebook_report
from deepgrade.grade.bundle import Bundle
from deepgrade.grade.results import write_results
from deepgrade.grade.runner import grade_submission
from deepgrade.grade.submissions import pick_notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("/autograder"))
    args = parser.parse_args(argv)
    results = args.root / "results" / "results.json"
    try:
        bundle = Bundle.load(args.root / "source")
    except Exception as exc:  # the bundle itself is broken: tell staff, not the student
        results.parent.mkdir(parents=True, exist_ok=True)
        results.write_text(json.dumps({"score": 0, "output": f"autograder error: {exc}",
                                       "tests": []}, indent=2))
        return 1
    notebook = pick_notebook(args.root / "submission", bundle.homework)
    if notebook is None:
        report = no_notebook_report(bundle, "(none)")
    else:
        try:
            report = grade_submission(bundle, notebook)
        except Exception as exc:  # a grader bug must still leave results for the student
            report = grader_fault_report(bundle, notebook.name, type(exc).__name__)
            write_results(report, results, bundle.hidden_visibility)
            raise
    write_results(report, results, bundle.hidden_visibility)
    print(f"{bundle.homework}: {report.score:g}/{report.max_score:g}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
