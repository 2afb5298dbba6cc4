"""The wheel ships both import packages and the spec files, and works outside the checkout."""

from __future__ import annotations

import ast
import json
import re
import site
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from subprocess import PIPE

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIP = (sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("payamak-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())

    for expected in (
        "payamak/__init__.py",
        "payamak/py.typed",
        "payamak/sandbox/__main__.py",
        "payamak/testing.py",
        "payamak/__main__.py",
        "payamak/cli/__init__.py",
        "payamak_gen/py.typed",
        "payamak_gen/codegen.lock.json",
        "payamak_gen/trez_rest/_client.py",
        "payamak/_specs/errors.schema.json",
        "payamak/_specs/trez_rest/openapi.yaml",
        "payamak/_specs/trez_rest/errors.yaml",
        "payamak/_specs/trez_xml/xmlforsms.wsdl",
        "payamak/_specs/trez_xml/xmlapi.xsd",
    ):
        assert expected in names, expected
    assert not any(name.startswith(("codegen/", "tests/")) for name in names)
    (entry_points,) = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
    assert zipfile.ZipFile(wheel).read(entry_points).decode().split() == [
        "[console_scripts]",
        "payamak",
        "=",
        "payamak.__main__:main",
    ]


def test_installed_wheel_imports_and_finds_its_specs(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "installed"
    subprocess.run(
        [*PIP, "install", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    probe = (
        "import payamak, payamak_gen.trez_rest\n"
        "from payamak.sandbox._specs import specs_root\n"
        "print(payamak.__file__); print(payamak_gen.trez_rest.__file__); print(specs_root())\n"
    )
    # -S skips site.py, so the checkout's editable .pth is not read; the dependencies come from
    # this environment's site-packages, placed after the installed wheel.
    path = [str(target), *site.getsitepackages()]
    result = subprocess.run(
        [sys.executable, "-S", "-c", probe],
        env={"PYTHONPATH": ":".join(path)},
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert all(line.startswith(str(target)) for line in lines), lines
    assert lines[2] == str(target / "payamak" / "_specs")


# --- Runtime dependencies are exactly what the installed package imports -------------------------

# Parts of the wheel that need an extra, and the extra.
_EXTRA_PARTS = {
    "payamak.cli": "cli",
    "payamak.sandbox": "sandbox",
    "payamak.demo": "sandbox",
    "payamak.testing": "testing",
}
# What each extra's check reports missing in a venv with the runtime dependencies only.
_NOT_INSTALLED = {
    "cli": "click, rich",
    "sandbox": "starlette, uvicorn, jsonschema, yaml",
    "testing": "starlette, uvicorn, jsonschema, yaml, pytest",
}
# Declared but never imported by payamak itself, each for a reason given in pyproject.toml.
_DECLARED_NOT_IMPORTED = {"sniffio", "tzdata"}


def _wheel_modules(wheel: Path) -> list[str]:
    names = zipfile.ZipFile(wheel).namelist()
    modules = []
    for name in names:
        if name.endswith(".py") and not name.startswith("payamak/_specs/"):
            parts = name[: -len(".py")].split("/")
            if parts[-1] == "__init__":
                parts.pop()
            modules.append(".".join(parts))
    return sorted(modules)


def _needs_extra(module: str) -> str | None:
    for part, extra in _EXTRA_PARTS.items():
        if module == part or module.startswith(f"{part}."):
            return extra
    return None


def _top_level_modules() -> dict[str, str]:
    """Importable top-level name -> the distribution that installs it, from each one's RECORD
    (Python 3.10's ``packages_distributions`` reads only top_level.txt, which flit-built
    wheels such as typing_extensions do not have)."""
    owners: dict[str, str] = {}
    for distribution in metadata.distributions():
        name = distribution.metadata["Name"]  # parsed on each access: once per distribution
        for file in distribution.files or []:
            top = file.parts[0].removesuffix(".py")
            if not top.endswith((".dist-info", ".data", ".pth")) and top != "..":
                owners.setdefault(top, name)
    return owners


def _requirement_name(requirement: str) -> str:
    return re.split(r"[\s;<>=!~\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _venv_with(tmp: Path, wheel: Path, *export_args: str) -> Path:
    """A new venv holding the wheel and the locked versions of what ``export_args`` selects."""
    uv = Path(sys.executable).with_name("uv")
    venv = tmp / "venv"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, venv], check=True)
    requirements = tmp / "requirements.txt"
    subprocess.run(
        [
            *(uv, "export", "--quiet", "--frozen", "--project", ROOT, "--no-default-groups"),
            *("--no-emit-project", "--format", "requirements-txt", "--output-file", requirements),
            *export_args,
        ],
        check=True,
    )
    python = venv / "bin" / "python"
    # `pip sync` installs the locked versions without resolving, so --offline holds (tests
    # never reach the network): make's `uv sync` has already put every one in uv's cache.
    pip: list[Path | str] = [uv, "pip", "--quiet", "--offline"]
    subprocess.run([*pip, "sync", "--python", python, "--require-hashes", requirements], check=True)
    subprocess.run([*pip, "install", "--python", python, "--no-deps", wheel], check=True)
    return python


_IMPORT_EVERY_MODULE = """
import importlib, json, sys
results = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except ImportError as error:
        results[name] = f"{type(error).__name__}: {error}"
    else:
        results[name] = "ok"
print(json.dumps(results))
"""


def _import_all(python: Path, modules: list[str], cwd: Path) -> dict[str, str]:
    result = subprocess.run(
        [python, "-c", _IMPORT_EVERY_MODULE, *modules],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,  # not the checkout: its folders must not be importable
    )
    imported: dict[str, str] = json.loads(result.stdout)
    return imported


def test_declared_runtime_dependencies_are_the_imported_ones(wheel: Path) -> None:
    """Every third-party module the core imports is declared, and every declaration is used."""
    archive = zipfile.ZipFile(wheel)
    imported: set[str] = set()
    for name in archive.namelist():
        module = name[: -len(".py")].replace("/", ".").removesuffix(".__init__")
        if not name.endswith(".py") or _needs_extra(module) or name.startswith("payamak/_specs"):
            continue
        for node in ast.walk(ast.parse(archive.read(name))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"payamak", "payamak_gen"}
    distributions = _top_level_modules()
    used = {_requirement_name(distributions[module]) for module in third_party}

    declared = {
        _requirement_name(requirement)
        for requirement in metadata.requires("payamak") or []
        if "extra ==" not in requirement
    }

    assert used == declared - _DECLARED_NOT_IMPORTED


@pytest.fixture(scope="module")
def core_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python of a venv holding the wheel and its runtime dependencies only."""
    return _venv_with(tmp_path_factory.mktemp("core"), wheel)


@pytest.fixture(scope="module")
def full_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Python of a venv holding the wheel with every extra."""
    return _venv_with(tmp_path_factory.mktemp("full"), wheel, "--all-extras")


def _run_all(
    commands: Sequence[Sequence[Path | str]], cwd: Path
) -> list[subprocess.CompletedProcess[str]]:
    """Run ``commands`` side by side (each is mostly interpreter start-up) and collect them."""
    started = [
        (argv, subprocess.Popen(argv, stdout=PIPE, stderr=PIPE, text=True, cwd=cwd))
        for argv in commands
    ]
    finished = []
    for argv, process in started:
        out, err = process.communicate(timeout=60)
        finished.append(subprocess.CompletedProcess(argv, process.returncode, out, err))
    return finished


def test_core_imports_with_runtime_dependencies_only(
    core_python: Path, wheel: Path, tmp_path: Path
) -> None:
    modules = _wheel_modules(wheel)

    results = _import_all(core_python, [*modules, "xsdata"], tmp_path)

    # A generator, not a runtime dependency: the generated codec needs none of it.
    assert results.pop("xsdata").startswith("ModuleNotFoundError")
    for module in modules:
        extra = _needs_extra(module)
        if extra is None:
            assert results[module] == "ok", (module, results[module])
        else:
            part = ".".join(module.split(".")[:2])
            assert results[module] == (
                f"MissingExtraError: {part} needs the {extra!r} extra: "
                f"pip install 'payamak[{extra}]' (not installed: {_NOT_INSTALLED[extra]})"
            ), module


def test_commands_without_their_extra_name_it_in_one_line(
    core_python: Path, tmp_path: Path
) -> None:
    python = core_python
    commands: list[tuple[list[Path | str], str, str]] = [
        ([python, "-m", "payamak.sandbox"], "payamak.sandbox", "sandbox"),
        ([python, "-m", "payamak.demo"], "payamak.demo", "sandbox"),
        ([python, "-m", "payamak.cli", "providers"], "payamak.cli", "cli"),
        # The console script, from a core module: one line, not a traceback.
        ([python.with_name("payamak"), "providers"], "payamak", "cli"),
        ([python, "-m", "payamak", "providers"], "payamak", "cli"),
    ]

    runs = _run_all([argv for argv, _, _ in commands], tmp_path)

    for (argv, part, extra), run in zip(commands, runs, strict=True):
        assert (run.returncode, run.stdout) == (1, ""), argv
        assert run.stderr == (
            f"{part} needs the {extra!r} extra: pip install 'payamak[{extra}]' "
            f"(not installed: {_NOT_INSTALLED[extra]})\n"
        ), argv


def test_every_module_imports_with_every_extra(
    full_python: Path, wheel: Path, tmp_path: Path
) -> None:
    modules = _wheel_modules(wheel)

    results = _import_all(full_python, modules, tmp_path)

    assert {module: "ok" for module in modules} == results


def test_sandbox_command_runs_with_nothing_but_the_package_and_its_extras(
    full_python: Path, tmp_path: Path
) -> None:
    run = subprocess.run(
        [full_python.with_name("payamak"), "sandbox", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert (run.returncode, run.stderr) == (0, ""), run.stderr
    assert "--frozen-clock" in run.stdout
