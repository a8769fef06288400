//! `before` and `after` hooks: their hosts and commands, parsed once and rendered per step.

use super::*;

impl Validator<'_> {
    /// `before:` / `after:` items, their `on:` hosts resolved and templates parsed.
    pub(super) fn hooks(
        &mut self,
        entries: &[Spanned<wire::HookEntry>],
        hosts: &[Host],
    ) -> Vec<PendingHook> {
        let mut pending = Vec::new();
        for entry in entries {
            let here;
            let (on, run, timeout) = match &entry.value {
                wire::HookEntry::Here(run) => {
                    here = Spanned::new(run.clone(), entry.referenced, entry.defined);
                    (None, &here, None)
                }
                wire::HookEntry::On(h) => (h.on.as_ref(), &h.run, h.timeout.clone()),
            };
            let on = match on {
                None => None,
                Some(name) => match hosts.iter().position(|h| h.name == name.value) {
                    Some(h) => Some(h),
                    None => {
                        let hint = did_you_mean(&name.value, hosts.iter().map(|h| h.name.as_str()))
                            .unwrap_or_else(|| "`on:` names a host declared under `hosts:`".into());
                        self.error(
                            format!("unknown host `{}` in a hook's `on:`", name.value),
                            &name.referenced,
                        )
                        .hint = Some(hint);
                        continue;
                    }
                },
            };
            if run.value.trim().is_empty() {
                self.error("a hook has an empty command", &run.referenced);
                continue;
            }
            let timeout = self.duration(&timeout, DEFAULT_HOOK_TIMEOUT);
            if let Some(run) = self.template(run, Context::Shell) {
                pending.push(PendingHook { on, run, timeout });
            }
        }
        pending
    }
}

/// A hook whose template is parsed but not yet rendered for a host.
pub(super) struct PendingHook {
    pub(super) on: Option<HostId>,
    pub(super) run: Parsed,
    pub(super) timeout: Duration,
}
