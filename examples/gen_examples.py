#!/usr/bin/env python3
"""Generates the example directory exports. Run once; the output is committed.

    python3 examples/gen_examples.py

Deterministic (fixed seed): running it again gives the same files.
- entra-users.csv: a Microsoft Graph / PowerShell export (with mailNickname), 300 rows, with
  every kind of failure the Hugging Face policy reports.
- entra-portal-export.csv: the Entra portal's "Download users" CSV, which has no mailNickname.
- existing-members.txt: usernames already in the Hugging Face org.
"""
import csv
import os
import random
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261128)

# (given, family, ascii alias base) -- multilingual people, as directories hold them.
PEOPLE = [
    ("John", "Doe", "john.doe"), ("Jane", "Smith", "jane.smith"), ("José", "García", "jose.garcia"),
    ("Zoë", "Ångström", "zoe.angstrom"), ("Łukasz", "Żółć", "lukasz.zolc"), ("Søren", "Kierkegaard", "soren.k"),
    ("Anne-Marie", "O'Neil", "annemarie.oneil"), ("Nguyễn", "Văn An", "an.nguyen"), ("Müller", "Jürgen", "j.mueller"),
    ("Σωκράτης", "Παπαδόπουλος", "s.papadopoulos"), ("Олег", "Иванов", "oleg.ivanov"), ("王", "小明", "xiaoming.wang"),
    ("佐藤", "健", "ken.sato"), ("محمد", "الأحمد", "m.alahmad"), ("Priya", "Raghunathan", "priya.r"),
    ("Chloé", "Lefèvre", "chloe.lefevre"), ("İsmail", "Yılmaz", "ismail.yilmaz"), ("Björn", "Þórsson", "bjorn.thorsson"),
    ("Ana", "Lima", "ana.lima"), ("Kofi", "Mensah", "kofi.mensah"), ("Fatima", "Zahra", "fatima.zahra"),
    ("Hiroshi", "Tanaka", "h.tanaka"), ("Olga", "Nowak", "olga.nowak"), ("Pierre", "Dupont", "pierre.dupont"),
    ("Marta", "Kowalczyk", "marta.k"), ("Lars", "Eriksson", "lars.eriksson"), ("Aisha", "Bello", "aisha.bello"),
    ("Diego", "Fernández", "diego.fernandez"), ("Mei", "Lin", "mei.lin"), ("Sven", "Nilsson", "sven.nilsson"),
]
DEPARTMENTS = ["Research", "Engineering", "Sales", "Legal", "Finance", "Support", "Marketing", "People"]
TITLES = ["Engineer", "Senior Engineer", "Scientist", "Manager", "Analyst", "Designer", "Counsel", "Intern"]
DOMAIN = "contoso.com"

rows = []


def add(given, family, nickname, upn=None, user_type="Member", mail=None):
    upn = upn or f"{nickname}@{DOMAIN}"
    rows.append({
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "userPrincipalName": upn,
        "mailNickname": nickname,
        "displayName": f"{given} {family}".strip(),
        "givenName": given,
        "surname": family,
        "mail": mail if mail is not None else (upn if user_type == "Member" else ""),
        "jobTitle": rng.choice(TITLES),
        "department": rng.choice(DEPARTMENTS),
        "userType": user_type,
        "accountEnabled": "true",
    })


# Ordinary members with clean aliases, and numbered variants.
for i in range(210):
    given, family, base = PEOPLE[i % len(PEOPLE)]
    alias = base if i < len(PEOPLE) else f"{base}{i // len(PEOPLE) + 1}"
    add(given, family, alias)

# Every failure kind.
add("John", "Doe", "johndoe")                      # duplicate: john.doe -> johndoe
add("Jane", "Smith", "JaneSmith")                  # duplicate, case-insensitive
add("Ana", "Lima", "ana_lima")                     # invalid-char `_`
add("Carlos", "Peña", "carlos_pena_ext")           # invalid-char `_`, twice
add("José", "Martín", "josé.martín")               # invalid-char: accents in the alias
add("Renée", "Côté", "renée")                      # invalid-char: accent
add("Mary", "Jane", "mary-.-jane")                 # double-dash once the dots go
add("Jean", "Luc", "-jean.luc")                    # leading-dash
add("Paul", "Smith", "paul.smith-.")               # trailing-dash
add("Ivan", "Petrov", "104233")                    # digits-only (employee number)
add("Test", "Account", "2024.01")                  # digits-only once the dot goes
add("X", "", "x")                                  # too-short
add("Q", "", "q.")                                 # too-short once the dot goes
add("Maximilian", "Alexander-Wolfeschlegelsteinhausen", "maximilian.alexander-wolfeschlegelsteinhausen")  # too-long
add("Admin", "", "admin")                          # reserved? not in the HF preset: ok unless taken
add("Wei", "Zhang", "wei zhang")                   # invalid-char: a space
add("Ola", "Nordmann", "ola+nordmann")             # invalid-char `+`
add("Emma", "Brown", "e.brown")                    # taken (existing member ebrown)
add("Alice", "Smith", "asmith")                    # taken
add("Bob", "Jones", "BJones")                      # taken, case-insensitive
add("Paula", "Pal", "paypa1")                      # lookalike of the member paypal
add("Gina", "Oogle", "g00gle")                     # lookalike of the member google
add("Mo", "Dern", "rnodern")                       # lookalike of an earlier row `modern`
add("Mod", "Ern", "modern")
add("", "", "")                                    # no alias at all: too-short
# Guests: their mailNickname carries the home address and #EXT#.
for given, family, home in [("Ann", "Lee", "fabrikam.com"), ("Raj", "Patel", "gmail.com"),
                            ("Eva", "Novak", "northwind.io"), ("Tom", "Hardy", "outlook.com")]:
    local = f"{given.lower()}.{family.lower()}_{home}"
    add(given, family, f"{local}#EXT#", upn=f"{local}#EXT#@contosoinc.onmicrosoft.com",
        user_type="Guest", mail=f"{given.lower()}.{family.lower()}@{home}")
# More clean members, shuffled in after the failures so collisions span the file.
for i in range(60):
    given, family, base = PEOPLE[(i * 7) % len(PEOPLE)]
    add(given, family, f"{base}.{rng.randint(10, 99)}")
# A later john.doe lookalike pair: john.d.oe -> johndoe again (third in the group).
add("John", "D. Oe", "john.d.oe")

fields = list(rows[0].keys())
with open(os.path.join(HERE, "entra-users.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=fields, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)

members = ["ebrown", "asmith", "bjones", "paypal", "google", "hf-admin", "lars-eriksson",
           "mei-lin", "priyar", "xiaomingwang2", "JohnDoe-2", "ana-lima"]
with open(os.path.join(HERE, "existing-members.txt"), "w", encoding="utf-8") as f:
    f.write("# Usernames already in the Hugging Face org, one per line.\n")
    f.write("\n".join(members) + "\n")

# The portal's "Download users": no mailNickname, so userPrincipalName's local part stands in.
portal_fields = ["userPrincipalName", "displayName", "surname", "mail", "givenName", "objectId",
                 "userType", "jobTitle", "department", "accountEnabled", "usageLocation",
                 "creationType", "directorySynced", "createdDateTime"]
with open(os.path.join(HERE, "entra-portal-export.csv"), "w", newline="", encoding="utf-8-sig") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(portal_fields)
    for r in rows[:15] + rows[210:216] + rows[-66:-62]:
        w.writerow([r["userPrincipalName"], r["displayName"], r["surname"], r["mail"], r["givenName"],
                    r["id"], r["userType"], r["jobTitle"], r["department"], "True", "US",
                    "Invitation" if r["userType"] == "Guest" else "", "", "2024-03-01T09:00:00Z"])
