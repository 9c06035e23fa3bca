#!/usr/bin/env python3
"""Generates the example directory exports. Run once; the output is committed.

    python3 examples/gen_examples.py

Deterministic (fixed seed): running it again gives the same files.
- entra-users.csv: a Microsoft Graph / PowerShell export (with mailNickname), 300 rows, with
  every kind of failure the Hugging Face policy reports.
- entra-portal-export.csv: the Entra portal's "Download users" CSV, which has no mailNickname.
- existing-members.txt: usernames already in the Hugging Face org, before any provisioning.
- existing-members.csv: the org right after a provisioning cycle with Hugging Face's mapping
  (userName, externalId = the row's objectId, active), for the provisioning plan.
- entra-schema.json: the provisioning schema Entra lets an admin download (Attribute mappings ->
  Review your schema), with Hugging Face's recommended user mapping.
"""
import csv
import json
import os
import random
import re
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

# Accounts disabled in Entra (set after the rows are drawn, so nothing else changes): two whose
# Hub accounts were deactivated on an earlier cycle, one disabled since the last cycle, and a new
# hire not yet provisioned.
DISABLED_BEFORE = {40, 75}
DISABLED_NOW = 120
DISABLED_NEW_HIRE = 286
for i in DISABLED_BEFORE | {DISABLED_NOW, DISABLED_NEW_HIRE}:
    rows[i]["accountEnabled"] = "false"

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

# The org right after the last provisioning cycle (Hugging Face's mapping: userName <-
# Replace([mailNickname], ".", ""), externalId <- objectId, matched on externalId).
HF_NAME = re.compile(r"^(?!\d+$)[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){1,41}$")
NEW_HIRES = set(range(285, 300))            # assigned since the last cycle: not provisioned yet
RENAMED = {19: "kmensah", 22: "onowak", 23: "pdupont", 26: "abello"}  # alias changed since
CASE_ONLY = {1: "JaneSmith"}                # same name but for case: not a rename
# Joined by SSO login before SCIM, so no externalId: they hold names that export rows want.
SSO_JOINERS = members + ["SPapadopoulos16", "ismailyilmaz93"]
member_rng = random.Random(20261206)

org = [(name, "", "true") for name in SSO_JOINERS]
held = {name.lower() for name in SSO_JOINERS}
for i, r in enumerate(rows):
    name = r["mailNickname"].replace(".", "")
    if i in NEW_HIRES or not HF_NAME.match(name) or name.lower() in held:
        continue                            # never provisioned: invalid, taken, or new
    held.add(name.lower())
    name = RENAMED.get(i, CASE_ONLY.get(i, name))
    held.add(name.lower())
    org.append((name, r["id"], "false" if i in DISABLED_BEFORE else "true"))
# Members the export no longer has: one deleted from Entra, one a service account made by hand.
org.append(("tmorgan", str(uuid.UUID(int=member_rng.getrandbits(128), version=4)), "false"))
org.append(("ci-bot", "", "true"))
with open(os.path.join(HERE, "existing-members.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(["userName", "externalId", "active"])
    w.writerows(org)


# The provisioning schema, as Entra's "Review your schema" downloads it (trimmed of the long
# `directories` definitions): Hugging Face's recommended mapping, with Delete among the target
# object actions (Entra's default).
def attribute(name):
    return {"expression": f"[{name}]", "name": name, "parameters": [], "type": "Attribute"}


def constant(value):
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    return {"expression": f'"{quoted}"', "name": value, "parameters": [], "type": "Constant"}


def function(name, expression, params):
    return {"expression": expression, "name": name, "type": "Function",
            "parameters": [{"key": k, "value": v} for k, v in params]}


def mapping(target, source, matching=0, flow="Always", default=None):
    return {"defaultValue": default, "exportMissingReferences": False,
            "flowBehavior": "FlowWhenChanged", "flowType": flow, "matchingPriority": matching,
            "source": source, "targetAttributeName": target}


OBJECT_METADATA = [{"key": "Disposition", "value": "Normal"},
                   {"key": "IsCustomerDefined", "value": "False"},
                   {"key": "ExcludeFromReporting", "value": "False"},
                   {"key": "Unsynchronized", "value": "False"}]
user_mappings = [
    mapping("userName", function(
        "Replace", 'Replace([mailNickname], ".", "", "", "", "", "")',
        [("source", attribute("mailNickname")), ("oldValue", constant(".")),
         ("regexPattern", constant("")), ("regexGroupName", constant("")),
         ("replacementValue", constant("")), ("replacementAttributeName", constant("")),
         ("template", constant(""))])),
    mapping("active", function(
        "Switch", 'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
        [("source", attribute("IsSoftDeleted")), ("key", constant("False")),
         ("value", constant("True")), ("key", constant("True")), ("value", constant("False"))])),
    mapping('emails[type eq "work"].value', attribute("userPrincipalName")),
    mapping("name.givenName", attribute("givenName")),
    mapping("name.familyName", attribute("surname")),
    mapping("externalId", attribute("objectId"), matching=1),
]
group_mappings = [
    mapping("displayName", attribute("displayName"), matching=1),
    mapping("externalId", attribute("objectId")),
    mapping("members", attribute("members")),
]
schema = {
    "id": "scim.2f0e4a6a1c3b4d7e9a8b5c6d7e8f9a0b.6b1c2d3e4f5a4b6c8d9e0f1a2b3c4d5e",
    "version": "Date:2026-11-28T09:00:00Z~Version:2",
    "synchronizationRules": [{
        "editable": True,
        "id": "3f2a7c1e-5b8d-4e6f-9a0b-1c2d3e4f5a6b",
        "name": "USERGROUP_OUTBOUND_USERGROUP",
        "priority": 1,
        "sourceDirectoryName": "Azure Active Directory",
        "targetDirectoryName": "customappsso",
        "metadata": [{"key": "supportsProvisionOnDemand", "value": "true"}],
        "objectMappings": [
            {"enabled": True, "flowTypes": "Add, Update, Delete",
             "name": "Provision Microsoft Entra ID Groups", "scope": None,
             "sourceObjectName": "Group", "targetObjectName": "urn:ietf:params:scim:schemas:core:2.0:Group",
             "attributeMappings": group_mappings, "metadata": OBJECT_METADATA},
            {"enabled": True, "flowTypes": "Add, Update, Delete",
             "name": "Provision Microsoft Entra ID Users", "scope": None,
             "sourceObjectName": "User",
             "targetObjectName": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
             "attributeMappings": user_mappings, "metadata": OBJECT_METADATA},
        ],
    }],
}
with open(os.path.join(HERE, "entra-schema.json"), "w", encoding="utf-8") as f:
    json.dump(schema, f, indent=2, ensure_ascii=False)
    f.write("\n")
