//! `{host}`, `{address}`, `{service}` and `{vars.NAME}` in commands, URLs and paths.
//!
//! Only a brace pair around a plain identifier is a placeholder, so shell text such as
//! `${HOME}` or `awk '{print $1}'` passes through untouched; `{{` writes a literal `{`.

use std::borrow::Cow;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Host,
    Address,
    Service,
    Var(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Template {
    parts: Vec<Part>,
}

/// A placeholder that names nothing we know, with its byte range inside the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownPlaceholder {
    pub name: String,
    pub start: usize,
    pub end: usize,
}

/// What a template is rendered into: a shell command quotes every substituted value.
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RenderError {
    /// `{vars.NAME}` where this host has no such variable.
    MissingVar(String),
    /// A value that no shell quoting can carry (a NUL byte).
    Unquotable(String),
}

pub(crate) const PLACEHOLDERS: [&str; 3] = ["host", "address", "service"];

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

impl Template {
    pub(crate) fn parse(raw: &str) -> Result<Template, Vec<UnknownPlaceholder>> {
        let mut parts = Vec::new();
        let mut unknown = Vec::new();
        let mut text = String::new();
        let mut rest = raw;
        let mut offset = 0;
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
                    let part = match name {
                        "host" => Some(Part::Host),
                        "address" => Some(Part::Address),
                        "service" => Some(Part::Service),
                        _ => match name.strip_prefix("vars.") {
                            Some(var) if !var.is_empty() => Some(Part::Var(var.to_string())),
                            _ => None,
                        },
                    };
                    match part {
                        Some(part) => {
                            if !text.is_empty() {
                                parts.push(Part::Text(std::mem::take(&mut text)));
                            }
                            parts.push(part);
                        }
                        None => unknown.push(UnknownPlaceholder {
                            name: name.to_string(),
                            start: offset + open,
                            end: offset + open + name.len() + 2,
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
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        if unknown.is_empty() {
            Ok(Template { parts })
        } else {
            Err(unknown)
        }
    }

    pub(crate) fn render(
        &self,
        values: &Values<'_>,
        context: Context,
    ) -> Result<String, RenderError> {
        let mut out = String::new();
        for part in &self.parts {
            let value: &str = match part {
                Part::Text(text) => {
                    out.push_str(text);
                    continue;
                }
                Part::Host => values.host,
                Part::Address => values.address,
                Part::Service => values.service,
                Part::Var(name) => values
                    .vars
                    .get(name)
                    .ok_or_else(|| RenderError::MissingVar(name.clone()))?,
            };
            let value = match context {
                Context::Plain => Cow::Borrowed(value),
                Context::Shell => shlex::try_quote(value)
                    .map_err(|_| RenderError::Unquotable(value.to_string()))?,
            };
            out.push_str(&value);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(raw: &str, context: Context) -> String {
        let vars = BTreeMap::from([("root".to_string(), "/srv/my app".to_string())]);
        let values = Values {
            host: "web-01",
            address: "10.0.0.1",
            service: "app",
            vars: &vars,
        };
        Template::parse(raw)
            .unwrap()
            .render(&values, context)
            .unwrap()
    }

    #[test]
    fn substitutes_and_quotes_for_the_shell() {
        assert_eq!(
            render("{vars.root}/bin/app restart --host {host}", Context::Shell),
            "'/srv/my app'/bin/app restart --host web-01"
        );
        assert_eq!(
            render("http://{address}:8080/health", Context::Plain),
            "http://10.0.0.1:8080/health"
        );
    }

    #[test]
    fn leaves_shell_braces_alone() {
        let raw = "echo ${HOME} {{host}} | awk '{print $1}' {}";
        assert_eq!(
            render(raw, Context::Shell),
            "echo ${HOME} {host}} | awk '{print $1}' {}"
        );
    }

    #[test]
    fn reports_unknown_placeholders_with_their_position() {
        let err = Template::parse("run {hots} and {vars.} {service}").unwrap_err();
        assert_eq!(
            err,
            vec![
                UnknownPlaceholder {
                    name: "hots".into(),
                    start: 4,
                    end: 10
                },
                UnknownPlaceholder {
                    name: "vars.".into(),
                    start: 15,
                    end: 22
                },
            ]
        );
    }

    #[test]
    fn a_missing_variable_is_an_error_not_an_empty_string() {
        let vars = BTreeMap::new();
        let values = Values {
            host: "h",
            address: "a",
            service: "s",
            vars: &vars,
        };
        let err = Template::parse("{vars.root}/x")
            .unwrap()
            .render(&values, Context::Shell);
        assert_eq!(err, Err(RenderError::MissingVar("root".into())));
    }
}
