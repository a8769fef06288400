//! The pure core: plan file in, validated model and ordered steps out. No network, no terminal.

pub mod command;
pub mod diagnostic;
pub mod graph;
mod load;
pub mod model;
mod scalar;
mod shell_quoting;
mod shell_words;
pub mod steps;
pub(crate) mod template;
mod validate;
pub(crate) mod wire;

pub use diagnostic::Diagnostic;
pub use load::{LoadError, LoadedPlan, load, parse};
pub use model::Model;
pub use steps::{Plan, Selection, SelectionError, Step, plan};
pub use validate::Validated;
