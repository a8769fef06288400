//! Health checks: tcp from the controller, http with reqwest, command on the host. A gate polls
//! a check until it passes within its timeout, then keeps polling through its settle time.

mod attempt;
mod gate;

pub(crate) use attempt::Checker;
