"""English plurals for Qt's `%n` strings when no translation is installed.

The window's source language is English and no English .qm exists, so Qt returns a `%n`
source such as "%n receipt(s) have…" with only the number filled in. `english_plural` gives the
proper English wording then, and leaves a real translation (Chinese, Russian) as it is.
"""

from __future__ import annotations


def english_plural(translated: str, source: str, n: int, one: str, other: str) -> str:
    """`translated` (from `tr(source, "", n)`) unless it is the untranslated source: then
    `one` or `other` with `%n` filled."""
    if translated != source.replace("%n", str(n)):
        return translated
    return (one if n == 1 else other).replace("%n", str(n))


def plural_s(text: str, n: int) -> str:
    """'%n appointment(s)' as English writes it, when no translation replaced the source text
    (Qt fills in %n but has no English plural rule without an English .qm); a translated text
    has no "(s)" and comes back as it is."""
    return text.replace("(s)", "" if n == 1 else "s")
