#!/usr/bin/env python3
"""Mint N distinct, validly signed JWTs, one per line, for bench/token.

    generate.py --alg ES256|RS256 --key PRIV.pem --count N --as-of RFC3339 \
                [--seed S] [--jobs J] --out FILE

Needs the `cryptography` package (run.sh puts it in a venv under /tmp when
the system python lacks it). Signing is done here, with OpenSSL through
`cryptography`, not by agentid: the tokens are checked by an implementation
other than the one that made them, and 100 k RSA tokens take a minute
instead of the ~4 minutes 100 k `agentid token sign` launches would.

Every token is signed separately and is unique: its own jti (UUID v4),
its own sub, iat spread over the 4 minutes before --as-of and a lifetime of
5 min to 1 h, so every token is current at --as-of. Claims follow three
real shapes, mixed by a seeded RNG:

  35 %  GitHub Actions OIDC (iss token.actions.githubusercontent.com, ~30 claims)
  30 %  Kubernetes projected service-account token (nested kubernetes.io)
  35 %  agent access token, RFC 9068 style (typ at+jwt, client_id, scope;
        a third of them delegated: an RFC 8693 `act` chain one or two deep)

Header: {"alg", "typ", "kid"}; the kid is the key's RFC 7638 thumbprint.
Token sizes come out at ~550-1700 bytes (RS256 adds 342 signature chars,
ES256 86). The claims depend only on --seed, --count and --as-of; ECDSA
signatures are randomized, so ES256 files differ byte-wise between
generations but not in content.
"""

import argparse
import base64
import hashlib
import json
import multiprocessing as mp
import random
import sys
import uuid
from datetime import datetime, timezone

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ORGS = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell"]
REPOS = ["agents", "billing", "platform", "infra", "web", "search", "ml-train", "ledger"]
WORKFLOWS = ["deploy", "release", "ci", "nightly", "federate", "publish"]
ENVS = ["production", "staging", "dev"]
NAMESPACES = ["agents", "batch", "payments", "search", "ml", "default", "ingest"]
SA = ["planner", "executor", "reviewer", "notifier", "crawler", "indexer", "trainer"]
AGENTS = ["agent-planner", "agent-reviewer", "agent-notifier", "agent-billing", "agent-support"]
SCOPES = [
    "tickets:read", "tickets:comment", "tickets:write", "repo:read", "repo:write",
    "billing:read", "invoices:create", "search:query", "calendar:read", "mail:send",
]
AUDS = ["https://api.acme.example", "https://tickets.acme.example", "https://billing.acme.example"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def compact(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def hexid(rng, n):
    return "%0*x" % (n, rng.getrandbits(4 * n))


def uid(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def claims_for(i, seed, as_of):
    """The header extras and claims of token i: a pure function of (i, seed, as_of)."""
    rng = random.Random(seed * 1_000_003 + i)
    iat = as_of - rng.randint(0, 240)
    kind = rng.random()
    if kind < 0.35:
        org, repo = rng.choice(ORGS), f"{rng.choice(REPOS)}-{i}"
        env = rng.choice(ENVS)
        wf = rng.choice(WORKFLOWS)
        sha = hexid(rng, 40)
        c = {
            "jti": uid(rng),
            "sub": f"repo:{org}/{repo}:environment:{env}",
            "aud": rng.choice([f"https://github.com/{org}", "sts.amazonaws.com"]),
            "ref": "refs/heads/main",
            "sha": sha,
            "repository": f"{org}/{repo}",
            "repository_owner": org,
            "repository_owner_id": str(rng.randint(10**6, 10**8)),
            "run_id": str(rng.randint(10**9, 10**10)),
            "run_number": str(rng.randint(1, 5000)),
            "run_attempt": "1",
            "repository_visibility": rng.choice(["private", "internal", "public"]),
            "repository_id": str(rng.randint(10**6, 10**9)),
            "actor_id": str(rng.randint(10**5, 10**8)),
            "actor": f"dev{rng.randint(1, 999)}",
            "workflow": wf,
            "head_ref": "",
            "base_ref": "",
            "event_name": rng.choice(["push", "workflow_dispatch", "schedule"]),
            "ref_protected": "true",
            "ref_type": "branch",
            "workflow_ref": f"{org}/{repo}/.github/workflows/{wf}.yml@refs/heads/main",
            "workflow_sha": sha,
            "job_workflow_ref": f"{org}/platform/.github/workflows/federate.yml@refs/tags/v2",
            "job_workflow_sha": hexid(rng, 40),
            "runner_environment": "github-hosted",
            "environment": env,
            "iss": "https://token.actions.githubusercontent.com",
            "nbf": iat - 5,
            "exp": iat + 300,
            "iat": iat,
        }
        return "JWT", c
    if kind < 0.65:
        ns, sa = rng.choice(NAMESPACES), f"{rng.choice(SA)}-{i}"
        c = {
            "aud": [rng.choice(["https://kubernetes.default.svc", "vault", "agentid"])],
            "exp": iat + 3600,
            "iat": iat,
            "iss": f"https://oidc.eks.eu-west-1.amazonaws.com/id/{hexid(rng, 32).upper()}",
            "jti": uid(rng),
            "kubernetes.io": {
                "namespace": ns,
                "node": {"name": f"ip-10-0-{rng.randint(0, 255)}-{rng.randint(0, 255)}.ec2.internal", "uid": uid(rng)},
                "pod": {"name": f"{sa}-{hexid(rng, 10)}-{hexid(rng, 5)}", "uid": uid(rng)},
                "serviceaccount": {"name": sa, "uid": uid(rng)},
                "warnafter": iat + 3000,
            },
            "nbf": iat,
            "sub": f"system:serviceaccount:{ns}:{sa}",
        }
        return "JWT", c
    agent = rng.choice(AGENTS)
    c = {
        "iss": "https://id.acme.example",
        "sub": f"user:u{i}@acme.example" if rng.random() < 0.4 else f"agent:{agent}:{i}",
        "aud": rng.choice(AUDS),
        "client_id": agent,
        "scope": " ".join(rng.sample(SCOPES, rng.randint(1, 4))),
        "iat": iat,
        "exp": iat + rng.choice([300, 900, 1800, 3600]),
        "auth_time": iat - rng.randint(0, 3600),
        "jti": uid(rng),
    }
    if rng.random() < 0.33:
        act = {"sub": agent, "iss": "https://id.acme.example"}
        if rng.random() < 0.5:
            act["act"] = {"sub": rng.choice(AGENTS), "iss": "https://id.acme.example"}
        c["act"] = act
    return "at+jwt", c


# ---------------------------------------------------------------- signing (per worker)
_KEY = None
_ALG = None
_KID = None
_ARGS = None


def _init(alg, key_path, seed, as_of):
    global _KEY, _ALG, _KID, _ARGS
    with open(key_path, "rb") as f:
        _KEY = serialization.load_pem_private_key(f.read(), password=None)
    _ALG = alg
    _KID = thumbprint(_KEY.public_key())
    _ARGS = (seed, as_of)


def thumbprint(pub):
    """RFC 7638 SHA-256 JWK thumbprint."""
    if isinstance(pub, ec.EllipticCurvePublicKey):
        n = pub.public_numbers()
        jwk = {"crv": "P-256", "kty": "EC", "x": b64url(n.x.to_bytes(32, "big")), "y": b64url(n.y.to_bytes(32, "big"))}
    else:
        n = pub.public_numbers()
        jwk = {"e": b64url(n.e.to_bytes((n.e.bit_length() + 7) // 8, "big")), "kty": "RSA",
               "n": b64url(n.n.to_bytes((n.n.bit_length() + 7) // 8, "big"))}
    return b64url(hashlib.sha256(compact(dict(sorted(jwk.items())))).digest())


def _sign(signing_input: bytes) -> bytes:
    if _ALG == "ES256":
        der = _KEY.sign(signing_input, ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return _KEY.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())


def _mint(rng_range):
    seed, as_of = _ARGS
    out = []
    for i in range(*rng_range):
        typ, claims = claims_for(i, seed, as_of)
        header = {"alg": _ALG, "typ": typ, "kid": _KID}
        signing_input = b64url(compact(header)) + "." + b64url(compact(claims))
        out.append(signing_input + "." + b64url(_sign(signing_input.encode())))
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--alg", choices=["ES256", "RS256"], required=True)
    p.add_argument("--key", required=True, help="PEM private key (P-256 for ES256, RSA for RS256)")
    p.add_argument("--count", type=int, default=100_000)
    p.add_argument("--as-of", required=True, help="RFC 3339; every token is current at this time")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--jobs", type=int, default=mp.cpu_count())
    p.add_argument("--out", required=True)
    a = p.parse_args()
    as_of = int(datetime.fromisoformat(a.as_of.replace("Z", "+00:00")).astimezone(timezone.utc).timestamp())

    _init(a.alg, a.key, a.seed, as_of)  # fail early on a bad key, in the parent
    if a.alg == "ES256" and not isinstance(_KEY, ec.EllipticCurvePrivateKey):
        sys.exit(f"{a.key}: ES256 needs a P-256 key")
    if a.alg == "RS256" and not isinstance(_KEY, rsa.RSAPrivateKey):
        sys.exit(f"{a.key}: RS256 needs an RSA key")

    step = 2000
    ranges = [(s, min(s + step, a.count)) for s in range(0, a.count, step)]
    with open(a.out, "w") as f:
        if a.jobs > 1:
            with mp.Pool(a.jobs, initializer=_init, initargs=(a.alg, a.key, a.seed, as_of)) as pool:
                for chunk in pool.imap(_mint, ranges):
                    f.write(chunk)
        else:
            for r in ranges:
                f.write(_mint(r))
    print(f"{a.out}: {a.count} {a.alg} tokens, kid {_KID}", file=sys.stderr)


if __name__ == "__main__":
    main()
