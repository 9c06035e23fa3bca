#!/usr/bin/env python3
"""Generates the Okta examples. Run once; the output is committed.

    python3 examples/gen_okta.py

Deterministic (fixed seed): running it again gives the same files.
- okta-users.json: an Okta Users API export (GET /api/v1/users) of the Northwind org, 40 users,
  one user object per line inside the array, so user N is on line N + 1.
- okta-members.csv: the Hugging Face org's members (userName, externalId = the Okta user id,
  active), as existing-members.csv is for Entra: most ACTIVE users provisioned under a readable
  name, DEPROVISIONED ones deactivated, plus a merge risk and a member without an externalId.
"""
import csv
import json
import os
import random
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261207)
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ORG = "https://northwind.okta.com"
DOMAIN = "northwind.com"

# (firstName, lastName, local part of login and email (None: first.last), status, provisioned).
# provisioned: already a member of the Hugging Face org, under slug(first)-slug(last).
PEOPLE = [
    ("Isaac", "Brock", "Isaac.Brock", "ACTIVE", True),
    ("Isaac", "Bröck", "isaac.bröck", "STAGED", False),  # collides with the above in Okta's rule
    ("John", "Smith", "jsmith", "ACTIVE", True),
    ("Jane", "Smith", "jsmith@northwind-labs.com", "ACTIVE", False),  # same email prefix
    ("Keiko", "Watanabe", None, "ACTIVE", "kwatanabe"),  # provisioned by hand as kwatanabe
    ("Kenji", "Watanabe", "kwatanabe", "ACTIVE", False),  # email-prefix kwatanabe: a merge risk
    ("Zoë", "Ångström", None, "ACTIVE", True),
    ("Siobhán", "O'Brien", None, "ACTIVE", True),
    ("D'Arcy", "Fontaine", None, "ACTIVE", True),
    ("Renée", "Lefèvre", None, "ACTIVE", True),
    ("José", "Álvarez", None, "ACTIVE", True),
    ("Chloé", "Dubois", None, "SUSPENDED", True),
    ("François", "Martin", None, "ACTIVE", True),
    ("Søren", "Nielsen", None, "ACTIVE", True),
    ("Łucja", "Wiśniewska", None, "ACTIVE", True),
    ("Mårten", "Ek", None, "ACTIVE", True),
    ("Dana", "O'Connor", "Dana.OConnor", "ACTIVE", True),
    ("Thomas", "Müller", None, "DEPROVISIONED", True),
    ("Ana Lúcia", "Ribeiro", "analucia.ribeiro", "ACTIVE", True),
    ("Seán", "Ó Ceallaigh", "sean.oceallaigh", "ACTIVE", True),
    ("Anne-Marie", "Lavoie", None, "ACTIVE", True),
    ("Noël", "Garnier", None, "PROVISIONED", False),
    ("Ines", "Šimić", None, "ACTIVE", True),
    ("Kwame", "Mensah", "kmensah", "ACTIVE", True),
    ("Priya", "Raman", None, "ACTIVE", True),
    ("Wei", "Zhang", "wei.zhang", "ACTIVE", True),
    ("Aroha", "Ngata", None, "ACTIVE", True),
    ("Fatima", "Al-Sayed", "fatima.al-sayed", "ACTIVE", True),
    ("Mateo", "Rossi", None, "SUSPENDED", True),
    ("Olivia", "Chen", "ochen", "ACTIVE", True),
    ("Liam", "O'Sullivan", None, "ACTIVE", True),
    ("Hana", "Kovačová", None, "ACTIVE", True),
    ("Yusuf", "Demir", None, "DEPROVISIONED", True),
    ("Elena", "Petrova", None, "ACTIVE", True),
    ("Samuel", "Adeyemi", None, "ACTIVE", True),
    ("Maja", "Lindqvist", None, "ACTIVE", True),
    ("Björk", "Guðmundsdóttir", None, "ACTIVE", True),
    ("Nikolaos", "Papadopoulos", None, "ACTIVE", True),
    ("Amélie", "Côté", None, "ACTIVE", False),  # a new hire, not yet provisioned
    ("Ngozi", "Okafor", None, "ACTIVE", True),
]
DEPARTMENTS = ["Research", "Engineering", "Sales", "Legal", "Finance", "Support", "People"]
TITLES = ["Engineer", "Senior Engineer", "Scientist", "Manager", "Analyst", "Designer"]


def ascii_slug(text, sep):
    """ASCII letters only, accents dropped (ø, å, ł, ð by hand), words joined by sep."""
    text = text.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    text = text.replace("ð", "d").replace("'", "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if c.isascii())
    return sep.join(w for w in text.replace("-", " ").split() if w)


def okta_id():
    return "00u" + "".join(rng.choice(BASE62) for _ in range(17))


def stamp(year):
    """A time in that year, before December 2026."""
    return "%d-%02d-%02dT%02d:%02d:%02d.000Z" % (
        year, rng.randint(1, 11), rng.randint(1, 28), rng.randint(0, 23),
        rng.randint(0, 59), rng.randint(0, 59))


ids = set()
users = []
members = []
for first, last, local, status, provisioned in PEOPLE:
    uid = okta_id()
    while uid.lower() in ids:
        uid = okta_id()
    ids.add(uid.lower())
    if local is None:
        local = ascii_slug(first, "").lower() + "." + ascii_slug(last, "").lower()
    address = local if "@" in local else f"{local}@{DOMAIN}"
    created = stamp(rng.choice([2023, 2024, 2025]))
    staged = status == "STAGED"
    never_logged_in = status in ("STAGED", "PROVISIONED")
    user = {
        "id": uid,
        "status": status,
        "created": created,
        "activated": None if staged else created,
        "statusChanged": stamp(2026),
        "lastLogin": None if never_logged_in else stamp(2026),
        "lastUpdated": stamp(2026),
        "passwordChanged": None if never_logged_in else stamp(2025),
        "type": {"id": "oty1nrwv2qHBZMDRV697"},
        "profile": {
            "firstName": first,
            "lastName": last,
            "mobilePhone": "+1 415 555 %04d" % rng.randint(0, 9999) if rng.random() < 0.6 else None,
            "secondEmail": None,
            "login": address,
            "email": address,
            "department": rng.choice(DEPARTMENTS),
            "title": rng.choice(TITLES),
            "employeeNumber": str(rng.randint(10000, 99999)),
        },
        "credentials": {"password": {}, "provider": {"type": "OKTA", "name": "OKTA"}},
        "_links": {"self": {"href": f"{ORG}/api/v1/users/{uid}"}},
    }
    users.append(user)
    if provisioned:
        name = provisioned if isinstance(provisioned, str) else (
            ascii_slug(first, "-") + "-" + ascii_slug(last, "-")).lower()
        members.append((name, uid, "false" if status == "DEPROVISIONED" else "true"))

# A member created by hand in the Hugging Face org, with no Okta identity.
members.append(("northwind-admin", "", "true"))

with open(os.path.join(HERE, "okta-users.json"), "w", encoding="utf-8", newline="\n") as f:
    f.write("[\n")
    f.write(",\n".join(json.dumps(u, ensure_ascii=False) for u in users))
    f.write("\n]\n")

with open(os.path.join(HERE, "okta-members.csv"), "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["userName", "externalId", "active"])
    w.writerows(members)
