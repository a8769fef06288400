//! `notify`: webhooks, the messages each gets, headers and timeouts.

use super::*;

impl Validator<'_> {
    pub(super) fn notify(&mut self, entries: &[wire::NotifyEntry]) -> Vec<Notify> {
        let mut notify = Vec::new();
        for entry in entries {
            let url = &entry.url;
            match reqwest::Url::parse(&url.value) {
                Ok(u) if matches!(u.scheme(), "http" | "https") => {}
                _ => {
                    self.error(
                        format!(
                            "`{}` is not an http(s) URL",
                            crate::redact::masked_url(&url.value)
                        ),
                        &url.referenced,
                    )
                    .hint = Some(
                        "write the webhook's full address: `https://chat.example.com/hooks/...`"
                            .into(),
                    );
                    continue;
                }
            }
            let events = match &entry.events {
                Some(events) if events.is_empty() => {
                    self.error(
                        "a webhook with `events: []` is never called",
                        &url.referenced,
                    )
                    .hint =
                        Some("list some of start, step, halt, done, or remove the webhook".into());
                    continue;
                }
                Some(events) => events.clone(),
                None => vec![
                    NotifyEvent::Start,
                    NotifyEvent::Step,
                    NotifyEvent::Halt,
                    NotifyEvent::Done,
                ],
            };
            // Checked here, not at the first post: a header value may be a token, never shown.
            if let Some(name) = entry.headers.iter().find_map(|(name, value)| {
                let valid = reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_ok()
                    && reqwest::header::HeaderValue::from_str(value).is_ok();
                (!valid).then_some(name)
            }) {
                self.error(
                    format!("webhook header `{name}` is not a valid HTTP header name and value"),
                    &url.referenced,
                );
                continue;
            }
            notify.push(Notify {
                url: url.value.clone(),
                events,
                headers: entry
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                timeout: self.duration(&entry.timeout, DEFAULT_NOTIFY_TIMEOUT),
            });
        }
        notify
    }
}
