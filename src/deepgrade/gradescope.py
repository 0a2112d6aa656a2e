"""Gradescope's ``run_autograder``: grade ``ROOT/submission`` into ``ROOT/results/results.json``.

Whatever happens, a results.json is written: a submission that cannot be graded gets zero with a
reason, and a fault of the grader itself is reported as such (and exits non-zero for the logs).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from deepgrade.grade.bundle import Bundle
from deepgrade.grade.results import write_results
from deepgrade.grade.runner import failed_report, grade_submission
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
        report = failed_report(bundle, "(none)", f"no .ipynb notebook was submitted; submit "
                               f"{bundle.homework}.ipynb")
    else:
        try:
            report = grade_submission(bundle, notebook)
        except Exception as exc:  # a grader bug must still leave results for the student
            report = failed_report(bundle, notebook.name, "the autograder failed on this "
                                   f"submission ({type(exc).__name__}); ask course staff to regrade")
            write_results(report, results, bundle.hidden_visibility)
            raise
    write_results(report, results, bundle.hidden_visibility)
    print(f"{bundle.homework}: {report.score:g}/{report.max_score:g}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
