//! Posting messages: the `Feed` turns events into messages as the run emits them and queues
//! them; `Deliveries` posts each to its webhooks concurrently, each post bounded by the hook's
//! timeout, and turns failures into `NotifyFailed` events. Nothing here can hold up a step.

use super::{Messages, masked_url};
use crate::exec::{Consumer, Event, Events, Record};
use crate::plan::model::{Notify, NotifyEvent};
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
        if matches!(event, Event::RunFinished { .. }) {
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
        let client = match reqwest::Client::builder().no_proxy().build() {
            Ok(client) => client,
            Err(e) => {
                for hook in &self.hooks {
                    events.emit(Event::NotifyFailed {
                        url: masked_url(&hook.url),
                        message: "all".into(),
                        error: crate::redact::url_error(&e),
                    });
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
    Some(Event::NotifyFailed {
        url: masked_url(&hook.url),
        message,
        error,
    })
}
