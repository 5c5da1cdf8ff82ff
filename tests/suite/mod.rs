mod edges;
mod headers;
mod identify;
mod rules;
pub mod util;
