//! `notify:` webhooks: messages people outside ops can read ("step 6/8 app on web-01, expected
//! end 15:42 UTC"; on a halt, what users feel and what happens next), with structured fields
//! for bots. Sending never holds up the run: each post is bounded, failures become warnings.

mod message;
mod send;

pub(crate) use message::Messages;
pub(crate) use send::channel;

/// A webhook URL as it may be shown: scheme, host and port; the path and query, where chat
/// services put their tokens, and any user info are masked.
pub(crate) fn masked_url(url: &str) -> String {
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return crate::redact::MASK.to_string();
    };
    let host = parsed.host_str().unwrap_or_default();
    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
    let hidden = parsed.path() != "/" || parsed.query().is_some();
    format!(
        "{}://{host}{port}/{}",
        parsed.scheme(),
        if hidden { crate::redact::MASK } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::masked_url;

    #[test]
    fn tokens_in_paths_queries_and_user_info_are_masked() {
        assert_eq!(
            masked_url("https://hooks.slack.com/services/T0/B0/XXXXSECRET"),
            "https://hooks.slack.com/****"
        );
        assert_eq!(
            masked_url("http://bot:pw@127.0.0.1:8080/hook?token=abc"),
            "http://127.0.0.1:8080/****"
        );
        assert_eq!(
            masked_url("https://chat.example.com"),
            "https://chat.example.com/"
        );
        assert_eq!(masked_url("not a url with secret"), "****");
    }
}
