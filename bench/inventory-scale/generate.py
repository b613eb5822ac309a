#!/usr/bin/env python3
"""Generate a synthetic agentid estate and matching registry for scale benchmarks.

    generate.py --credentials N --agents M --out DIR [--seed S] [--as-of T]
                [--shadow F] [--ignored F]

Writes DIR/agentid.yaml (registry, version 1) and DIR/estate.json (snapshot,
schema_version 1) plus DIR/params.json (what was generated, with counts).

The estate mixes aws / kubernetes / gcp / entra / anthropic / openai. About N/2
identities hold exactly N credentials (0-4 each, ~2 on average); about 15 % of
identities carry a privilege and the federated ones (AWS roles, some GCP service
accounts and Entra apps) a trust. --shadow (default 5 %) of identities are shadow
identities, --ignored (default 0) are non-agents (ci-*, batch-*, human-*) that the
snapshot source's `ignore:` globs cover, and the rest are declared by registry
agents (round robin, so every agent declares several). ~1 % of the registry's
refs point at identities that do not exist (AID001).

agentid refuses registries over 16 MiB. With every identity declared, 1 M
credentials (500 k identities) need a ~30 MB registry, so run.sh generates all
sizes with --ignored 0.50 (45 % declared), which keeps the 1 M registry (~15 MB)
under the cap.

Ages, last use, expiries and states are spread so that a realistic share of the
finding rules fire relative to --as-of (default 2026-11-01T00:00:00Z).

Python 3.11 standard library only; deterministic for a given --seed; output is
streamed, so 1 M credentials generate in well under a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timezone

# --------------------------------------------------------------------------- constants

ACCOUNT = "123456789012"
K8S_CLUSTER = "prod-eu-1"
GCP_PROJECT = "acme-agents"
GCP_PROJECT_NUMBER = "481516234200"
ENTRA_TENANT = "7f3c2a10-5b8e-4d2a-9c61-0e4d5f6a7b8c"
ANTHROPIC_ORG = "org_acme"
OPENAI_ORG = "org-acme"

SOURCES = {
    # provider: (source name, scope)
    "aws": ("aws-prod", ACCOUNT),
    "kubernetes": ("k8s-prod-eu-1", K8S_CLUSTER),
    "gcp": ("gcp-agents-prod", GCP_PROJECT),
    "entra": ("entra-acme", ENTRA_TENANT),
    "anthropic": ("anthropic-acme", ANTHROPIC_ORG),
    "openai": ("openai-acme", OPENAI_ORG),
}

GITHUB = "https://token.actions.githubusercontent.com"
ROGUE_ISSUER = "https://oidc.circleci.com/org/0b1c2d3e"
AUD_AWS = "sts.amazonaws.com"
AUD_ENTRA = "api://AzureADTokenExchange"
AUD_GCP = (
    f"https://iam.googleapis.com/projects/{GCP_PROJECT_NUMBER}/locations/global/"
    "workloadIdentityPools/github/providers/github"
)
GRAPH = "https://graph.microsoft.com"
TRUST_BIT = {"aws": 1, "gcp": 2, "entra": 4}
TRUST_AUD = [("aws", AUD_AWS), ("entra", AUD_ENTRA), ("gcp", AUD_GCP)]

# Identity kinds: (provider, kind, weight, credential-count distribution, cap).
# The distribution is a list of (count, probability); after drawing, counts are
# nudged (within cap) so the estate holds exactly --credentials credentials.
KINDS = [
    ("aws", "user", 20, [(1, 0.45), (2, 0.55)], 2),
    ("aws", "role", 6, [(0, 1.0)], 0),
    ("kubernetes", "service_account", 10, [(0, 0.7), (1, 0.3)], 1),
    ("gcp", "service_account", 20, [(1, 0.15), (2, 0.30), (3, 0.40), (4, 0.15)], 4),
    ("entra", "application", 15, [(1, 0.10), (2, 0.30), (3, 0.40), (4, 0.20)], 4),
    ("entra", "service_principal", 3, [(1, 0.10), (2, 0.30), (3, 0.40), (4, 0.20)], 4),
    ("entra", "managed_identity", 2, [(0, 1.0)], 0),
    ("anthropic", "api_key", 10, [(1, 1.0)], 1),
    ("openai", "service_account", 14, [(1, 0.10), (2, 0.30), (3, 0.40), (4, 0.20)], 4),
]
KIND_PROVIDER = [k[0] for k in KINDS]

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
HEX = "0123456789abcdef"

DAY = 86400

NAMESPACES = ["agents", "ml-serving", "support-bots", "data-pipelines", "platform", "search"]
AWS_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "arn:aws:iam::aws:policy/AmazonBedrockFullAccess",
    "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess",
    "arn:aws:iam::aws:policy/CloudWatchLogsFullAccess",
]
GCP_ROLES = ["roles/storage.objectViewer", "roles/aiplatform.user", "roles/bigquery.dataViewer"]
K8S_ROLES = ["view", "edit", "agent-runner"]


def mix(i: int, salt: int) -> int:
    """Cheap deterministic 64-bit scramble of an index (for id suffixes)."""
    x = (i * 0x9E3779B97F4A7C15 + salt * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x ^= x >> 31
    x = (x * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    x ^= x >> 29
    return x


def enc(x: int, alphabet: str, width: int) -> str:
    n = len(alphabet)
    out = []
    for _ in range(width):
        x, r = divmod(x, n)
        out.append(alphabet[r])
    return "".join(out)


def guid(i: int, salt: int) -> str:
    h = f"{mix(i, salt):016x}{mix(i, salt + 7):016x}"
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


class Clock:
    """Fast RFC 3339 formatting of `as_of - seconds_ago`."""

    def __init__(self, as_of: datetime):
        self.as_of = int(as_of.timestamp())
        self._days: dict[int, str] = {}

    def ago(self, seconds: int) -> str:
        t = self.as_of - seconds
        day, sec = divmod(t, DAY)
        d = self._days.get(day)
        if d is None:
            d = datetime.fromtimestamp(day * DAY, timezone.utc).strftime("%Y-%m-%dT")
            self._days[day] = d
        h, rem = divmod(sec, 3600)
        m, s = divmod(rem, 60)
        return f"{d}{h:02d}:{m:02d}:{s:02d}Z"


def q(s: str) -> str:
    """JSON string literal (our generated strings never need escaping; keep it safe anyway)."""
    return json.dumps(s)


# --------------------------------------------------------------------------- generator


def generate(
    n_creds: int,
    n_agents: int,
    out: str,
    seed: int,
    as_of_s: str,
    shadow_frac: float = 0.05,
    ignored_frac: float = 0.0,
) -> dict:
    t0 = time.monotonic()
    rng = random.Random(seed)
    rnd = rng.random
    as_of = datetime.fromisoformat(as_of_s.replace("Z", "+00:00"))
    clock = Clock(as_of)
    ago = clock.ago

    n_ids = max(1, n_creds // 2)
    os.makedirs(out, exist_ok=True)

    # ---- owners
    n_owners = max(5, n_agents // 10)
    owners = [f"owner-{k:05d}@acme.example" for k in range(n_owners)]
    owner_active = [rnd() >= 0.04 for _ in range(n_owners)]

    # ---- agents (name, owner index or -1)
    agent_owner = [(j % n_owners) if rnd() >= 0.03 else -1 for j in range(n_agents)]
    agent_refs: list[list[tuple[str, str]]] = [[] for _ in range(n_agents)]
    agent_trust = bytearray(n_agents)  # bit per provider whose trusts it must declare
    agent_mayreq = [rnd() < 0.2 for _ in range(n_agents)]
    agent_accept = [rnd() < 0.02 for _ in range(n_agents)]

    # ---- identity kinds and credential counts
    weights = [k[2] for k in KINDS]
    kind_of = bytearray(rng.choices(range(len(KINDS)), weights=weights, k=n_ids))
    counts = bytearray(n_ids)
    caps = [k[4] for k in KINDS]
    dists = []
    for k in KINDS:
        acc, table = 0.0, []
        for c, p in k[3]:
            acc += p
            table.append((acc, c))
        dists.append(table)
    for i in range(n_ids):
        r = rnd()
        for acc, c in dists[kind_of[i]]:
            if r < acc:
                counts[i] = c
                break
        else:
            counts[i] = dists[kind_of[i]][-1][1]
    capacity = sum(caps[k] for k in kind_of)
    if capacity < n_creds:
        sys.exit(f"cannot place {n_creds} credentials on {n_ids} identities (capacity {capacity})")
    diff = n_creds - sum(counts)
    while diff > 0:
        i = rng.randrange(n_ids)
        if counts[i] < caps[kind_of[i]]:
            counts[i] += 1
            diff -= 1
    while diff < 0:
        i = rng.randrange(n_ids)
        if counts[i] > 0 and not (KINDS[kind_of[i]][1] == "api_key"):
            counts[i] -= 1
            diff += 1

    ids: list[str] = [""] * n_ids
    stats = {
        "identities": n_ids,
        "credentials": 0,
        "trusts": 0,
        "privileges": 0,
        "users": 0,
        "shadow_identities": 0,
        "ignored_identities": 0,
        "declared_refs": 0,
        "missing_refs": 0,
        "agents": n_agents,
        "owners": n_owners,
    }

    path = os.path.join(out, "estate.json")
    f = open(path, "w", buffering=1 << 20)
    w = f.write
    w('{\n"schema_version": 1,\n"kind": "agentid.estate",\n')
    w(f'"collected_at": "{ago(0)}",\n"sources": [\n')
    w(
        ",\n".join(
            f'  {{"name": "{name}", "provider": "{prov}", "scope": "{scope}", "collected_at": "{ago(0)}"}}'
            for prov, (name, scope) in SOURCES.items()
        )
    )
    w("\n],\n")

    # ---------------------------------------------------------------- identities
    # Per identity also decides: agent (or shadow), trust, privilege. Trusts and
    # privileges are buffered as short strings and written afterwards.
    trusts: list[str] = []
    privs: list[str] = []
    declared = 0
    shadow_owner_pool = [f"former-{k:04d}@acme.example" for k in range(200)]
    w('"identities": [\n')
    buf: list[str] = []
    first = True
    for i in range(n_ids):
        kind_idx = kind_of[i]
        prov, kind = KINDS[kind_idx][0], KINDS[kind_idx][1]
        src = SOURCES[prov][0]
        h = mix(i, 1)
        # shadow or declared
        # declared by an agent, a shadow identity, or a non-agent the source ignores
        r = rnd()
        shadow = r < shadow_frac
        ignored = not shadow and r < shadow_frac + ignored_frac
        # a few AWS service-linked roles: not declared, ignored by the source's ignore glob
        service_linked = prov == "aws" and kind == "role" and not shadow and not ignored and rnd() < 0.02
        ignored = ignored or service_linked
        agent = -1 if (shadow or ignored) else declared % n_agents
        if shadow:
            stats["shadow_identities"] += 1
        elif ignored:
            stats["ignored_identities"] += 1
        else:
            declared += 1

        slug = f"agent-{agent:05d}" if agent >= 0 else "svc"
        if agent >= 0:
            short = f"ag{agent}-{i:x}"
        elif shadow:
            short = f"svc-{i:x}"
        else:
            short = f"{('ci', 'batch', 'human')[h % 3]}-{i:x}"
        if prov == "aws":
            if service_linked:
                name = f"AWSServiceRoleFor{enc(h, UPPER, 6)}"
                iid = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/{name}"
            else:
                name = short
                iid = f"arn:aws:iam::{ACCOUNT}:{kind}/{name}"
            ref = ("aws", "arn", iid)
        elif prov == "kubernetes":
            ns = NAMESPACES[h % len(NAMESPACES)]
            name = short
            iid = f"{ns}/{name}"
            ref = ("kubernetes", "serviceaccount", iid)
        elif prov == "gcp":
            name = short
            iid = f"{short}@{GCP_PROJECT}.iam.gserviceaccount.com"
            ref = ("gcp", "email", iid)
        elif prov == "entra":
            name = f"{short}-{kind.replace('_', '-')}"
            iid = guid(i, 3)
            ref = ("entra", "app_id", iid)
        elif prov == "anthropic":
            name = f"{short}-key"
            iid = "apikey_01" + enc(h, B62, 11) + enc(mix(i, 2), B62, 11)
            ref = ("anthropic", "api_key_id", iid)
        else:  # openai
            name = short
            iid = "svc_acct_" + enc(h, B62, 11) + enc(mix(i, 2), B62, 11)
            ref = ("openai", "id", iid)
        ids[i] = iid
        if agent >= 0:
            agent_refs[agent].append((ref[0], "{" + ref[1] + ": " + q(ref[2]) + "}"))

        # owner
        if agent >= 0:
            ao = agent_owner[agent]
            owner = owners[ao] if (ao >= 0 and rnd() < 0.85) else None
        else:
            r = rnd()
            owner = None if r < 0.5 else (owners[h % n_owners] if r < 0.8 else shadow_owner_pool[h % 200])
        if service_linked:
            owner = None
        created_age = int(DAY * (10 + rnd() * 700))
        r = rnd()
        if r < 0.80:
            act = q(ago(int(rnd() * 30 * DAY)))
        elif r < 0.86:
            act = q(ago(int(min(created_age, 181 * DAY + rnd() * 300 * DAY))))
        elif r < 0.88:
            act = '"never"'
        else:
            act = None
        disabled = rnd() < 0.01
        parts = [
            f'{{"source": "{src}", "provider": "{prov}", "id": {q(iid)}, "name": {q(name)}, "kind": "{kind}"'
        ]
        if owner is not None:
            parts.append(f', "owner": {q(owner)}')
        if prov == "openai" and rnd() < 0.01:
            parts.append(', "owner_active": false')
        parts.append(f', "created": "{ago(created_age)}"')
        if act is not None:
            parts.append(f', "last_activity": {act}')
        if disabled:
            parts.append(', "disabled": true')
        if prov in ("aws", "gcp"):
            parts.append(f', "tags": {{"env": "prod", "team": "team-{h % 40:02d}"}}')
        parts.append("}")
        line = "".join(parts)
        buf.append(line if first else ",\n" + line)
        first = False
        if len(buf) >= 4096:
            w("".join(buf))
            buf.clear()

        # trust (federated roles / service accounts / apps)
        if (prov == "aws" and kind == "role" and not service_linked) or (
            prov in ("gcp", "entra") and kind != "managed_identity" and rnd() < 0.1
        ):
            r = rnd()
            repo = f"acme/{slug}" if agent >= 0 else f"acme/tools-{h % 97}"
            if r < 0.92:
                issuer, subjects = GITHUB, [f"repo:{repo}:ref:refs/heads/main"]
            elif r < 0.96:
                issuer, subjects = GITHUB, ["repo:acme/*"]  # broader than declared
            elif r < 0.98:
                issuer, subjects = GITHUB, []  # no subject condition
            else:
                issuer, subjects = ROGUE_ISSUER, [f"org/acme/project/{h % 1000}"]
            aud = {"aws": AUD_AWS, "gcp": AUD_GCP, "entra": AUD_ENTRA}[prov]
            t = [
                f'{{"source": "{src}", "provider": "{prov}", "identity": {q(iid)}, "issuer": "{issuer}", '
                f'"subjects": {json.dumps(subjects)}, "audiences": ["{aud}"]'
            ]
            if prov == "gcp" and rnd() < 0.9:
                t.append(f', "attribute_condition": "assertion.repository == \'{repo}\'"')
            if prov == "aws":
                t.append(
                    f', "via": "arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"'
                )
            elif prov == "gcp":
                t.append(', "via": "projects/%s/locations/global/workloadIdentityPools/github/providers/github"' % GCP_PROJECT_NUMBER)
            else:
                t.append(f', "via": "github-{slug}"')
            t.append("}")
            trusts.append("".join(t))
            if agent >= 0:
                agent_trust[agent] |= TRUST_BIT[prov]

        # privilege
        if prov not in ("anthropic", "openai") and rnd() < 0.15:
            admin = rnd() < 0.03
            scopes = None
            audience = None
            if prov == "aws":
                grant = "arn:aws:iam::aws:policy/AdministratorAccess" if admin else AWS_POLICIES[h % 4]
                via = f"arn:aws:iam::{ACCOUNT}:policy/{slug}-policy"
            elif prov == "gcp":
                grant = "roles/owner" if admin else GCP_ROLES[h % 3]
                via = f"projects/{GCP_PROJECT}"
            elif prov == "kubernetes":
                grant = "cluster-admin" if admin else K8S_ROLES[h % 3]
                via = f"{'clusterrolebinding' if admin else 'rolebinding'}/{slug}"
            else:
                grant = "Microsoft Graph"
                audience = GRAPH
                if admin:
                    scopes = ["Directory.ReadWrite.All"]
                elif rnd() < 0.9:
                    scopes = ["User.Read.All"]
                else:
                    scopes = ["User.Read.All", "Mail.ReadWrite"]
                via = "appRoleAssignment"
            p = [
                f'{{"source": "{src}", "provider": "{prov}", "identity": {q(iid)}, "grant": "{grant}"'
            ]
            if admin:
                p.append(', "admin": true')
            if scopes:
                p.append(f', "scopes": {json.dumps(scopes)}')
            if audience:
                p.append(f', "audience": "{audience}"')
            p.append(f', "via": "{via}"}}')
            privs.append("".join(p))
    w("".join(buf))
    buf.clear()
    w("\n],\n")
    stats["declared_identities"] = declared

    # ---------------------------------------------------------------- credentials
    w('"credentials": [\n')
    first = True
    n = 0
    for i in range(n_ids):
        c = counts[i]
        if not c:
            continue
        kind_idx = kind_of[i]
        prov, ikind = KINDS[kind_idx][0], KINDS[kind_idx][1]
        src = SOURCES[prov][0]
        iid = ids[i]
        for k in range(c):
            h = mix(n, 5)
            # newest key first; older siblings are often rotated out (inactive)
            r = rnd()
            if k == 0:
                state = "active" if r < 0.95 else ("inactive" if r < 0.98 else "revoked")
            else:
                state = "active" if r < 0.15 else "inactive"
            r = rnd()
            created_age = int(DAY * (1 + rnd() * 84)) if r < 0.90 else int(DAY * (91 + rnd() * 800))
            r = rnd()
            if r < 0.75:
                last_used = q(ago(int(rnd() * min(created_age, 40 * DAY))))
            elif r < 0.83:
                last_used = q(ago(int(min(created_age, 46 * DAY + rnd() * 200 * DAY))))
            elif r < 0.88:
                last_used = '"never"'
            else:
                last_used = None
            expires = None  # not applicable
            long_lived = True
            extra = ""
            hint = None
            if prov == "aws":
                ckind = "access_key"
                cid = "AKIA" + enc(h, UPPER, 16)
            elif prov == "kubernetes":
                ckind = "kubernetes_legacy_token"
                cid = f"{iid}-token-{enc(h, HEX, 5)}"
                if rnd() < 0.2:
                    extra = f', "invalid_since": "{ago(int(rnd() * 60 * DAY))}"'
            elif prov == "gcp":
                ckind = "service_account_key"
                cid = enc(h, HEX, 16) + enc(mix(n, 6), HEX, 16) + enc(mix(n, 7), HEX, 8)
                if rnd() < 0.8:
                    extra = ', "managed": "provider"'
                    long_lived = False
                    created_age = int(DAY * (1 + rnd() * 80))
                    expires = q(ago(created_age - 730 * DAY))
                else:
                    expires = '"never"'
            elif prov == "entra":
                cid = guid(n, 9)
                if rnd() < 0.8:
                    ckind = "client_secret"
                    hint = enc(h, B62, 3) + "~"
                else:
                    ckind = "client_certificate"
                r = rnd()
                if r < 0.05:
                    expires = q(ago(-int(rnd() * 29 * DAY)))  # expiring soon
                elif r < 0.07:
                    expires = q(ago(int(rnd() * 60 * DAY)))  # already expired
                    state = "expired"
                elif r < 0.10:
                    expires = '"never"'
                else:
                    expires = q(ago(-int((100 + rnd() * 600) * DAY)))
            elif prov == "anthropic":
                cid = iid
                if rnd() < 0.002:
                    ckind = "admin_key"
                    extra = ', "admin": true'
                    expires = '"never"'
                    hint = "sk-ant-admin01-" + enc(h, B62, 3) + "..." + enc(h >> 20, B62, 4)
                else:
                    ckind = "api_key"
                    hint = "sk-ant-api03-" + enc(h, B62, 3) + "..." + enc(h >> 20, B62, 4)
                    if rnd() < 0.1:
                        expires = '"never"'
            else:  # openai
                ckind = "api_key"
                cid = "key_" + enc(h, B62, 16)
                hint = "sk-svca...." + enc(h, B62, 4)
                if rnd() < 0.1:
                    expires = '"never"'
            parts = [
                f'{{"source": "{src}", "provider": "{prov}", "id": {q(cid)}, "identity": {q(iid)}, "kind": "{ckind}"'
            ]
            if hint is not None:
                parts.append(f', "hint": "{hint}"')
            parts.append(f', "created": "{ago(created_age)}"')
            if last_used is not None:
                parts.append(f', "last_used": {last_used}')
            if expires is not None:
                parts.append(f', "expires": {expires}')
            parts.append(f', "state": "{state}", "long_lived": {"true" if long_lived else "false"}{extra}}}')
            line = "".join(parts)
            buf.append(line if first else ",\n" + line)
            first = False
            n += 1
            if len(buf) >= 4096:
                w("".join(buf))
                buf.clear()
    w("".join(buf))
    buf.clear()
    w("\n],\n")
    stats["credentials"] = n
    assert n == n_creds, (n, n_creds)

    # ---------------------------------------------------------------- trusts / privileges
    w('"trusts": [\n' + ",\n".join(trusts) + "\n],\n")
    w('"privileges": [\n' + ",\n".join(privs) + "\n],\n")
    stats["trusts"] = len(trusts)
    stats["privileges"] = len(privs)
    del trusts, privs

    # ---------------------------------------------------------------- users
    users = []
    for prov in ("entra", "anthropic", "openai"):
        src = SOURCES[prov][0]
        for k, email in enumerate(owners):
            uid = guid(k, 11) if prov == "entra" else (f"user_{enc(mix(k, 12), B62, 20)}" if prov == "anthropic" else f"user-{enc(mix(k, 13), B62, 24)}")
            users.append(
                f'{{"source": "{src}", "provider": "{prov}", "id": "{uid}", "email": "{email}", '
                f'"name": "Owner {k}", "active": {"true" if owner_active[k] else "false"}}}'
            )
        for k in range(20):  # a few people who left
            users.append(
                f'{{"source": "{src}", "provider": "{prov}", "id": "{prov}-left-{k}", '
                f'"email": "former-{k:04d}@acme.example", "active": false}}'
            )
    w('"users": [\n' + ",\n".join(users) + "\n]\n}\n")
    stats["users"] = len(users)
    f.close()

    # ---------------------------------------------------------------- registry
    stats["declared_refs"] = sum(len(r) for r in agent_refs)
    # ~1 % of refs point at identities that are not in the estate (AID001)
    n_missing = max(1, stats["declared_refs"] // 100)
    for k in range(n_missing):
        j = rng.randrange(n_agents)
        prov = ("aws", "gcp", "entra", "openai", "kubernetes", "anthropic")[k % 6]
        if prov == "aws":
            ref = ("aws", f'{{arn: "arn:aws:iam::{ACCOUNT}:role/ag{j}-retired-{k}"}}')
        elif prov == "gcp":
            ref = ("gcp", f'{{email: "ag{j}-gone-{k}@{GCP_PROJECT}.iam.gserviceaccount.com"}}')
        elif prov == "entra":
            ref = ("entra", f'{{app_id: "{guid(k, 21)}"}}')
        elif prov == "openai":
            ref = ("openai", f'{{id: "svc_acct_gone{enc(mix(k, 22), B62, 18)}"}}')
        elif prov == "kubernetes":
            ref = ("kubernetes", f'{{serviceaccount: "agents/ag{j}-gone-{k}"}}')
        else:
            ref = ("anthropic", f'{{api_key_id: "apikey_01gone{enc(mix(k, 23), B62, 18)}"}}')
        agent_refs[j].append(ref)
    stats["missing_refs"] = n_missing

    rpath = os.path.join(out, "agentid.yaml")
    with open(rpath, "w", buffering=1 << 20) as r:
        rw = r.write
        rw(
            f"# Generated by bench/inventory-scale/generate.py --credentials {n_creds} "
            f"--agents {n_agents} --seed {seed} --shadow {shadow_frac} --ignored {ignored_frac}\n"
            "version: 1\n\n"
        )
        rw("sources:\n  snapshot:\n    - path: estate.json\n      ignore:\n")
        rw(f'        - "arn:aws:iam::{ACCOUNT}:role/aws-service-role/*"\n')
        rw('        - "kube-system/*"\n')
        rw('        - "ci-*"\n        - "batch-*"\n        - "human-*"\n\n')
        rw("owners:\n")
        for k, email in enumerate(owners):
            rw(f'  - id: "{email}"\n    name: "Owner {k}"\n    contact: "#team-{k % 40:02d}"\n')
            if not owner_active[k]:
                rw("    active: false\n")
        rw("\nagents:\n")
        order = ("aws", "kubernetes", "gcp", "entra", "anthropic", "openai")
        for j in range(n_agents):
            lines = [f"  - name: agent-{j:05d}\n"]
            if agent_owner[j] >= 0:
                lines.append(f'    owner: "{owners[agent_owner[j]]}"\n')
            lines.append(f'    purpose: "Synthetic benchmark agent {j}"\n')
            lines.append(f"    environment: {('prod', 'staging', 'dev')[j % 3]}\n")
            if agent_trust[j]:
                auds = ", ".join(f'"{a}"' for p, a in TRUST_AUD if agent_trust[j] & TRUST_BIT[p])
                lines.append(
                    f"    trust:\n      - issuer: {GITHUB}\n"
                    f'        subject: "repo:acme/agent-{j:05d}:*"\n'
                    f"        audiences: [{auds}]\n"
                )
            if agent_mayreq[j]:
                lines.append(
                    f'    may_request:\n      audiences: ["{GRAPH}"]\n'
                    '      scopes: ["User.Read.All", "Group.Read.All"]\n      max_token_lifetime: 1h\n'
                )
            refs = agent_refs[j]
            if refs:
                lines.append("    identities:\n")
                for prov in order:
                    entries = [v for p, v in refs if p == prov]
                    if entries:
                        # flow style keeps 1 M-credential registries under agentid's 16 MiB cap
                        lines.append(f"      {prov}: [{', '.join(entries)}]\n")
            if agent_accept[j]:
                lines.append(
                    '    accept:\n      - rule: AID016\n        reason: "Key rotation overlap window"\n'
                    '        until: "2027-06-30"\n'
                )
            rw("".join(lines))

    stats["seconds"] = round(time.monotonic() - t0, 2)
    params = {
        "credentials": n_creds,
        "agents": n_agents,
        "seed": seed,
        "shadow": shadow_frac,
        "ignored": ignored_frac,
        "as_of": as_of_s,
        "generator_version": GENERATOR_VERSION,
        "stats": stats,
    }
    with open(os.path.join(out, "params.json"), "w") as pf:
        json.dump(params, pf, indent=2)
        pf.write("\n")
    return params


# Bump when the output format or the distribution changes, so run.sh regenerates.
GENERATOR_VERSION = 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--credentials", type=int, required=True)
    ap.add_argument("--agents", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--as-of", default="2026-11-01T00:00:00Z", help="time ages are relative to")
    ap.add_argument("--shadow", type=float, default=0.05, help="fraction of identities no agent declares")
    ap.add_argument(
        "--ignored",
        type=float,
        default=0.0,
        help="fraction of identities that are not agents (ci-*/batch-*/human-*), covered by the "
        "snapshot source's ignore: globs; keeps big registries under agentid's 16 MiB cap",
    )
    a = ap.parse_args()
    if a.credentials < 2 or a.agents < 1:
        ap.error("need --credentials >= 2 and --agents >= 1")
    if not (0 <= a.shadow and 0 <= a.ignored and a.shadow + a.ignored < 1):
        ap.error("--shadow and --ignored must be fractions summing to less than 1")
    p = generate(a.credentials, a.agents, a.out, a.seed, a.as_of, a.shadow, a.ignored)
    json.dump(p["stats"], sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
