#!/usr/bin/env python3
"""Generates examples/google-users.csv. Run once; the output is committed.

    python3 examples/gen_google.py

A Google Workspace Admin console "Download users" CSV (Directory > Users > Download users,
"All user info columns"): the bulk-upload template's columns and tags, in Google's order.
Deterministic: every row is written out below, so the file can be checked by hand.

- Every Email Address is the primary e-mail, which Google's provisioning sends as the
  userName by default and which Hugging Face always rejects (`@`, `.`).
- Employee ID holds a valid username for most people, digits only (a payroll number) for
  some, nothing for others, a name with `_` for one, and one name twice but for case.
- Status [READ ONLY]: Active but for 2 Suspended and 2 Archived users.
- Not documented, so chosen here: Password is written as `****` (the upload's "unchanged"),
  Last Sign In as `YYYY/MM/DD HH:MM:SS` or `Never logged in`, usage in GB.
"""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DOMAIN = "example.com"

HEADER = [
    "First Name [Required]", "Last Name [Required]", "Email Address [Required]",
    "Password [Required]", "Password Hash Function [UPLOAD ONLY]", "Org Unit Path [Required]",
    "New Primary Email [UPLOAD ONLY]", "Status [READ ONLY]", "Last Sign In [READ ONLY]",
    "Recovery Email", "Home Secondary Email", "Work Secondary Email",
    "Recovery Phone [MUST BE IN THE E.164 FORMAT]", "Work Phone", "Home Phone", "Mobile Phone",
    "Work Address", "Home Address", "Employee ID", "Employee Type", "Employee Title",
    "Manager Email", "Department", "Cost Center", "2sv Enrolled [READ ONLY]",
    "2sv Enforced [READ ONLY]", "Building ID", "Floor Name", "Floor Section",
    "Email Usage [READ ONLY]", "Drive Usage [READ ONLY]", "Total Storage [READ ONLY]",
    "Change Password at Next Sign-In", "New Status [UPLOAD ONLY]",
    "New Licenses [UPLOAD ONLY]",
]

# (first, last, local part of the e-mail, org unit, status, employee id)
PEOPLE = [
    ("Ana", "Lima", "ana.lima", "/Engineering", "Active", "ana-lima"),
    ("José", "García", "jose.garcia", "/Sales", "Active", "jose-garcia"),
    ("Zoë", "Ångström", "zoe.angstrom", "/Research", "Active", "zoe-angstrom"),
    ("Łukasz", "Żółć", "lukasz.zolc", "/Engineering", "Active", "100234"),
    ("Søren", "Kierkegaard", "soren.kierkegaard", "/Research", "Active", ""),
    ("Anne-Marie", "O'Neil", "annemarie.oneil", "/Legal", "Active", "annemarie-oneil"),
    ("Chloé", "Lefèvre", "chloe.lefevre", "/Marketing", "Active", "chloe-lefevre"),
    ("İsmail", "Yılmaz", "ismail.yilmaz", "/Engineering", "Active", "100311"),
    ("Björn", "Þórsson", "bjorn.thorsson", "/Support", "Suspended", "bjorn-thorsson"),
    ("Nguyễn", "Văn An", "an.nguyen", "/Engineering", "Active", "an-nguyen"),
    ("Jürgen", "Müller", "juergen.mueller", "/Finance", "Active", "jmueller"),
    ("Priya", "Raghunathan", "priya.raghunathan", "/Research", "Active", "priya-r"),
    ("Kofi", "Mensah", "kofi.mensah", "/Sales", "Active", ""),
    ("Fatima", "Zahra", "fatima.zahra", "/Support", "Active", "fatima-zahra"),
    ("Hiroshi", "Tanaka", "hiroshi.tanaka", "/Engineering", "Archived", "100047"),
    ("Olga", "Nowak", "olga.nowak", "/Finance", "Active", "olga-nowak"),
    ("Pierre", "Dupont", "pierre.dupont", "/Sales/EMEA", "Active", "pierre-dupont"),
    ("Marta", "Kowalczyk", "marta.kowalczyk", "/Engineering", "Active", "marta_k"),
    ("Lars", "Eriksson", "lars.eriksson", "/Support", "Active", "lars-eriksson"),
    ("Aisha", "Bello", "aisha.bello", "/People", "Active", "aisha-bello"),
    ("Diego", "Fernández", "diego.fernandez", "/Sales/LATAM", "Active", "diego-fernandez"),
    ("Mei", "Lin", "mei.lin", "/Research", "Active", "mlin"),
    ("Ming", "Lin", "ming.lin", "/Engineering", "Active", "MLin"),
    ("Sven", "Nilsson", "sven.nilsson", "/Support", "Suspended", ""),
    ("Ingrid", "Bergström", "ingrid.bergstrom", "/People", "Active", "ingrid-bergstrom"),
    ("Mateus", "Conceição", "mateus.conceicao", "/Sales/LATAM", "Active", "100512"),
    ("Émilie", "Rousseau", "emilie.rousseau", "/Legal", "Active", "emilie-rousseau"),
    ("Tomás", "Ó Briain", "tomas.obriain", "/Engineering", "Active", "tomas-obriain"),
    ("Noémie", "Laurent", "noemie.laurent", "/Marketing", "Archived", ""),
    ("Yusuf", "Demir", "yusuf.demir", "/Engineering", "Active", "yusuf-demir"),
    ("Elena", "Popescu", "elena.popescu", "/Finance", "Active", "elena-popescu"),
    ("Kwame", "Asante", "kwame.asante", "/Support", "Active", "kwame-asante"),
    ("Sofía", "Martínez", "sofia.martinez", "/Sales", "Active", "sofia-martinez"),
    ("Mikael", "Virtanen", "mikael.virtanen", "/Research", "Active", "mikael-virtanen"),
    ("Aleksandra", "Wiśniewska", "aleksandra.wisniewska", "/People", "Active", ""),
    ("Rafael", "Oliveira", "rafael.oliveira", "/Engineering", "Active", "rafael-oliveira"),
    ("Hana", "Novák", "hana.novak", "/Research", "Active", "hana-novak"),
    ("Omar", "Haddad", "omar.haddad", "/Sales/EMEA", "Active", "omar-haddad"),
    ("Grace", "Okafor", "grace.okafor", "/Legal", "Active", "grace-okafor"),
    ("Daniel", "Kim", "daniel.kim", "/Engineering", "Active", "daniel-kim"),
]

TITLES = {
    "/Engineering": "Software Engineer", "/Research": "Research Scientist", "/Sales": "Account Executive",
    "/Sales/EMEA": "Account Executive", "/Sales/LATAM": "Account Executive", "/Legal": "Counsel",
    "/Marketing": "Marketing Manager", "/Support": "Support Engineer", "/Finance": "Analyst",
    "/People": "People Partner",
}


def row(i, first, last, local, ou, status, employee_id):
    email = f"{local}@{DOMAIN}"
    department = ou.strip("/").split("/")[0]
    never = status == "Active" and i % 13 == 12
    return {
        "First Name [Required]": first,
        "Last Name [Required]": last,
        "Email Address [Required]": email,
        "Password [Required]": "****",
        "Org Unit Path [Required]": ou,
        "Status [READ ONLY]": status,
        "Last Sign In [READ ONLY]": "Never logged in" if never else f"2026/{11 - i % 3:02}/{1 + i % 28:02} {8 + i % 10:02}:{(i * 7) % 60:02}:{(i * 13) % 60:02}",
        "Recovery Email": f"{local.replace('.', '_')}@personal.example.net" if i % 4 == 0 else "",
        "Work Phone": f"+1 415 555 {100 + i:04}" if i % 2 == 0 else "",
        "Mobile Phone": f"+44 7700 900{i:03}" if i % 5 == 0 else "",
        "Work Address": "1 Market Street, San Francisco, CA 94105" if i % 6 == 0 else "",
        "Employee ID": employee_id,
        "Employee Type": "Contractor" if i % 9 == 4 else "Employee",
        "Employee Title": TITLES[ou],
        "Manager Email": "" if i == 0 else f"{PEOPLE[0][2]}@{DOMAIN}",
        "Department": department,
        "Cost Center": f"CC-{100 + 10 * (len(department) % 7)}",
        "2sv Enrolled [READ ONLY]": "True" if i % 3 else "False",
        "2sv Enforced [READ ONLY]": "True" if department in ("Engineering", "Finance") else "False",
        "Building ID": "SF-1" if i % 2 == 0 else "",
        "Floor Name": str(1 + i % 4) if i % 2 == 0 else "",
        "Email Usage [READ ONLY]": f"{(i * 37) % 900 / 100:.2f} GB",
        "Drive Usage [READ ONLY]": f"{(i * 53) % 1500 / 100:.2f} GB",
        "Total Storage [READ ONLY]": f"{((i * 37) % 900 + (i * 53) % 1500) / 100:.2f} GB",
        "Change Password at Next Sign-In": "False",
    }


def main():
    path = os.path.join(HERE, "google-users.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER, restval="", lineterminator="\n")
        writer.writeheader()
        for i, person in enumerate(PEOPLE):
            writer.writerow(row(i, *person))


if __name__ == "__main__":
    main()
