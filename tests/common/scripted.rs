//! An in-process HTTP/1.1 server on 127.0.0.1 whose answers are scripted per
//! request: the answer to a route can depend on the query (pagination
//! cursors) and on how many times the route was asked before (a 429 or a
//! 500 first, then the page). Every request is recorded whole, headers
//! included, so tests check what was sent and how often.
//!
//! Used by the recorded-response tests of the inventory sources, which have
//! no local emulator. Included with `#[path = "common/scripted.rs"] mod scripted;`.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Lower-cased names.
    pub headers: Vec<(String, String)>,
    /// Decoded `application/x-www-form-urlencoded` body fields, in order.
    pub form: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One answer: status, extra headers, body (always JSON content type).
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn json(status: u16, body: impl Into<String>) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// Picks the answer for a request to one path.
type Script = Box<dyn Fn(&Request, usize) -> Answer + Send + Sync>;

#[derive(Clone)]
pub struct Server {
    pub url: String,
    scripts: Arc<Mutex<HashMap<String, Arc<Script>>>>,
    /// Requests seen per path.
    seen: Arc<Mutex<HashMap<String, usize>>>,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the scripted server");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let server = Server {
            url,
            scripts: Arc::default(),
            seen: Arc::default(),
            requests: Arc::default(),
        };
        let s = server.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || s.handle(conn));
            }
        });
        server
    }

    /// `GET path` is answered by `script(request, n)`, where `n` counts the
    /// earlier requests to the same path (0 for the first).
    pub fn on(
        &self,
        path: &str,
        script: impl Fn(&Request, usize) -> Answer + Send + Sync + 'static,
    ) {
        self.scripts
            .lock()
            .unwrap()
            .insert(path.to_string(), Arc::new(Box::new(script)));
    }

    /// The same answer every time.
    pub fn always(&self, path: &str, answer: Answer) {
        self.on(path, move |_, _| answer.clone());
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    pub fn requests_to(&self, path: &str) -> Vec<Request> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
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
        let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        let form = String::from_utf8_lossy(&body)
            .split('&')
            .filter(|p| !p.is_empty() && p.contains('='))
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect();
        let req = Request {
            method,
            path: path.to_string(),
            query,
            headers,
            form,
        };
        self.requests.lock().unwrap().push(req.clone());
        let n = {
            let mut seen = self.seen.lock().unwrap();
            let n = seen.entry(req.path.clone()).or_insert(0);
            *n += 1;
            *n - 1
        };
        let script = self.scripts.lock().unwrap().get(&req.path).cloned();
        let answer = match script {
            Some(s) => s(&req, n),
            None => Answer::json(
                404,
                r#"{"error":{"type":"not_found_error","message":"no route"}}"#,
            ),
        };
        let mut out = format!(
            "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
            answer.status,
            answer.body.len()
        );
        for (k, v) in &answer.headers {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
        out.push_str("\r\n");
        out.push_str(&answer.body);
        let mut conn = conn;
        let _ = conn.write_all(out.as_bytes());
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
                let h = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("3F");
                out.push(u8::from_str_radix(h, 16).unwrap_or(b'?'));
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits `items` (JSON objects, each with an `"id"`) into pages of `size`
/// and answers an Admin-API-style list (`after_id` / `has_more` /
/// `first_id` / `last_id`, as Anthropic and OpenAI document it) for the
/// cursor the request carries under `cursor_param`.
pub fn after_id_page(
    items: &[serde_json::Value],
    size: usize,
    req: &Request,
    cursor_param: &str,
) -> Answer {
    let start = match req.param(cursor_param) {
        None => 0,
        Some(after) => match items.iter().position(|i| i["id"] == after) {
            Some(p) => p + 1,
            None => return Answer::json(400, r#"{"error":{"message":"unknown cursor"}}"#),
        },
    };
    let end = (start + size).min(items.len());
    let page = &items[start..end];
    let body = serde_json::json!({
        "object": "list",
        "data": page,
        "has_more": end < items.len(),
        "first_id": page.first().map(|i| i["id"].clone()),
        "last_id": page.last().map(|i| i["id"].clone()),
    });
    Answer::json(200, body.to_string())
}
