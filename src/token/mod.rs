//! Tokens: what a JWT says (decode), whether it is genuine (verify) and
//! minting test tokens (sign). Core code only: returns data, never prints.

pub mod claims;
pub mod decode;
pub mod delegation;
pub mod flavour;
pub mod input;
pub mod jwt;
