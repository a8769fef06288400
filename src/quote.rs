//! Text as one shell word, in single quotes only: inside `'...'` no shell reads a backslash or
//! an expansion, and a `'` is written `'\''`. Double quotes and backslashes are never used: bash
//! in a GBK, BIG5 or GB18030 locale reads a lead byte and the `\` after it as one character.

use std::borrow::Cow;

/// `word` as one shell word: as it is when it holds only characters no shell treats specially.
pub(crate) fn word(word: &str) -> Cow<'_, str> {
    let plain = !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_./=:@%+,-".contains(&b));
    if plain {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(format!("'{}'", word.replace('\'', r"'\''")))
    }
}

/// `argv` as one command line, each word quoted by [`word`].
pub(crate) fn join<S: AsRef<str>>(argv: &[S]) -> String {
    argv.iter()
        .map(|a| word(a.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_quotes_only() {
        assert_eq!(word("restart"), "restart");
        assert_eq!(word(""), "''");
        assert_eq!(word("it's"), r"'it'\''s'");
        assert_eq!(word("a \"b\" $c \\"), r#"'a "b" $c \'"#);
        assert_eq!(join(&["sh", "-c", "echo $1"]), "sh -c 'echo $1'");
        for hostile in ["\\丁\"; touch F; #", "'\\''", "$(x)`y`", "a\nb"] {
            let quoted = word(hostile);
            assert!(
                quoted.starts_with('\'') && quoted.ends_with('\''),
                "{quoted}"
            );
            // No byte of the quoting is a backslash: only the value's own.
            let added = quoted.matches('\\').count() - hostile.matches('\\').count();
            assert_eq!(added, hostile.matches('\'').count(), "{quoted}");
        }
    }

    /// What `sh` reads back from a quoted word is the word, byte for byte.
    #[test]
    fn the_shell_reads_the_word_back() {
        for w in [
            "plain",
            "",
            "it's",
            "'",
            "\\丁\"; touch F; #",
            "two\nlines",
            "-n",
        ] {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf %s {}", word(w)))
                .output()
                .expect("sh");
            assert_eq!(String::from_utf8_lossy(&out.stdout), w);
        }
    }
}
