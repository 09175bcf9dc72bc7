"""Running the app in-process for tests: a fixed environment, and no crash passes unseen."""

from __future__ import annotations

from typer.testing import CliRunner, Result

from atlascli.cli import app

FORMATS = ["table", "csv", "tsv", "json", "jsonl", "markdown"]
BASE_ENV: dict[str, str | None] = {
    "COLUMNS": "100",
    "NO_COLOR": "1",
    "ATLAS_DATA": None,
    "FORCE_COLOR": None,
    "ATLAS_DEBUG": None,
}


def run(
    *args: str, env: dict[str, str | None] | None = None, base: dict[str, str | None] = BASE_ENV
) -> Result:
    """Run the app; an exception other than SystemExit (a crash) fails the test with its traceback."""
    result = CliRunner(env={**base, **(env or {})}).invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result


def ok(
    *args: str, env: dict[str, str | None] | None = None, base: dict[str, str | None] = BASE_ENV
) -> Result:
    result = run(*args, env=env, base=base)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result
