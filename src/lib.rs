//! license-drift: reports changed licenses, usage restrictions and openness components
//! between two git revisions.
//!
//! The engine is a pipeline — [`git`] (revisions, trees, capped blob reads) →
//! [`snapshot`] (which paths matter) → [`profile`] (what a revision declares) → [`drift`]
//! (findings between two profiles) → [`report`] (text, JSON, markdown) and [`sbom`]
//! (CycloneDX and SPDX 3 bills of materials) — with no knowledge
//! of terminals, hooks or GitHub. Fronts live in the binary.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod dates;
pub mod drift;
pub mod engine;
pub mod error;
pub mod fasthash;
pub mod gate;
pub mod git;
pub mod knowledge;
pub mod policy;
pub mod profile;
pub mod releases;
pub mod report;
pub mod sanitize;
pub mod sbom;
pub mod snapshot;

pub use error::{Error, Result};
