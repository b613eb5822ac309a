//! `agentid inventory --format html` in a real browser: Debian's chromium,
//! driven by playwright-core (tests/browser/report.mjs, installed by
//! scripts/setup-browser.sh). The page is opened from a file:// URL, as a
//! reader opens a saved report or an email attachment.
//!
//! A missing chromium or node_modules fails these tests; it never skips them.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{AS_OF, Scratch, repo, run};
use serde_json::Value;

const SEVERITIES: [&str; 5] = ["critical", "high", "medium", "low", "info"];

fn chromium() -> PathBuf {
    let path = std::env::var_os("AGENTID_TEST_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    assert!(
        path.is_file(),
        "chromium not found at {} (set AGENTID_TEST_CHROMIUM, or install it: apt-get install -y chromium; scripts/setup-browser.sh does both steps)",
        path.display()
    );
    path
}

fn browser_dir() -> PathBuf {
    let dir = repo().join("tests/browser");
    assert!(
        dir.join("node_modules/playwright-core").is_dir(),
        "tests/browser/node_modules/playwright-core is missing: run scripts/setup-browser.sh (npm ci in tests/browser)"
    );
    dir
}

/// Where a test keeps its screenshots after it ends: target/tmp/report_html/NAME.
fn output_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("report_html")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("output dir");
    dir
}

/// Opens the page in chromium and returns what the page script saw.
fn open_in_browser(html: &Path, out: &Path) -> Value {
    let chromium = chromium();
    let dir = browser_dir();
    let output = Command::new("node")
        .arg(dir.join("report.mjs"))
        .arg(html)
        .arg(out)
        .env("AGENTID_TEST_CHROMIUM", &chromium)
        .output()
        .expect("node runs (Node.js is required: apt-get install nodejs)");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "tests/browser/report.mjs failed ({}): {stderr}",
        output.status
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "report.mjs printed no JSON ({e}): {}\n{stderr}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// The example's report as JSON and as HTML, from the same run arguments.
fn render(s: &Scratch, config: &Path) -> (Value, PathBuf) {
    let mut json = s.cmd();
    json.args(["inventory", "--config"]).arg(config).args([
        "--as-of",
        AS_OF,
        "--fail-on",
        "never",
        "-f",
        "json",
    ]);
    let (code, stdout, stderr) = run(json);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("json report");

    let html = s.path().join("report.html");
    let mut cmd = s.cmd();
    cmd.args(["inventory", "--config"])
        .arg(config)
        .args(["--as-of", AS_OF, "--fail-on", "never", "-f", "html", "-o"])
        .arg(&html);
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty(), "-o writes nothing to stdout: {stdout}");
    (report, html)
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|s| s.as_str().expect("string").to_string())
        .collect()
}

/// What every page must show: it ran its own script and stylesheet, raised
/// no error, and asked for nothing but its own file.
fn assert_clean_page(seen: &Value) {
    assert_eq!(seen["pageErrors"], Value::Array(vec![]), "page errors");
    assert_eq!(
        seen["cspViolations"],
        Value::Array(vec![]),
        "CSP violations"
    );
    assert_eq!(seen["dialogs"], Value::Array(vec![]), "dialogs opened");
    let console = strings(&seen["console"]);
    assert!(
        console.iter().all(|m| !m.starts_with("error")),
        "console errors: {console:?}"
    );
    assert_eq!(seen["scriptRan"], true, "the inline script ran (CSP hash)");
    assert_eq!(
        seen["styleApplied"], "6px",
        "the inline stylesheet applied (CSP hash)"
    );
    let requests = strings(&seen["requests"]);
    assert!(!requests.is_empty(), "the page load itself is logged");
    let url = seen["url"].as_str().expect("url");
    for r in &requests {
        assert!(
            !r.starts_with("http:") && !r.starts_with("https:"),
            "network request from the page: {r}"
        );
        assert_eq!(r, url, "the page requested something besides itself");
    }
}

#[test]
fn example_report_in_chromium_matches_the_json_report() {
    let s = Scratch::new();
    let config = s.example("ex");
    let (report, html) = render(&s, &config);
    let out = output_dir("example");
    let seen = open_in_browser(&html, &out);
    assert_clean_page(&seen);

    // Cards: the JSON summary's numbers.
    let summary = &report["summary"];
    let cards = &seen["cards"];
    for key in [
        "agents_declared",
        "agents_found",
        "shadow_identities",
        "agents_missing",
        "long_lived_credentials",
    ] {
        assert_eq!(
            cards[key].as_str(),
            Some(summary[key].to_string().as_str()),
            "card {key}"
        );
    }
    let mut open = 0;
    for sev in SEVERITIES {
        let n = summary["findings"][sev].as_u64().unwrap_or(0);
        open += n;
        assert_eq!(
            cards[format!("findings.{sev}")].as_str(),
            Some(n.to_string().as_str()),
            "card findings.{sev}"
        );
    }
    assert_eq!(cards["findings"].as_str(), Some(open.to_string().as_str()));
    assert_eq!(open, 48, "the example's open findings");
    let agents = report["agents"].as_array().expect("agents");
    // The federation share: agents found in a source, by federated trusts
    // and long-lived keys, as the JSON rows count them.
    let seen_rows: Vec<&Value> = agents.iter().filter(|a| a["status"] != "missing").collect();
    let mut share_total = 0;
    for (key, fed, stat) in [
        ("agents_federated_only", true, false),
        ("agents_federated_and_static", true, true),
        ("agents_static_only", false, true),
        ("agents_neither", false, false),
    ] {
        let n = seen_rows
            .iter()
            .filter(|a| {
                (a["federated_trusts"].as_u64() > Some(0)) == fed
                    && (a["long_lived_credentials"].as_u64() > Some(0)) == stat
            })
            .count();
        share_total += n;
        assert_eq!(
            cards[key].as_str(),
            Some(n.to_string().as_str()),
            "share card {key}"
        );
    }
    assert_eq!(share_total, seen_rows.len());
    assert!(
        cards["agents_federated_only"].as_str() > Some("0")
            && cards["agents_static_only"].as_str() > Some("0"),
        "the example has agents on federation and on static keys: {cards}"
    );

    // The credential-age histogram: long-lived credentials of the JSON
    // rows, bucketed by age_days.
    let mut buckets = [0usize; 5];
    for c in agents
        .iter()
        .filter_map(|a| a["credential_ages"].as_array())
        .flatten()
        .filter(|c| c["long_lived"] == true)
    {
        let Some(age) = c["age_days"].as_i64() else {
            continue;
        };
        let b = match age {
            ..30 => 0,
            30..90 => 1,
            90..180 => 2,
            180..365 => 3,
            _ => 4,
        };
        buckets[b] += 1;
    }
    let seen_buckets = &seen["ageBuckets"];
    for (key, want) in ["lt30", "30-90", "90-180", "180-365", "gt365"]
        .into_iter()
        .zip(buckets)
    {
        assert_eq!(
            seen_buckets[key].as_str(),
            Some(want.to_string().as_str()),
            "age bucket {key}: {seen_buckets}"
        );
    }
    assert!(
        buckets.iter().filter(|&&n| n > 0).count() >= 4,
        "the example spreads over the buckets: {buckets:?}"
    );
    assert_eq!(
        seen["ageThreshold"].as_str(),
        Some(
            format!(
                "max_key_age {}",
                summary["max_key_age"].as_str().expect("max_key_age")
            )
            .as_str()
        )
    );

    // Each agent section shows the purpose, declared trust and credential ages of its row.
    let purposes = strings(&seen["agentPurposes"]);
    assert_eq!(purposes.len(), agents.len());
    for (a, shown) in agents.iter().zip(&purposes) {
        match a["purpose"].as_str() {
            Some(p) => assert_eq!(shown, p, "purpose of {}", a["name"]),
            None => assert!(shown.starts_with("none"), "{}: {shown}", a["name"]),
        }
    }
    assert!(
        purposes
            .iter()
            .any(|p| p == "Load nightly extracts into the data warehouse landing bucket")
    );
    for (i, a) in agents.iter().enumerate() {
        let trust = seen["agentTrust"][i].as_array().expect("trust list");
        let declared = a["trust"].as_array().map_or(0, Vec::len);
        assert_eq!(trust.len(), declared, "trust of {}", a["name"]);
        if let Some(first) = a["trust"].get(0) {
            let text = trust[0].as_str().expect("text");
            assert!(
                text.contains(first["issuer"].as_str().expect("issuer"))
                    && text.contains(first["subject"].as_str().expect("subject")),
                "{text}"
            );
        }
        let ages: Vec<String> = a["credential_ages"]
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|c| {
                        c["age_days"]
                            .as_i64()
                            .map(|d| d.to_string())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            strings(&seen["agentAges"][i]),
            ages,
            "ages of {}",
            a["name"]
        );
    }
    assert_eq!(
        strings(&seen["agentNames"]),
        agents
            .iter()
            .map(|a| a["name"].as_str().expect("name").to_string())
            .collect::<Vec<_>>(),
        "one section per agent, in the report's order"
    );

    // The findings table: every finding; a severity filter shows exactly
    // that severity's findings and hides the others.
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(seen["rowsBefore"].as_u64(), Some(findings.len() as u64));
    let mut hid_some = false;
    for sev in SEVERITIES {
        let want = findings.iter().filter(|f| f["severity"] == sev).count();
        let visible = strings(&seen["filtered"][sev]["visible"]);
        assert_eq!(visible.len(), want, "rows shown for {sev}");
        assert!(visible.iter().all(|v| v == sev), "{sev}: {visible:?}");
        assert_eq!(
            seen["filtered"][sev]["shown"].as_str(),
            Some(format!("{want} of {} shown", findings.len()).as_str())
        );
        hid_some |= want > 0 && want < findings.len();
    }
    assert!(hid_some, "a filter hid rows");
    assert_eq!(seen["rowsAfterReset"].as_u64(), Some(findings.len() as u64));

    // Sorting by severity, both ways.
    let rank = |s: &String| SEVERITIES.iter().position(|x| x == s).expect("severity");
    let asc = strings(&seen["sortedAscending"]);
    let desc = strings(&seen["sortedDescending"]);
    assert_eq!(asc.len(), findings.len());
    assert!(
        asc.windows(2).all(|w| rank(&w[0]) >= rank(&w[1])),
        "{asc:?}"
    );
    assert!(
        desc.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "{desc:?}"
    );
    assert_eq!(seen["ariaSort"], "descending");

    // Dark mode and print.
    assert_eq!(seen["lightBackground"], "rgb(255, 255, 255)");
    assert_ne!(seen["darkBackground"], seen["lightBackground"], "dark mode");
    assert_eq!(
        seen["printFiltersDisplay"], "none",
        "print hides the filters"
    );

    for key in ["screenshot", "screenshotFull", "screenshotDark"] {
        let path = PathBuf::from(seen[key].as_str().expect("path"));
        assert!(path.starts_with(&out));
        let png = std::fs::read(&path).expect("screenshot written");
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
            "{} is a PNG",
            path.display()
        );
    }
    let pdf = std::fs::read(seen["pdf"].as_str().expect("pdf")).expect("pdf written");
    assert!(pdf.starts_with(b"%PDF"), "printed to PDF");
    eprintln!("screenshots in {}", out.display());
}

/// Markup planted in an identity's name and owner (which come from the
/// provider, so from anyone able to create an identity) shows as text and
/// runs nothing.
#[test]
fn script_planted_in_an_agent_name_and_owner_is_inert() {
    const NAME: &str = "<script>window.__planted='name';document.title='pwned'</script><img src=x onerror=\"window.__planted='img';document.title='pwned'\">";
    const OWNER: &str = "\"><script>window.__planted='owner';document.title='pwned'</script><img src=\"http://127.0.0.1:9/owner.png\">";
    let s = Scratch::new();
    let config = s.example("ex");
    let estate_path = config.with_file_name("estate.json");
    let mut estate: Value =
        serde_json::from_str(&std::fs::read_to_string(&estate_path).expect("estate"))
            .expect("json");
    let ident = estate["identities"]
        .as_array_mut()
        .expect("identities")
        .iter_mut()
        .find(|i| i["name"] == "svc-openclaw-bot")
        .expect("the example's shadow AWS user");
    ident["name"] = Value::from(NAME);
    ident["owner"] = Value::from(OWNER);
    std::fs::write(&estate_path, estate.to_string()).expect("write estate");

    let (report, html) = render(&s, &config);
    assert!(
        report["agents"]
            .as_array()
            .expect("agents")
            .iter()
            .any(|a| a["name"] == NAME && a["owner"] == OWNER),
        "the planted values reach the report"
    );
    let text = std::fs::read_to_string(&html).expect("html");
    assert!(
        !text.contains("<script>window.__planted"),
        "escaped in the file"
    );
    assert!(!text.contains("<img"), "escaped in the file");

    let seen = open_in_browser(&html, &output_dir("planted"));
    assert_clean_page(&seen);
    assert_eq!(seen["planted"], Value::Null, "planted code ran");
    assert_eq!(
        seen["title"].as_str(),
        Some(format!("agentid estate report, {AS_OF}").as_str())
    );
    assert_eq!(seen["scriptElements"], 1, "only the page's own script");
    assert_eq!(seen["imgElements"], 0, "no planted image");
    assert!(
        strings(&seen["agentNames"]).iter().any(|n| n == NAME),
        "the name shows as text: {:?}",
        seen["agentNames"]
    );
    assert!(
        strings(&seen["owners"]).iter().any(|o| o == OWNER),
        "the owner shows as text in the owner filter: {:?}",
        seen["owners"]
    );
}

/// Without `-o` the page goes to stdout, with the usual exit code; other
/// commands have no html format.
#[test]
fn html_on_stdout_and_only_for_inventory() {
    let s = Scratch::new();
    let config = s.example("ex");
    let mut cmd = s.cmd();
    cmd.args(["inventory", "--config"])
        .arg(&config)
        .args(["--as-of", AS_OF, "-f", "html"]);
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 1, "the example fails at its fail_on high: {stderr}");
    assert!(
        stdout.starts_with("<!DOCTYPE html>"),
        "{}",
        &stdout[..stdout.len().min(200)]
    );
    assert!(stdout.trim_end().ends_with("</html>"));
    assert!(stdout.contains("FAILED: findings at or above high (exit code 1)"));

    let mut cmd = s.cmd();
    cmd.args(["registry", "validate"])
        .arg(&config)
        .args(["-f", "html"]);
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr
            .contains("format html is not available for registry validate (use table, json, yaml)"),
        "{stderr}"
    );
}
