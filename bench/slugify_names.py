#!/usr/bin/env python3
"""The python-slugify side of bench/run.sh: one slug per input line, case kept.

Reads standard input line by line and writes `slugify(line, lowercase=False)` per line, the
closest python-slugify setting to `usernorm normalize` (which keeps case by default).
"""

import sys

from slugify import slugify


def main() -> None:
    out = sys.stdout
    for line in sys.stdin:
        out.write(slugify(line.rstrip("\r\n"), lowercase=False))
        out.write("\n")


if __name__ == "__main__":
    main()
