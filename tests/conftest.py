"""Shared test set-up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Large --data files are cached; keep the tests' caches out of the user's cache directory
    (subprocesses inherit the variable)."""
    path = tmp_path_factory.mktemp("atlas-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ATLAS_CACHE_DIR", str(path))
        yield path
