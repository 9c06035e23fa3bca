#!/usr/bin/env python3
"""Generates a Microsoft Graph-style Entra user export for the audit benchmark.

    python3 bench/gen_entra_export.py [ROWS] [--failing] > /tmp/entra-1m.csv

With --failing, about a fifth of the rows fail (underscores, accents, employee numbers,
collisions, guest aliases) instead of about a tenth.

Deterministic (fixed seed); about 250 bytes a row; multilingual names, guests, and the failure
kinds of a real tenant (underscores, accents, digit-only aliases, john.doe/johndoe collisions).
"""
import random
import sys

args = [a for a in sys.argv[1:] if a != "--failing"]
rows = int(args[0]) if args else 1_000_000
# Where each kind of alias ends in [0, 1): plain, underscore, accents, number, collision; the
# rest are guests.
FAILING = "--failing" in sys.argv
CUTS = [0.76, 0.86, 0.88, 0.91, 0.95] if FAILING else [0.90, 0.93, 0.95, 0.96, 0.98]
rng = random.Random(1_000_000)
GIVEN = ["John", "Jane", "José", "Zoë", "Łukasz", "Søren", "Anne-Marie", "Nguyễn", "Jürgen", "Σωκράτης",
         "Олег", "小明", "健", "محمد", "Priya", "Chloé", "İsmail", "Björn", "Ana", "Kofi", "Fatima",
         "Hiroshi", "Olga", "Pierre", "Marta", "Lars", "Aisha", "Diego", "Mei", "Sven", "Wei", "Emma"]
FAMILY = ["Doe", "Smith", "García", "Ångström", "Żółć", "Kierkegaard", "O'Neil", "Văn An", "Müller",
          "Παπαδόπουλος", "Иванов", "王", "佐藤", "الأحمد", "Raghunathan", "Lefèvre", "Yılmaz", "Þórsson",
          "Lima", "Mensah", "Zahra", "Tanaka", "Nowak", "Dupont", "Kowalczyk", "Eriksson", "Bello"]
ASCII = {"José": "jose", "Zoë": "zoe", "Łukasz": "lukasz", "Søren": "soren", "Anne-Marie": "anne-marie",
         "Nguyễn": "nguyen", "Jürgen": "juergen", "Σωκράτης": "sokratis", "Олег": "oleg", "小明": "xiaoming",
         "健": "ken", "محمد": "mohammed", "Chloé": "chloe", "İsmail": "ismail", "Björn": "bjorn",
         "García": "garcia", "Ångström": "angstrom", "Żółć": "zolc", "O'Neil": "oneil", "Văn An": "vanan",
         "Müller": "mueller", "Παπαδόπουλος": "papadopoulos", "Иванов": "ivanov", "王": "wang",
         "佐藤": "sato", "الأحمد": "alahmad", "Lefèvre": "lefevre", "Yılmaz": "yilmaz", "Þórsson": "thorsson"}
TITLES = ["Software Engineer", "Senior Research Scientist", "Account Executive", "Legal Counsel",
          "Financial Analyst", "Support Specialist", "Product Designer", "Engineering Manager"]
DEPTS = ["Research", "Engineering", "Sales", "Legal", "Finance", "Support", "Marketing", "People"]
CITIES = ["Paris", "New York", "Berlin", "Tokyo", "São Paulo", "Zürich", "Kraków", "Athens", "Cairo"]

out = sys.stdout
out.write("id,userPrincipalName,mailNickname,displayName,givenName,surname,mail,jobTitle,department,"
          "officeLocation,companyName,usageLocation,userType,accountEnabled\r\n")
prev = ("", "")
for i in range(rows):
    g, f = rng.choice(GIVEN), rng.choice(FAMILY)
    ga, fa = ASCII.get(g, g.lower()), ASCII.get(f, f.lower())
    r = rng.random()
    if r < CUTS[0]:
        alias = f"{ga}.{fa}{i}"
    elif r < CUTS[1]:
        alias = f"{ga}_{fa}{i}"                     # underscore
    elif r < CUTS[2]:
        alias = f"{g.lower()}.{f.lower()}{i}"       # accents kept
    elif r < CUTS[3]:
        alias = str(100000 + i)                     # employee number
    elif r < CUTS[4]:
        alias = f"{prev[0]}{prev[1]}{i - 1}" if FAILING else f"{ga}{fa}{i - 1}"  # john.doe before
    else:
        alias = None                                # guest
    uid = "%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                          0x8000 | rng.getrandbits(14), rng.getrandbits(48))
    if alias is None:
        local = f"{ga}.{fa}_{rng.choice(['gmail.com', 'fabrikam.com', 'outlook.com'])}"
        upn, alias, mail, kind = f"{local}#EXT#@contoso.onmicrosoft.com", f"{local}#EXT#", "", "Guest"
    else:
        upn, mail, kind = f"{alias}@contoso.com", f"{alias}@contoso.com", "Member"
    display = f"{g} {f}"
    if "," in display or '"' in display:
        display = '"' + display.replace('"', '""') + '"'
    out.write(f"{uid},{upn},{alias},{display},{g},{f},{mail},{rng.choice(TITLES)},{rng.choice(DEPTS)},"
              f"\"{rng.choice(CITIES)}, Floor {rng.randint(1, 40)}, Desk {rng.randint(1, 400)}\",Contoso Pharmaceuticals Ltd.,{rng.choice(['US', 'FR', 'DE', 'JP', 'BR'])},{kind},true\r\n")
    prev = (ga, fa)
