"""The pages' commands run as written, and their links lead somewhere (README.md, docs/*.md).

- every fenced block names its language, so that no shell command escapes these checks;
- every shell block (sh, bash, shell, console) parses (`bash -n`) and leaves nothing to fill in
  (no `[--option]`, `<placeholder>` or `HW`);
- every `deepgrade` command, in a shell block or an inline code span, names a real subcommand
  and only options that its `--help` lists; `make` targets are the Makefile's; the scripts named
  exist and define the options used; `dask` commands use options dask has;
- the cheap commands run: `deepgrade --version`, `deepgrade --help`, `deepgrade CMD --help`;
- every relative link points to a file, and every #anchor to a heading of that page;
- the README is the front page: at most 150 lines, the two commands of the quick start, a link
  to every guide.
"""

from __future__ import annotations

import functools
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL = {"sh", "bash", "shell", "console"}
# Folders of this repository: a path under one of them in a command must exist.
REPO_FOLDERS = ("benchmarks/", "scripts/", "tests/", "src/", "assignments/", "solutions/",
                "student/", "autograder/", "docs/")


def _name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


@functools.cache
def blocks(page: Path) -> list[tuple[int, str, str]]:
    """``(line, language, text)`` of each fenced block of ``page`` (indented ones too)."""
    found, lines, i = [], page.read_text().splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            indent, language = len(line) - len(line.lstrip()), line.strip()[3:].strip()
            body, start = [], i + 1
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i][indent:] if lines[i][:indent].isspace() else lines[i])
                i += 1
            assert i < len(lines), f"{_name(page)}:{start}: a fenced block is never closed"
            found.append((start, language, "\n".join(body) + "\n"))
        i += 1
    return found


def prose(page: Path) -> str:
    """``page`` without its fenced blocks."""
    text = page.read_text()
    return re.sub(r"^ *```.*?^ *```[ \t]*$", "", text, flags=re.DOTALL | re.MULTILINE)


def shell_blocks() -> list[tuple[str, str]]:
    return [(f"{_name(page)}:{line}", text) for page in PAGES
            for line, language, text in blocks(page) if language in SHELL]


def commands(text: str) -> list[list[str]]:
    """The simple commands of a shell block: continuation lines joined, comments dropped, split
    at ``&&``, ``||``, ``;`` and ``|``; leading ``VAR=value`` assignments dropped."""
    found = []
    for line in text.replace("\\\n", " ").splitlines():
        line = re.sub(r"^\$ ", "", line.strip())
        words: list[str] = []
        for word in [*shlex.split(line, comments=True), ";"]:
            if word in {"&&", "||", ";", "|"}:
                while words and re.fullmatch(r"[A-Za-z_]+=\S*", words[0]):
                    words.pop(0)
                if words:
                    found.append(words)
                words = []
            else:
                words.append(word)
    return found


@functools.cache
def deepgrade_help(*args: str) -> str:
    done = run_cli(*args, "--help", timeout=120)
    assert done.returncode == 0, f"deepgrade {' '.join(args)} --help failed:\n{done.stderr}"
    return done.stdout


@functools.cache
def subcommands() -> frozenset[str]:
    text = deepgrade_help().split("Commands:", 1)[1]
    return frozenset(m.group(1) for m in re.finditer(r"^  ([a-z][a-z-]*)", text, re.MULTILINE))


def listed(flag: str, help_text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", help_text) is not None


def flags_of(words: list[str]) -> list[str]:
    """The options among ``words`` (``--out=x`` -> ``--out``), brackets and commas stripped."""
    found = []
    for word in words:
        word = word.strip("[](),.;")
        if re.fullmatch(r"--?[A-Za-z][\w-]*(=.*)?", word):
            found.append(word.split("=", 1)[0])
    return found


def deepgrade_args(words: list[str]) -> list[str] | None:
    """The arguments after ``deepgrade`` (any path to it, or ``python -m deepgrade``)."""
    program = Path(words[0]).name
    if program == "deepgrade":
        return words[1:]
    if re.fullmatch(r"python[\d.]*", program) and words[1:3] == ["-m", "deepgrade"]:
        return words[3:]
    return None


def check_deepgrade(where: str, args: list[str]) -> None:
    """``deepgrade ARGS`` names a real subcommand, and only options its --help lists."""
    assert args, f"{where}: `deepgrade` alone"
    if args[0].startswith("-"):
        for flag in flags_of(args):
            assert listed(flag, deepgrade_help()), f"{where}: deepgrade has no option {flag}"
        return
    sub = args[0]
    assert sub in subcommands(), (f"{where}: `deepgrade {sub}` is not a command (the commands: "
                                  f"{', '.join(sorted(subcommands()))})")
    text = deepgrade_help(sub)
    for flag in flags_of(args[1:]):
        assert listed(flag, text), f"{where}: `deepgrade {sub}` has no option {flag}"


@functools.cache
def make_targets() -> frozenset[str]:
    text = (ROOT / "Makefile").read_text()
    return frozenset(m.group(1) for m in re.finditer(r"^([a-z][\w-]*):", text, re.MULTILINE))


@functools.cache
def dask_help(sub: str) -> str:
    dask = Path(sys.executable).parent / "dask"
    if not dask.is_file():
        pytest.skip("dask is not installed in this environment")
    done = subprocess.run([str(dask), sub, "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def check_command(where: str, words: list[str]) -> None:
    args = deepgrade_args(words)
    if args is not None:
        check_deepgrade(where, args)
        return
    program = Path(words[0]).name
    if program == "make":
        for target in words[1:]:
            if "=" not in target and not target.startswith("-"):
                assert target in make_targets(), f"{where}: the Makefile has no target {target}"
    elif program == "dask":
        text = dask_help(words[1])
        for flag in flags_of(words[2:]):
            assert listed(flag, text), f"{where}: `dask {words[1]}` has no option {flag}"
    scripts = [w for w in words if w.endswith((".py", ".sh")) and w.startswith(REPO_FOLDERS)]
    for script in scripts:
        path = ROOT / script
        assert path.is_file(), f"{where}: {script} does not exist"
        source = path.read_text()
        for flag in flags_of(words[words.index(script) + 1:]):
            assert f'"{flag}"' in source or f"'{flag}'" in source, \
                f"{where}: {script} defines no option {flag}"
    for word in words:
        if word.startswith(REPO_FOLDERS) and not any(c in word for c in "*?$"):
            assert (ROOT / word).exists(), f"{where}: {word} does not exist in the repository"


# ---- the tests ---------------------------------------------------------------------------------

@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_fenced_block_names_its_language(page):
    bare = [line for line, language, _ in blocks(page) if not language]
    assert not bare, (f"{_name(page)}, lines {bare}: say what each block is (```sh for "
                      "commands, ```text for output and layouts)")


@pytest.mark.parametrize("where, text", shell_blocks(), ids=[w for w, _ in shell_blocks()])
def test_shell_blocks_run_as_written(where, text, tmp_path):
    script = tmp_path / "block.sh"
    script.write_text(text)
    parsed = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert parsed.returncode == 0, f"{where}: not valid shell: {parsed.stderr}"
    for words in commands(text):
        line = " ".join(words)
        assert not re.search(r"\[-", line), f"{where}: `{line}`: write the command as it runs"
        assert not re.search(r"<[\w-]+>", line), f"{where}: `{line}` has a placeholder"
        placeholders = [w for w in words if re.fullmatch(r"[A-Z][A-Z_]+(\.\.\.)?", w)]
        assert not placeholders, f"{where}: `{line}` has placeholders {placeholders}"
        check_command(where, words)


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_inline_deepgrade_commands_exist_with_their_options(page):
    for match in re.finditer(r"`((?:[\w./-]*/)?deepgrade [^`\n]+)`", prose(page)):
        words = match.group(1).split()
        if words[1].isupper():  # `deepgrade COMMAND --help`
            continue
        check_deepgrade(f"{_name(page)}: `{match.group(1)}`", words[1:])


def test_the_cheap_commands_run():
    version = run_cli("--version", timeout=120)
    assert version.returncode == 0 and re.fullmatch(r"deepgrade \d+\.\d+\.\d+\S*\n",
                                                    version.stdout), version
    named = {args[0] for _, text in shell_blocks() for words in commands(text)
             if (args := deepgrade_args(words))}
    assert {"--version", "grade", "build", "validate"} <= named
    for sub in sorted(subcommands()):
        assert f"Usage: python -m deepgrade {sub}" in deepgrade_help(sub)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text lower-cased, punctuation dropped, spaces -> -."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").replace("*", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


@functools.cache
def anchors(page: Path) -> frozenset[str]:
    seen: dict[str, int] = {}
    found = set()
    for match in re.finditer(r"^#{1,6} +(.+?) *#*$", prose(page), re.MULTILINE):
        slug = _slug(match.group(1))
        found.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return frozenset(found)


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_links_point_to_files_and_headings(page):
    text = re.sub(r"`[^`\n]*`", "", prose(page))
    for match in re.finditer(r"\[[^\]]*\]\(([^)\s]+)\)", text):
        target = match.group(1)
        if re.match(r"[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        where = f"{_name(page)}: link ({target})"
        assert linked.exists(), f"{where}: no such file"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked), \
                f"{where}: no such heading (the page has {sorted(anchors(linked))})"


def test_the_readme_is_the_front_page():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    (_, language, text), = [b for b in blocks(ROOT / "README.md") if b[2] in quick_start]
    assert [" ".join(c) for c in commands(text)] == ["make release", "make test"]
    for page in sorted((ROOT / "docs").glob("*.md")):
        if page.name != "README.md":
            assert f"(docs/{page.name})" in readme, f"the README has no paragraph on {page.name}"
