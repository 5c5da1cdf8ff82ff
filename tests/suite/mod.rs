mod edges;
mod headers;
mod identify;
mod manifests;
mod regressions;
mod rules;
pub mod util;
