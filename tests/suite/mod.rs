mod edges;
mod headers;
mod identify;
mod manifests;
mod openness;
mod policy;
mod regressions;
mod rules;
pub mod util;
