mod edges;
mod identify;
mod rules;
pub mod util;
