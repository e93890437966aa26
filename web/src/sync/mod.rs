//! Sync with the server (docs/sync.md): the engine (one round), the HTTP remote with token
//! refresh, backoff, and the runner that decides when to sync and reports status to the UI.

pub mod backoff;
pub mod engine;
pub mod remote;
pub mod runner;
pub mod wire;
