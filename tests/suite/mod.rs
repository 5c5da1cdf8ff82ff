mod edges;
mod headers;
mod identify;
mod manifests;
mod rules;
pub mod util;
