//! Server errors, explained: the likely cause and the fix, one line each.
//! Keyed by protocol and the server's error code (and, where one code covers
//! several causes, a phrase of its description).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub cause: String,
    pub fix: String,
}

fn ex(cause: &str, fix: &str) -> Option<Explanation> {
    Some(Explanation {
        cause: cause.to_string(),
        fix: fix.to_string(),
    })
}

/// OAuth 2.0 (RFC 6749 §5.2, RFC 8693 §2.2.2, RFC 7523 §3.1, RFC 8707 §2).
pub fn oauth(error: &str, description: Option<&str>) -> Option<Explanation> {
    let d = description.unwrap_or("").to_ascii_lowercase();
    match error {
        "invalid_client" => ex(
            "the server did not accept the client authentication: unknown client_id, wrong secret, an assertion signed by a key it does not hold, or an auth method the client is not registered for",
            "check --client-id and --client-auth against the client's registration (token_endpoint_auth_method), the secret in --client-secret-file/--client-secret-env, or that the client's registered JWKS holds --client-key",
        ),
        "invalid_grant" if d.contains("expired") || d.contains("\"exp\"") => ex(
            "the subject token (or assertion) has expired",
            "get a fresh token from its source and exchange it at once",
        ),
        "invalid_grant" if d.contains("not trusted") || d.contains("issuer") => ex(
            "the server does not trust the subject token's issuer",
            "register the issuer (and its JWKS) as a trusted token issuer at the authorization server",
        ),
        "invalid_grant" if d.contains("aud") => ex(
            "the subject token or assertion is for another audience",
            "mint the token for the audience this server expects (for jwt-bearer: its issuer or token endpoint)",
        ),
        "invalid_grant" => ex(
            "the server rejected the subject token or assertion: bad signature, expired, wrong issuer or audience, or not allowed for this client",
            "run with --dry-run to see the token's claims and the preflight checks, then compare them with the server's trust configuration",
        ),
        "invalid_request" => ex(
            "the request is missing a parameter or has one the server does not accept (for example an unsupported subject_token_type)",
            "check --subject-token-type, --requested-token-type and --grant against what the server supports",
        ),
        "unauthorized_client" => ex(
            "this client is not allowed to use this grant type",
            "add the grant (token-exchange or jwt-bearer) to the client's registered grant_types",
        ),
        "unsupported_grant_type" => ex(
            "the server does not support this grant type",
            "check grant_types_supported in the server's discovery document; use --grant token-exchange or jwt-bearer accordingly",
        ),
        "invalid_scope" => ex(
            "a requested scope is unknown, or more than the client or subject may have",
            "ask for fewer scopes (--scope) or grant them to the client at the server",
        ),
        "invalid_target" => ex(
            "the requested --audience or --resource is unknown to the server, or not allowed for this client",
            "use an audience/resource the server knows (its resource indicators), or register it",
        ),
        _ => None,
    }
}

/// AWS STS AssumeRoleWithWebIdentity error codes (STS API reference,
/// "AssumeRoleWithWebIdentity — Errors"), split further by the messages
/// STS sends for InvalidIdentityToken and AccessDenied.
pub fn aws(code: &str, message: Option<&str>) -> Option<Explanation> {
    let m = message.unwrap_or("").to_ascii_lowercase();
    match code {
        "InvalidIdentityToken" if m.contains("no openidconnect provider found") => ex(
            "the IAM OIDC provider for this token's issuer is missing in the role's account",
            "create it: aws iam create-open-id-connect-provider --url <the token's iss> --client-id-list <its aud> (or in the console, IAM → Identity providers)",
        ),
        "InvalidIdentityToken" if m.contains("audience") => ex(
            "the token's aud is not in the IAM OIDC provider's client ID list",
            "mint the token for an audience the provider lists (GitHub Actions: --source-audience sts.amazonaws.com), or add the aud: aws iam add-client-id-to-open-id-connect-provider",
        ),
        "InvalidIdentityToken"
            if m.contains("verification key")
                || m.contains("thumbprint")
                || m.contains("signature") =>
        {
            ex(
                "AWS could not verify the token's signature: the issuer's JWKS is unreachable from AWS, lacks the token's kid, or the provider's thumbprint is stale",
                "check that <iss>/.well-known/openid-configuration and its jwks_uri are public over https and hold the kid (agentid exchange … --dry-run shows the preflight)",
            )
        }
        "InvalidIdentityToken" => ex(
            "STS rejected the token: issuer without an IAM OIDC provider, wrong audience, bad signature, or not a JWT",
            "compare the token's iss and aud (see the subject token table) with the IAM OIDC provider's URL and client ID list",
        ),
        "ExpiredTokenException" => ex(
            "the web identity token has expired",
            "get a fresh token from its source and exchange it at once (clocks: check the machine's time)",
        ),
        "AccessDenied" | "AccessDeniedException" => ex(
            "the role's trust policy does not let this token assume it: the Federated principal, or a condition on sub/aud (e.g. token.actions.githubusercontent.com:sub) does not match, or the role does not exist",
            "compare the token's sub and aud with the role's trust policy conditions (aws iam get-role --role-name NAME), and check --role-arn",
        ),
        "IDPRejectedClaim" => ex(
            "the identity provider rejected a claim of the token",
            "check the token's claims against what the IAM OIDC provider expects",
        ),
        "IDPCommunicationError" => ex(
            "STS could not reach the identity provider to verify the token",
            "retry a few times; if it persists, the issuer's discovery document or JWKS is down or not public",
        ),
        "MalformedPolicyDocument" => ex(
            "the session policy (--policy) is not a valid IAM policy",
            "fix the JSON (aws iam simulate-custom-policy helps) or drop --policy",
        ),
        "PackedPolicyTooLarge" => ex(
            "the session policy and tags are too large once packed",
            "shorten --policy",
        ),
        "RegionDisabledException" => ex(
            "STS is not activated in this region for the account",
            "activate the region in IAM account settings, or use another --region",
        ),
        "ValidationError" if m.contains("duration") => ex(
            "--duration is longer than the role's maximum session duration",
            "ask for less (--duration 1h) or raise the role's MaxSessionDuration",
        ),
        "ValidationError" => ex(
            "a parameter is malformed (role ARN, session name, duration or policy)",
            "check --role-arn, --session-name, --duration and --policy",
        ),
        _ => None,
    }
}

/// Anthropic's token endpoint: RFC 6749 §5.2 error bodies. A 401 means the
/// assertion did not satisfy the named federation rule (the SDKs' own hint),
/// often because the rule covers several workspaces and none was named.
pub fn anthropic(
    status: u16,
    error: &str,
    description: Option<&str>,
    workspace_given: bool,
) -> Option<Explanation> {
    let d = description.unwrap_or("").to_ascii_lowercase();
    if status == 401 {
        return ex(
            "the identity token does not satisfy the federation rule (issuer, subject or audience match), or the rule, service account and organization do not belong together",
            if workspace_given {
                "compare the token's claims with the rule's match criteria, and check the authentication events on the Workload identity page of the Claude Console"
            } else {
                "compare the token's claims with the rule's match criteria; if the rule is enabled for several workspaces, name one with --workspace-id (ANTHROPIC_WORKSPACE_ID); the Workload identity page of the Claude Console logs each attempt"
            },
        );
    }
    match error {
        "invalid_request" | "invalid_grant" if d.contains("workspace") => ex(
            "the rule is enabled for more than one workspace, or the workspace named is not one of them",
            "pass --workspace-id wrkspc_… (or default) for a workspace the rule is enabled for",
        ),
        "invalid_request" => ex(
            "a required field is missing or malformed (federation_rule_id, organization_id, service_account_id, assertion)",
            "set --federation-rule-id, --organization-id and --service-account-id (or the ANTHROPIC_* variables) to the values in the Claude Console",
        ),
        _ => oauth(error, description),
    }
}

/// Microsoft Entra ID: keyed by the AADSTS code that opens error_description.
pub fn entra(description: Option<&str>) -> Option<Explanation> {
    let d = description?;
    let code: String = d
        .strip_prefix("AADSTS")?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    match code.as_str() {
        "70021" | "700211" | "700213" | "700212" => ex(
            match code.as_str() {
                "700211" => "no federated identity credential of the app names the token's issuer",
                "700213" => "no federated identity credential of the app names the token's subject",
                "700212" => {
                    "no federated identity credential of the app names the token's audience"
                }
                _ => {
                    "no federated identity credential of the app matches the token's issuer, subject and audience"
                }
            },
            "add (or fix) a federated credential on the app registration (Certificates & secrets → Federated credentials) with exactly the token's iss, sub and aud (api://AzureADTokenExchange)",
        ),
        "700024" => ex(
            "the federated token is expired or not yet valid",
            "get a fresh token from its source and exchange it at once; check the clocks",
        ),
        "700016" => ex(
            "no application with this client ID in this tenant",
            "check --client-id and --tenant (the app's Application (client) ID and Directory (tenant) ID)",
        ),
        "90002" => ex(
            "the tenant does not exist",
            "check --tenant (a GUID or a verified domain)",
        ),
        "70011" | "1002012" => ex(
            "the scope is not valid for client credentials",
            "use RESOURCE/.default, e.g. https://graph.microsoft.com/.default",
        ),
        "7000215" | "7000218" => ex(
            "the request carried no valid client credential",
            "send the federated token as client_assertion (this is what agentid does: check the token source)",
        ),
        _ => None,
    }
}

/// Google STS (sts.googleapis.com/v1/token) error bodies, as quoted in
/// google-github-actions/auth issues #60, #211, #161 and #29.
pub fn gcp_sts(error: &str, description: Option<&str>) -> Option<Explanation> {
    let d = description.unwrap_or("").to_ascii_lowercase();
    match error {
        "invalid_request" if d.contains("invalid value for \"audience\"") => ex(
            "the audience is not the provider's full resource name (often the pool without /providers/…, the project ID instead of its number, or an empty value)",
            "pass --provider projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER (gcloud iam workload-identity-pools providers describe … --format 'value(name)')",
        ),
        "invalid_target" => ex(
            "the workload identity pool or provider does not exist, is disabled or was deleted",
            "check --provider (project number, pool and provider IDs) and that both are enabled",
        ),
        "invalid_grant" if d.contains("audience") => ex(
            "the token's aud is not one of the provider's allowed audiences (default: https://iam.googleapis.com/ + the provider's resource name)",
            "mint the token for that audience (--source-audience), or add the token's aud to the provider's allowed audiences",
        ),
        "unauthorized_client" | "invalid_grant" if d.contains("attribute condition") => ex(
            "the token is rejected by the provider's attribute condition",
            "compare the token's claims (sub, repository, …) with the provider's --attribute-condition",
        ),
        "invalid_grant" => ex(
            "Google rejected the subject token: expired, not signed by a key in the issuer's JWKS, or an issuer other than the provider's",
            "check the preflight lines (expiry, issuer, kid) and the provider's issuer URI",
        ),
        _ => oauth(error, description),
    }
}

/// IAM Credentials generateAccessToken errors (Google API error format).
pub fn gcp_iam(status: &str, message: Option<&str>) -> Option<Explanation> {
    let m = message.unwrap_or("").to_ascii_lowercase();
    match status {
        "PERMISSION_DENIED" if m.contains("getaccesstoken") => ex(
            "the federated identity may not impersonate the service account: it lacks roles/iam.workloadIdentityUser (or Service Account Token Creator) on it, or the account does not exist",
            "grant roles/iam.workloadIdentityUser on the service account to principal://…/subject/SUB or principalSet://…/attribute.NAME/VALUE, and check the email",
        ),
        "PERMISSION_DENIED" => ex(
            "the federated token may not call the IAM Credentials API for this service account",
            "grant roles/iam.workloadIdentityUser on the service account to the federated principal",
        ),
        "NOT_FOUND" => ex(
            "no such service account",
            "check --service-account (the full email)",
        ),
        "INVALID_ARGUMENT" if m.contains("lifetime") => ex(
            "the requested lifetime is longer than allowed (1h unless the organization policy extends it)",
            "ask for --lifetime 1h or less",
        ),
        "UNAUTHENTICATED" => ex(
            "the STS token was not accepted by the IAM Credentials API",
            "retry; if it persists, the STS exchange scope must include cloud-platform",
        ),
        _ => None,
    }
}
