//! `notify:` webhooks: messages people outside ops can read ("step 6/8 app on web-01, expected
//! end 15:42 UTC"; on a halt, what users feel and what happens next), with structured fields
//! for bots. Sending never holds up the run: each post is bounded, failures become warnings.

mod message;
mod send;

pub(crate) use message::Messages;
pub(crate) use send::channel;
