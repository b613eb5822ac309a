#!/usr/bin/env python3
"""The peer: the same listing agentid's aws source makes, with the official
Python SDK (boto3), one call after another. Prints the calls made and the
wall time as JSON.

The calls (= the minimum this listing needs, see README.md):
  sts:GetCallerIdentity                      1
  iam:GetAccountAuthorizationDetails         1 per page (User, Group, Role, LocalManagedPolicy)
  iam:ListOpenIDConnectProviders             1
  iam:GenerateCredentialReport               1 (+1 per poll while STARTED)
  iam:GetCredentialReport                    1
  iam:ListAccessKeys                         1 per user (per page)
  iam:GetAccessKeyLastUsed                   1 per key

usage: sequential.py ENDPOINT
"""
import json
import sys
import time

import boto3

endpoint = sys.argv[1]
calls = 0


def count(**_):
    global calls
    calls += 1


start = time.monotonic()
session = boto3.session.Session(
    aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
)
sts = session.client("sts", endpoint_url=endpoint)
iam = session.client("iam", endpoint_url=endpoint)
for c in (sts, iam):
    c.meta.events.register("before-send", count)

account = sts.get_caller_identity()["Account"]
users, roles = [], []
pages = 0
kwargs = {"Filter": ["User", "Group", "Role", "LocalManagedPolicy"]}
while True:
    page = iam.get_account_authorization_details(**kwargs)
    pages += 1
    users += page.get("UserDetailList", [])
    roles += page.get("RoleDetailList", [])
    if not page.get("IsTruncated"):
        break
    kwargs["Marker"] = page["Marker"]
iam.list_open_id_connect_providers()
while iam.generate_credential_report()["State"] != "COMPLETE":
    time.sleep(0.25)
iam.get_credential_report()
keys = 0
for u in users:
    kw = {"UserName": u["UserName"]}
    while True:
        page = iam.list_access_keys(**kw)
        for k in page["AccessKeyMetadata"]:
            iam.get_access_key_last_used(AccessKeyId=k["AccessKeyId"])
            keys += 1
        if not page.get("IsTruncated"):
            break
        kw["Marker"] = page["Marker"]
wall = time.monotonic() - start
print(
    json.dumps(
        {
            "account": account,
            "users": len(users),
            "roles": len(roles),
            "keys": keys,
            "pages": pages,
            "calls": calls,
            "wall_s": round(wall, 3),
        }
    )
)
