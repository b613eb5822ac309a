//! JSON: pretty-printed, one document, newline-terminated.

use std::io::{self, Write};

use serde::Serialize;

pub fn write<T: Serialize>(out: &mut dyn Write, doc: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc).map_err(io::Error::from)?;
    out.write_all(b"\n")
}
