"""The documentation keeps up with the CLI: help texts, README, command reference, screenshots."""

from __future__ import annotations

import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from harness import root_command

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
REFERENCE = ROOT / "docs" / "REFERENCE.md"
IMAGES = ROOT / "docs" / "images"

# Typer adds these to every app; their help is Typer's own.
TYPER_OWN = {"install_completion", "show_completion", "help"}


def load_script(name: str) -> ModuleType:
    """A script of scripts/ as a module, found relative to this file (tests run from any folder)."""
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"atlas_scripts_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen_reference() -> ModuleType:
    return load_script("gen_reference")


@pytest.fixture(scope="module")
def screenshots() -> ModuleType:
    return load_script("screenshots")


COMMANDS: dict[str, Any] = dict(root_command().commands)


def test_the_app_has_commands() -> None:
    assert {"list", "show", "filter", "search", "compare", "export"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(name: str) -> None:
    assert (COMMANDS[name].help or "").strip(), f"atlas {name} has no help text"


@pytest.mark.parametrize("name", ["", *sorted(COMMANDS)])
def test_every_option_and_argument_has_help(name: str) -> None:
    command = COMMANDS[name] if name else root_command()
    missing = [
        param.name
        for param in command.params
        if param.name not in TYPER_OWN and not (getattr(param, "help", None) or "").strip()
    ]
    assert not missing, f"{f'atlas {name}'.strip()}: no help for {missing}"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_in_the_readme_and_the_reference(name: str) -> None:
    pattern = re.compile(rf"\batlas {re.escape(name)}\b")
    assert pattern.search(README.read_text(encoding="utf-8")), f"README.md never mentions atlas {name}"
    assert pattern.search(REFERENCE.read_text(encoding="utf-8")), f"REFERENCE.md lacks atlas {name}"


def test_reference_is_up_to_date(gen_reference: ModuleType) -> None:
    assert REFERENCE.read_text(encoding="utf-8") == gen_reference.generate(), (
        "docs/REFERENCE.md is stale: run python scripts/gen_reference.py"
    )


def test_screenshots_are_up_to_date(screenshots: ModuleType) -> None:
    assert screenshots.stale() == [], "stale screenshots: run python scripts/screenshots.py"


def test_screenshot_check_notices_a_stale_or_missing_file(screenshots: ModuleType, tmp_path: Path) -> None:
    shots = screenshots.SHOTS
    for shot in shots:
        (tmp_path / shot.file).write_text((IMAGES / shot.file).read_text(encoding="utf-8"), encoding="utf-8")
    assert screenshots.stale(tmp_path) == []
    first, second = shots[0].file, shots[1].file
    (tmp_path / first).unlink()
    changed = (tmp_path / second).read_text(encoding="utf-8").replace("text-sha256: ", "text-sha256: 0", 1)
    (tmp_path / second).write_text(changed, encoding="utf-8")
    assert screenshots.stale(tmp_path) == [first, second]


def test_every_screenshot_is_made_by_the_script(screenshots: ModuleType) -> None:
    browse = load_script("browse_snapshots")  # atlas browse's picture, made from the app
    pictures = {shot.file for shot in browse.SNAPSHOTS_MADE if shot.folder == IMAGES}
    assert {p.name for p in IMAGES.glob("*.svg")} == {shot.file for shot in screenshots.SHOTS} | pictures


@pytest.mark.parametrize("svg", sorted(p.name for p in IMAGES.glob("*.svg")))
def test_screenshot_is_valid_svg_and_in_the_readme(svg: str) -> None:
    root = ET.parse(IMAGES / svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert f"](docs/images/{svg})" in README.read_text(encoding="utf-8"), f"README.md does not show {svg}"
