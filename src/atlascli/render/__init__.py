"""Output: one renderer layer for every command.

``machine`` writes csv/tsv/json/jsonl/markdown with the standard library only; ``views`` draws
Rich tables for the terminal and is imported only when a table is really shown.
"""

from __future__ import annotations

from enum import StrEnum


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"
