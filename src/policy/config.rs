//! `.license-drift.toml`: the policy file, parsed strictly (unknown keys, wrong types, bad
//! globs, unknown rules and licenses are errors with file, line and column).

use std::collections::BTreeMap;
use std::ops::Range;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::drift::{Rule, Severity};
use crate::knowledge::expr::Expr;
use crate::report::FailOn;
use crate::snapshot::Component;

/// The default path of the policy file.
pub const DEFAULT_PATH: &str = ".license-drift.toml";

/// Vendored dependencies, ignored unless the policy says otherwise.
pub const DEFAULT_IGNORE: &[&str] = &["node_modules/**", "**/node_modules/**", "vendor/**", "**/vendor/**"];

/// A policy problem, located in its file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A severity or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    /// The severity, or `None` for off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// Where acknowledgements are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AcksFrom {
    #[default]
    Head,
    Base,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    fail_on: Option<FailOn>,
    warn_only: Option<bool>,
    licenses: Option<RawLicenses>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, RawRule>,
    ignore: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    accept: Vec<Spanned<RawAccept>>,
    acks: Option<AcksFrom>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLicenses {
    #[serde(default)]
    allow: Vec<Spanned<String>>,
    #[serde(default)]
    deny: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    severity: Option<Level>,
    #[serde(default, rename = "override")]
    overrides: Vec<RawOverride>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    component: Option<Component>,
    severity: Level,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccept {
    id: Spanned<String>,
    reason: String,
    by: Option<String>,
    until: Option<Spanned<toml::Value>>,
}

/// A per-rule severity override for some paths or a component.
#[derive(Debug, Clone)]
pub struct Override {
    pub paths: Option<GlobSet>,
    pub component: Option<Component>,
    pub level: Level,
}

/// What the policy says about one rule.
#[derive(Debug, Clone, Default)]
pub struct RulePolicy {
    pub level: Option<Level>,
    pub overrides: Vec<Override>,
}

/// An acknowledgement of one finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accept {
    pub id: String,
    pub reason: String,
    pub by: Option<String>,
    /// `YYYY-MM-DD`: after this day the entry no longer counts.
    pub until: Option<String>,
}

/// A license pattern of `[licenses]`: an id (SPDX or knowledge base) or a `LicenseRef-*` prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LicensePattern {
    Exact(String),
    Prefix(String),
}

/// A validated policy.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from (`<rev>:.license-drift.toml`, or `(defaults)`).
    pub source: String,
    pub fail_on: Option<FailOn>,
    pub warn_only: bool,
    pub allow: Vec<LicensePattern>,
    pub deny: Vec<LicensePattern>,
    pub rules: BTreeMap<String, RulePolicy>,
    pub ignore: Vec<String>,
    pub ignore_set: Option<super::IgnoreSet>,
    pub accept: Vec<Accept>,
    pub acks: AcksFrom,
    /// The file as a TOML value (for `policy-changed`).
    pub raw: Option<toml::Table>,
}

/// Rule names the policy may configure: the drift rules and the policy's own.
pub fn known_rules() -> Vec<&'static str> {
    let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
    names.extend(["license-not-allowed", "policy-changed", "acknowledgement-stale"]);
    names
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<ConfigError>,
}

impl Ctx<'_> {
    fn error(&mut self, span: Range<usize>, message: String) {
        let (line, column) = position(self.text, span.start);
        self.errors.push(ConfigError { file: self.file.to_string(), line, column, message });
    }

    fn globs(&mut self, globs: &[Spanned<String>]) -> Option<GlobSet> {
        let mut b = GlobSetBuilder::new();
        let mut ok = true;
        for g in globs {
            match Glob::new(g.get_ref()) {
                Ok(glob) => {
                    b.add(glob);
                }
                Err(e) => {
                    ok = false;
                    self.error(g.span(), format!("bad glob {:?}: {}", g.get_ref(), e.kind()));
                }
            }
        }
        ok.then(|| b.build().ok()).flatten()
    }

    fn licenses(&mut self, list: &[Spanned<String>]) -> Vec<LicensePattern> {
        let mut out = Vec::new();
        for l in list {
            let v = l.get_ref().trim();
            if let Some(prefix) = v.strip_suffix('*') {
                out.push(LicensePattern::Prefix(prefix.to_string()));
                continue;
            }
            match Expr::parse(v) {
                Some(e) => {
                    out.extend(e.terms().into_iter().map(|t| LicensePattern::Exact(Expr::term(t.clone()).to_string())))
                }
                None => self.error(l.span(), format!("{v:?} is neither an SPDX expression nor a known license id")),
            }
        }
        out
    }
}

/// Parses and validates a policy file, collecting every problem.
pub fn parse(file: &str, text: &str) -> Result<Config, Vec<ConfigError>> {
    let raw: RawConfig = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let (line, column) = e.span().map(|s| position(text, s.start)).unwrap_or((1, 1));
            let message = e.message().to_string();
            return Err(vec![ConfigError { file: file.to_string(), line, column, message }]);
        }
    };
    let mut ctx = Ctx { file, text, errors: Vec::new() };
    let mut config = Config {
        source: file.to_string(),
        fail_on: raw.fail_on,
        warn_only: raw.warn_only.unwrap_or(false),
        acks: raw.acks.unwrap_or_default(),
        raw: toml::from_str(text).ok(),
        ..Config::default()
    };
    if let Some(l) = &raw.licenses {
        config.allow = ctx.licenses(&l.allow);
        config.deny = ctx.licenses(&l.deny);
    }
    let known = known_rules();
    for (name, rule) in &raw.rules {
        if !known.contains(&name.get_ref().as_str()) {
            ctx.error(name.span(), format!("unknown rule {:?}; expected one of: {}", name.get_ref(), known.join(", ")));
            continue;
        }
        let mut overrides = Vec::new();
        for o in &rule.overrides {
            let paths = if o.paths.is_empty() { None } else { ctx.globs(&o.paths) };
            overrides.push(Override { paths, component: o.component, level: o.severity });
        }
        config.rules.insert(name.get_ref().clone(), RulePolicy { level: rule.severity, overrides });
    }
    let ignore =
        raw.ignore.unwrap_or_else(|| DEFAULT_IGNORE.iter().map(|g| Spanned::new(0..0, g.to_string())).collect());
    config.ignore = ignore.iter().map(|g| g.get_ref().clone()).collect();
    config.ignore_set = ctx.globs(&ignore).map(|set| super::IgnoreSet::new(set, &config.ignore));
    for a in &raw.accept {
        let entry = a.get_ref();
        let id = entry.id.get_ref().trim().to_ascii_lowercase();
        if id.len() != 12 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
            ctx.error(entry.id.span(), format!("{id:?} is not a finding id (12 hex digits)"));
        }
        if entry.reason.trim().is_empty() {
            ctx.error(a.span(), "an [[accept]] entry needs a non-empty reason".into());
        }
        let until = match &entry.until {
            None => None,
            Some(v) => {
                let text = match v.get_ref() {
                    toml::Value::Datetime(d) => {
                        d.date.map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)).filter(|d| is_date(d))
                    }
                    toml::Value::String(s) if is_date(s) => Some(s.clone()),
                    _ => None,
                };
                if text.is_none() {
                    ctx.error(v.span(), "until must be a date (YYYY-MM-DD)".into());
                }
                text
            }
        };
        config.accept.push(Accept { id, reason: entry.reason.clone(), by: entry.by.clone(), until });
    }
    ctx.errors.sort_by_key(|e| (e.line, e.column));
    if ctx.errors.is_empty() { Ok(config) } else { Err(ctx.errors) }
}

/// Whether `s` is a calendar date `YYYY-MM-DD`.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if !(b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit()))
    {
        return false;
    }
    let (y, m, d): (u32, u32, u32) =
        (s[..4].parse().unwrap_or(0), s[5..7].parse().unwrap_or(0), s[8..].parse().unwrap_or(0));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// The default policy (no file): fail on errors, vendored dependencies ignored.
pub fn defaults() -> Config {
    let mut c = parse("(defaults)", "").unwrap_or_default();
    c.source = "(defaults)".into();
    c.raw = None;
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_policy_parses() {
        let c = parse(
            "p.toml",
            "fail-on = \"warning\"\nignore = [\"third_party/**\"]\nacks = \"base\"\n\n[licenses]\nallow = [\"MIT OR Apache-2.0\", \"llama3.1\", \"LicenseRef-*\"]\ndeny = [\"AGPL-3.0-only\"]\n\n[rules.license-added]\nseverity = \"off\"\n\n[[rules.component-removed.override]]\npaths = [\"models/**\"]\ncomponent = \"weights\"\nseverity = \"info\"\n\n[[accept]]\nid = \"0123456789ab\"\nreason = \"deliberate\"\nuntil = 2027-01-31\n",
        )
        .unwrap();
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert_eq!(c.acks, AcksFrom::Base);
        assert_eq!(c.allow.len(), 4);
        assert_eq!(c.accept[0].until.as_deref(), Some("2027-01-31"));
        assert_eq!(c.rules["license-added"].level, Some(Level::Off));
        assert!(c.ignore_set.unwrap().is_match("third_party/x/LICENSE"));
    }

    #[test]
    fn errors_have_line_and_column() {
        let e = parse("p.toml", "fail-on = \"error\"\nfial-on = 1\n").unwrap_err();
        assert_eq!((e[0].line, e[0].column), (2, 1), "{e:?}");
        assert!(e[0].message.contains("fial-on"), "{e:?}");
        let e =
            parse("p.toml", "ignore = [\"a/**\", \"[\"]\n\n[rules.no-such-rule]\nseverity = \"off\"\n").unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!((e[0].line, e[1].line), (1, 3));
        let e = parse("p.toml", "fail-on = \"sometimes\"\n").unwrap_err();
        assert_eq!(e[0].line, 1);
        let e = parse("p.toml", "[[accept]]\nid = \"xyz\"\nreason = \"\"\n").unwrap_err();
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn dates_are_calendar_dates() {
        assert!(is_date("2028-02-29") && !is_date("2027-02-29") && !is_date("2027-13-01") && !is_date("June-30-27"));
    }

    #[test]
    fn the_example_policy_is_valid() {
        let c = parse("examples/license-drift.toml", include_str!("../../examples/license-drift.toml")).unwrap();
        assert_eq!(c.accept.len(), 1);
        assert!(!c.deny.is_empty());
    }

    #[test]
    fn defaults_ignore_vendored_code() {
        let d = defaults();
        assert!(d.ignore_set.unwrap().is_match("vendor/lib/LICENSE"));
        assert!(d.fail_on.is_none());
    }
}
