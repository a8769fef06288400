//! The pure core: plan file in, validated model and ordered steps out. No network, no terminal.

pub mod diagnostic;
pub mod graph;
pub mod load;
pub mod model;
pub mod steps;
pub mod template;
pub mod validate;
pub mod wire;

pub use diagnostic::Diagnostic;
pub use load::{LoadError, LoadedPlan, load, parse};
pub use model::Model;
pub use steps::{Plan, Selection, SelectionError, Step, plan};
