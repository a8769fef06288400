//! Health checks: `tcp`, `http`, `command`, with their timing.

use super::*;

impl Validator<'_> {
    pub(super) fn check(
        &mut self,
        entry: &Spanned<CheckEntry>,
        default: &Timing,
    ) -> Option<(PendingKind, Timing)> {
        let c = &entry.value;
        let timing = Timing {
            timeout: self.duration(&c.timeout, default.timeout),
            interval: self.duration(&c.interval, default.interval),
            settle: self.duration(&c.settle, default.settle),
        };
        let kinds = [c.tcp.is_some(), c.http.is_some(), c.command.is_some()];
        let count = kinds.iter().filter(|k| **k).count();
        if count != 1 {
            let message = if count == 0 {
                "a health check needs one of `tcp`, `http` or `command`"
            } else {
                "a health check has exactly one of `tcp`, `http` or `command`"
            };
            self.error(message, &entry.referenced).hint =
                Some("write each check as its own list item: `- tcp: 3306`".into());
            return None;
        }
        if (c.status.is_some() || c.body.is_some()) && c.http.is_none() {
            self.error(
                "`status` and `body` apply to http checks only",
                &entry.referenced,
            );
        }
        let kind = if let Some(port) = c.tcp {
            PendingKind::Tcp(port)
        } else if let Some(url) = &c.http {
            PendingKind::Http {
                url: self.template(url, Context::Plain)?,
                status: c.status,
                body: c.body.clone(),
            }
        } else {
            PendingKind::Command(self.template(c.command.as_ref()?, Context::Shell)?)
        };
        Some((kind, timing))
    }
}

/// A check whose templates are parsed but not yet rendered for a host.
pub(super) enum PendingKind {
    Tcp(u16),
    Http {
        url: Parsed,
        status: Option<u16>,
        body: Option<String>,
    },
    Command(Parsed),
}
