"""Every README and REFERENCE example prints what the golden file says, byte for byte, in every
format (scripts/golden.py). A restructuring keeps it; a change of behaviour rewrites it on purpose."""

from __future__ import annotations

import difflib

from test_docs import load_script


def test_examples_print_what_the_golden_file_holds() -> None:
    golden = load_script("golden")
    expected = golden.OUTPUT.read_text(encoding="utf-8")
    actual = golden.generate()
    diff = "".join(
        list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden", "now"))[:80]
    )
    assert actual == expected, f"output changed (python scripts/golden.py rewrites the file):\n{diff}"


def test_the_large_file_store_prints_the_same() -> None:
    """Every example again, with the bundled rows read from the SQLite store (as a large file
    would be): byte for byte the same output."""
    golden = load_script("golden")
    expected = golden.OUTPUT.read_text(encoding="utf-8")
    actual = golden.generate(stored=True)
    diff = "".join(
        list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden", "stored"))[
            :80
        ]
    )
    assert actual == expected, f"the store answers differently:\n{diff}"
