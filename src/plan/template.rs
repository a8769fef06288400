//! `{host}`, `{address}`, `{service}` and `{vars.NAME}` in commands, URLs and paths.
//!
//! Only a brace pair around a plain identifier is a placeholder, so shell text such as
//! `${HOME}` or `awk '{print $1}'` passes through untouched; `{{` writes a literal `{`. In a
//! shell command a placeholder becomes the expansion of an environment variable that carries its
//! value (`{vars.v}` runs as `"${CB_V1}"`): where each one stands is read when the plan is
//! parsed, so `check` refuses a command that would read a value as code before any host is
//! known, and a value that would be read as an option once the host's values are.

use super::command::ShellCommand;
use super::shell_quoting::{Lexer, Quoting, Site};
use std::collections::BTreeMap;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Placeholder(Placeholder),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Placeholder {
    value: Value,
    /// Byte range of `{...}` in the template.
    at: Range<usize>,
    /// Where it stands in a shell command; `None` in other text.
    site: Option<Site>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Host,
    Address,
    Service,
    Var(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    parts: Vec<Part>,
}

/// Why a template cannot be used, with the byte range of the placeholder inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateError {
    pub problem: Problem,
    pub at: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// A placeholder that names nothing we know.
    Unknown(String),
    /// A placeholder where the command would read its value as code (inside backticks, in a
    /// command that runs `eval`, ...).
    Refused(String),
}

/// What a template is rendered into: a shell command passes every value as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    Shell,
    Plain,
}

pub(crate) struct Values<'a> {
    pub host: &'a str,
    pub address: &'a str,
    pub service: &'a str,
    pub vars: &'a BTreeMap<String, String>,
}

/// Why a template could not be rendered for a host, with the placeholder's byte range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RenderError {
    /// `{vars.NAME}` where this host has no such variable.
    MissingVar { name: String, at: Range<usize> },
    /// A value with a NUL byte: no environment can carry it.
    Nul { at: Range<usize> },
    /// A value beginning with `-` where it starts an argument with no `--` before it.
    Option { at: Range<usize> },
}

pub(crate) const PLACEHOLDERS: [&str; 3] = ["host", "address", "service"];

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

impl Template {
    pub(crate) fn parse(raw: &str, context: Context) -> Result<Template, Vec<TemplateError>> {
        let mut parts = Vec::new();
        let mut errors = Vec::new();
        let mut text = String::new();
        let mut rest = raw;
        let mut offset = 0;
        let mut shell = (context == Context::Shell).then(Lexer::new);
        let mut refused_sites = Vec::new();
        while let Some(open) = rest.find('{') {
            text.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            if let Some(escaped) = after.strip_prefix('{') {
                text.push('{');
                rest = escaped;
                offset += open + 2;
                continue;
            }
            let shell_expansion = rest[..open].ends_with('$');
            let close = after.find('}');
            let name = close.map(|c| &after[..c]);
            match name {
                Some(name)
                    if !shell_expansion && !name.is_empty() && name.chars().all(is_ident_char) =>
                {
                    let value = match name {
                        "host" => Some(Value::Host),
                        "address" => Some(Value::Address),
                        "service" => Some(Value::Service),
                        _ => match name.strip_prefix("vars.") {
                            Some(var) if !var.is_empty() => Some(Value::Var(var.to_string())),
                            _ => None,
                        },
                    };
                    let at = offset + open..offset + open + name.len() + 2;
                    match value {
                        Some(value) => {
                            let site = match &mut shell {
                                Some(lexer) => {
                                    lexer.text(&text);
                                    match lexer.placeholder() {
                                        Ok(site) => Some(site),
                                        Err(why) => {
                                            refused_sites.push((at.clone(), why));
                                            None
                                        }
                                    }
                                }
                                None => None,
                            };
                            if !text.is_empty() {
                                parts.push(Part::Text(std::mem::take(&mut text)));
                            }
                            parts.push(Part::Placeholder(Placeholder { value, at, site }));
                        }
                        None => errors.push(TemplateError {
                            problem: Problem::Unknown(name.to_string()),
                            at,
                        }),
                    }
                    let consumed = open + 1 + name.len() + 1;
                    rest = &rest[consumed..];
                    offset += consumed;
                }
                _ => {
                    text.push('{');
                    rest = after;
                    offset += open + 1;
                }
            }
        }
        text.push_str(rest);
        if let Some(lexer) = &mut shell {
            lexer.text(&text);
        }
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        if let Some(lexer) = &mut shell {
            let whole_command = lexer.finish();
            for part in &parts {
                let Part::Placeholder(p) = part else { continue };
                let refused = refused_sites.iter().find(|(at, _)| *at == p.at);
                let why = match (refused, &whole_command) {
                    (Some((_, why)), _) => why.to_string(),
                    (None, Some(why)) => why.clone(),
                    (None, None) => continue,
                };
                errors.push(TemplateError {
                    problem: Problem::Refused(why),
                    at: p.at.clone(),
                });
            }
        }
        errors.sort_by_key(|e| e.at.start);
        if errors.is_empty() {
            Ok(Template { parts })
        } else {
            Err(errors)
        }
    }

    fn value<'v>(p: &Placeholder, values: &Values<'v>) -> Result<&'v str, RenderError> {
        Ok(match &p.value {
            Value::Host => values.host,
            Value::Address => values.address,
            Value::Service => values.service,
            Value::Var(name) => values
                .vars
                .get(name)
                .ok_or_else(|| RenderError::MissingVar {
                    name: name.clone(),
                    at: p.at.clone(),
                })?,
        })
    }

    /// The text with each value in its place, as it is (a URL, a path).
    pub(crate) fn render_text(&self, values: &Values<'_>) -> Result<String, RenderError> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Placeholder(p) => out.push_str(Self::value(p, values)?),
            }
        }
        Ok(out)
    }

    /// The shell command for one host: each value in the environment, expanded in place.
    pub(crate) fn render_command(&self, values: &Values<'_>) -> Result<ShellCommand, RenderError> {
        let mut command = ShellCommand::default();
        let mut names: Vec<(&Value, String)> = Vec::new();
        let mut vars = 0;
        for part in &self.parts {
            let p = match part {
                Part::Text(text) => {
                    command.script.push_str(text);
                    command.shown.push_str(text);
                    continue;
                }
                Part::Placeholder(p) => p,
            };
            let value = Self::value(p, values)?;
            if value.contains('\0') {
                return Err(RenderError::Nul { at: p.at.clone() });
            }
            let site = p.site.unwrap_or(Site {
                quoting: Quoting::Bare,
                starts_argument: false,
            });
            if site.starts_argument && value.starts_with('-') {
                return Err(RenderError::Option { at: p.at.clone() });
            }
            let name = match names.iter().find(|(v, _)| *v == &p.value) {
                Some((_, name)) => name.clone(),
                None => {
                    let name = match &p.value {
                        Value::Host => "CB_HOST".to_string(),
                        Value::Address => "CB_ADDRESS".to_string(),
                        Value::Service => "CB_SERVICE".to_string(),
                        Value::Var(_) => {
                            vars += 1;
                            format!("CB_V{vars}")
                        }
                    };
                    command.env.push((name.clone(), value.to_string()));
                    names.push((&p.value, name.clone()));
                    name
                }
            };
            command.script.push_str(&site.quoting.expand(&name));
            command.shown.push_str(value);
        }
        Ok(command)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(vars: &BTreeMap<String, String>) -> Values<'_> {
        Values {
            host: "web-01",
            address: "10.0.0.1",
            service: "app",
            vars,
        }
    }

    fn command(raw: &str, vars: &BTreeMap<String, String>) -> Result<ShellCommand, RenderError> {
        Template::parse(raw, Context::Shell)
            .unwrap()
            .render_command(&values(vars))
    }

    #[test]
    fn values_are_passed_beside_the_command_and_expanded_in_quotes() {
        let vars = BTreeMap::from([("root".to_string(), "/srv/my app".to_string())]);
        let c = command(
            "{vars.root}/bin/app restart --host {host} '{vars.root}' \"x {service}\"",
            &vars,
        )
        .unwrap();
        assert_eq!(
            c.script,
            "\"${CB_V1}\"/bin/app restart --host \"${CB_HOST}\" ''\"${CB_V1}\"'' \"x ${CB_SERVICE}\""
        );
        assert_eq!(
            c.env,
            [
                ("CB_V1".to_string(), "/srv/my app".to_string()),
                ("CB_HOST".to_string(), "web-01".to_string()),
                ("CB_SERVICE".to_string(), "app".to_string()),
            ]
        );
        assert_eq!(
            c.shown,
            "/srv/my app/bin/app restart --host web-01 '/srv/my app' \"x app\""
        );
        let url = Template::parse("http://{address}:8080/health", Context::Plain).unwrap();
        assert_eq!(
            url.render_text(&values(&vars)).unwrap(),
            "http://10.0.0.1:8080/health"
        );
    }

    #[test]
    fn leaves_shell_braces_alone() {
        let raw = "echo ${HOME} {{host}} | awk '{print $1}' {}";
        let c = command(raw, &BTreeMap::new()).unwrap();
        assert_eq!(c.script, "echo ${HOME} {host}} | awk '{print $1}' {}");
        assert!(c.env.is_empty());
    }

    #[test]
    fn reports_unknown_placeholders_with_their_position() {
        let err = Template::parse("run {hots} and {vars.} {service}", Context::Plain).unwrap_err();
        assert_eq!(
            err,
            vec![
                TemplateError {
                    problem: Problem::Unknown("hots".into()),
                    at: 4..10
                },
                TemplateError {
                    problem: Problem::Unknown("vars.".into()),
                    at: 15..22
                },
            ]
        );
    }

    #[test]
    fn a_placeholder_where_the_value_could_run_is_refused_where_it_stands() {
        let err = Template::parse("echo `cat {host}` ${X:-{vars.v}}", Context::Shell).unwrap_err();
        assert_eq!(
            err,
            vec![
                TemplateError {
                    problem: Problem::Refused("inside backticks".into()),
                    at: 10..16
                },
                TemplateError {
                    problem: Problem::Refused("inside `${...}`".into()),
                    at: 23..31
                }
            ]
        );
        let err = Template::parse("echo \"{host} {vars.v}", Context::Shell).unwrap_err();
        let at: Vec<_> = err.iter().map(|e| e.at.clone()).collect();
        assert_eq!(at, [6..12, 13..21]);
        // Not a shell command: nothing to refuse.
        assert!(Template::parse("`{host}`", Context::Plain).is_ok());
    }

    #[test]
    fn a_missing_variable_is_an_error_at_its_own_placeholder() {
        let vars = BTreeMap::from([("a".to_string(), "1".to_string())]);
        assert_eq!(
            command("echo {vars.a} {vars.b}/x", &vars),
            Err(RenderError::MissingVar {
                name: "b".into(),
                at: 14..22
            })
        );
    }

    #[test]
    fn a_nul_byte_cannot_be_passed() {
        let vars = BTreeMap::from([("v".to_string(), "a\0b".to_string())]);
        for raw in ["x {vars.v}", "x '{vars.v}'", "x \"{vars.v}\""] {
            assert!(
                matches!(command(raw, &vars), Err(RenderError::Nul { .. })),
                "{raw}"
            );
        }
    }

    #[test]
    fn a_value_that_would_be_an_option_is_refused_unless_after_double_dash() {
        let vars = BTreeMap::from([(
            "v".to_string(),
            "--use-compress-program=touch /tmp/F".to_string(),
        )]);
        for raw in [
            "tar -cf b.tar {vars.v}",
            "tar -cf b.tar '{vars.v}'",
            "tar -cf b.tar \"{vars.v}\"",
            "sudo {vars.v}",
            "rm -f -- x; rm {vars.v}",
        ] {
            assert!(
                matches!(command(raw, &vars), Err(RenderError::Option { at }) if at.len() == 8),
                "{raw}"
            );
        }
        for raw in [
            "tar -cf b.tar -- {vars.v}",
            "echo x{vars.v}",
            "app --name={vars.v}",
            "echo \"got {vars.v}\"",
            "X={vars.v} run",
            "cat <<< {vars.v}",
            "echo hi > /tmp/{vars.v}",
        ] {
            assert!(command(raw, &vars).is_ok(), "{raw}");
        }
        // Only a value that begins with `-`.
        let plain = BTreeMap::from([("v".to_string(), "a-b".to_string())]);
        assert!(command("tar -cf b.tar {vars.v}", &plain).is_ok());
    }

    /// Commands where `{vars.v}` stands in each quoting context, and what `sh` must print for
    /// a value `v` (`printf %s` writes its arguments back byte for byte).
    const CONTEXTS: [(&str, &str, &str); 6] = [
        ("printf %s {vars.v}", "", ""),
        ("printf %s 'pre {vars.v} post'", "pre ", " post"),
        ("printf %s \"pre {vars.v} post\"", "pre ", " post"),
        ("printf %s \"<$(printf %s. {vars.v})>\"", "<", ".>"),
        ("printf %s \"<$(printf %s. 'in {vars.v}')>\"", "<in ", ".>"),
        ("printf %s x{vars.v}y", "x", "y"),
    ];

    /// What `sh -c` prints for `command` rendered with `v`, run in `dir` with the values in
    /// its environment, as the host runs it; `None` for a value refused as an option.
    fn shell_prints(command: &str, v: &str, dir: &std::path::Path) -> Option<String> {
        let vars = BTreeMap::from([("v".to_string(), v.to_string())]);
        let rendered = match Template::parse(command, Context::Shell)
            .unwrap()
            .render_command(&values(&vars))
        {
            Ok(rendered) => rendered,
            Err(RenderError::Option { .. }) if v.starts_with('-') => return None,
            Err(e) => panic!("{command} with {v:?}: {e:?}"),
        };
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(&rendered.script)
            .envs(rendered.env.iter().map(|(k, v)| (k, v)))
            .current_dir(dir)
            .output()
            .expect("sh runs");
        assert!(out.status.success(), "{rendered:?}: {out:?}");
        Some(String::from_utf8(out.stdout).expect("utf-8"))
    }

    #[test]
    fn hostile_values_reach_the_shell_byte_for_byte_and_never_run() {
        let dir = tempfile::tempdir().unwrap();
        let hostile = [
            "$(touch pwned)",
            "`touch pwned`",
            "'$(touch pwned)'",
            "\"$(touch pwned)\"",
            "\\\"$(touch pwned)\\\"",
            "'\\''; touch pwned; '",
            "\"; touch pwned; \"",
            "\\丁\"; touch pwned; #",
            "a[$(touch pwned)]",
            "it's",
            "say \"hi\"",
            "back\\slash\\",
            "two\nlines\n",
            "  spaced  out  ",
            "$HOME ${HOME} $1 * ? ~ !",
            "",
        ];
        for (command, before, after) in CONTEXTS {
            for v in hostile {
                if let Some(printed) = shell_prints(command, v, dir.path()) {
                    assert_eq!(
                        printed,
                        format!("{before}{v}{after}"),
                        "{command} with {v:?}"
                    );
                }
            }
        }
        assert!(!dir.path().join("pwned").exists(), "a value ran");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn any_value_arrives_intact_in_every_context(v in "[^\u{0}]{0,24}") {
            let dir = tempfile::tempdir().unwrap();
            for (command, before, after) in CONTEXTS {
                if let Some(printed) = shell_prints(command, &v, dir.path()) {
                    proptest::prop_assert_eq!(printed, format!("{before}{v}{after}"));
                }
            }
            proptest::prop_assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }
}
