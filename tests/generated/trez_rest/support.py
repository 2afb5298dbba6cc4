"""Constants and helpers shared by the trez_rest client tests."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[3] / "specs" / "trez_rest" / "examples"
USERNAME = "demo-user"
# A colon and non-ASCII in the password check that Basic encoding keeps them intact.
PASSWORD = "s3cret:پسورد"
BASIC = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()


def example(name: str) -> Any:
    """One of the manual's examples, as stored in specs/trez_rest/examples/."""
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
