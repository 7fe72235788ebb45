//! Integration tests: each starts the real server on a random port with a
//! fresh SQLite file and talks HTTP to it, as a phone without JavaScript
//! would (plain form posts and redirects).
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
#![allow(clippy::print_stderr, reason = "tests report measured figures")]

mod data_safety;
mod helpers;
mod journey;
mod matrix;
mod matrix_data;
mod programmes;
mod registration;
mod residents;
mod robustness;
mod scheduling;
mod security;
mod staff;
