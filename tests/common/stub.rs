//! An in-process HTTP server on 127.0.0.1 (plain http, as agentid allows on
//! loopback) for providers that have no local emulator: it answers each
//! route (method + path, query ignored) with a canned status and body and
//! records every request whole, so tests check what the CLI sent.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Lower-cased names.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `application/x-www-form-urlencoded` body fields, decoded.
    pub fn form(&self) -> Vec<(String, String)> {
        self.body
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect()
    }

    pub fn field(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let h = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(h, 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// status, content type, body.
pub type Answer = (u16, String, String);

/// Answers a request by its content (AWS query APIs all POST to `/`).
type Handler = Arc<dyn Fn(&Request) -> Option<Answer> + Send + Sync>;

#[derive(Clone)]
pub struct Stub {
    pub url: String,
    routes: Arc<Mutex<HashMap<String, Answer>>>,
    handler: Arc<Mutex<Option<Handler>>>,
    requests: Arc<Mutex<Vec<Request>>>,
    /// Sent with every answer (e.g. a provider's request-id header).
    extra_headers: Arc<Mutex<Vec<(String, String)>>>,
}

impl Stub {
    pub fn start() -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the stub");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let stub = Stub {
            url,
            routes: Arc::default(),
            handler: Arc::default(),
            requests: Arc::default(),
            extra_headers: Arc::default(),
        };
        let s = stub.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || s.handle(conn));
            }
        });
        stub
    }

    /// Answer `METHOD /path` with this status, content type and body.
    pub fn route(&self, method: &str, path: &str, status: u16, content_type: &str, body: &str) {
        self.routes.lock().unwrap().insert(
            format!("{method} {path}"),
            (status, content_type.to_string(), body.to_string()),
        );
    }

    /// Answer with `f` when it returns an answer (before any route).
    pub fn handle_with(&self, f: impl Fn(&Request) -> Option<Answer> + Send + Sync + 'static) {
        *self.handler.lock().unwrap() = Some(Arc::new(f));
    }

    pub fn json(&self, method: &str, path: &str, status: u16, body: &str) {
        self.route(method, path, status, "application/json", body);
    }

    /// Send this header with every answer from now on.
    pub fn header(&self, name: &str, value: &str) {
        self.extra_headers
            .lock()
            .unwrap()
            .push((name.to_string(), value.to_string()));
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    pub fn only_request(&self) -> Request {
        let all = self.requests();
        assert_eq!(all.len(), 1, "expected one request, got {all:#?}");
        all[0].clone()
    }

    fn handle(&self, conn: TcpStream) {
        let mut reader = BufReader::new(conn.try_clone().expect("clone"));
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let target = parts.next().unwrap_or("").to_string();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let len = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        let _ = reader.read_exact(&mut body);
        let path = target.split('?').next().unwrap_or("").to_string();
        let request = Request {
            method: method.clone(),
            target,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        };
        self.requests.lock().unwrap().push(request.clone());
        let handler = self.handler.lock().unwrap().clone();
        let (status, ct, body) = handler
            .and_then(|h| h(&request))
            .or_else(|| {
                self.routes
                    .lock()
                    .unwrap()
                    .get(&format!("{method} {path}"))
                    .cloned()
            })
            .unwrap_or((
                404,
                "application/json".into(),
                r#"{"error":"no route"}"#.into(),
            ));
        let extra: String = self
            .extra_headers
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}: {v}\r\n"))
            .collect();
        let mut conn = conn;
        let _ = write!(
            conn,
            "HTTP/1.1 {status} X\r\ncontent-type: {ct}\r\ncontent-length: {}\r\n{extra}connection: close\r\n\r\n{body}",
            body.len()
        );
    }
}
