//! JSON Lines: one compact JSON object per line, each carrying
//! `schema_version` and `kind`, so a stream can be read line by line.

use std::io::{self, Write};

use serde::Serialize;

use crate::scan::report::{FINDING_KIND, FindingLine, SCHEMA_VERSION, ScanReport};

pub fn write_line<T: Serialize>(out: &mut dyn Write, doc: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}

/// `scan-secrets -f jsonl`: one line per finding (`kind: agentid.secret_finding`).
pub fn secret_scan(out: &mut dyn Write, r: &ScanReport) -> io::Result<()> {
    for f in &r.findings {
        write_line(
            out,
            &FindingLine {
                schema_version: SCHEMA_VERSION,
                kind: FINDING_KIND,
                finding: f,
            },
        )?;
    }
    Ok(())
}
