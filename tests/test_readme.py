"""The README's commands exist, and its pip-only path installs a course that runs.

Every command in the README's fenced shell blocks (bash, sh, console,
powershell, bat), and every inline ``make …`` or ``.venv/bin/…`` command, is
checked. Local commands are checked against this checkout and the course
environment: Makefile targets (``make -n``) and variables, paths, executables
(run with ``--version``). Commands that need the internet or another system
(``git clone``, the PyTorch CPU wheel index, a PyPI mirror, apt-get, winget,
xcode-select) are checked for form only. The Windows commands must be the
Linux ones with Windows paths.

The slow test runs the Linux/macOS pip-only block in a clean virtual
environment, inside the course zip that the site offers, and runs a chapter
there with nbval.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path, PureWindowsPath

import pytest
import yaml
from markdown_it import MarkdownIt
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from source_modules import load_source

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent  # the course environment's bin/ (.venv/bin in this checkout)
SHELL_LANGUAGES = {"bash", "sh", "shell", "console"}
WINDOWS_LANGUAGES = {"powershell", "ps1", "bat", "cmd"}
# The fastest chapter to execute (about 10 s on 2 cores).
CHAPTER = "notebooks/least_squares.ipynb"


def load_course_zip():
    return load_source("book/_ext/course_zip.py")


def make_variable(name: str) -> str:
    match = re.search(rf"^{name}\s*[:?]?=[ \t]*(.*)$", MAKEFILE, re.MULTILINE)
    assert match, f"the Makefile does not set {name}"
    return match.group(1).strip()


def requirement_names() -> set[str]:
    names = set()
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(Requirement(line).name.lower().replace("_", "-"))
    return names


def requirement(name: str) -> Requirement:
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-") and Requirement(line).name.lower() == name:
            return Requirement(line)
    raise AssertionError(f"requirements.txt does not list {name}")


def torch_cpu_index() -> str:
    """The PyTorch CPU wheel index, as Binder uses it."""
    text = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    match = re.search(r"^--(?:extra-)?index-url\s+(\S+)", text, re.MULTILINE)
    assert match, "binder/requirements.txt names no PyTorch index"
    return match.group(1)


def repository_url() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]["url"]


# --- reading the README ---------------------------------------------------------------------


def fenced_blocks() -> list[tuple[str, str]]:
    """(language, text) of every fenced block."""
    return [
        (t.info.strip().split()[0] if t.info.strip() else "", t.content)
        for t in MarkdownIt().parse(README)
        if t.type == "fence"
    ]


def split_command(line: str, windows: bool) -> list[str]:
    if windows:  # backslashes are path separators here, and no README command quotes anything
        return line.split("#")[0].split()
    return shlex.split(line, comments=True)


def block_commands(text: str, language: str) -> list[list[str]]:
    windows = language in WINDOWS_LANGUAGES
    commands = []
    for line in text.replace("\\\n", " ").splitlines() if not windows else text.splitlines():
        line = line.strip()
        if language == "console":
            if not line.startswith("$ "):
                continue  # output lines
            line = line[2:]
        argv = split_command(line, windows)
        if argv:
            commands.append(argv)
    return commands


def shell_commands(windows: bool) -> list[list[str]]:
    languages = WINDOWS_LANGUAGES if windows else SHELL_LANGUAGES
    return [
        argv
        for lang, text in fenced_blocks()
        if lang in languages
        for argv in block_commands(text, lang)
    ]


def inline_commands() -> list[tuple[list[str], bool]]:
    """Inline code that is a whole command: `make …`, `.venv/bin/x …`, `.venv\\Scripts\\x …`."""
    found = []
    for token in MarkdownIt().parse(README):
        for child in token.children or []:
            text = child.content
            if child.type == "code_inline" and re.match(
                r"make \S|\.venv[/\\](bin|Scripts)[/\\]\S+ ", text
            ):
                windows = text.startswith(".venv\\")
                found.append((split_command(text, windows), windows))
    return found


def pip_only_block(windows: bool) -> list[list[str]]:
    """The block that installs the course with pip alone (it installs -r requirements.txt)."""
    languages = WINDOWS_LANGUAGES if windows else SHELL_LANGUAGES
    blocks = [block_commands(text, lang) for lang, text in fenced_blocks() if lang in languages]
    matches = [
        b
        for b in blocks
        if any("-m" in c and "venv" in c for c in b)
        and any("-r" in c and "requirements.txt" in c for c in b)
    ]
    system = "Windows" if windows else "Linux/macOS"
    assert len(matches) == 1, f"expected one {system} pip-only block, found {len(matches)}"
    return matches[0]


def to_posix(argv: list[str]) -> list[str]:
    """A Windows command as its Linux/macOS twin: .venv\\Scripts\\x -> .venv/bin/x,
    py -> python3."""
    head, *rest = argv
    if head == "py":
        head = "python3"
    elif head.startswith(".venv\\Scripts\\"):
        head = ".venv/bin/" + PureWindowsPath(head).name.removesuffix(".exe")
    return [head, *rest]


# --- checking one command -------------------------------------------------------------------


def makefile_targets() -> set[str]:
    return set(re.findall(r"^([A-Za-z][\w.-]*)\s*:(?!=)", MAKEFILE, re.MULTILINE))


def check_make(args: list[str]) -> None:
    targets = [a for a in args if "=" not in a]
    assignments = dict(a.split("=", 1) for a in args if "=" in a)
    assert targets, "a make command without a target"
    unknown = set(targets) - makefile_targets()
    assert not unknown, f"make targets missing from the Makefile: {sorted(unknown)}"
    for name, value in assignments.items():
        make_variable(name)  # the Makefile reads it
        if name == "TORCH_INDEX":
            assert value == torch_cpu_index(), f"TORCH_INDEX={value} is not the PyTorch CPU index"
    # make -n parses the Makefile and prints the recipe without running it.
    result = subprocess.run(
        ["make", "-n", "-C", str(ROOT), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"make -n {' '.join(args)} failed:\n{result.stderr[-1500:]}"


def check_index_url(url: str, torch_only: bool) -> None:
    if torch_only:
        assert url == torch_cpu_index(), (
            f"{url} is not the PyTorch CPU wheel index that Binder and CI use"
        )
    else:  # a PyPI mirror: named in the README, never in the course's own files
        assert re.fullmatch(r"https://[\w.-]+/(?:[\w.-]+/)*simple/?", url), (
            f"{url} is not a simple index URL"
        )
        host = url.split("/")[2]
        for name in ("requirements.txt", "constraints.txt", "pyproject.toml", "Makefile"):
            assert host not in (ROOT / name).read_text(encoding="utf-8"), (
                f"{name} depends on the mirror {host}"
            )


def check_pip(args: list[str]) -> None:
    if args[0] == "config":
        # pip config --site set global.index-url <mirror>: writes only this environment's pip.conf.
        assert args[1:3] == ["--site", "set"] and args[3] == "global.index-url", args
        check_index_url(args[4], torch_only=False)
        return
    assert args[0] == "install", f"unexpected pip command: {args}"
    specs, index = [], None
    rest = iter(args[1:])
    for arg in rest:
        if arg in {"--index-url", "-i"}:
            index = next(rest)
        elif arg in {"-c", "-r"}:
            path = ROOT / next(rest)
            assert path.is_file(), f"pip {arg} names a missing file: {path.name}"
        elif arg == "-e":
            assert (ROOT / next(rest) / "pyproject.toml").is_file()
        elif arg == "--upgrade":
            pass
        else:
            assert not arg.startswith("-"), f"the README test does not know the pip option {arg}"
            specs.append(Requirement(arg))
    for spec in specs:
        if spec.name == "pip":
            continue
        assert spec.name.lower() in requirement_names(), f"{spec.name} is not in requirements.txt"
        if spec.name == "torch":
            assert str(spec) == make_variable("TORCH_SPEC"), (
                f"{spec} differs from the Makefile's TORCH_SPEC"
            )
            pinned = Version(str(spec.specifier).removeprefix("=="))
            assert pinned in requirement("torch").specifier, (
                f"{spec} does not satisfy requirements.txt"
            )
    if index is not None:
        torch_only = [s.name for s in specs] == ["torch"]
        check_index_url(index, torch_only=torch_only)


def run_version(executable: Path, *args: str) -> str:
    result = subprocess.run(
        [str(executable), *args, "--version"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"{executable.name} {' '.join(args)} --version failed:\n{result.stderr[-1500:]}"
    )
    return result.stdout


def check_venv_program(name: str, args: list[str]) -> None:
    executable = BIN / name
    assert executable.is_file() and os.access(executable, os.X_OK), (
        f"{executable} is not in the course environment"
    )
    if name == "python":
        assert args[0] == "-m", f"unexpected python command: {args}"
        if args[1] == "pip":
            check_pip(args[2:])
        else:
            assert importlib.util.find_spec(args[1]), f"python -m {args[1]}: no such module"
    elif name == "jupyter":
        subcommand, *paths = args
        assert re.search(r"\d+\.\d+", run_version(executable, subcommand)), (
            f"jupyter {subcommand} gave no version"
        )
        for path in paths:
            assert (ROOT / path).exists(), f"jupyter {subcommand} {path}: no such path"
    else:
        run_version(executable)


def check_command(argv: list[str]) -> None:
    head, *args = argv
    if head == "sudo":
        head, *args = args
    if head == "make":
        check_make(args)
    elif head.startswith(".venv/bin/"):
        check_venv_program(head.removeprefix(".venv/bin/"), args)
    elif head == "python3":
        assert args == ["-m", "venv", make_variable("VENV")], f"unexpected python3 command: {args}"
        assert shutil.which("python3"), "python3 is not on PATH"
    elif head == "apt-get":  # another system: form only
        assert args[0] == "install" and all(
            re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", p) for p in args[1:]
        ), args
    elif head == "xcode-select":
        assert args == ["--install"]
    elif head == "winget":
        assert args[0] == "install" and re.fullmatch(r"Python\.Python\.3\.\d+", args[1]), args
        assert Version(args[1].removeprefix("Python.Python.")) >= minimum_python(), (
            f"{args[1]} is too old"
        )
    elif head == "git":
        assert args[0] == "clone" and args[1].removesuffix(".git") == repository_url(), args
    else:
        pytest.fail(f"the README test does not know how to check `{' '.join(argv)}`: add a rule")


# --- the tests ------------------------------------------------------------------------------


def test_readme_has_shell_blocks():
    languages = [lang for lang, _ in fenced_blocks()]
    assert sum(lang in SHELL_LANGUAGES for lang in languages) >= 3
    assert sum(lang in WINDOWS_LANGUAGES for lang in languages) >= 1


@pytest.mark.parametrize("argv", shell_commands(windows=False), ids=" ".join)
def test_every_shell_command_exists(argv):
    check_command(argv)


@pytest.mark.parametrize(
    "argv, windows", inline_commands(), ids=lambda v: " ".join(v) if isinstance(v, list) else ""
)
def test_every_inline_command_exists(argv, windows):
    if windows:
        assert "/" not in argv[0], f"a Windows path with a forward slash: {argv[0]}"
        argv = to_posix(argv)
    check_command(argv)


@pytest.mark.parametrize("argv", shell_commands(windows=True), ids=" ".join)
def test_every_windows_command_has_windows_form(argv):
    head = argv[0]
    if head.startswith(".venv"):
        assert head.startswith(".venv\\Scripts\\") and "/" not in head, (
            f"not a Windows venv path: {head}"
        )
    check_command(to_posix(argv))


def test_windows_pip_path_is_the_linux_one_with_windows_paths():
    def normal(argv):
        return [a.rstrip("/") for a in argv]

    linux = [normal(c) for c in pip_only_block(windows=False)]
    windows = [normal(to_posix(c)) for c in pip_only_block(windows=True)]
    assert windows == linux, "the Windows and Linux/macOS pip commands install different things"


def test_the_cpu_index_is_used_for_torch_only():
    for windows in (False, True):
        for argv in pip_only_block(windows):
            if "--index-url" in argv:
                assert [a for a in argv if a.startswith("torch")] == [make_variable("TORCH_SPEC")]
                assert "-r" not in argv


def minimum_python(explain: bool = False):
    """The oldest Python that every version pinned in constraints.txt supports (and who needs
    it)."""
    lowest, who = Version("3.0"), "nothing"
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if "==" not in line or line.startswith("#"):
            continue
        name, version = line.split("==")
        try:
            meta = importlib.metadata.metadata(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        if meta["Version"] != version.strip() or not meta.get("Requires-Python"):
            continue
        for spec in SpecifierSet(meta["Requires-Python"]):
            if spec.operator in {">=", "~="} and Version(spec.version) > lowest:
                lowest, who = Version(spec.version), f"{name}=={version.strip()}"
    return (lowest, who) if explain else lowest


def test_readme_and_makefile_name_the_python_that_the_lock_needs():
    needed, who = minimum_python(explain=True)
    named = {Version(v) for v in re.findall(r"Python ≥ (\d+\.\d+(?:\.\d+)?)", README)}
    assert named == {needed}, (
        f"the README names Python ≥ {sorted(map(str, named))}, "
        f"but constraints.txt pins {who}, which needs Python {needed}"
    )
    match = re.search(r"sys\.version_info < \((\d+(?:, \d+)*)\)", MAKEFILE)
    assert match and Version(match.group(1).replace(", ", ".")) == needed, (
        "the Makefile checks another Python"
    )
    assert f"Python ≥ {needed}" in make_variable("HINT_PYTHON")


def test_readme_installs_the_package_that_the_venv_hint_names():
    package = re.search(r"apt-get install ([a-z0-9.+-]+)", make_variable("HINT_VENV")).group(1)
    apt = [c for c in shell_commands(windows=False) if "apt-get" in c]
    assert any(package in c for c in apt), f"the README's apt-get commands do not install {package}"
    for program in ("make", "git"):
        assert any(program in c for c in apt), (
            f"the README's apt-get commands do not install {program}"
        )


def test_readme_links_the_course_zip_on_the_site():
    owner, name = repository_url().rstrip("/").split("/")[-2:]
    link = f"https://{owner}.github.io/{name}/_downloads/{load_course_zip().ZIP_NAME}"
    assert link in README, f"the README does not link {link}"


# --- make book stops with a one-line hint ---------------------------------------------------


def fake_python(
    tmp_path: Path, hide: str | None = None, version: tuple[int, int] | None = None
) -> Path:
    """A python3 that lacks a stdlib module (as Debian without python3-venv) or reports another
    version."""
    site = tmp_path / "fake_site"
    site.mkdir()
    if hide:
        (site / hide).mkdir()
        (site / hide / "__init__.py").write_text(
            f"raise ModuleNotFoundError('No module named {hide!r}')\n"
        )
    if version:
        (site / "sitecustomize.py").write_text(
            f"import sys\nsys.version_info = {version + (0, 'final', 0)!r}\n"
        )
    stub = tmp_path / "python3"
    stub.write_text(f'#!/bin/sh\nPYTHONPATH="{site}" exec "{sys.executable}" "$@"\n')
    stub.chmod(0o755)
    return stub


def run_make_book(tmp_path: Path, python: Path | str) -> subprocess.CompletedProcess:
    course = tmp_path / "course"
    course.mkdir()
    for name in ("Makefile", "requirements.txt", "constraints.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, course / name)
    # A clean make: under `make test` the outer make's MAKEFLAGS (-w: "Entering directory") would
    # leak in.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"}
    }
    result = subprocess.run(
        ["make", "book", f"PYTHON={python}"],
        check=False,
        cwd=course,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert not (course / ".venv").exists(), "make book created .venv although the check failed"
    return result


def hint_lines(result: subprocess.CompletedProcess) -> list[str]:
    """What make printed, minus make's own 'make: *** … Error 1' line."""
    lines = (result.stdout + result.stderr).splitlines()
    return [line for line in lines if not line.startswith("make: ***")]


CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("case", ["no venv", "old python", "no python"])
def test_make_book_stops_with_a_one_line_hint(tmp_path, case):
    if case == "no venv":
        python = fake_python(tmp_path, hide="ensurepip")
        words = ["sudo apt-get install python3-venv", "ensurepip"]
    elif case == "old python":
        python = fake_python(tmp_path, version=(3, 10))
        words = ["Python ≥ 3.11", "PYTHON="]
    else:
        python = tmp_path / "no" / "python3"
        words = ["Python ≥ 3.11"]
    result = run_make_book(tmp_path, python)
    assert result.returncode != 0
    lines = hint_lines(result)
    assert len(lines) == 1, f"expected one line of hint, got:\n{result.stdout}{result.stderr}"
    hint = lines[0]
    assert "Traceback" not in hint and CJK.search(hint) and re.search(r"[a-z]+ [a-z]+ [a-z]+", hint)
    for word in words:
        assert word in hint, f"the hint does not say {word!r}: {hint}"


# --- the pip-only path, in a clean environment, from the site's zip ------------------------


def clean_env() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != BIN
    )
    return env


def base_python() -> str:
    found = shutil.which("python3", path=clean_env()["PATH"])
    return found or getattr(sys, "_base_executable", sys.executable)


@pytest.mark.slow
def test_pip_only_path_installs_the_course_zip_and_runs_a_chapter(tmp_path):
    """Unpack the zip the site offers; run the README's Linux/macOS pip commands; run a chapter.

    The torch step: the README takes torch from the PyPI CPU wheel index. Where the
    environment sets TORCH_INDEX (CI does, as for `make`), that index is used. Where it
    is unset (the course machines, which cannot reach download.pytorch.org), the step
    uses plain PyPI, where torch==2.13.0 is the CPU wheel, as `make book` does there.
    pip's cache is reused; the environment is a clean venv (no system site packages).
    """
    started = time.monotonic()
    course_zip = load_course_zip()
    archive = course_zip.write_course_zip(ROOT, tmp_path / "site")
    with zipfile.ZipFile(archive) as unpacked:
        unpacked.extractall(tmp_path / "unpacked")
    course = tmp_path / "unpacked" / course_zip.TOP
    env = clean_env()
    torch_index = os.environ.get("TORCH_INDEX", "")

    commands = pip_only_block(windows=False)
    assert commands[-1][:2] == [".venv/bin/jupyter", "lab"], (
        "the pip-only block should end by starting JupyterLab"
    )
    try:
        for argv in commands[:-1]:
            argv = list(argv)
            if argv[0] == "python3":
                argv[0] = base_python()
            if "--index-url" in argv and argv[argv.index("--index-url") + 1] == torch_cpu_index():
                at = argv.index("--index-url")
                argv[at : at + 2] = ["--index-url", torch_index] if torch_index else []
            result = subprocess.run(
                argv, check=False, cwd=course, env=env, capture_output=True, text=True, timeout=600
            )
            assert result.returncode == 0, (
                f"`{' '.join(argv)}` failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
            )

        venv = course / ".venv"
        assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text(
            encoding="utf-8"
        )
        python = venv / "bin" / "python"
        probe = subprocess.run(
            [
                str(python),
                "-c",
                (
                    "import dlnotes, jupyterlab, torch; print(dlnotes.__file__); "
                    "print(jupyterlab.__version__); print(torch.__version__)"
                ),
            ],
            check=False,
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert probe.returncode == 0, probe.stderr[-2000:]
        package, lab_version, torch_version = probe.stdout.split()
        assert Path(package).is_relative_to(course / "src"), (
            f"dlnotes came from {package}, not the unpacked zip"
        )
        assert f"jupyterlab=={lab_version}" in (ROOT / "constraints.txt").read_text(
            encoding="utf-8"
        )
        assert Requirement(make_variable("TORCH_SPEC")).specifier.contains(
            Version(torch_version).base_version
        )

        # The README's last command starts JupyterLab; here it only has to be there.
        run_version(venv / "bin" / "jupyter", "lab")
        # The chapter runs in the new environment, and its outputs match the stored ones.
        result = subprocess.run(
            [
                str(python),
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "--nbval",
                "--nbval-current-env",
                "--nbval-sanitize-with",
                str(ROOT / "tests" / "nbval_sanitize.cfg"),
                CHAPTER,
            ],
            check=False,
            cwd=course,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, (
            f"{CHAPTER} failed in the new environment:\n{result.stdout[-3000:]}"
        )
        assert re.search(r"\d+ passed", result.stdout)
    finally:
        shutil.rmtree(course / ".venv", ignore_errors=True)  # about 2 GB
    print(f"pip-only path from the zip: {time.monotonic() - started:.0f} s")
