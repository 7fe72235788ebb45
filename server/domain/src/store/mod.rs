//! Storage: the schema (migrations are its truth), the entities that map
//! it, the one safe way to write, and the health probe. Knows nothing of
//! the services above it.

pub mod db;
pub mod entity;
pub mod health;
pub mod migration;
