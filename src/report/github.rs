//! GitHub Actions workflow commands: one annotation per finding, at most ten per level
//! (GitHub shows no more), then one pointing to the job summary.

use std::io::{self, Write};

use super::DiffReport;
use crate::drift::Severity;
use crate::sanitize;

/// Annotations per level that GitHub displays.
const PER_LEVEL: usize = 10;

/// Escapes a workflow-command message (`%`, CR, LF).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow-command property (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes the annotations of a report.
pub fn write_annotations(r: &DiffReport, w: &mut dyn Write) -> io::Result<()> {
    for (severity, command) in [(Severity::Error, "error"), (Severity::Warning, "warning"), (Severity::Info, "notice")]
    {
        let all: Vec<_> = r.findings.iter().filter(|f| f.severity == severity && f.acknowledged.is_none()).collect();
        for f in all.iter().take(PER_LEVEL) {
            let location = f.evidence.iter().find(|e| e.line.is_some()).map(|e| (e.path.clone(), e.line));
            let (file, line) = match location {
                Some((p, l)) => (Some(p), l),
                None => (f.paths.first().cloned(), None),
            };
            let mut props = Vec::new();
            if let Some(file) = file {
                props.push(format!("file={}", escape_property(&sanitize::terminal(&file, false))));
            }
            if let Some(l) = line {
                props.push(format!("line={l}"));
            }
            props.push(format!("title={}", escape_property(&format!("license-drift: {} [{}]", f.rule.name(), f.id))));
            let mut message = sanitize::terminal(&f.message, false);
            if let Some(why) = &f.why {
                message.push_str(&format!(" — {}", sanitize::terminal(why, false)));
            }
            writeln!(w, "::{command} {}::{}", props.join(","), escape_data(&message))?;
        }
        if all.len() > PER_LEVEL {
            writeln!(
                w,
                "::{command} title={}::{}",
                escape_property("license-drift: more findings"),
                escape_data(&format!("{} more {command} finding(s): see the job summary", all.len() - PER_LEVEL))
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_github() {
        assert_eq!(escape_data("50% a\nb\r"), "50%25 a%0Ab%0D");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
