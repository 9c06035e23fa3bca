#!/usr/bin/env python3
"""Runs `usernorm` against a real SCIM 2.0 server: scim2-server from PyPI, started here on
127.0.0.1, seeded with users through its own API, and stopped at the end.

Usage: scripts/scim-live-test.py PATH/TO/usernorm
Installs scim2-server into target/scim-venv when missing. Prints `N passed, M failed`.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "target" / "scim-venv"
SERVER_VERSION = "0.8.3"


def ensure_server() -> Path:
    exe = VENV / "bin" / "scim2-server"
    if exe.exists():
        return exe
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(VENV / "bin" / "pip"), "install", "--quiet", f"scim2-server=={SERVER_VERSION}"],
        check=True,
    )
    return exe


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
    def __init__(self, exe: Path):
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(exe), "--hostname", "127.0.0.1", "--port", str(self.port), "--bearer-token", self.token],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 30
        while True:
            try:
                request(f"{self.url}/ServiceProviderConfig", self.token)
                return
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError("scim2-server did not start")
                time.sleep(0.2)

    def add_user(self, name: str):
        body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": name}
        request(f"{self.url}/Users", self.token, "POST", body)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def run(usernorm, args, token, stdin=""):
    env = {k: v for k, v in os.environ.items() if k != "USERNORM_SCIM_TOKEN"}
    env["NO_COLOR"] = "1"
    if token is not None:
        env["USERNORM_SCIM_TOKEN"] = token
    return subprocess.run(
        [usernorm, *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def main() -> int:
    usernorm = sys.argv[1]
    server = Server(ensure_server())
    results = []

    def case(name, ok, detail=""):
        results.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f"\n     {detail}"))

    try:
        members = ["JDoe", "asmith", "paypal"] + [f"member-{i}" for i in range(60)]
        for name in members:
            server.add_user(name)

        # A few names: one lookup each, case-insensitive.
        r = run(usernorm, ["check", "--format", "json", "--existing-scim", server.url, "jdoe", "jane", "ASmith"], server.token)
        records = [json.loads(line) for line in r.stdout.splitlines()]
        taken = [rec["input"] for rec in records if any(v["code"] == "taken" for v in rec["violations"])]
        case("few names are looked up one by one", r.returncode == 1 and taken == ["jdoe", "ASmith"]
             and "looked up" in r.stderr, f"exit {r.returncode}, taken {taken}, stderr {r.stderr!r}")
        free = [rec for rec in records if rec["input"] == "jdoe"][0]["suggestion"]
        case("suggestions are free on the server", free not in members and free is not None, free)

        # Many names from stdin: past the lookup limit every userName is fetched in pages.
        names = [f"member-{i}" for i in range(0, 60, 2)] + ["newcomer", "paypa1"]
        r = run(usernorm, ["check", "--failing", "--existing-scim", server.url], server.token, "\n".join(names) + "\n")
        failing = [line.split("\t")[0] for line in r.stdout.splitlines()]
        case("a bulk list fetches every userName once", r.returncode == 1 and len(failing) == 30
             and "newcomer" not in failing and "fetched all 63 userNames" in r.stderr,
             f"exit {r.returncode}, {len(failing)} failing, stderr {r.stderr!r}")

        # An audit fetches every userName once and marks members as taken.
        export = "id,userPrincipalName,mailNickname,givenName,surname\n" \
                 "1,j.doe@contoso.com,j.doe,John,Doe\n" \
                 "2,new.person@contoso.com,new.person,New,Person\n" \
                 "3,a.smith@contoso.com,a.smith,Alice,Smith\n"
        r = run(usernorm, ["audit", "-", "--format", "json", "--existing-scim", server.url], server.token, export)
        records = [json.loads(line) for line in r.stdout.splitlines()]
        statuses = [rec["status"] for rec in records]
        fixes = [rec["suggestion"] for rec in records if rec["status"] == "taken"]
        case("an audit marks the endpoint's members as taken", r.returncode == 1
             and statuses == ["taken", "ok", "taken"] and "fetched all 63 userNames" in r.stderr
             and all(f and f.lower() not in (m.lower() for m in members) for f in fixes),
             f"exit {r.returncode}, statuses {statuses}, fixes {fixes}, stderr {r.stderr!r}")

        # A wrong token: 401, a clear message, the token never echoed.
        wrong = "wrong-" + secrets.token_hex(8)
        r = run(usernorm, ["check", "--existing-scim", server.url, "jdoe"], wrong)
        case("a wrong token is a clear error", r.returncode == 2 and "401 Unauthorized" in r.stderr
             and wrong not in r.stderr + r.stdout, f"exit {r.returncode}, stderr {r.stderr!r}")

        # No token at all.
        r = run(usernorm, ["check", "--existing-scim", server.url, "jdoe"], None)
        case("a missing token names the variable", r.returncode == 2 and "USERNORM_SCIM_TOKEN" in r.stderr, r.stderr)
    finally:
        server.stop()

    # The server stopped: an error, never "free".
    r = run(usernorm, ["check", "--existing-scim", server.url, "jdoe"], server.token)
    case("a stopped server is an error, not free", r.returncode == 2 and "connection refused" in r.stderr
         and "✓" not in r.stdout, f"exit {r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}")

    passed = sum(results)
    print(f"scim: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
