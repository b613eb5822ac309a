//! `agentid exchange gcp` against an in-process server (no Google STS
//! emulator exists) replaying documented formats: the STS request and
//! response of https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token,
//! its error bodies as quoted verbatim in google-github-actions/auth issues
//! #60/#211 ("Invalid value for \"audience\"") and #29 ("The audience in JWT
//! does not match the expected values."), generateAccessToken's
//! `{"accessToken", "expireTime"}` (IAM Credentials API reference) and the
//! Google API error format `{"error": {"code", "message", "status"}}`.

mod common;

use serde_json::{Value, json};

use common::stub::Stub;
use common::{Scratch, run};

const PROVIDER: &str =
    "projects/123456789/locations/global/workloadIdentityPools/k8s/providers/prod";
const AUDIENCE: &str = "//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/k8s/providers/prod";
const SA: &str = "deployer@acme.iam.gserviceaccount.com";
const STS_TOKEN: &str = "ya29.d.STS-federated-token-abcdefghijklmnopqrstuvwxyz";
const SA_TOKEN: &str = "ya29.c.service-account-token-abcdefghijklmnopqrstuvwxyz";

fn k8s_token() -> String {
    let b = |v: Value| {
        common::oidc::base64_std(v.to_string().as_bytes())
            .trim_end_matches('=')
            .replace('+', "-")
            .replace('/', "_")
    };
    let exp = jiff::Timestamp::now().as_second() + 600;
    format!(
        "{}.{}.c2lnbmF0dXJl",
        b(json!({"alg": "RS256", "kid": "k"})),
        b(
            json!({"iss": "http://127.0.0.1:9", "sub": "system:serviceaccount:prod:deployer", "aud": format!("https:{AUDIENCE}"), "exp": exp})
        )
    )
}

fn stub() -> Stub {
    let stub = Stub::start();
    stub.json(
        "POST",
        "/v1/token",
        200,
        &json!({"access_token": STS_TOKEN, "issued_token_type": "urn:ietf:params:oauth:token-type:access_token", "token_type": "Bearer", "expires_in": 3599}).to_string(),
    );
    stub.json(
        "POST",
        &format!("/v1/projects/-/serviceAccounts/{SA}:generateAccessToken"),
        200,
        &json!({"accessToken": SA_TOKEN, "expireTime": "2099-01-01T00:00:00Z"}).to_string(),
    );
    stub
}

fn gcp(s: &Scratch, stub: &Stub, args: &[&str]) -> (i32, String, String) {
    s.write("token", k8s_token());
    let mut c = s.cmd();
    c.env("AGENTID_GCP_STS_ENDPOINT", format!("{}/v1/token", stub.url))
        .env("AGENTID_GCP_IAMCREDENTIALS_ENDPOINT", &stub.url)
        .args(["exchange", "gcp"])
        .args(args);
    run(c)
}

#[test]
fn sts_then_impersonation() {
    let stub = stub();
    let s = Scratch::new();
    let (code, out, err) = gcp(
        &s,
        &stub,
        &[
            "--from",
            "kubernetes",
            "--source-file",
            "token",
            "--provider",
            PROVIDER,
            "--service-account",
            SA,
            "--lifetime",
            "15m",
            "-f",
            "json",
        ],
    );
    assert_eq!(code, 0, "{out}\n{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["result"], "granted");
    let facts = r["granted"]["facts"].as_array().unwrap();
    assert_eq!(facts[1]["value"], SA);
    assert!(
        r["granted"]["credential"]["redacted"]
            .as_str()
            .unwrap()
            .starts_with("ya29.c.s")
    );
    let c: Vec<String> = r["preflight"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}={}",
                c["name"].as_str().unwrap(),
                c["result"].as_str().unwrap()
            )
        })
        .collect();
    assert!(c.contains(&"subject.audience=pass".to_string()), "{c:?}");

    let reqs = stub.requests();
    assert_eq!(reqs.len(), 2, "{reqs:#?}");
    let sts = &reqs[0];
    assert_eq!(sts.target, "/v1/token");
    assert_eq!(
        sts.field("grant_type").as_deref(),
        Some("urn:ietf:params:oauth:grant-type:token-exchange")
    );
    assert_eq!(sts.field("audience").as_deref(), Some(AUDIENCE));
    assert_eq!(
        sts.field("scope").as_deref(),
        Some("https://www.googleapis.com/auth/cloud-platform")
    );
    assert_eq!(
        sts.field("requested_token_type").as_deref(),
        Some("urn:ietf:params:oauth:token-type:access_token")
    );
    assert_eq!(
        sts.field("subject_token_type").as_deref(),
        Some("urn:ietf:params:oauth:token-type:jwt")
    );
    assert_eq!(sts.field("subject_token"), Some(k8s_token_of(&s)));
    assert!(
        sts.header("authorization").is_none(),
        "STS takes no Authorization header"
    );
    let imp = &reqs[1];
    assert_eq!(
        imp.header("authorization"),
        Some(format!("Bearer {STS_TOKEN}").as_str())
    );
    let body: Value = serde_json::from_str(&imp.body).unwrap();
    assert_eq!(
        body,
        json!({"scope": ["https://www.googleapis.com/auth/cloud-platform"], "lifetime": "900s"})
    );

    let (code, out, _) = gcp(
        &s,
        &stub,
        &[
            "--subject-token",
            "token",
            "--provider",
            PROVIDER,
            "-f",
            "env",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(
        out,
        format!("export CLOUDSDK_AUTH_ACCESS_TOKEN='{STS_TOKEN}'\n")
    );
}

fn k8s_token_of(s: &Scratch) -> String {
    std::fs::read_to_string(s.path().join("token")).unwrap()
}

#[test]
fn a_gcloud_credential_config_drives_the_exchange() {
    let stub = stub();
    let s = Scratch::new();
    s.write("token", k8s_token());
    let config = json!({
        "type": "external_account",
        "audience": AUDIENCE,
        "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
        "token_url": format!("{}/v1/token", stub.url),
        "service_account_impersonation_url": format!("{}/v1/projects/-/serviceAccounts/{SA}:generateAccessToken", stub.url),
        "credential_source": {"file": s.path().join("token").to_str().unwrap(), "format": {"type": "text"}}
    });
    s.write("creds.json", config.to_string());
    let mut c = s.cmd();
    c.args([
        "exchange",
        "gcp",
        "--credential-config",
        "creds.json",
        "-f",
        "raw",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(out.trim(), SA_TOKEN);
    assert_eq!(stub.requests().len(), 2);

    s.write(
        "bad.json",
        r#"{"type": "service_account", "private_key": "x"}"#,
    );
    let mut c = s.cmd();
    c.args(["exchange", "gcp", "--credential-config", "bad.json"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("only \"external_account\""), "{err}");
}

#[test]
fn documented_sts_and_iam_errors_are_explained() {
    let s = Scratch::new();
    let cases = [
        (
            400,
            r#"{"error":"invalid_request","error_description":"Invalid value for \"audience\". This value should be the full resource name of the Identity Provider. See https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token for the list of possible formats."}"#,
            "the audience is not the provider's full resource name",
        ),
        (
            400,
            r#"{"error":"invalid_grant","error_description":"The audience in JWT does not match the expected values."}"#,
            "the token's aud is not one of the provider's allowed audiences",
        ),
        (
            400,
            r#"{"error":"invalid_target","error_description":"The target service indicated by the \"audience\" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn't exist."}"#,
            "does not exist, is disabled or was deleted",
        ),
        // As quoted in terraform-google-modules/terraform-example-foundation
        // #1362 and circleci/circleci-docs #8541.
        (
            400,
            r#"{"error":"unauthorized_client","error_description":"The given credential is rejected by the attribute condition."}"#,
            "rejected by the provider's attribute condition",
        ),
    ];
    for (status, body, cause) in cases {
        let stub = Stub::start();
        stub.json("POST", "/v1/token", status, body);
        let (code, out, err) = gcp(
            &s,
            &stub,
            &[
                "--subject-token",
                "token",
                "--provider",
                PROVIDER,
                "-f",
                "json",
            ],
        );
        assert_eq!(code, 1, "{body}: {out}\n{err}");
        let r: Value = serde_json::from_str(&out).unwrap();
        let got = r["denied"]["explanation"]["cause"].as_str().unwrap();
        assert!(got.contains(cause), "{body}: {got}");
    }
    let stub = stub();
    stub.json(
        "POST",
        &format!("/v1/projects/-/serviceAccounts/{SA}:generateAccessToken"),
        403,
        r#"{"error":{"code":403,"message":"Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).","status":"PERMISSION_DENIED"}}"#,
    );
    let (code, out, err) = gcp(
        &s,
        &stub,
        &[
            "--subject-token",
            "token",
            "--provider",
            PROVIDER,
            "--service-account",
            SA,
        ],
    );
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        out.contains("server said: HTTP 403 PERMISSION_DENIED"),
        "{out}"
    );
    assert!(out.contains("roles/iam.workloadIdentityUser"), "{out}");
    assert!(!out.contains(STS_TOKEN), "{out}");
}

#[test]
fn bad_provider_exits_2() {
    let stub = stub();
    let s = Scratch::new();
    let (code, _, err) = gcp(
        &s,
        &stub,
        &[
            "--subject-token",
            "token",
            "--provider",
            "projects/acme/locations/global/workloadIdentityPools/k8s",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("expected the provider's full resource name"),
        "{err}"
    );
    assert!(stub.requests().is_empty());
}

/// An executable-sourced ("pluggable auth") configuration, as
/// `gcloud iam workload-identity-pools create-cred-config --executable-command`
/// writes it; the response format is Google's (PluggableAuthCredentials).
#[test]
fn an_executable_sourced_config_runs_the_command_only_when_allowed() {
    use std::os::unix::fs::PermissionsExt;
    let stub = stub();
    let s = Scratch::new();
    let dir = s.path().to_str().unwrap().to_string();
    let token = k8s_token();
    let response = json!({
        "version": 1,
        "success": true,
        "token_type": "urn:ietf:params:oauth:token-type:id_token",
        "id_token": token,
        "expiration_time": 4_102_444_800_i64
    });
    s.write("response.json", response.to_string());
    // The script records that it ran and what it was told, then answers.
    s.write(
        "get-token.sh",
        format!(
            "#!/bin/sh\necho ran >> '{dir}/ran'\nenv | grep '^GOOGLE_EXTERNAL_ACCOUNT_' | sort > '{dir}/env-seen'\ncat '{dir}/response.json'\n"
        ),
    );
    let script = s.path().join("get-token.sh");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = |source: Value| {
        json!({
            "type": "external_account",
            "audience": AUDIENCE,
            "subject_token_type": "urn:ietf:params:oauth:token-type:id_token",
            "token_url": format!("{}/v1/token", stub.url),
            "service_account_impersonation_url": format!("{}/v1/projects/-/serviceAccounts/{SA}:generateAccessToken", stub.url),
            "credential_source": source
        })
        .to_string()
    };
    s.write(
        "creds.json",
        config(json!({"executable": {"command": format!("{} --flag 'two words'", script.display()), "timeout_millis": 5000}})),
    );
    let exchange = |allow: bool, file: &str| {
        let mut c = s.cmd();
        c.args(["exchange", "gcp", "--credential-config", file, "-f", "raw"]);
        if allow {
            c.env("GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES", "1");
        }
        run(c)
    };

    let (code, out, err) = exchange(false, "creds.json");
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(
        err.contains("GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1"),
        "{err}"
    );
    assert!(!s.path().join("ran").exists(), "ran without permission");

    let (code, out, err) = exchange(true, "creds.json");
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(out.trim(), SA_TOKEN);
    let sts = &stub.requests()[0];
    assert_eq!(sts.field("subject_token").as_deref(), Some(token.as_str()));
    let seen = std::fs::read_to_string(s.path().join("env-seen")).unwrap();
    assert!(
        seen.contains(&format!("GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE={AUDIENCE}")),
        "{seen}"
    );
    assert!(
        seen.contains(&format!("GOOGLE_EXTERNAL_ACCOUNT_IMPERSONATED_EMAIL={SA}")),
        "{seen}"
    );
    assert!(
        seen.contains("GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE=0"),
        "{seen}"
    );

    // A still-valid response in output_file is used without running it.
    s.write(
        "cached.json",
        config(json!({"executable": {"command": script.to_str().unwrap(), "output_file": format!("{dir}/response.json")}})),
    );
    std::fs::remove_file(s.path().join("ran")).unwrap();
    let (code, out, err) = exchange(true, "cached.json");
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        !s.path().join("ran").exists(),
        "ran despite a cached response"
    );

    // The executable's own failure response: exit 3, its code and message.
    s.write(
        "response.json",
        r#"{"version": 1, "success": false, "code": "401", "message": "Caller not authorized."}"#,
    );
    let (code, out, err) = exchange(true, "creds.json");
    assert_eq!(code, 3, "{out}\n{err}");
    assert!(
        err.contains("reported failure 401: Caller not authorized."),
        "{err}"
    );
    assert!(!err.contains(&token));

    // A timeout outside Google's 5–120 s bounds is bad input.
    s.write(
        "slow.json",
        config(json!({"executable": {"command": "x", "timeout_millis": 600000}})),
    );
    let (code, _, err) = exchange(true, "slow.json");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("timeout_millis 600000 is outside"), "{err}");
}

/// An AWS-sourced configuration (`environment_id: aws1`), with the instance
/// metadata endpoints (IMDSv2 session, zone, role, credentials) served by a
/// loopback stub. The subject token Google STS receives is the signed
/// GetCallerIdentity request; botocore (from the moto venv, an independent
/// SigV4 implementation) recomputes its signature.
#[test]
fn an_aws_sourced_config_sends_a_signed_get_caller_identity() {
    let stub = stub();
    let s = Scratch::new();
    let md = format!("{}/latest", stub.url);
    stub.route(
        "PUT",
        "/latest/api/token",
        200,
        "text/plain",
        "IMDSV2SESSION",
    );
    stub.route(
        "GET",
        "/latest/meta-data/placement/availability-zone",
        200,
        "text/plain",
        "eu-west-1b",
    );
    stub.route(
        "GET",
        "/latest/meta-data/iam/security-credentials",
        200,
        "text/plain",
        "agent-role",
    );
    stub.json(
        "GET",
        "/latest/meta-data/iam/security-credentials/agent-role",
        200,
        r#"{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAEXAMPLEKEYID","SecretAccessKey":"CANARYsecretACCESSkeyNEVERshown","Token":"SESSIONTOKENabc","Expiration":"2099-01-01T00:00:00Z"}"#,
    );
    let config = json!({
        "type": "external_account",
        "audience": AUDIENCE,
        "subject_token_type": "urn:ietf:params:aws:token-type:aws4_request",
        "token_url": format!("{}/v1/token", stub.url),
        "credential_source": {
            "environment_id": "aws1",
            "region_url": format!("{md}/meta-data/placement/availability-zone"),
            "url": format!("{md}/meta-data/iam/security-credentials"),
            "regional_cred_verification_url": "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15",
            "imdsv2_session_token_url": format!("{md}/api/token")
        }
    });
    s.write("aws.json", config.to_string());
    let mut c = s.cmd();
    c.args([
        "exchange",
        "gcp",
        "--credential-config",
        "aws.json",
        "-vv",
        "-f",
        "raw",
    ]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{out}\n{err}");
    assert_eq!(out.trim(), STS_TOKEN);
    assert!(!err.contains("CANARYsecret") && !out.contains("CANARYsecret"));

    let reqs = stub.requests();
    let metadata: Vec<&common::stub::Request> = reqs
        .iter()
        .filter(|r| r.target.starts_with("/latest/"))
        .collect();
    assert_eq!(metadata[0].method, "PUT");
    assert_eq!(
        metadata[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("300")
    );
    for r in &metadata[1..] {
        assert_eq!(r.header("x-aws-ec2-metadata-token"), Some("IMDSV2SESSION"));
    }
    let sts = reqs.iter().find(|r| r.target == "/v1/token").unwrap();
    assert_eq!(
        sts.field("subject_token_type").as_deref(),
        Some("urn:ietf:params:aws:token-type:aws4_request")
    );
    let token = sts.field("subject_token").unwrap();
    assert!(!token.contains("CANARYsecret"));
    let signed: Value = serde_json::from_str(&percent_decode(&token)).unwrap();
    assert_eq!(
        signed["url"],
        "https://sts.eu-west-1.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15"
    );
    assert_eq!(signed["method"], "POST");

    // botocore recomputes the signature from the same request and keys.
    let script = r#"
import json, sys
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
signed = json.loads(sys.argv[1])
headers = {h["key"]: h["value"] for h in signed["headers"]}
given = headers.pop("authorization")
req = AWSRequest(method=signed["method"], url=signed["url"], headers=headers)
req.context["timestamp"] = headers["x-amz-date"]
auth = SigV4Auth(Credentials("ASIAEXAMPLEKEYID", "CANARYsecretACCESSkeyNEVERshown", "SESSIONTOKENabc"), "sts", "eu-west-1")
sig = auth.signature(auth.string_to_sign(req, auth.canonical_request(req)), req)
assert headers["x-goog-cloud-target-resource"] == sys.argv[2], headers
assert given.endswith("Signature=" + sig), (given, sig)
print("ok")
"#;
    let python = common::repo().join(".venv-test/bin/python");
    let check = std::process::Command::new(&python)
        .args(["-c", script, &signed.to_string(), AUDIENCE])
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "run {} (scripts/setup-moto.sh installs it): {e}",
                python.display()
            )
        });
    assert!(
        check.status.success(),
        "botocore disagrees: {}",
        String::from_utf8_lossy(&check.stderr)
    );
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
