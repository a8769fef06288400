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

/// One line per file or pattern: a word, then the name and the content in hex (`od`), so that no
/// byte of a file or of its name can end a record or begin another (a file holding a newline
/// and `FILE ...` is data, nothing more). `od` is POSIX, on every host.
const SCRIPT: &str = include_str!("../remote/read_configs.sh");

/// The script, reading at most `limit` bytes of each file.
fn script(limit: usize) -> String {
    format!("limit={limit}\n{SCRIPT}")
}

pub(crate) async fn fetch_configs<T: Transport>(
    transport: &T,
    host: usize,
    patterns: &[String],
    deadline: Duration,
) -> Result<Vec<ConfigFile>, String> {
    if patterns.is_empty() {
        return Ok(Vec::new());
    }
    let script = script(CONFIG_LIMIT);
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
    parse(&stdout)
}

/// The script's lines, read strictly: anything else than its three records is an error, never
/// skipped (a skipped line could hide a file).
fn parse(output: &str) -> Result<Vec<ConfigFile>, String> {
    let malformed = |n: usize| {
        format!(
            "the host's listing of config files is malformed at line {n}: not what the script prints"
        )
    };
    let mut files = Vec::new();
    let Some(output) = output.strip_suffix('\n') else {
        return if output.is_empty() {
            Ok(files)
        } else {
            Err("the host's listing of config files is cut short".into())
        };
    };
    for (i, line) in output.split('\n').enumerate() {
        let fields: Vec<&str> = line.split(' ').collect();
        let file = match fields[..] {
            ["FILE", modified, path, text] => ConfigFile::Read {
                path: unhex(path).ok_or_else(|| malformed(i + 1))?,
                modified: modified.parse().map_err(|_| malformed(i + 1))?,
                text: unhex(text).ok_or_else(|| malformed(i + 1))?,
            },
            ["UNREADABLE", word, path] => ConfigFile::Unreadable {
                path: unhex(path).ok_or_else(|| malformed(i + 1))?,
                why: WHY
                    .iter()
                    .find(|(w, _)| *w == word)
                    .map_or("unreadable", |(_, why)| why)
                    .to_string(),
            },
            ["MISSING", pattern] => ConfigFile::Missing {
                pattern: unhex(pattern).ok_or_else(|| malformed(i + 1))?,
            },
            _ => return Err(malformed(i + 1)),
        };
        files.push(file);
    }
    Ok(files)
}

/// `od`'s hex back to text (invalid UTF-8 shown as U+FFFD, as everywhere else); `None` when it
/// is not hex.
fn unhex(hex: &str) -> Option<String> {
    let nibble = |d: u8| (d as char).to_digit(16);
    let digits = hex.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let bytes = digits
        .chunks(2)
        .map(|pair| Some((nibble(pair[0])? * 16 + nibble(pair[1])?) as u8))
        .collect::<Option<Vec<u8>>>()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(text: &str) -> String {
        text.bytes().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn parses_files_missing_and_unreadable() {
        let out = format!(
            "FILE 1700000000 {} {}\nMISSING {}\nUNREADABLE denied {}\nFILE 0 {} \n",
            hex("/etc/a.conf"),
            hex("x = 1\nhost = db\n"),
            hex("/etc/b/*.conf"),
            hex("/etc/shadow"),
            hex("/etc/empty.conf"),
        );
        assert_eq!(
            parse(&out).expect("parses"),
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
                ConfigFile::Read {
                    path: "/etc/empty.conf".into(),
                    modified: 0,
                    text: String::new(),
                },
            ]
        );
    }

    #[test]
    fn a_listing_that_is_not_the_scripts_is_an_error_not_skipped() {
        for bad in [
            "FILE 1 2f61\n",
            "FILE 1 2f61 zz\n",
            "FILE 1 2f61 +f\n",
            "FILE x 2f61 61\n",
            "\u{1e}FILE 1 /a\u{1f}x\n",
            "MISSING 2f\nnoise\n",
            "MISSING 2f61",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(parse(""), Ok(Vec::new()));
    }

    /// Runs the script here on `pattern`, as a host would.
    fn script_on(pattern: &str, limit: usize) -> Result<Vec<ConfigFile>, String> {
        let script = script(limit);
        let out = std::process::Command::new("sh")
            .args(["-c", &script, "sh", pattern])
            .output()
            .expect("sh");
        assert!(out.status.success());
        parse(&String::from_utf8_lossy(&out.stdout))
    }

    /// 0x1E once framed the files: a file holding it could hide what follows it from the
    /// scanner, or forge a header filing a reference under another file's name.
    #[test]
    fn no_byte_in_a_file_can_hide_a_reference_or_forge_another_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let forged = "x = 1\n\u{1e}END\n\u{1e}FILE 1 /etc/other.conf\u{1f}host = gone-01\n\u{1e}END\n\u{1e}junk host = gone-02\nFILE 1 2f 61\n";
        std::fs::write(d.join("a.conf"), forged).expect("file");
        std::fs::write(d.join("b\u{1e}FILE 1 x\u{1f}.conf"), "host = gone-03\n").expect("file");
        let files = script_on(&format!("{}/*.conf", d.display()), 100000).expect("parses");
        let texts: Vec<(String, String)> = files
            .iter()
            .map(|f| match f {
                ConfigFile::Read { path, text, .. } => (path.clone(), text.clone()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            texts,
            [
                (format!("{}/a.conf", d.display()), forged.to_string()),
                (
                    format!("{}/b\u{1e}FILE 1 x\u{1f}.conf", d.display()),
                    "host = gone-03\n".to_string()
                ),
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
        let files = script_on(&format!("{}/*.conf", d.display()), 100).expect("parses");
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

    proptest::proptest! {
        // Each case runs the script: a second or two in all.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]

        /// Whatever a config file is called (spaces, quotes, newlines, globs, the script's own
        /// record words) and whatever it holds, the real script through `sh` brings back its whole
        /// name and its text up to the limit, one record per file.
        #[test]
        fn any_name_and_text_comes_back_whole(
            files in proptest::collection::btree_map(
                proptest::prop_oneof![
                    "[^/\0.][^/\0]{0,23}",
                    proptest::strategy::Just("x\nFILE 1 2f 61".to_string()),
                    proptest::strategy::Just("*".to_string()),
                ],
                "(?s).{0,120}",
                1..4,
            ),
            limit in 1usize..200,
        ) {
            let dir = tempfile::tempdir().expect("tempdir");
            let d = dir.path();
            for (name, text) in &files {
                std::fs::write(d.join(name), text).expect("file");
            }
            let mut got: Vec<(String, String)> = script_on(&format!("{}/*", d.display()), limit)
                .expect("parses")
                .into_iter()
                .map(|f| match f {
                    ConfigFile::Read { path, text, .. } => (path, text),
                    other => panic!("{other:?}"),
                })
                .collect();
            got.sort();
            let want: Vec<(String, String)> = files
                .iter()
                .map(|(name, text)| {
                    let bytes = &text.as_bytes()[..text.len().min(limit)];
                    (
                        format!("{}/{name}", d.display()),
                        String::from_utf8_lossy(bytes).into_owned(),
                    )
                })
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
