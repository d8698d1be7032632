"""Writes the Umm al-Qura months of 1420-1500 AH that midad's Hijri dates are tested against.

The months come from the `hijridate` package (PyPI, version 2.6.0): the published KACST Umm
al-Qura calendar, checked by its author against KACST's comparative calendar books (1412-1450 AH)
and KACST's website (1451-1500 AH). In 1420-1500 AH it is R. H. van Gent's table ("The Umm al-Qura
Calendar of Saudi Arabia") but for three months where it follows KACST's published dates rather
than van Gent's computation (1 Jumada al-Akhirah 1427 and 1446, 1 Shawwal 1485).

    python3 -m venv /tmp/hijri && /tmp/hijri/bin/pip install hijridate==2.6.0
    /tmp/hijri/bin/python tests/data/hijri/generate.py > tests/data/hijri/umm-al-qura.txt

With `--rust` it prints the year table of `src/arabic/hijri.rs` instead (1 Muharram and the
months with 30 days of each year, in the shape of ICU4X's own Umm al-Qura table).
"""

import sys
from importlib.metadata import version

from hijridate import Hijri

FIRST_YEAR, LAST_YEAR = 1420, 1500


def months():
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for month in range(1, 13):
            first = Hijri(year, month, 1)
            yield year, month, first.to_gregorian(), first.month_length()


def table():
    print(f"# Umm al-Qura months {FIRST_YEAR}-{LAST_YEAR} AH (KACST, R. H. van Gent's table),")
    print(f"# from hijridate {version('hijridate')} by tests/data/hijri/generate.py.")
    print("# year month gregorian-start days")
    for year, month, start, length in months():
        print(year, month, start.isoformat(), length)


def rust():
    by_year = {}
    for year, month, start, length in months():
        by_year.setdefault(year, []).append((start, length))
    for year, rows in by_year.items():
        start = rows[0][0]
        lengths = ", ".join("l" if length == 30 else "s" for _, length in rows)
        print(f"    ({year}, ({start.year}, {start.month}, {start.day}), [{lengths}]),")


if __name__ == "__main__":
    rust() if sys.argv[1:] == ["--rust"] else table()
