//! The registry of a container image (`image: registry.example:5000/app:1.4`): the next pull,
//! at the restart, goes there. `docker pull`'s rule: the first path component is a registry
//! when it has a dot or a port or is `localhost`; otherwise the image is on Docker Hub.

use crate::refs::line::Line;
use crate::refs::tokens::split_port;

impl Line<'_> {
    /// The registry in an image value, if it names one.
    pub(in crate::refs) fn image(&mut self, from: usize) {
        let text = self.text;
        let value = &text[from..];
        let skip = value.len() - value.trim_start_matches(['"', '\'', ' ', '\t']).len();
        let start = from + skip;
        let Some(slash) = text[start..].find('/') else {
            return;
        };
        let registry = &text[start..start + slash];
        let names_registry =
            registry.contains(['.', ':']) || registry.eq_ignore_ascii_case("localhost");
        if !names_registry
            || registry.contains([' ', '\t', '"', '\''])
            || !self.free(start, start + slash)
        {
            return;
        }
        let end = start
            + text[start..]
                .find(|c: char| c.is_ascii_whitespace() || matches!(c, '"' | '\''))
                .unwrap_or(text.len() - start);
        let (host, port) = split_port(registry);
        self.claim(start, end);
        self.add(host, port, start, end);
    }
}

#[cfg(test)]
mod tests {
    use crate::refs::found::ports as found;

    #[test]
    fn registries_but_not_hub_images() {
        assert_eq!(
            found("image: registry.example:5000/app:1.4"),
            ["registry.example:Some(5000)"]
        );
        assert_eq!(found("  - image: \"ghcr.io/o/app:2\""), ["ghcr.io:None"]);
        assert_eq!(
            found("image = \"localhost:5000/x\""),
            ["localhost:Some(5000)"]
        );
        for hub in [
            "image: redis:7.2",
            "image: bitnami/redis:7",
            "image: {{ img }}/x",
        ] {
            assert_eq!(found(hub), Vec::<String>::new(), "{hub}");
        }
    }
}
