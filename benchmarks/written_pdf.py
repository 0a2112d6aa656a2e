"""How long `deepgrade written` takes for a class: 200 hw1 submissions, two browser tabs.

The class is realistic rather than uniform: most students answer every written question with
the master's model answers (LaTeX-heavy, a paragraph or two each), one in ten leaves half of them
untouched, and two write a 300-line answer. With ``--hostile N``, N of them (spread over the
class) answer their first question with one of the attacks of ``tests/hostile_corpus.py``
(nested ``\\underbrace``, 6,000 braces, a 120,000-character formula, typed question markers,
script, a local file as image, deep quotes and lists, a recursive macro) and have a hostile
display name. Prints the wall time of the whole command (browser start-up included), the time
per submission and the answers that fell back to their text.

    .venv/bin/python benchmarks/written_pdf.py [--students 200] [--jobs 2] [--hostile 10]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from deepgrade.assign.master import check_master, read_master


def model_answers() -> list[str]:
    spec = check_master("hw1", read_master("hw1", ROOT / "assignments" / "hw1" / "hw1.ipynb"))
    return ["\n\n".join(q.solution) for q in spec.manual]


def hostile_corpus() -> tuple[list[str], list[tuple[str, str, str]]]:
    sys.path.insert(0, str(ROOT / "tests"))
    from hostile_corpus import ANSWERS, PEOPLE

    return list(ANSWERS.values()), PEOPLE


def make_class(folder: Path, students: int, hostile: int = 0) -> None:
    template = nbformat.read(ROOT / "student" / "hw1" / "hw1.ipynb", as_version=4)
    slots = [i for i, c in enumerate(template.cells) if c.cell_type == "markdown"
             and "otter_answer_cell" in c.metadata.get("tags", [])]
    answers = model_answers()
    long = "\n".join(f"Line {i}: $x_{{{i}}} = {i}^2$, and some words." for i in range(300))
    meta = []
    attacks, people = hostile_corpus()
    bad = {round(i * students / hostile) + 7: i for i in range(hostile)} if hostile else {}
    for s in range(students):
        nb = nbformat.from_dict(template)
        for k, slot in enumerate(slots):
            if s % 10 == 3 and k >= len(slots) // 2:
                continue  # half the answers left as handed out
            text = answers[k] if s not in (50, 150) or k != 0 else long
            nb.cells[slot].source = f"Student {s}. " + text
        name, sid, email = f"Student {s}", f"{20000 + s}", f"s{s}@uni.edu"
        if s in bad:
            nb.cells[slots[0]].source = attacks[bad[s] % len(attacks)]
            name = people[bad[s] % len(people)][0]
        key = f"submission_{1000 + s}"
        (folder / key).mkdir(parents=True)
        nbformat.write(nb, folder / key / "hw1.ipynb")
        meta += [f"{key}:", "  :submitters:", f"  - :name: {json.dumps(name)}",
                 f"    :sid: '{sid}'", f"    :email: {email}"]
    (folder / "submission_metadata.yml").write_text("\n".join(meta) + "\n")


def cpu_seconds(proc: subprocess.Popen) -> float:
    """Wait for ``proc``; the CPU time it and its descendants (node, chromium) used, sampled
    every 0.2 s (a descendant's last 0.2 s may be missed)."""
    import psutil

    root, seen = psutil.Process(proc.pid), {}
    while proc.poll() is None:
        try:
            for p in [root, *root.children(recursive=True)]:
                t = p.cpu_times()
                seen[p.pid] = t.user + t.system
        except psutil.Error:
            pass
        time.sleep(0.2)
    return sum(seen.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--hostile", type=int, default=0,
                        help="this many submissions with a hostile answer and name")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="deepgrade-written-bench-") as tmp:
        export, out = Path(tmp) / "export", Path(tmp) / "out"
        make_class(export, args.students, args.hostile)
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "deepgrade", "written", "hw1", str(export),
                                 "--out", str(out), "--jobs", str(args.jobs)], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=(Path(tmp) / "err").open("w"))
        cpu = cpu_seconds(proc)
        seconds = time.monotonic() - start
        stderr = (Path(tmp) / "err").read_text()
        if proc.returncode:
            raise SystemExit(f"deepgrade written failed ({proc.returncode}): {stderr[-2000:]}")
        fell = [line for line in stderr.splitlines() if "could not be typeset" in line]
        pages = len(PdfReader(out / "written.pdf").pages)
        size = (out / "written.pdf").stat().st_size / 2**20
    print(f"deepgrade written hw1, {args.students} submissions, --jobs {args.jobs}: "
          f"{seconds:.1f} s wall ({seconds / args.students * 1000:.0f} ms per submission), "
          f"{pages} pages, {size:.1f} MB")
    print(f"CPU time of the command and its browser: {cpu:.1f} s ({cpu / 2:.1f} s of two "
          f"cores; the load average was {os.getloadavg()[0]:.1f} at the end)")
    if args.hostile:
        print(f"{args.hostile} hostile submissions; {fell[0] if fell else 'no answer fell back'}")


if __name__ == "__main__":
    main()
