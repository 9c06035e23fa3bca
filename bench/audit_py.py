#!/usr/bin/env python3
"""The audit's first phase in plain Python (csv module), for the benchmark's comparison:
the default mapping (mailNickname without dots), the Hugging Face rules, canonical-key
duplicates and existing members, and a CSV report line per row.

    python3 bench/audit_py.py EXPORT.csv > report.csv
"""
import csv
import re
import sys

ALLOWED = re.compile(r"[A-Za-z0-9-]+\Z")
BAD_RUN = re.compile(r"[^A-Za-z0-9-]+")


def codes(name):
    out = []
    n = len(name)
    if n < 2:
        out.append("too-short")
    if n > 42:
        out.append("too-long")
    if not ALLOWED.match(name) and BAD_RUN.search(name):
        out.append("invalid-char")
    if "--" in name:
        out.append("double-dash")
    if name.startswith("-"):
        out.append("leading-dash")
    if name.endswith("-"):
        out.append("trailing-dash")
    if name and name.isascii() and name.isdigit():
        out.append("digits-only")
    return out


def main():
    existing = set()
    if len(sys.argv) > 2:
        with open(sys.argv[2], encoding="utf-8") as f:
            existing = {line.strip().lower() for line in f if line.strip()}
    claimed = {}
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["row", "id", "username", "status", "codes", "collides_with"])
    with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
        r = csv.reader(f)
        header = [h.lower() for h in next(r)]
        nick, ident = header.index("mailnickname"), header.index("id")
        for row_no, row in enumerate(r, 1):
            name = row[nick].replace(".", "")
            found = codes(name)
            status, other = "ok", ""
            key = name.lower()
            if found:
                status = "invalid"
            elif key in existing:
                status, found = "taken", ["taken"]
            elif key in claimed:
                status, found, other = "duplicate", ["duplicate"], str(claimed[key])
            else:
                claimed[key] = row_no
            w.writerow([row_no, row[ident], name, status, ";".join(found), other])


main()
