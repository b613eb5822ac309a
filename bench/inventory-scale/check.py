#!/usr/bin/env python3
"""Sanity-check a generated estate: check.py DIR

Verifies estate.json parses, field values are of the snapshot format's shapes,
every credential/trust/privilege names an identity, ids are unique, and every
registry identity ref points at an estate identity except the intended missing
ones (which are counted). Stdlib only: the registry's refs are read line-wise,
which works for the fixed (flow-style) layout generate.py writes.
"""

import collections
import json
import os
import re
import sys

PROVIDERS = {"aws", "kubernetes", "gcp", "entra", "anthropic", "openai", "github"}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
REF_LINE = re.compile(r'^      (aws|kubernetes|gcp|entra|anthropic|openai): \[(.*)\]$')
REF = re.compile(r'\{(arn|serviceaccount|email|app_id|api_key_id|id): "([^"]+)"\}')
REF_PROVIDER = {"arn": "aws", "serviceaccount": "kubernetes", "email": "gcp", "app_id": "entra",
                "api_key_id": "anthropic", "id": "openai"}

IDENTITY_FIELDS = {"source", "provider", "id", "name", "kind", "owner", "owner_active", "created",
                   "last_activity", "disabled", "tags"}
CREDENTIAL_FIELDS = {"source", "provider", "id", "identity", "kind", "hint", "created", "last_used",
                     "expires", "state", "long_lived", "managed", "root", "admin", "invalid_since"}
TRUST_FIELDS = {"source", "provider", "identity", "issuer", "subjects", "audiences",
                "attribute_condition", "via"}
PRIV_FIELDS = {"source", "provider", "identity", "grant", "admin", "scopes", "audience", "via"}
USER_FIELDS = {"source", "provider", "id", "email", "name", "active"}


def time_or_never(v):
    return v == "never" or (isinstance(v, str) and RFC3339.match(v))


def main(d):
    problems = []
    est = json.load(open(os.path.join(d, "estate.json")))
    assert set(est) == {"schema_version", "kind", "collected_at", "sources", "identities",
                        "credentials", "trusts", "privileges", "users"}, set(est)
    assert est["schema_version"] == 1 and est["kind"] == "agentid.estate"
    source_names = {s["name"] for s in est["sources"]}

    def check(kind, items, allowed):
        for x in items:
            extra = set(x) - allowed
            if extra:
                problems.append(f"{kind} {x.get('id')}: unknown fields {extra}")
            if x["provider"] not in PROVIDERS or x["source"] not in source_names:
                problems.append(f"{kind}: bad provider/source {x}")

    check("identity", est["identities"], IDENTITY_FIELDS)
    check("credential", est["credentials"], CREDENTIAL_FIELDS)
    check("trust", est["trusts"], TRUST_FIELDS)
    check("privilege", est["privileges"], PRIV_FIELDS)
    check("user", est["users"], USER_FIELDS)

    idents = {(i["provider"], i["id"]) for i in est["identities"]}
    if len(idents) != len(est["identities"]):
        problems.append("duplicate identity ids")
    ident_ids = {i["id"] for i in est["identities"]}
    cred_ids = collections.Counter((c["provider"], c["id"]) for c in est["credentials"])
    dups = [k for k, v in cred_ids.items() if v > 1]
    if dups:
        problems.append(f"{len(dups)} duplicate credential ids, e.g. {dups[:3]}")
    for i in est["identities"]:
        for f in ("created",):
            if f in i and not RFC3339.match(i[f]):
                problems.append(f"identity {i['id']} bad {f}")
        if "last_activity" in i and not time_or_never(i["last_activity"]):
            problems.append(f"identity {i['id']} bad last_activity")
    for c in est["credentials"]:
        if c["identity"] not in ident_ids:
            problems.append(f"credential {c['id']} -> unknown identity {c['identity']}")
        for f in ("last_used", "expires"):
            if f in c and not time_or_never(c[f]):
                problems.append(f"credential {c['id']} bad {f}: {c[f]}")
        if c["state"] not in ("active", "inactive", "expired", "revoked"):
            problems.append(f"credential {c['id']} bad state")
    for kind in ("trusts", "privileges"):
        for t in est[kind]:
            if t["identity"] not in ident_ids:
                problems.append(f"{kind} -> unknown identity {t['identity']}")

    # registry refs
    refs, missing = 0, 0
    agents, owners = 0, set()
    agent_owner_bad = 0
    for line in open(os.path.join(d, "agentid.yaml")):
        line = line.rstrip("\n")
        if line.startswith("  - name: agent-"):
            agents += 1
        m = re.match(r'^  - id: "([^"]+)"$', line)
        if m:
            owners.add(m.group(1))
        m = re.match(r'^    owner: "([^"]+)"$', line)
        if m and m.group(1) not in owners:
            agent_owner_bad += 1
        m = REF_LINE.match(line)
        if m:
            for r in REF.finditer(m.group(2)):
                refs += 1
                if REF_PROVIDER[r.group(1)] != m.group(1):
                    problems.append(f"ref {r.group(0)} under {m.group(1)}")
                if (m.group(1), r.group(2)) not in idents:
                    missing += 1
    if agent_owner_bad:
        problems.append(f"{agent_owner_bad} agents with an owner not in owners:")

    params = json.load(open(os.path.join(d, "params.json")))
    st = params["stats"]
    if missing != st["missing_refs"]:
        problems.append(f"registry has {missing} unresolved refs, expected {st['missing_refs']}")
    n_declared = refs - missing
    declared_ids = n_declared
    shadow = len(est["identities"]) - declared_ids
    per_ident = collections.Counter(c["identity"] for c in est["credentials"])
    hist = collections.Counter(per_ident.get(i["id"], 0) for i in est["identities"])
    summary = {
        "identities": len(est["identities"]),
        "credentials": len(est["credentials"]),
        "trusts": len(est["trusts"]),
        "privileges": len(est["privileges"]),
        "users": len(est["users"]),
        "agents": agents,
        "owners": len(owners),
        "registry_refs": refs,
        "refs_missing": missing,
        "shadow_identities": shadow,
        "creds_per_identity": dict(sorted(hist.items())),
        "by_provider": dict(collections.Counter(c["provider"] for c in est["credentials"])),
    }
    for k in ("identities", "credentials", "trusts", "privileges", "users", "agents"):
        if summary[k] != st[k]:
            problems.append(f"{k}: found {summary[k]}, params.json says {st[k]}")
    print(json.dumps(summary, indent=1))
    if problems:
        print(f"{len(problems)} problem(s):", *problems[:20], sep="\n  ")
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main(sys.argv[1])
