//! Load a plan and print the order its steps would run in: no network, nothing touched.
//!
//! `cargo run --example plan_order -- plans/web-stack.yaml`

use comeback::plan::{Selection, load, plan};
use std::path::PathBuf;

fn main() {
    let Some(path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: plan_order PLAN");
        std::process::exit(2);
    };
    // `load` reads, parses and validates; its error renders every problem against the file.
    let loaded = match load(&path) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprint!("{}", e.render());
            std::process::exit(2);
        }
    };
    // The whole plan: no `--only`, `--limit` or `--from`.
    let order = plan(&loaded.model, &Selection::default()).expect("an empty selection is valid");
    for step in &order.steps {
        println!("{}. {}", step.index, step.id(&loaded.model));
    }
}
