use super::*;

/// The site of each `@` in `command`, read as a placeholder; a refusal of the whole command
/// refuses every one.
fn sites(command: &str) -> Vec<Result<Site, String>> {
    let mut lexer = Lexer::new();
    let mut found = Vec::new();
    let mut pieces = command.split('@');
    lexer.text(pieces.next().unwrap_or_default());
    for piece in pieces {
        found.push(lexer.placeholder().map_err(str::to_string));
        lexer.text(piece);
    }
    let whole = lexer.finish();
    found
        .into_iter()
        .map(|site| match (site, &whole) {
            (Ok(_), Some(why)) => Err(why.clone()),
            (site, _) => site,
        })
        .collect()
}

fn quotings(command: &str) -> Vec<Option<Quoting>> {
    sites(command)
        .into_iter()
        .map(|s| s.ok().map(|s| s.quoting))
        .collect()
}

#[track_caller]
fn accepted(commands: &[&str]) {
    for command in commands {
        let sites = sites(command);
        assert!(sites.iter().all(Result::is_ok), "{command:?}: {sites:?}");
    }
}

/// Every placeholder of each command is refused.
#[track_caller]
fn refused(commands: &[&str]) {
    for command in commands {
        let sites = sites(command);
        assert!(
            !sites.is_empty() && sites.iter().all(Result::is_err),
            "accepted: {command:?}"
        );
    }
}

use Quoting::*;

#[test]
fn bare_single_and_double_quoted_placeholders() {
    assert_eq!(
        quotings("echo @ '@' \"@\" x@y"),
        [Some(Bare), Some(InSingle), Some(InDouble), Some(Bare)]
    );
    assert_eq!(
        quotings(r#"echo "it's @" 'say "@"' \' @"#),
        [Some(InDouble), Some(InSingle), Some(Bare)]
    );
    assert_eq!(
        quotings(r#"echo "x $(cat '@' @) @""#),
        [Some(InSingle), Some(Bare), Some(InDouble)]
    );
}

/// Words inside strings are data: only a word where the shell reads a command counts.
#[test]
fn words_inside_strings_never_refuse_a_command() {
    accepted(&[
        "logger \"restart done, local state ok\" @",
        "logger 'eval, sh -c, ssh and let are words' @",
        "echo \"case $x in\" && echo \"[[ (( let\" '$((1))' @",
        "grep -c local /etc/hosts @",
        "echo sh -c @",
        "export JAVA_HOME=@; env X=@ run",
        "local_state=@ app",
        "awk -F, -v s=@ '$2 == s { print $5 }'",
        "kill -HUP $(cat /run/@.pid) && echo \"${HOME} @\" <<< '@' && [ -f @ ] >&2 2>&1",
        "@/bin/restart db",
        "sudo -u postgres psql -c 'select 1' @",
        "bash /opt/app/restart.sh @",
        "echo x # eval @",
        "out=$(echo @) && echo \"$out\"",
        "printf '%s' @",
        "read -r line < /tmp/@",
    ]);
}

/// Commands that read a string as shell code or a value as a name or arithmetic, judged by the
/// position of their words.
#[test]
fn commands_that_evaluate_a_string_refuse_every_placeholder() {
    refused(&[
        "eval \"echo @\"",
        "x=@; eval \"$x\"",
        "sh -c \"echo @\"",
        "bash -lc 'echo @'",
        "sudo -u root bash -c \"echo @\"",
        "su - app -c \"echo @\"",
        "su --command=\"echo @\" app",
        "ssh @ uptime",
        "echo @ | xargs sh -c 'echo $0'",
        "find /srv -exec sh -c 'echo {}' \\; -name @",
        "watch \"ls @\"",
        "e''val @",
        "\\eval @",
        "\"eval\" @",
        ". /dev/stdin <<< @",
        "source @",
        "trap @ EXIT",
        "y=`eval \"$x\"`; x=@",
        "let x=@",
        "echo $((@ + 1))",
        "x=@; echo $((x + 1))",
        "(( x = @ ))",
        "echo $[ @ ]",
        "[[ @ -eq 1 ]]",
        "test -v @",
        "[ -v \"@\" ]",
        "printf -v @ %s x",
        "x=@; printf -v \"$x\" %s 1",
        "declare \"@=1\"",
        "x=@; declare \"$x=1\"",
        "declare -i y=@",
        "local -n r=@",
        "export \"@\"",
        "read @",
        "unset @",
        "a[@]=1",
        "x=@; a[$x]=1",
        "x=@; echo ${a[$x]}",
        "x=@; echo \"${!x}\"",
        "o=@; y=abc; echo ${y:o}",
        "x=@; RANDOM=$x",
        "PS4=\"+ @\"; set -x; true",
        "echo hi >& @",
        "x=@; echo hi >&$x",
        "${e}al @",
        "$cmd @",
        "@ x",
        "mapfile -C @ -c 1 a </etc/hostname",
        "case @ in a) echo a;; esac",
    ]);
}

#[test]
fn constructs_with_their_own_quoting_refuse_the_placeholder_inside() {
    let why = |command: &str| -> Vec<Option<String>> {
        sites(command).into_iter().map(Result::err).collect()
    };
    assert_eq!(why("echo \"`@`\""), [Some("inside backticks".into())]);
    assert_eq!(
        why("echo ${X:-@} @"),
        [Some("inside `${...}`".into()), None]
    );
    assert_eq!(
        why("echo $'@' $\"@\""),
        [
            Some("inside `$'...'`".into()),
            Some("inside `$\"...\"`".into())
        ]
    );
    assert_eq!(
        why("echo \\@ \"\\@\""),
        vec![Some("right after a backslash".to_string()); 2]
    );
    assert_eq!(
        why("cat <<END\n@\nEND\necho @"),
        [Some("inside a here-document".into()), None]
    );
    // Left open: this reading and the shell's may disagree.
    refused(&["echo '@", "echo \"$(@", "cat <<EOF@\nEOF\n"]);
}

#[test]
fn an_argument_start_is_known_and_double_dash_ends_options() {
    let starts = |command: &str| -> Vec<bool> {
        sites(command)
            .into_iter()
            .map(|s| s.expect("accepted").starts_argument)
            .collect()
    };
    assert_eq!(starts("tar -cf b.tar @"), [true]);
    assert_eq!(
        starts("tar -cf b.tar '@' \"@\" x@ --f=@"),
        [true, true, false, false]
    );
    assert_eq!(starts("tar -cf b.tar -- @ && rm @"), [false, true]);
    assert_eq!(
        starts("X=@ run; echo hi > @; cat <<< @"),
        [false, false, false]
    );
    assert_eq!(starts("sudo @"), [true]);
}
