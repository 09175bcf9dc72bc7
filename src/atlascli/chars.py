"""Characters that must not reach a terminal, by Unicode property rather than by a list.

Removed from everything atlas shows on a terminal (tables, markdown on a terminal, completion
candidates, notes and errors) and refused in URLs: controls (Cc, such as ESC, BEL and the C1
controls), format characters (Cf: bidi marks, embeddings, overrides and isolates such as U+061C
and U+202E, zero-width characters, the soft hyphen, tag characters such as U+E0041), line and
paragraph separators (Zl, Zp: U+2028, U+2029) and the other default-ignorable code points
(variation selectors, Hangul fillers such as U+3164, Mongolian U+180E…).

:mod:`unicodedata` knows the general category of every character but not the derived property
Default_Ignorable_Code_Point; its code points outside Cf are the ranges below, from Unicode's
DerivedCoreProperties.txt (the property's definition: Other_Default_Ignorable_Code_Point,
variation selectors and unassigned code points set aside for it).
"""

from __future__ import annotations

import re
import unicodedata

_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2065\u3164\ufe00-\ufe0f\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def is_hidden(char: str) -> bool:
    """Whether one character is a control, format, separator or default-ignorable character."""
    return unicodedata.category(char) in _CATEGORIES or _IGNORABLE.match(char) is not None


def first_hidden(text: str) -> str | None:
    """The first hidden character of a text (see :func:`is_hidden`), or None."""
    if text.isprintable() and _IGNORABLE.search(text) is None:  # the common case, in C
        return None
    return next((c for c in text if is_hidden(c)), None)


def visible(text: str, keep: str = "") -> str:
    """The text without its hidden characters, except those in ``keep`` (such as tab and newline).

    Text that :meth:`str.isprintable` passes (no Cc, Cf, Zl, Zp, and no white space but the
    space) and that holds no other ignorable is returned as it is, found in C: most text."""
    if text.isprintable() and _IGNORABLE.search(text) is None:
        return text
    return "".join(c for c in text if c in keep or not is_hidden(c))
