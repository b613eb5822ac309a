//! Tokens: what a JWT says (decode), whether it is genuine (verify) and
//! minting test tokens (sign). Core code only: returns data, never prints.

pub mod claims;
pub mod decode;
pub mod delegation;
pub mod discovery;
pub mod flavour;
pub mod input;
pub mod json_object;
pub mod jwks_cache;
pub mod jwt;
pub mod keys;
pub mod keysource;
pub mod policy;
pub mod sign;
pub mod verifier;
pub mod verify;
