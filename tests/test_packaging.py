"""The wheel ships both import packages and the spec files, and works outside the checkout."""

from __future__ import annotations

import site
import subprocess
import sys
import zipfile
from pathlib import Path

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
        "payamak/sandbox/__main__.py",
        "payamak/testing.py",
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
