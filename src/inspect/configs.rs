//! Fetching a service's config files from its host: globs expanded there, each file bounded,
//! a missing or unreadable one reported as a finding rather than an error.

use super::run_script;
use crate::transport::Transport;
use std::time::Duration;

/// The largest config read: a "config" larger than this is data, not configuration.
pub(super) const CONFIG_LIMIT: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConfigFile {
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
        /// Why, in the operator's words.
        why: String,
    },
}

/// The marker that frames each file in the output: a byte configs do not contain.
const MARK: char = '\u{1e}';
/// Ends a path in the output: a file name may hold a newline, never this byte in practice.
const PATH_END: char = '\u{1f}';

/// Why a config could not be read: the script's word, the operator's words.
const WHY: [(&str, &str); 4] = [
    (
        "denied",
        "permission denied (sudo: true in the plan's ssh section?)",
    ),
    (
        "special",
        "not a regular file (a FIFO, a device or a socket)",
    ),
    ("directory", "a directory, not a file"),
    (
        "dangling",
        "a symlink that leads nowhere (a loop or a missing target)",
    ),
];

const SCRIPT: &str = r#"IFS=
for p in "$@"; do
  found=
  for f in $p; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    found=1
    if [ -f "$f" ] && [ -r "$f" ]; then
      printf '\036FILE %s %s\037' "$(stat -c %Y -- "$f")" "$f"
      head -c LIMIT -- "$f"
      printf '\n\036END\n'
    else
      if ! [ -e "$f" ]; then why=dangling
      elif [ -d "$f" ]; then why=directory
      elif ! [ -f "$f" ]; then why=special
      else why=denied; fi
      printf '\036UNREADABLE %s %s\037' "$why" "$f"
    fi
  done
  [ -n "$found" ] || printf '\036MISSING %s\037' "$p"
done"#;

pub(crate) async fn fetch_configs<T: Transport>(
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
            let (header, text) = rest.split_once(PATH_END).unwrap_or((rest, ""));
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
                pattern: until_path_end(pattern),
            });
        } else if let Some(rest) = chunk.strip_prefix("UNREADABLE ") {
            let (word, path) = rest.split_once(' ').unwrap_or(("", rest));
            let why = WHY
                .iter()
                .find(|(w, _)| *w == word)
                .map_or("unreadable", |(_, why)| why);
            files.push(ConfigFile::Unreadable {
                path: until_path_end(path),
                why: why.to_string(),
            });
        }
    }
    files
}

fn until_path_end(text: &str) -> String {
    text.split_once(PATH_END)
        .map_or(text.trim_end(), |(path, _)| path)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_files_missing_and_unreadable() {
        let out = "\u{1e}FILE 1700000000 /etc/a.conf\u{1f}x = 1\nhost = db\n\n\u{1e}END\n\u{1e}MISSING /etc/b/*.conf\u{1f}\u{1e}UNREADABLE denied /etc/shadow\u{1f}";
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
                    path: "/etc/shadow".into(),
                    why: WHY[0].1.into(),
                },
            ]
        );
    }

    /// The script itself, on this machine, against a FIFO, a symlink loop and a file name
    /// holding a newline.
    #[test]
    fn odd_files_are_reported_each_with_its_reason_and_whole_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        std::fs::write(d.join("a\nb.conf"), "host = db-01\n").expect("file");
        let made = std::process::Command::new("mkfifo")
            .arg(d.join("fifo.conf"))
            .status()
            .expect("mkfifo");
        assert!(made.success());
        std::os::unix::fs::symlink(d.join("loop.conf"), d.join("loop.conf")).expect("loop");
        let script = SCRIPT.replace("LIMIT", "100");
        let out = std::process::Command::new("sh")
            .args(["-c", &script, "sh"])
            .arg(format!("{}/*.conf", d.display()))
            .output()
            .expect("sh");
        let files = parse(&String::from_utf8_lossy(&out.stdout));
        let at = |name: &str| format!("{}/{name}", d.display());
        assert_eq!(
            files,
            [
                ConfigFile::Read {
                    path: at("a\nb.conf"),
                    modified: files
                        .iter()
                        .find_map(|f| match f {
                            ConfigFile::Read { modified, .. } => Some(*modified),
                            _ => None,
                        })
                        .expect("read"),
                    text: "host = db-01\n".into(),
                },
                ConfigFile::Unreadable {
                    path: at("fifo.conf"),
                    why: WHY[1].1.into(),
                },
                ConfigFile::Unreadable {
                    path: at("loop.conf"),
                    why: WHY[3].1.into(),
                },
            ]
        );
    }
}
