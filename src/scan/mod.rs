//! `scan-secrets`: find long-lived keys in files and git history.
//! Rules are data (a catalogue compiled in); the engine runs a keyword
//! prefilter, then the rules' regexes only around the hits.

pub mod git;
