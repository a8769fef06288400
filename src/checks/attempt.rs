//! One try of one health check, bounded by a time budget.

use crate::plan::model::{CheckKind, Host, HostId};
use crate::transport::capture::Captured;
use crate::transport::{COMMAND_KEEP, Transport};
use std::time::Duration;

/// Runs check attempts; holds the one HTTP client of the run (its connection pool is reused).
pub(crate) struct Checker<'a, T> {
    transport: &'a T,
    /// Why there is none: every HTTP check fails with it. A default client would honour proxy
    /// settings, and a health check through a proxy proves nothing about the service.
    http: Result<reqwest::Client, String>,
}

/// The client of HTTP checks: straight to the service, never through a proxy.
fn http_client(user_agent: &str) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .no_proxy()
        .user_agent(user_agent)
        .build()
        .map_err(|e| format!("cannot build the HTTP client of the checks: {e}"))
}

impl<'a, T: Transport> Checker<'a, T> {
    pub(crate) fn new(transport: &'a T) -> Self {
        Checker {
            transport,
            http: http_client(concat!("comeback/", env!("CARGO_PKG_VERSION"))),
        }
    }

    /// `Ok(())` when healthy; otherwise what the operator should read about it.
    pub(crate) async fn attempt(
        &self,
        host_id: HostId,
        host: &Host,
        kind: &CheckKind,
        budget: Duration,
    ) -> Result<(), String> {
        let budget = budget.max(Duration::from_millis(50));
        match kind {
            CheckKind::Tcp { port } => tcp(&host.address, *port, budget).await,
            CheckKind::Http { url, status, body } => {
                self.http(url, *status, body.as_deref(), budget).await
            }
            CheckKind::Command { command } => {
                match self.transport.run_command(host_id, command, budget).await {
                    Ok(out) if out.success() => Ok(()),
                    Ok(out) if out.timed_out => Err(format!(
                        "timed out after {}",
                        crate::human::duration(budget)
                    )),
                    Ok(out) => Err(match out.code {
                        Some(code) => format!("exit {code}: {}", out.evidence()),
                        None => format!("killed by a signal: {}", out.evidence()),
                    }),
                    Err(e) => Err(e.to_string()),
                }
            }
        }
    }

    async fn http(
        &self,
        url: &str,
        status: Option<u16>,
        body: Option<&str>,
        budget: Duration,
    ) -> Result<(), String> {
        let response = self
            .http
            .as_ref()
            .map_err(Clone::clone)?
            .get(url)
            .timeout(budget)
            .send()
            .await
            .map_err(|e| crate::redact::url_error(&e))?;
        let code = response.status();
        let ok = match status {
            Some(expected) => code.as_u16() == expected,
            None => code.is_success(),
        };
        if ok && body.is_none() {
            // Healthy, and nothing to look for: the body need not be read.
            return Ok(());
        }
        // The body is read as it arrives: searched whole, only a head and a tail kept to show.
        let mut response = response;
        let needle = body.map(str::as_bytes).filter(|n| !n.is_empty());
        let mut found = needle.is_none();
        let mut kept = Captured::new(COMMAND_KEEP);
        // The end of what was searched, so that a needle split across two chunks is found.
        let mut window: Vec<u8> = Vec::new();
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                // Cut by the budget or the connection: nothing can be said of what did not come
                // (not "body lacks").
                Err(e) => {
                    return Err(format!(
                        "HTTP {code}, the body did not arrive whole within {budget:?}: {}",
                        crate::redact::url_error(&e)
                    ));
                }
            };
            kept.push(&chunk);
            if let Some(needle) = needle.filter(|_| !found) {
                window.extend_from_slice(&chunk);
                found = memchr::memmem::find(&window, needle).is_some();
                let overlap = needle.len() - 1;
                window.drain(..window.len().saturating_sub(overlap));
            }
            if ok && found {
                return Ok(());
            }
        }
        let shown = || {
            crate::transport::bounded(kept.text().as_bytes())
                .trim()
                .to_string()
        };
        if !ok {
            return Err(format!("HTTP {code}: {}", shown()));
        }
        match body {
            Some(needle) if !found => {
                Err(format!("HTTP {code}, body lacks {needle:?}: {}", shown()))
            }
            _ => Ok(()),
        }
    }
}

async fn tcp(address: &str, port: u16, budget: Duration) -> Result<(), String> {
    let host = address.trim_start_matches('[').trim_end_matches(']');
    match tokio::time::timeout(budget, tokio::net::TcpStream::connect((host, port))).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(format!("{}: {e}", crate::human::host_port(host, port))),
        Err(_) => Err(format!(
            "{}: no answer within {}",
            crate::human::host_port(host, port),
            crate::human::duration(budget)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    struct NoHost;

    impl crate::transport::Answers for NoHost {
        fn exit_code(&self, _: &str) -> i32 {
            unreachable!("http checks run from the controller")
        }
    }

    /// Regression: a client that could not be built fell back to a default one, which honours
    /// `HTTP_PROXY`: the check then proved the proxy up, not the service.
    #[tokio::test]
    async fn no_http_client_fails_the_check_instead_of_using_a_proxy() {
        let broken = http_client("bad\nagent");
        assert!(broken.is_err());
        let checker = Checker {
            transport: &NoHost,
            http: broken,
        };
        let result = checker
            .http("http://127.0.0.1:9/", None, None, Duration::from_secs(1))
            .await;
        assert!(
            result
                .as_ref()
                .is_err_and(|e| e.starts_with("cannot build the HTTP client")),
            "{result:?}"
        );
    }

    /// Regression: the body matcher once searched only the bounded tail kept for display.
    #[tokio::test]
    async fn the_body_matcher_searches_the_whole_body() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(2).flatten() {
                let mut stream = stream;
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request);
                let body = format!("{{\"db\":\"ok\"}}{}", " ".repeat(10_000));
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        let checker = Checker::new(&NoHost);
        let url = format!("http://127.0.0.1:{port}/health");
        let found = checker
            .http(&url, None, Some("\"db\":\"ok\""), Duration::from_secs(5))
            .await;
        assert_eq!(found, Ok(()));
        let missing = checker
            .http(&url, None, Some("\"db\":\"down\""), Duration::from_secs(5))
            .await;
        assert!(missing.is_err_and(|e| e.starts_with("HTTP 200 OK, body lacks")));
    }

    /// Regression: a body cut by the budget was reported as lacking what it may well hold.
    #[tokio::test]
    async fn a_body_cut_by_the_budget_is_not_said_to_lack_the_needle() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        std::thread::spawn(move || {
            if let Some(Ok(mut stream)) = listener.incoming().next() {
                let mut request = [0u8; 1024];
                let _ = stream.read(&mut request);
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nnot yet"
                );
                std::thread::sleep(Duration::from_secs(3));
            }
        });
        let checker = Checker::new(&NoHost);
        let url = format!("http://127.0.0.1:{port}/health");
        let cut = checker
            .http(&url, None, Some("ready"), Duration::from_millis(500))
            .await;
        assert!(
            cut.as_ref()
                .is_err_and(|e| e.starts_with("HTTP 200 OK, the body did not arrive whole")),
            "{cut:?}"
        );
    }
}
