"""The README's Python examples run as printed, in the order printed.

The usage examples share one namespace, as they would in one script: the first starts its own
sandbox and the last stops it. An example that defines a ``test_*`` function (the pytest
fixture example) is run the way pytest would: called with the plugin's freshly reset
``sandbox``.
"""

from __future__ import annotations

import re
from pathlib import Path

from payamak.sandbox import Sandbox

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)


def test_every_example_runs_in_order(sandbox: Sandbox) -> None:
    namespace: dict[str, object] = {}
    tests_run = []
    try:
        for number, block in enumerate(_python_blocks(), start=1):
            exec(compile(block, f"README.md python block {number}", "exec"), namespace)
            for name in re.findall(r"^def (test_\w+)\(sandbox\)", block, flags=re.MULTILINE):
                sandbox.admin.reset()
                test = namespace[name]
                assert callable(test), name
                test(sandbox)
                tests_run.append(name)
    finally:
        started = namespace.get("sandbox")
        if isinstance(started, Sandbox):
            started.stop()

    assert isinstance(started, Sandbox)
    assert not started.running  # the examples stop the sandbox they started
    assert tests_run == ["test_otp_is_sent"]
    assert len(sandbox.admin.messages()) == 1  # what the fixture example sent
