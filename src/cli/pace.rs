//! `--stop-after`, `--pause` and `--step` on `run` and `resume`, and the question `--step`
//! asks on the terminal.

use super::{Exit, PacingArgs};
use crate::exec::{Answer, Pacing};
use crate::exit;
use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;

impl PacingArgs {
    pub(crate) fn is_set(&self) -> bool {
        self.stop_after.is_some() || self.pause.is_some() || self.step
    }

    pub(crate) fn pacing(&self) -> Result<Pacing, Exit> {
        if self.step && !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return Err(super::run::fail(
                "--step asks before each step, and there is no terminal to ask on",
                Some("run it from a terminal, or use --stop-after N and --pause DUR"),
                exit::INVALID,
            ));
        }
        Ok(Pacing {
            stop_after: self.stop_after.map(|n| n as usize),
            pause: self.pause,
            ask: self.step.then(|| Arc::new(ask) as crate::exec::Ask),
        })
    }
}

/// Asks on the terminal until the answer is one we know; end of input quits.
fn ask(index: usize, step: &str) -> Answer {
    loop {
        {
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "next: step {index} {step}. Run it? [y]es / [n]o, stop here / [a]ll, stop asking / [q]uit: "
            );
            let _ = err.flush();
        }
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => return Answer::Quit,
            Ok(_) => {}
        }
        match line.trim().to_ascii_lowercase().as_str() {
            "y" | "yes" => return Answer::Yes,
            "n" | "no" => return Answer::No,
            "a" | "all" => return Answer::All,
            "q" | "quit" => return Answer::Quit,
            _ => eprintln!("please answer y, n, a or q"),
        }
    }
}
