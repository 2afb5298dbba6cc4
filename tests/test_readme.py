"""The README's code runs as written."""

from __future__ import annotations

import re
from pathlib import Path

from payamak.sandbox import Sandbox

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_fixture_example_passes(sandbox: Sandbox) -> None:
    (block,) = [b for b in _python_blocks() if "def test_otp_is_sent" in b]
    namespace: dict[str, object] = {}
    exec(compile(block, "README.md", "exec"), namespace)

    namespace["test_otp_is_sent"](sandbox)  # type: ignore[operator]

    assert len(sandbox.admin.messages()) == 1
