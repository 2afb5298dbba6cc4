"""payamak_panel: every delivery code of errors.yaml is reachable through the sandbox and reads
back as its catalog entry (code, unified state, finality), and an undocumented code keeps its
raw value. The sandbox's delivery moves through one code per state; the others come from the
``error_code`` fault, which answers GetDelivery in GetDelivery's shape."""

from __future__ import annotations

from typing import Any

import pytest

from payamak.sandbox import Sandbox
from payamak_gen.advanced_ws import AdvancedWsClient
from payamak_gen.payamak_panel import PayamakPanelClient
from tests.contract.providers import DEMO
from tests.spec_tables import expected_status, status_codes

_DELIVERY_CODES = status_codes("payamak_panel", "delivery_codes")


@pytest.mark.parametrize("entry", _DELIVERY_CODES, ids=lambda entry: str(entry["code"]))
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
    documented = {entry["code"] for entry in _DELIVERY_CODES}
    assert 77 not in documented
    sandbox.admin.inject_fault("payamak_panel", "error_code", operation="GetDelivery", code=77)

    with PayamakPanelClient(*DEMO, base_url=sandbox.base_url) as client:
        status = client.get_delivery(rec_id=1)

    assert status == expected_status("payamak_panel", "delivery_codes", 77)
    assert (status.code, status.final) == (77, False)


# advanced_ws: GetStatus answers one status code per id; the error_code fault answers a status
# code (1 to 6, disjoint from its result codes 0 to -5) as GetStatus's one status.
_ADVANCED_CODES = status_codes("advanced_ws", "delivery_codes")


@pytest.mark.parametrize("entry", _ADVANCED_CODES, ids=lambda entry: str(entry["code"]))
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
