"""Running the app in-process for tests: the harness's runner, with another base environment."""

from __future__ import annotations

import harness
from harness import FORMATS, Result

__all__ = ["FORMATS", "ok", "run"]
BASE_ENV = harness.BASE_ENV


def run(
    *args: str, env: dict[str, str | None] | None = None, base: dict[str, str | None] = BASE_ENV
) -> Result:
    return harness.run(*args, env={"ATLAS_DEBUG": "1", **base, **(env or {})})


def ok(
    *args: str, env: dict[str, str | None] | None = None, base: dict[str, str | None] = BASE_ENV
) -> Result:
    return harness.ok(*args, env={"ATLAS_DEBUG": "1", **base, **(env or {})})
