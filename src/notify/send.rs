//! Posting messages: the `Feed` turns events into messages as the run emits them and queues
//! them; `Deliveries` posts each to its webhooks concurrently, each post bounded by the hook's
//! timeout, and turns failures into `NotifyFailed` events. Nothing here can hold up a step.

use super::Messages;
use crate::exec::event::NotifyFailed;
use crate::exec::{Consumer, Event, Events, Record};
use crate::plan::model::{Notify, NotifyEvent};
use crate::redact::masked_url;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// The consumer side: builds messages from events, in event order.
pub(crate) struct Feed {
    messages: Messages,
    queue: Option<mpsc::UnboundedSender<(NotifyEvent, Value)>>,
}

/// The sending side, run alongside the walk.
pub(crate) struct Deliveries {
    hooks: Vec<Notify>,
    queue: mpsc::UnboundedReceiver<(NotifyEvent, Value)>,
}

/// A feed for the event stream and the deliveries that post what it queues.
pub(crate) fn channel(hooks: Vec<Notify>, plan: &str) -> (Feed, Deliveries) {
    let (tx, rx) = mpsc::unbounded_channel();
    (
        Feed {
            messages: Messages::new(plan),
            queue: Some(tx),
        },
        Deliveries { hooks, queue: rx },
    )
}

impl Consumer for Feed {
    fn on(&mut self, record: &Record) {
        let event = &record.event;
        if let Some(message) = self.messages.on(record)
            && let Some(queue) = &self.queue
        {
            let _ = queue.send(message);
        }
        // The last message is queued: closing the queue lets the deliveries finish.
        if matches!(event, Event::RunFinished(_)) {
            self.queue = None;
        }
    }
}

impl Deliveries {
    /// Posts until the run finished and every post ended (each within its timeout).
    pub(crate) async fn run(mut self, events: std::sync::Arc<Events>) {
        if self.hooks.is_empty() {
            return;
        }
        let client = match client() {
            Ok(client) => client,
            Err(e) => {
                for hook in &self.hooks {
                    events.emit(Event::NotifyFailed(NotifyFailed {
                        url: masked_url(&hook.url),
                        message: "all".into(),
                        error: crate::redact::url_error(&e),
                    }));
                }
                return;
            }
        };
        let mut posts: JoinSet<Option<Event>> = JoinSet::new();
        loop {
            tokio::select! {
                message = self.queue.recv() => {
                    let Some((kind, body)) = message else { break };
                    for hook in self.hooks.iter().filter(|h| h.events.contains(&kind)) {
                        posts.spawn(post(client.clone(), hook.clone(), kind, body.clone()));
                    }
                }
                Some(done) = posts.join_next(), if !posts.is_empty() => {
                    if let Ok(Some(warning)) = done {
                        events.emit(warning);
                    }
                }
            }
        }
        while let Some(done) = posts.join_next().await {
            if let Ok(Some(warning)) = done {
                events.emit(warning);
            }
        }
    }
}

/// The webhooks' client: straight to the URL the plan gives, never through a proxy; no
/// redirects, since a redirect would hand the hook's secret headers to another host, and no
/// Referer, which would carry the secret path.
fn client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .build()
}

/// One post; `Some(NotifyFailed)` when it did not get a 2xx in time.
async fn post(
    client: reqwest::Client,
    hook: Notify,
    kind: NotifyEvent,
    body: Value,
) -> Option<Event> {
    let mut request = client
        .post(&hook.url)
        .timeout(hook.timeout)
        .header("content-type", "application/json")
        .body(body.to_string());
    for (name, value) in &hook.headers {
        request = request.header(name, value);
    }
    let error = match request.send().await {
        Ok(response) if response.status().is_success() => return None,
        Ok(response) if response.status().is_redirection() => format!(
            "the webhook answered HTTP {} (a redirect, not followed: it would take the hook's headers elsewhere; put the final URL in the plan)",
            response.status().as_u16()
        ),
        Ok(response) => format!("the webhook answered HTTP {}", response.status().as_u16()),
        Err(e) if e.is_timeout() => {
            format!("no answer within {}", crate::human::duration(hook.timeout))
        }
        Err(e) => crate::redact::url_error(&e),
    };
    let message = serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    Some(Event::NotifyFailed(NotifyFailed {
        url: masked_url(&hook.url),
        message,
        error,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    /// Answers every request with `answer`; keeps the head of each request it got.
    fn server(answer: String) -> (u16, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream);
                let mut head = String::new();
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(n) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = n.trim().parse().unwrap_or(0);
                    }
                    head.push_str(&line);
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                seen.lock().expect("lock").push(head);
                let _ = reader.get_mut().write_all(answer.as_bytes());
            }
        });
        (port, heads)
    }

    #[tokio::test]
    async fn a_redirect_is_a_failed_delivery_and_is_not_followed() {
        let (elsewhere, reached) =
            server("HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".into());
        let (port, heads) = server(format!(
            "HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:{elsewhere}/steal\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        ));
        let hook = Notify {
            url: format!("http://127.0.0.1:{port}/hooks/T0KEN-SECRET"),
            events: vec![NotifyEvent::Start],
            headers: vec![("X-Chat-Key".into(), "HEADER-SECRET".into())],
            timeout: std::time::Duration::from_secs(5),
        };
        let failed = post(
            client().expect("client"),
            hook,
            NotifyEvent::Start,
            Value::Null,
        )
        .await;
        let Some(Event::NotifyFailed(NotifyFailed { error, .. })) = failed else {
            panic!("a redirect was taken for a delivery: {failed:?}");
        };
        assert!(
            error.contains("HTTP 302") && error.contains("not followed"),
            "{error}"
        );
        assert_eq!(heads.lock().expect("lock").len(), 1);
        assert!(
            reached.lock().expect("lock").is_empty(),
            "the redirect was followed: {:?}",
            reached.lock().expect("lock")
        );
    }
}
