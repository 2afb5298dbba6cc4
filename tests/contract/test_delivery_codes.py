"""payamak_panel: every delivery code of errors.yaml is reachable through the sandbox and reads
back as its catalog entry (code, unified state, finality), and an undocumented code keeps its
raw value. The sandbox's delivery moves through one code per state; the others come from the
``error_code`` fault, which answers GetDelivery in GetDelivery's shape."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from payamak.sandbox import Sandbox
from payamak_gen.advanced_ws import AdvancedWsClient
from payamak_gen.payamak_panel import PayamakPanelClient
from tests.contract.providers import DEMO, SPECS

_CATALOG = yaml.safe_load((SPECS / "payamak_panel" / "errors.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", _CATALOG["delivery_codes"], ids=lambda entry: str(entry["code"]))
def test_every_delivery_code_reads_as_its_catalog_entry(
    sandbox: Sandbox, entry: dict[str, Any]
) -> None:
    sandbox.admin.inject_fault(
        "payamak_panel", "error_code", operation="GetDelivery", code=entry["code"]
    )

    with PayamakPanelClient(*DEMO, base_url=sandbox.base_url) as client:
        status = client.get_delivery(rec_id=1)

    assert (status.code, status.state, status.final) == (
        entry["code"],
        entry["state"],
        entry["final"],
    )
    assert (status.en, status.fa) == (entry["en"], entry["fa"])


def test_an_undocumented_delivery_code_keeps_its_raw_value(sandbox: Sandbox) -> None:
    documented = {entry["code"] for entry in _CATALOG["delivery_codes"]}
    assert 77 not in documented
    sandbox.admin.inject_fault("payamak_panel", "error_code", operation="GetDelivery", code=77)

    with PayamakPanelClient(*DEMO, base_url=sandbox.base_url) as client:
        status = client.get_delivery(rec_id=1)

    assert status.code == 77
    assert status.state == _CATALOG["unknown_delivery_state"]


# advanced_ws: GetStatus answers one status code per id; the error_code fault answers a status
# code (1 to 6, disjoint from its result codes 0 to -5) as GetStatus's one status.
_ADVANCED = yaml.safe_load((SPECS / "advanced_ws" / "errors.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", _ADVANCED["delivery_codes"], ids=lambda entry: str(entry["code"]))
def test_every_advanced_ws_status_code_reads_as_its_catalog_entry(
    sandbox: Sandbox, entry: dict[str, Any]
) -> None:
    sandbox.admin.inject_fault(
        "advanced_ws", "error_code", operation="GetStatus", code=entry["code"]
    )

    with AdvancedWsClient(*DEMO, base_url=sandbox.base_url) as client:
        (status,) = client.get_status(unique_ids=["1"])

    assert (status.code, status.state, status.final) == (
        entry["code"],
        entry["state"],
        entry["final"],
    )
    assert (status.en, status.fa) == (entry["en"], entry["fa"])
