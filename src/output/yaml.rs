//! YAML: the same document as JSON, for people who read it.

use std::io::{self, Write};

use serde::Serialize;

pub fn write<T: Serialize>(out: &mut dyn Write, doc: &T) -> io::Result<()> {
    serde_yaml::to_writer(&mut *out, doc).map_err(io::Error::other)
}
