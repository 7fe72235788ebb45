//! Domain of the にも包括 training and certification platform.
//!
//! The modules at the top compile for the browser too (types, pure rules);
//! everything that touches storage, keys or images lives in `service` and
//! `store`, behind the `server` feature, so none of it reaches the WASM
//! bundle.

pub mod certificate;
pub mod jurisdiction;
pub mod programme;
pub mod roles;
pub mod text;
pub mod view;
pub mod wareki;

#[cfg(feature = "server")]
pub mod service;
#[cfg(feature = "server")]
pub mod store;
