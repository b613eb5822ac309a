#!/usr/bin/env python3
"""Builds the benchmark estate in a running moto_server through boto3:
USERS users with 2 access keys each and ROLES roles (half trusting GitHub
OIDC with a `sub` condition, half without). Parallel, since only the
inventory is timed.

usage: setup.py ENDPOINT [USERS] [ROLES]   (defaults 2000 and 500)
"""
import json
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3

endpoint = sys.argv[1]
users = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
roles = int(sys.argv[3]) if len(sys.argv) > 3 else 500


def client():
    return boto3.client(
        "iam",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


iam = client()
gh = "token.actions.githubusercontent.com"
provider = iam.create_open_id_connect_provider(
    Url=f"https://{gh}", ClientIDList=["sts.amazonaws.com"], ThumbprintList=["a" * 40]
)["OpenIDConnectProviderArn"]


def make_user(i):
    c = client()
    name = f"bench-user-{i:05d}"
    c.create_user(UserName=name, Tags=[{"Key": "owner", "Value": f"team-{i % 20}"}])
    c.create_access_key(UserName=name)
    c.create_access_key(UserName=name)


def make_role(i):
    c = client()
    cond = {"StringEquals": {f"{gh}:aud": "sts.amazonaws.com"}}
    if i % 2 == 0:
        cond["StringLike"] = {f"{gh}:sub": f"repo:acme/app-{i}:*"}
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": cond,
            }
        ],
    }
    c.create_role(RoleName=f"bench-role-{i:05d}", AssumeRolePolicyDocument=json.dumps(doc))


with ThreadPoolExecutor(8) as pool:
    list(pool.map(make_user, range(users)))
# One role at a time: moto 5.2.5's CreateRole iterates the role dict while
# another thread's CreateRole grows it ("dictionary changed size during
# iteration", a 500), so parallel role creation fails at scale.
for i in range(roles):
    make_role(i)
print(json.dumps({"users": users, "keys": 2 * users, "roles": roles}))
