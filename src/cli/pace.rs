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
fn ask(index: usize, steps: &[String]) -> Answer {
    let next = question(index, steps);
    loop {
        {
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "{next} Run it? [y]es / [n]o, stop here / [a]ll, stop asking / [q]uit: "
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

/// What comes next, in the operator's words: a step, or a batch and every step in it.
fn question(index: usize, steps: &[String]) -> String {
    let next = crate::visible::visible(&steps.join(", ")).into_owned();
    match steps.len() {
        0 | 1 => format!("next: step {index} {next}."),
        n => format!("next: a batch of {n} side by side from step {index}: {next}."),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_batch_is_asked_about_whole() {
        assert_eq!(
            super::question(4, &["web@h1".into()]),
            "next: step 4 web@h1."
        );
        assert_eq!(
            super::question(4, &["web@h1".into(), "web@h2".into(), "web@h3".into()]),
            "next: a batch of 3 side by side from step 4: web@h1, web@h2, web@h3."
        );
    }
}
