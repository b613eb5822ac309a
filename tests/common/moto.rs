//! A real local AWS for integration tests: `moto_server` (PyPI moto[server],
//! installed into .venv-test by scripts/setup-moto.sh) on a free loopback
//! port (S3 for the publisher, KMS for the aws-kms backend). Without it `start` panics and says so: it never skips.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Moto {
    child: Child,
    pub url: String,
}

fn binary() -> PathBuf {
    let local = super::repo().join(".venv-test/bin/moto_server");
    if local.exists() {
        return local;
    }
    PathBuf::from("moto_server")
}

impl Moto {
    pub fn start() -> Moto {
        Moto::start_with_env(&[])
    }

    /// moto_server with extra environment, e.g. `INITIAL_NO_AUTH_ACTION_COUNT`
    /// (moto checks signatures and IAM policies after that many requests).
    pub fn start_with_env(env: &[(&str, &str)]) -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(binary())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start moto_server ({e}): run scripts/setup-moto.sh (the tests need a local AWS)")
            });
        let url = format!("http://127.0.0.1:{port}");
        let start = Instant::now();
        loop {
            if ureq::get(format!("{url}/moto-api/")).call().is_ok() {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "moto_server did not answer on {url} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { child, url }
    }

    /// An S3 client for moto through the official SDK (moto refuses
    /// unsigned object reads), with a runtime to drive it.
    fn s3(&self) -> (tokio::runtime::Runtime, aws_sdk_s3::Client) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let creds = aws_sdk_s3::config::Credentials::new("testing", "testing", None, None, "test");
        let conf = aws_sdk_s3::config::Builder::new()
            .behavior_version(aws_sdk_s3::config::BehaviorVersion::latest())
            .region(aws_sdk_s3::config::Region::new("us-east-1"))
            .credentials_provider(creds)
            .endpoint_url(&self.url)
            .force_path_style(true)
            .build();
        (rt, aws_sdk_s3::Client::from_conf(conf))
    }

    pub fn create_bucket(&self, bucket: &str) {
        let (rt, s3) = self.s3();
        rt.block_on(s3.create_bucket().bucket(bucket).send())
            .unwrap_or_else(|e| panic!("create bucket {bucket}: {e:?}"));
    }

    pub fn delete_object(&self, bucket: &str, key: &str) {
        let (rt, s3) = self.s3();
        let _ = rt.block_on(s3.delete_object().bucket(bucket).key(key).send());
    }

    /// An object's body and its Cache-Control and Content-Type headers.
    pub fn get_object(&self, bucket: &str, key: &str) -> Option<(String, String, String)> {
        let (rt, s3) = self.s3();
        let out = rt
            .block_on(s3.get_object().bucket(bucket).key(key).send())
            .ok()?;
        let cc = out.cache_control().unwrap_or_default().to_string();
        let ct = out.content_type().unwrap_or_default().to_string();
        let body = rt.block_on(out.body.collect()).ok()?.into_bytes();
        Some((String::from_utf8_lossy(&body).into_owned(), cc, ct))
    }

    /// A KMS client for moto through the official SDK.
    fn kms(&self) -> (tokio::runtime::Runtime, aws_sdk_kms::Client) {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let creds = aws_sdk_kms::config::Credentials::new("testing", "testing", None, None, "test");
        let conf = aws_sdk_kms::config::Builder::new()
            .behavior_version(aws_sdk_kms::config::BehaviorVersion::latest())
            .region(aws_sdk_kms::config::Region::new("us-east-1"))
            .credentials_provider(creds)
            .endpoint_url(&self.url)
            .build();
        (rt, aws_sdk_kms::Client::from_conf(conf))
    }

    /// A KMS key's state (`Enabled`, `PendingDeletion`, ...), key spec and
    /// usage, as DescribeKey reports them.
    pub fn kms_key(&self, key_id: &str) -> (String, String, String) {
        let (rt, kms) = self.kms();
        let out = rt
            .block_on(kms.describe_key().key_id(key_id).send())
            .unwrap_or_else(|e| panic!("describe {key_id}: {e:?}"));
        let m = out.key_metadata().expect("metadata");
        (
            m.key_state()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            m.key_spec()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            m.key_usage()
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
        )
    }

    /// A KMS key's tags.
    pub fn kms_tags(&self, key_id: &str) -> Vec<(String, String)> {
        let (rt, kms) = self.kms();
        let out = rt
            .block_on(kms.list_resource_tags().key_id(key_id).send())
            .unwrap_or_else(|e| panic!("tags of {key_id}: {e:?}"));
        out.tags()
            .iter()
            .map(|t| (t.tag_key().to_owned(), t.tag_value().to_owned()))
            .collect()
    }

    /// The aliases pointing at a KMS key.
    pub fn kms_aliases(&self, key_id: &str) -> Vec<String> {
        let (rt, kms) = self.kms();
        let out = rt
            .block_on(kms.list_aliases().key_id(key_id).send())
            .unwrap_or_else(|e| panic!("aliases of {key_id}: {e:?}"));
        out.aliases()
            .iter()
            .filter_map(|a| a.alias_name().map(str::to_owned))
            .collect()
    }

    /// The environment the binary needs to reach moto with any credentials.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_EC2_METADATA_DISABLED", "true".into()),
        ]
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
