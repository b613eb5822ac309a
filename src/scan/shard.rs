//! `--shard I/N`: split the files of a scan across N CI jobs.
//!
//! A file belongs to shard `1 + (h mod N)`, where `h` is the first 8 bytes
//! (big-endian) of the sha256 of its path relative to the directory being
//! scanned (`/`-separated; for a file named on the command line, its path as
//! given). The split depends on nothing else — not the machine, the walk
//! order, the thread count or the time — so N jobs running `--shard 1/N` …
//! `--shard N/N` over the same tree scan every file exactly once.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// `I/N` with `1 <= I <= N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let usage = || format!("expected I/N with 1 <= I <= N, such as 1/4; got {text:?}");
        let (i, n) = text.trim().split_once('/').ok_or_else(usage)?;
        let (Ok(index), Ok(count)) = (i.trim().parse::<u64>(), n.trim().parse::<u64>()) else {
            return Err(usage());
        };
        if count == 0 {
            return Err(format!("{text:?}: N must be at least 1"));
        }
        if index == 0 || index > count {
            return Err(format!(
                "{text:?}: shards are numbered 1 to {count}, so I must be in 1..={count}"
            ));
        }
        Ok(Shard { index, count })
    }

    /// The shard (1-based) that `relative_path` belongs to among `count`.
    pub fn of(relative_path: &str, count: u64) -> u64 {
        let normalized = relative_path.replace('\\', "/");
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, normalized.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest.as_ref()[..8]);
        1 + u64::from_be_bytes(first) % count.max(1)
    }

    pub fn contains(&self, relative_path: &str) -> bool {
        Shard::of(relative_path, self.count) == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        assert_eq!(Shard::parse("1/1"), Ok(Shard { index: 1, count: 1 }));
        for bad in ["0/3", "4/3", "x/y", "3", "1/0", "-1/3", "1/3/4", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Shard::parse("4/3").unwrap_err(),
            "\"4/3\": shards are numbered 1 to 3, so I must be in 1..=3"
        );
    }

    /// Fixed values: the split must never change between versions or machines.
    #[test]
    fn the_split_is_stable() {
        let got: Vec<u64> = ["a.env", "src/main.rs", "src\\main.rs", "deep/er/x.txt"]
            .iter()
            .map(|p| Shard::of(p, 7))
            .collect();
        assert_eq!(got[1], got[2], "separators are normalized");
        // Computed independently: python3 -c "import hashlib; …sha256(p)[:8] big-endian % 7 + 1".
        assert_eq!(got, vec![1, 7, 7, 4]);
        // Every shard gets some of 1000 files.
        let mut seen = [0usize; 4];
        for i in 0..1000 {
            seen[(Shard::of(&format!("f{i}.txt"), 4) - 1) as usize] += 1;
        }
        assert!(seen.iter().all(|&n| n > 150), "{seen:?}");
    }
}
