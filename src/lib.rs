//! agentid: govern the identities of AI agents.
//!
//! The binary (main.rs) is a shim over this library. Layout and rules:
//! ../docs/index.md and ARCHITECTURE in the design notes.

pub mod cli;
pub mod commands;
pub mod config;
pub mod duration;
pub mod error;
pub mod exchange;
pub mod http;
pub mod inventory;
pub mod model;
pub mod output;
pub mod problem;
pub mod registry;
pub mod rotate;
pub mod scan;
pub mod secrets;
pub mod tags;
pub mod term;
pub mod timestamp;
pub mod token;
pub mod urls;
