#!/usr/bin/env python3
"""Deterministic benchmark data for bench/run.sh (Python 3.11 standard library only).

Writes, into bench/data/ (git-ignored):

* names.txt: 1,000,000 candidate usernames as a directory maps them (`jdoe`, `johndoe` from
  `john.doe` with the dot deleted, `maria-garcia`, `wzhang2`), about 14% of which break the
  huggingface policy (underscores, dots, accents, spaces, apostrophes, digit-only aliases, `--`,
  a leading or trailing dash, too short or too long).
* display_names.txt: 1,000,000 display names: mostly Latin with diacritics, some Cyrillic,
  Greek, Han, Hangul, Arabic, emoji, e-mail addresses and guest UPNs.

It prints the invalid share of names.txt, computed with the same PCRE that run.sh gives to
`grep -vP` (Python's `re` accepts it unchanged).

Usage: gen_data.py [OUT_DIR] [--count N] [--seed S]
"""

import argparse
import random
import re
from pathlib import Path

# The huggingface policy as one regular expression: a line matches when the name is valid.
# Kept in sync with run.sh, which reads it from here (`gen_data.py --print-regex`).
VALID_RE = r"^(?!-)(?!.*--)(?!.*-$)(?![0-9]+$)[A-Za-z0-9-]{2,42}$"

GIVEN = """john jane maria wei li mohammed ahmed priya raj anna olga ivan dmitri sofia lucas
emma liam noah olivia ava mia chloe yuki hiroshi kenji min-jun seo-yeon ji-woo fatima omar
aisha david sarah michael laura daniel paul peter thomas james robert linda susan karen
carlos jose juan luis ana lucia pablo diego elena marta pierre jean marie claire louis
hans klaus anke jurgen greta lars nils ingrid sven erik mateo valentina camila santiago
chen yang huang zhao kwame ama kofi chidi ngozi tunde sipho thabo zanele amir reza leila
dariusz piotr agnieszka katarzyna tomasz lukasz zofia marek ewa pavel jana petra vaclav
giulia marco luca francesca matteo alessandro chiara andrea rui joao beatriz tiago ines
mehmet ayse emre zeynep can elif arjun ananya vikram deepa sanjay kavya rahul neha
nguyen thi minh anh tuan linh duc hoa bao an kim lee park choi jung kang yoon jang""".split()

FAMILY = """doe smith johnson williams brown jones garcia miller davis rodriguez martinez
hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez
thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright
scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell
carter roberts zhang wang li liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he
kim park choi jung kang cho yoon jang lim han tanaka suzuki takahashi watanabe ito
yamamoto nakamura kobayashi kato yoshida muller schmidt schneider fischer weber meyer
wagner becker schulz hoffmann rossi russo ferrari esposito bianchi romano colombo
ricci marino greco silva santos oliveira souza costa pereira alves ferreira gomes
martins kowalski nowak wisniewski wojcik kaminski lewandowski zielinski novak svoboda
dvorak ivanov petrov sidorov smirnov popov sokolov kuznetsov patel shah singh kumar
sharma gupta khan ali hussain ahmed hassan ibrahim mensah okafor adeyemi dlamini nkosi
yilmaz kaya demir sahin celik dubois durand lefebvre moreau laurent bernard petit
jansen dejong devries bakker visser hansen johansen larsen andersen nielsen berg lindqvist
eriksson karlsson nilsson garcia-lopez perez-sanchez smith-jones""".split()

# Accented and otherwise non-ASCII forms that directories pass through unchanged.
ACCENTED_GIVEN = "josé maría lucía ramón andré françois hélène jürgen björn søren zoë łukasz"
ACCENTED_FAMILY = "garcía núñez müller gómez pérez lefèvre ørsted żółć dvořák çelik özdemir"
ACCENTED_GIVEN = ACCENTED_GIVEN.split()
ACCENTED_FAMILY = ACCENTED_FAMILY.split()
APOSTROPHE_FAMILY = ["o'brien", "o'neil", "d'angelo", "o'connor", "dell'acqua"]


def valid_name(r: random.Random) -> str:
    """A name the directory mapped well: valid under the huggingface policy."""
    g, f = r.choice(GIVEN), r.choice(FAMILY)
    form = r.random()
    if form < 0.30:
        name = g[0] + f  # jdoe
    elif form < 0.50:
        name = (g + f).replace("-", "")  # john.doe -> johndoe (the dot deleted)
    elif form < 0.68:
        name = f"{g}-{f}"  # maria-garcia
    elif form < 0.84:
        name = f"{g[0]}{f}{r.randint(1, 99)}"  # wzhang2
    elif form < 0.90:
        name = (g + f[0]).replace("-", "")  # johnd
    elif form < 0.96:
        name = f"{g[0].upper()}{f[0].upper()}{f[1:]}"  # JDoe
    else:
        name = f"{g.capitalize()}-{f.capitalize()}"  # John-Doe
    return name[:42].rstrip("-")


def invalid_name(r: random.Random) -> str:
    """A name that breaks at least one huggingface rule, the way real exports do."""
    g, f = r.choice(GIVEN), r.choice(FAMILY)
    kind = r.random()
    if kind < 0.22:
        return f"{g}_{f}"  # underscore
    if kind < 0.34:
        return f"{g}.{f}"  # the raw alias, dot kept
    if kind < 0.50:
        ag, af = r.choice(ACCENTED_GIVEN), r.choice(ACCENTED_FAMILY)
        return r.choice([f"{ag}{af}", f"{ag}-{af}", f"{g[0]}{af}", f"{ag}.{f}"])
    if kind < 0.58:
        return str(r.randint(1000, 9_999_999))  # an employee-number alias
    if kind < 0.68:
        return r.choice([f"{g}--{f}", f"{g}-.{f}".replace(".", "-"), f"{g}---{f}"])
    if kind < 0.74:
        return f"-{g[0]}{f}"  # leading dash
    if kind < 0.80:
        return f"{g[0]}{f}-"  # trailing dash
    if kind < 0.85:
        return r.choice([g[0], f[0], ""])  # too short (the empty line too)
    if kind < 0.89:
        parts = [g] + [r.choice(FAMILY) for _ in range(r.randint(5, 8))]
        return "-".join(parts)[:60].rstrip("-")  # too long
    if kind < 0.95:
        return r.choice([f"{g} {f}", f"{g[0]}{f} ", f" {g}{f}"])  # spaces
    return f"{g[0]}{r.choice(APOSTROPHE_FAMILY)}"  # apostrophe


LATIN_GIVEN = """José María Lucía Ramón André François Hélène Jürgen Björn Søren Zoë Łukasz
Małgorzata Dvořák Jiří Ágnes Ünal Çağla Ólafur Þórunn Ærla Ñuño Gaëlle Chloé Mélanie
John Jane David Sarah Michael Emma Olivia Liam Anne-Marie Jean-Luc Ana Pedro Inês João
Zoltán Réka Dóra István Tomás Siobhán Seán Niamh Bríd Åsa Jörg Grete Dagný Ása
Nguyễn Trần Phạm Đặng Lê""".split()
LATIN_FAMILY = """García Núñez Müller Gómez Pérez Lefèvre Ørsted Żółć Dvořák Çelik Özdemir
Straße Ærøskøbing Smith Johnson O'Brien O'Neil D'Angelo
Fernández Hernández Rodríguez Sánchez Jiménez Kowalski Wiśniewski Dąbrowski Nováková
Šimková Černý Horváth Szabó Kovács Nagy Ñáñez Brontë Gauß
Doe Williams Brown Taylor Wilson Thompson Nguyễn Trần Lê Vũ""".split() + [
    "van der Berg", "de la Cruz", "Ó Súilleabháin", "Mac Giolla Phádraig", "dos Santos",
]
CYRILLIC = ["Дмитрий Иванов", "Ольга Петрова", "Сергей Смирнов", "Анна Кузнецова",
            "Алексей Попов", "Юлия Соколова", "Щукин Ёжиков", "Олександр Шевченко"]
GREEK = ["Γιώργος Παπαδόπουλος", "Μαρία Κωνσταντίνου", "Νίκος Γεωργίου", "Ελένη Δημητρίου"]
HAN = ["王小明", "李华", "张伟", "刘洋", "陈静", "山田太郎", "田中花子", "黄志强"]
HANGUL = ["김민준", "이서연", "박지우", "최예은", "정하준", "강수빈"]
ARABIC = ["محمد علي", "فاطمة الزهراء", "أحمد حسن", "ليلى خالد", "عمر عبد الله"]
EMOJI = ["🎉", "🚀", "❤️", "👩‍💻", "🌍", "✨", "🐱", "™", "★"]
DOMAINS = ["contoso.com", "fabrikam.com", "example.org", "corp.example.net"]


def display_name(r: random.Random) -> str:
    kind = r.random()
    if kind < 0.62:
        given = r.choice(LATIN_GIVEN)
        family = r.choice(LATIN_FAMILY)
        if r.random() < 0.15:
            return f"{family}, {given}"
        if r.random() < 0.1:
            return f"{given} {r.choice(LATIN_GIVEN)[0]}. {family}"
        return f"{given} {family}"
    if kind < 0.70:
        return r.choice(CYRILLIC)
    if kind < 0.74:
        return r.choice(GREEK)
    if kind < 0.79:
        return r.choice(HAN)
    if kind < 0.83:
        return r.choice(HANGUL)
    if kind < 0.87:
        return r.choice(ARABIC)
    if kind < 0.91:
        return f"{r.choice(LATIN_GIVEN)} {r.choice(EMOJI)} {r.choice(LATIN_FAMILY)}"
    g, f = r.choice(GIVEN), r.choice(FAMILY)
    if r.random() < 0.15:
        return f"{g}.{f}_{r.choice(DOMAINS).replace('.', '.')}#EXT#@contoso.onmicrosoft.com"
    return f"{g}.{f}@{r.choice(DOMAINS)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default=Path(__file__).parent / "data", type=Path)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--invalid-share", type=float, default=0.14)
    parser.add_argument(
        "--duplicate-share",
        type=float,
        default=0.02,
        help="chance that a colliding valid name is kept as a duplicate instead of numbered",
    )
    parser.add_argument("--print-regex", action="store_true", help="print the PCRE and exit")
    args = parser.parse_args()
    if args.print_regex:
        print(VALID_RE)
        return

    args.out_dir.mkdir(parents=True, exist_ok=True)
    r = random.Random(args.seed)
    valid = re.compile(VALID_RE)
    invalid = 0
    # A directory keeps aliases unique by numbering them (jsmith, jsmith2, ...); a few
    # collisions slip through the mapping (john.doe and johndoe both give johndoe) and are
    # what the `duplicate` rule is for.
    seen: set[str] = set()
    next_number: dict[str, int] = {}
    duplicates = 0
    with open(args.out_dir / "names.txt", "w", encoding="utf-8", newline="\n") as out:
        for _ in range(args.count):
            if r.random() < args.invalid_share:
                name = invalid_name(r)
            else:
                base = name = valid_name(r)
                if name.lower() in seen:
                    if r.random() < args.duplicate_share:
                        duplicates += 1
                    else:
                        while name.lower() in seen:
                            next_number[base] = next_number.get(base, 1) + 1
                            name = f"{base}{next_number[base]}"
                seen.add(name.lower())
            invalid += valid.fullmatch(name) is None
            out.write(name + "\n")
    with open(args.out_dir / "display_names.txt", "w", encoding="utf-8", newline="\n") as out:
        for _ in range(args.count):
            out.write(display_name(r) + "\n")
    print(
        f"names.txt: {args.count} names, {invalid} invalid "
        f"({100 * invalid / args.count:.2f}%) under the huggingface policy, "
        f"{duplicates} valid names repeating an earlier one case-insensitively"
    )
    print(f"display_names.txt: {args.count} display names")


if __name__ == "__main__":
    main()
