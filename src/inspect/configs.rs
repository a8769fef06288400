//! Fetching a service's config files from its host: globs expanded there, each file bounded,
//! a missing or unreadable one reported as a finding rather than an error.

use super::run_script;
use crate::transport::Transport;
use std::time::Duration;

/// The largest config read: a "config" larger than this is data, not configuration.
pub const CONFIG_LIMIT: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigFile {
    Read {
        path: String,
        modified: i64,
        text: String,
    },
    Missing {
        pattern: String,
    },
    Unreadable {
        path: String,
    },
}

/// The marker that frames each file in the output: a byte configs do not contain.
const MARK: char = '\u{1e}';

const SCRIPT: &str = r#"IFS=
for p in "$@"; do
  found=
  for f in $p; do
    [ -e "$f" ] || continue
    found=1
    if [ -f "$f" ] && [ -r "$f" ]; then
      printf '\036FILE %s %s\n' "$(stat -c %Y -- "$f")" "$f"
      head -c LIMIT -- "$f"
      printf '\n\036END\n'
    else
      printf '\036UNREADABLE %s\n' "$f"
    fi
  done
  [ -n "$found" ] || printf '\036MISSING %s\n' "$p"
done"#;

pub async fn fetch_configs<T: Transport>(
    transport: &T,
    host: usize,
    patterns: &[String],
    deadline: Duration,
) -> Result<Vec<ConfigFile>, String> {
    if patterns.is_empty() {
        return Ok(Vec::new());
    }
    let script = SCRIPT.replace("LIMIT", &CONFIG_LIMIT.to_string());
    let args = patterns.iter().map(String::as_str);
    let stdout = run_script(
        transport,
        host,
        args,
        &script,
        deadline,
        "reading the configs",
    )
    .await?;
    Ok(parse(&stdout))
}

fn parse(output: &str) -> Vec<ConfigFile> {
    let mut files = Vec::new();
    for chunk in output.split(MARK).filter(|c| !c.is_empty()) {
        if let Some(rest) = chunk.strip_prefix("FILE ") {
            let (header, text) = rest.split_once('\n').unwrap_or((rest, ""));
            let (modified, path) = header.split_once(' ').unwrap_or(("0", header));
            // The framing added one newline after the file.
            let text = text.strip_suffix('\n').unwrap_or(text);
            files.push(ConfigFile::Read {
                path: path.to_string(),
                modified: modified.parse().unwrap_or(0),
                text: text.to_string(),
            });
        } else if let Some(pattern) = chunk.strip_prefix("MISSING ") {
            files.push(ConfigFile::Missing {
                pattern: pattern.trim_end().to_string(),
            });
        } else if let Some(path) = chunk.strip_prefix("UNREADABLE ") {
            files.push(ConfigFile::Unreadable {
                path: path.trim_end().to_string(),
            });
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_files_missing_and_unreadable() {
        let out = "\u{1e}FILE 1700000000 /etc/a.conf\nx = 1\nhost = db\n\n\u{1e}END\n\u{1e}MISSING /etc/b/*.conf\n\u{1e}UNREADABLE /etc/shadow\n";
        assert_eq!(
            parse(out),
            [
                ConfigFile::Read {
                    path: "/etc/a.conf".into(),
                    modified: 1_700_000_000,
                    text: "x = 1\nhost = db\n".into()
                },
                ConfigFile::Missing {
                    pattern: "/etc/b/*.conf".into()
                },
                ConfigFile::Unreadable {
                    path: "/etc/shadow".into()
                },
            ]
        );
    }
}
