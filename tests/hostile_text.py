"""Hypothesis strategies and helpers for the second round of hostile input (issue 13): text that
mixes invisible, bidi and control characters, the pattern characters of the atlas (``( ) / » «
;``) and long runs of one character into cells."""

from __future__ import annotations

import time
from collections.abc import Callable

from hypothesis import strategies as st

from atlascli import text

# one of each kind the issue names: controls (Cc), format characters (Cf: bidi, zero-width, tags,
# soft hyphen), line and paragraph separators (Zl, Zp), other default-ignorable code points
INVISIBLE = (
    "\x1b\x07\x9b\u061c\u200b\u200d\u200e\u202e\u2066\u2028\u2029\U000e0041\u00ad\ufe0f\u180e\u3164\ufeff"
)
PATTERN = "()/»«;[] \u00a0\u3000"
HOSTILE_CHAR = st.sampled_from(INVISIBLE + PATTERN) | st.characters(
    codec="utf-8", exclude_characters="\t\n\r\x00"
)
RUN = st.tuples(st.sampled_from(INVISIBLE + PATTERN + "ab"), st.integers(1, 3000)).map(lambda t: t[0] * t[1])
HOSTILE_TEXT = st.lists(HOSTILE_CHAR.map(str) | RUN, max_size=8).map("".join)


def growth(make: Callable[[int], str], work: Callable[[str], object], base: int) -> float:
    """How much longer ``work`` takes on ``make(10 * base)`` than on ``make(base)``: about 10 for
    linear work, 100 for quadratic. Only ``work`` is timed (building a 200 KB input is itself
    slower per byte than a 20 KB one: fresh pages), with atlascli.text's caches emptied before
    each call so that every call does the work. Each time is the mean of as many calls as fill
    5 ms, so that work of microseconds is not measured at the timer's grain; each size is timed
    five times and the quickest counts, so that a busy machine adds noise, not a trend."""

    def once(n: int) -> float:
        runs, total = 0, 0.0
        while total < 0.005:
            for cached in _TEXT_CACHES:
                cached.cache_clear()
            argument = make(n)
            start = time.perf_counter()
            work(argument)
            total += time.perf_counter() - start
            runs += 1
        return total / runs

    def best(n: int) -> float:
        return min(once(n) for _ in range(5))

    best(base)  # warm up
    return best(10 * base) / max(best(base), 1e-9)


_TEXT_CACHES = [f for f in vars(text).values() if callable(getattr(f, "cache_clear", None))]


# near-linear: 10× input may take up to 40× the time (quadratic work takes 100×)
LINEAR = 40.0


def commands(first: str, second: str) -> dict[str, list[str]]:
    """An invocation of every command that takes --format, showing the cities ``first`` and ``second``."""
    return {
        "list": ["list"],
        "show": ["show", first],
        "filter": ["filter", "--min-einwohner", "0"],
        "search": ["search", second],
        "compare": ["compare", first, second],
        "projects": ["projects"],
        "fields": ["fields", "Verwaltung"],
        "matrix": ["matrix"],
        "similar": ["similar", first],
        "stats": ["stats"],
        "sql": ["sql", 'SELECT stadt, stadt AS "=1+1" FROM staedte'],
    }
