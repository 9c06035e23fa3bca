#!/usr/bin/env python3
"""Runs `usernorm` against two independent, real SCIM 2.0 servers, each started here on
127.0.0.1, seeded with users through its own API, and stopped at the end:

- scim2-server from PyPI (Python; filters userName case-insensitively, as RFC 7643 says);
- SCIMMY from npm behind its Express routers (Node; scripts/scim-server-scimmy.cjs), whose
  filter compares userName case-sensitively and answers 400 to an escaped quote.

The two disagree on case and quoting, so the same checks must give the same answers on both.
Both also carry members with externalId and active, for the provisioning plan of `usernorm
audit --existing-scim` (update, rename, create, taken, disable, skip).

Usage: scripts/scim-live-test.py PATH/TO/usernorm
Installs scim2-server into target/scim-venv and SCIMMY into target/scim-node when missing.
Prints `N passed, M failed`.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "scim-venv"
NODE_DIR = ROOT / "target" / "scim-node"
SCIM2_SERVER_VERSION = "0.8.3"
NODE_PACKAGES = ["scimmy@1.3.5", "scimmy-routers@1.3.2", "express@4.22.3"]

# More members than one page (usernorm asks for 500 a page), so that lookups, the probe of
# the filter and paging all happen; among them names a filter cannot carry.
MEMBERS = ["JDoe", "asmith", "paypal", 'qu"ote', "back\\slash"] + [f"member-{i:03}" for i in range(515)]

# Members with identities, for the provisioning plan (SPEC section 8): (userName, externalId,
# active). The export below matches some by id (a GUID in another case among them), renames
# one, disables one, and wants the name of one that joined before SCIM (no externalId).
ANN_ID = "e2a214e8-bbe9-4675-9d52-490575ffc53d"
PLAN_MEMBERS = [
    ("plan-ann", ANN_ID, True),
    ("plan-bob", "emp-2", True),
    ("plan-eve", None, True),
    ("plan-cid", "emp-5", False),
    ("plan-dee", "emp-6", True),
    ("plan-old", "emp-9", True),
]
TOTAL = len(MEMBERS) + len(PLAN_MEMBERS)
PLAN_EXPORT = (
    "id,userPrincipalName,mailNickname,givenName,surname,accountEnabled\n"
    f"{ANN_ID.upper()},plan-ann@contoso.com,plan-ann,Ann,Lee,true\n"
    "emp-2,plan-robert@contoso.com,plan-robert,Robert,Brown,true\n"
    "emp-3,plan-eve@contoso.com,plan-eve,Eve,Adams,true\n"
    "emp-5,plan-cid@contoso.com,plan-cid,Cid,Ro,true\n"
    "emp-6,plan-dee@contoso.com,plan-dee,Dee,Ho,false\n"
    "emp-4,plan-zoe@contoso.com,plan-zoe,Zoe,Ng,true\n"
    "emp-7,plan-fay@contoso.com,plan-fay,Fay,Li,false\n"
)
# (action, status, current_username) of each row of PLAN_EXPORT.
PLAN_EXPECTED = [
    ("update", "ok", "plan-ann"),
    ("rename", "ok", "plan-bob"),
    ("create", "taken", ""),
    ("update", "ok", "plan-cid"),
    ("disable", "ok", "plan-dee"),
    ("create", "ok", ""),
    ("skip", "skipped", ""),
]


def ensure_scim2_server() -> list:
    exe = VENV / "bin" / "scim2-server"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "--quiet", f"scim2-server=={SCIM2_SERVER_VERSION}"],
            check=True,
        )
    return [str(exe)]


def ensure_scimmy() -> list:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise RuntimeError("node and npm are needed for the SCIMMY server")
    if not (NODE_DIR / "node_modules" / "scimmy-routers").exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", "--silent", *NODE_PACKAGES],
            check=True,
        )
    return [node, str(ROOT / "scripts" / "scim-server-scimmy.cjs")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, token, method="GET", body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Content-Type", "application/scim+json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)


class Server:
    """A SCIM server process on 127.0.0.1 with a fresh token."""

    def __init__(self, name, command, base_path, env=None):
        self.name = name
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}{base_path}"
        self.proc = subprocess.Popen(
            command(self.port, self.token),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
        )
        deadline = time.time() + 30
        while True:
            try:
                request(f"{self.url}/ServiceProviderConfig", self.token)
                return
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{name} did not start")
                time.sleep(0.2)

    def add_user(self, name: str, external_id=None, active=None):
        body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": name}
        if external_id is not None:
            body["externalId"] = external_id
        if active is not None:
            body["active"] = active
        request(f"{self.url}/Users", self.token, "POST", body)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def scim2_server() -> Server:
    exe = ensure_scim2_server()
    return Server(
        "scim2-server",
        lambda port, token: [*exe, "--hostname", "127.0.0.1", "--port", str(port), "--bearer-token", token],
        "",
    )


def scimmy_server() -> Server:
    command = ensure_scimmy()
    return Server(
        "scimmy",
        lambda port, token: [*command, str(port), token],
        "/scim",
        env={"NODE_PATH": str(NODE_DIR / "node_modules")},
    )


def run(usernorm, args, token, stdin=""):
    env = {k: v for k, v in os.environ.items() if k != "USERNORM_SCIM_TOKEN"}
    env["NO_COLOR"] = "1"
    if token is not None:
        env["USERNORM_SCIM_TOKEN"] = token
    return subprocess.run(
        [usernorm, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def taken_of(stdout):
    records = [json.loads(line) for line in stdout.splitlines()]
    return [rec["input"] for rec in records if any(v["code"] == "taken" for v in rec["violations"])], records


def suite(usernorm, server, case):
    """The same checks against one server; `case(name, ok, detail)` records each."""
    tag = f"[{server.name}]"
    lowered = {m.lower() for m in MEMBERS}

    # A few names. Either way (lookups once the filter is shown to ignore case, or the
    # listing when it is not), JDoe holds jdoe.
    r = run(usernorm, ["check", "--format", "json", "--existing-scim", server.url, "jdoe", "jane", "ASmith"], server.token)
    taken, records = taken_of(r.stdout)
    case(f"{tag} a few names: case ignored whatever the server's filter does",
         r.returncode == 1 and taken == ["jdoe", "ASmith"] and "SCIM: " in r.stderr,
         f"exit {r.returncode}, taken {taken}, stderr {r.stderr!r}")
    summary = [line[line.index("SCIM: "):] for line in r.stderr.splitlines() if "SCIM: " in line]
    case(f"{tag} the summary says which way and why", len(summary) == 1
         and ("the filter found member" in summary[0] or "did not find member" in summary[0]),
         f"{summary}")
    print(f"     {summary[0] if summary else r.stderr.strip()}")
    fix = [rec for rec in records if rec["input"] == "jdoe"][0]["suggestion"]
    case(f"{tag} suggestions are free on the server", fix is not None and fix.lower() not in lowered, fix)

    # Quotes and backslashes: from the listing, never a filter (400 on one server).
    r = run(usernorm, ["check", "--format", "json", "--existing-scim", server.url, 'qu"ote', "back\\slash", 'free"name'],
            server.token)
    taken, _ = taken_of(r.stdout)
    case(f"{tag} names with quotes and backslashes answered from the listing",
         r.returncode == 1 and taken == ['qu"ote', "back\\slash"] and f"fetched all {TOTAL} userNames" in r.stderr,
         f"exit {r.returncode}, taken {taken}, stderr {r.stderr!r}")

    # Many names from stdin: past the lookup limit every userName is fetched, in two pages.
    names = [f"member-{i:03}" for i in range(0, 60, 2)] + ["newcomer", "paypa1", "member-514"]
    r = run(usernorm, ["check", "--failing", "--existing-scim", server.url], server.token, "\n".join(names) + "\n")
    failing = [line.split("\t")[0] for line in r.stdout.splitlines()]
    case(f"{tag} a bulk list fetches every userName, page by page", r.returncode == 1 and len(failing) == 31
         and "newcomer" not in failing and "member-514" in failing
         and f"fetched all {TOTAL} userNames in 2 pages" in r.stderr,
         f"exit {r.returncode}, {len(failing)} failing, stderr {r.stderr!r}")

    # An audit fetches every member once (with its identity, for the plan) and marks members
    # as taken: these have no externalId, so no row matches them.
    export = "id,userPrincipalName,mailNickname,givenName,surname\n" \
             "1,j.doe@contoso.com,j.doe,John,Doe\n" \
             "2,new.person@contoso.com,new.person,New,Person\n" \
             "3,a.smith@contoso.com,a.smith,Alice,Smith\n"
    r = run(usernorm, ["audit", "-", "--format", "json", "--existing-scim", server.url], server.token, export)
    records = [json.loads(line) for line in r.stdout.splitlines()]
    statuses = [rec["status"] for rec in records]
    fixes = [rec["suggestion"] for rec in records if rec["status"] == "taken"]
    case(f"{tag} an audit marks the endpoint's members as taken", r.returncode == 1
         and statuses == ["taken", "ok", "taken"]
         and f"fetched {TOTAL} members (userName, externalId, active) in 2 pages" in r.stderr
         and all(f and f.lower() not in lowered for f in fixes),
         f"exit {r.returncode}, statuses {statuses}, fixes {fixes}, stderr {r.stderr!r}")

    # The plan: the members' externalId and active come from the endpoint, and each row is
    # matched to its member (SPEC section 8).
    r = run(usernorm, ["audit", "-", "--format", "json", "--existing-scim", server.url], server.token, PLAN_EXPORT)
    records = [json.loads(line) for line in r.stdout.splitlines()]
    plan = [(rec["action"], rec["status"], rec["current_username"]) for rec in records]
    taken = [rec["message"] for rec in records if rec["status"] == "taken"]
    case(f"{tag} an audit plans update, rename, create, taken, disable and skip from the endpoint's identities",
         r.returncode == 1 and plan == PLAN_EXPECTED
         and f"fetched {TOTAL} members (userName, externalId, active)" in r.stderr
         and "plan: 2 create, 2 update, 1 rename, 1 disable, 1 skip" in r.stderr
         and len(taken) == 1 and "who has no externalId" in taken[0],
         f"exit {r.returncode}, plan {plan}, taken {taken}, stderr {r.stderr!r}")
    absent = [line for line in r.stderr.splitlines() if "members not in the export" in line]
    # Every member but the four the export matches: plan-eve (no externalId) and plan-old
    # among them.
    case(f"{tag} the plan counts the members the export leaves out",
         absent == [f"  members not in the export: {TOTAL - 4} (left as they are; deactivated if they "
                    "were taken out of the sync's scope)"],
         f"{absent}")

    # A wrong token: 401, a clear message, the token never echoed.
    wrong = "wrong-" + secrets.token_hex(8)
    r = run(usernorm, ["check", "--existing-scim", server.url, "jdoe"], wrong)
    case(f"{tag} a wrong token is a clear error", r.returncode == 2 and "401 Unauthorized" in r.stderr
         and wrong not in r.stderr + r.stdout, f"exit {r.returncode}, stderr {r.stderr!r}")

    # A password in the URL's userinfo is never printed.
    with_password = server.url.replace("http://", "http://user:hunter2-secret@")
    r = run(usernorm, ["check", "--existing-scim", with_password, "jdoe"], wrong)
    case(f"{tag} a password in the URL is redacted", r.returncode == 2 and "user:[redacted]@" in r.stderr
         and "hunter2" not in r.stderr + r.stdout, f"exit {r.returncode}, stderr {r.stderr!r}")

    # No token at all.
    r = run(usernorm, ["check", "--existing-scim", server.url, "jdoe"], None)
    case(f"{tag} a missing token names the variable", r.returncode == 2 and "USERNORM_SCIM_TOKEN" in r.stderr,
         r.stderr)


def main() -> int:
    usernorm = sys.argv[1]
    results = []

    def case(name, ok, detail=""):
        results.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f"\n     {detail}"))

    for start in (scim2_server, scimmy_server):
        try:
            server = start()
        except Exception as e:  # an install or a start that failed is a failure, not a skip
            case(f"[{start.__name__}] the server starts", False, repr(e))
            continue
        try:
            for name in MEMBERS:
                server.add_user(name)
            for name, external_id, active in PLAN_MEMBERS:
                server.add_user(name, external_id, active)
            suite(usernorm, server, case)
        finally:
            server.stop()

        # The server stopped: an error, never "free".
        r = run(usernorm, ["check", "--existing-scim", server.url, "jdoe"], server.token)
        case(f"[{server.name}] a stopped server is an error, not free", r.returncode == 2
             and "connection refused" in r.stderr and "✓" not in r.stdout,
             f"exit {r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}")

    passed = sum(results)
    print(f"scim: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
