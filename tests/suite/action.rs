//! The GitHub Action (`action.yml`): every input and output is wired to `license-drift github`,
//! no `run:` script holds a `${{ }}` expression (script injection), and its `run:` steps work
//! when bash runs them the way the runner does, with the `binary` input.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

use super::util::{Repo, spdx_text};

#[derive(Debug, Deserialize)]
struct Action {
    name: String,
    description: String,
    inputs: BTreeMap<String, Input>,
    outputs: BTreeMap<String, Output>,
    runs: Runs,
}

#[derive(Debug, Deserialize)]
struct Input {
    description: String,
    default: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Output {
    description: String,
    value: String,
}

#[derive(Debug, Deserialize)]
struct Runs {
    using: String,
    steps: Vec<Step>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Step {
    name: Option<String>,
    id: Option<String>,
    #[serde(rename = "if")]
    condition: Option<String>,
    uses: Option<String>,
    shell: Option<String>,
    run: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    working_directory: Option<String>,
}

impl Step {
    fn label(&self) -> &str {
        self.name.as_deref().or(self.id.as_deref()).or(self.uses.as_deref()).unwrap_or("?")
    }
}

const INPUTS: [&str; 13] = [
    "token",
    "base",
    "head",
    "config",
    "fail-on",
    "comment",
    "comment-key",
    "sarif",
    "working-directory",
    "binary",
    "comment-author",
    "api-timeout",
    "deadline",
];
const OUTPUTS: [&str; 4] = ["findings", "blocking", "report", "comment-url"];
/// Inputs that become a `--flag` of `license-drift github` with the same name.
const FLAGS: [&str; 10] = [
    "base",
    "head",
    "config",
    "fail-on",
    "comment",
    "comment-key",
    "sarif",
    "comment-author",
    "api-timeout",
    "deadline",
];

fn action() -> Action {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml");
    let text = std::fs::read_to_string(&path).expect("action.yml at the repository root");
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(&text, options).unwrap_or_else(|e| panic!("action.yml: {e}"))
}

fn run_step(action: &Action) -> &Step {
    action.runs.steps.iter().find(|s| s.id.as_deref() == Some("run")).expect("a step with id `run`")
}

/// The name of the variable a step's `env:` maps `inputs.NAME` to.
fn env_var_of<'a>(step: &'a Step, input: &str) -> Option<&'a str> {
    let expr = format!("${{{{ inputs.{input} }}}}");
    step.env.iter().find(|(_, v)| v.trim() == expr).map(|(k, _)| k.as_str())
}

#[test]
fn action_yml_wires_every_input_and_output_to_the_binary() {
    let action = action();
    assert!(!action.name.is_empty() && !action.description.is_empty());
    assert_eq!(action.runs.using, "composite");

    let names: Vec<&str> = action.inputs.keys().map(String::as_str).collect();
    let mut expected = INPUTS.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected, "the inputs of action.yml");
    for (name, input) in &action.inputs {
        assert!(!input.description.trim().is_empty(), "input {name} has no description");
    }
    let default = |name: &str| action.inputs[name].default.clone().unwrap_or_default();
    assert_eq!(default("token"), "${{ github.token }}");
    assert_eq!(default("comment"), "on-findings");
    assert_eq!(default("working-directory"), ".");
    for name in [
        "base",
        "head",
        "config",
        "fail-on",
        "comment-key",
        "sarif",
        "binary",
        "comment-author",
        "api-timeout",
        "deadline",
    ] {
        assert_eq!(default(name), "", "input {name} defaults to empty (chosen by the binary or the policy)");
    }

    // Composite steps get no INPUT_* variables: each input reaches a script through `env:`.
    for name in INPUTS {
        assert!(
            action.runs.steps.iter().any(|s| env_var_of(s, name).is_some()),
            "input {name} is mapped through no step's env:"
        );
    }
    // Nothing is pasted into shell text: no expression at all in any script.
    for step in &action.runs.steps {
        if let Some(script) = &step.run {
            assert!(!script.contains("${{"), "the run: script of step {:?} contains `${{{{`", step.label());
            assert_eq!(step.shell.as_deref(), Some("bash"), "step {:?} runs with shell: bash", step.label());
            assert!(
                script.trim_start().starts_with("set -euo pipefail"),
                "step {:?} starts with set -euo pipefail",
                step.label()
            );
        } else {
            assert!(step.uses.is_some(), "step {:?} neither runs nor uses", step.label());
        }
    }

    let names: Vec<&str> = action.outputs.keys().map(String::as_str).collect();
    let mut expected = OUTPUTS.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected, "the outputs of action.yml");
    for (name, output) in &action.outputs {
        assert!(!output.description.trim().is_empty(), "output {name} has no description");
        assert_eq!(output.value.trim(), format!("${{{{ steps.run.outputs.{name} }}}}"), "output {name}");
    }

    let run = run_step(&action);
    let script = run.run.as_deref().expect("the run step has a script");
    assert!(script.contains("\"$LICENSE_DRIFT_BIN\" github"), "the run step calls `license-drift github`:\n{script}");
    for flag in FLAGS {
        let var = env_var_of(run, flag).unwrap_or_else(|| panic!("the run step maps input {flag} in its env:"));
        let passed = format!("--{flag} \"${var}\"");
        assert!(script.contains(&passed), "the run step passes `{passed}`:\n{script}");
    }
    assert_eq!(run.env.get("GITHUB_TOKEN").map(|v| v.trim()), Some("${{ inputs.token }}"));
    assert!(!script.contains("--token") && !script.contains("GITHUB_TOKEN"), "the token stays in the environment");
    for name in ["working-directory", "binary"] {
        let var = env_var_of(run, name).unwrap_or_else(|| panic!("the run step maps input {name}"));
        assert!(
            script.contains(&format!("{{{var}:-")) || script.contains(&format!("\"${var}\"")),
            "the run step uses {var}"
        );
    }

    // The cargo build runs only without a prebuilt binary.
    let build = action.runs.steps.iter().find(|s| s.run.as_deref().is_some_and(|r| r.contains("cargo build")));
    let build = build.expect("a step builds the binary");
    assert_eq!(build.condition.as_deref().map(str::trim), Some("inputs.binary == ''"));
    assert!(build.run.as_deref().unwrap().contains("--release --locked"));
    let cache = action.runs.steps.iter().find(|s| s.uses.as_deref().is_some_and(|u| u.starts_with("actions/cache@")));
    assert_eq!(cache.expect("the build is cached").condition.as_deref().map(str::trim), Some("inputs.binary == ''"));
}

/// Replaces the `${{ inputs.* }}` and `${{ github.* }}` expressions of `text`, and nothing else.
fn expand(text: &str, inputs: &BTreeMap<String, String>, github: &BTreeMap<&str, String>) -> String {
    let re = regex::Regex::new(r"\$\{\{\s*(inputs|github)\.([A-Za-z0-9_-]+)\s*\}\}").unwrap();
    let out = re.replace_all(text, |c: &regex::Captures| match &c[1] {
        "inputs" => inputs.get(&c[2]).cloned().unwrap_or_else(|| panic!("no input {}", &c[2])),
        _ => github.get(&c[2]).cloned().unwrap_or_else(|| panic!("github.{} is not simulated", &c[2])),
    });
    assert!(!out.contains("${{"), "an expression other than inputs.* and github.*: {text}");
    out.into_owned()
}

/// Evaluates the step conditions action.yml uses: none, or `inputs.X == ''` / `inputs.X != ''`.
fn condition_holds(condition: Option<&str>, inputs: &BTreeMap<String, String>) -> bool {
    let Some(condition) = condition.map(str::trim) else { return true };
    let re = regex::Regex::new(r"^inputs\.([A-Za-z0-9_-]+) (==|!=) ''$").unwrap();
    let c = re.captures(condition).unwrap_or_else(|| panic!("condition not simulated: {condition}"));
    let empty = inputs[&c[1]].is_empty();
    if &c[2] == "==" { empty } else { !empty }
}

#[test]
fn action_run_steps_check_a_push_with_the_given_binary() {
    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    let before = repo.commit("MIT");
    repo.write("LICENSE", spdx_text("GPL-3.0-only"));
    let after = repo.commit("GPL-3.0-only");

    let workspace = repo.path.parent().unwrap().to_path_buf();
    let runner_temp = repo.sibling("runner-temp");
    std::fs::create_dir(&runner_temp).unwrap();
    let event = repo.sibling("event.json");
    let event_json = serde_json::json!({"ref": "refs/heads/main", "before": before, "after": after});
    std::fs::write(&event, event_json.to_string()).unwrap();
    let (output_file, summary_file, env_file) =
        (repo.sibling("github-output"), repo.sibling("step-summary"), repo.sibling("github-env"));
    for f in [&output_file, &summary_file, &env_file] {
        std::fs::write(f, "").unwrap();
    }
    let action_path = env!("CARGO_MANIFEST_DIR");
    let path_str = |p: &Path| p.to_str().unwrap().to_string();

    let action = action();
    let given: BTreeMap<&str, &str> = [
        ("binary", env!("CARGO_BIN_EXE_license-drift")),
        ("comment", "never"),
        ("working-directory", "repo"),
        ("sarif", "license-drift.sarif"),
    ]
    .into();
    let github: BTreeMap<&str, String> = [
        ("token", "dummy".to_string()),
        ("action_path", action_path.to_string()),
        ("workspace", path_str(&workspace)),
        ("event_name", "push".to_string()),
        ("event_path", path_str(&event)),
        ("sha", after.clone()),
        ("repository", "o/r".to_string()),
        ("api_url", "http://127.0.0.1:9".to_string()),
    ]
    .into();
    // Inputs not given take their defaults, whose expressions are expanded too.
    let inputs: BTreeMap<String, String> = action
        .inputs
        .iter()
        .map(|(name, input)| {
            let value = match given.get(name.as_str()) {
                Some(v) => v.to_string(),
                None => expand(input.default.as_deref().unwrap_or(""), &BTreeMap::new(), &github),
            };
            (name.clone(), value)
        })
        .collect();

    // What the runner sets for every step (no INPUT_* variables for composite steps).
    let mut runner_env: BTreeMap<String, String> = [
        ("PATH", std::env::var("PATH").unwrap_or_default()),
        ("HOME", std::env::var("HOME").unwrap_or_default()),
        ("CI", "true".to_string()),
        ("GITHUB_ACTIONS", "true".to_string()),
        ("GITHUB_ACTION_PATH", action_path.to_string()),
        ("GITHUB_WORKSPACE", path_str(&workspace)),
        ("GITHUB_EVENT_NAME", "push".to_string()),
        ("GITHUB_EVENT_PATH", path_str(&event)),
        ("GITHUB_SHA", after.clone()),
        ("GITHUB_REF", "refs/heads/main".to_string()),
        ("GITHUB_REPOSITORY", "o/r".to_string()),
        ("GITHUB_API_URL", "http://127.0.0.1:9".to_string()),
        ("GITHUB_OUTPUT", path_str(&output_file)),
        ("GITHUB_STEP_SUMMARY", path_str(&summary_file)),
        ("GITHUB_ENV", path_str(&env_file)),
        ("RUNNER_TEMP", path_str(&runner_temp)),
        ("RUNNER_OS", "Linux".to_string()),
        ("GIT_CONFIG_GLOBAL", "/dev/null".to_string()),
        ("GIT_CONFIG_NOSYSTEM", "1".to_string()),
        ("NO_COLOR", "1".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();

    let mut ran = Vec::new();
    let mut run_result = None;
    for (i, step) in action.runs.steps.iter().enumerate() {
        let Some(script) = &step.run else { continue };
        if !condition_holds(step.condition.as_deref(), &inputs) {
            assert!(!script.contains("cargo build") || !inputs["binary"].is_empty());
            continue;
        }
        assert!(!script.contains("cargo build"), "the build step runs although `binary` is given");
        let script_path = repo.sibling(&format!("step-{i}.sh"));
        std::fs::write(&script_path, script).unwrap();
        let cwd = match &step.working_directory {
            Some(dir) => workspace.join(expand(dir, &inputs, &github)),
            None => workspace.clone(),
        };
        // The runner's `shell: bash`: bash --noprofile --norc -eo pipefail {0}.
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"]).arg(&script_path).current_dir(&cwd).env_clear();
        cmd.envs(&runner_env);
        for (k, v) in &step.env {
            cmd.env(k, expand(v, &inputs, &github));
        }
        let out = cmd.output().expect("bash runs");
        let code = out.status.code().unwrap_or(-1);
        let log = format!(
            "step {:?} exited {code}\n--- stdout\n{}\n--- stderr\n{}",
            step.label(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran.push(step.label().to_string());
        // GITHUB_ENV carries variables to the next steps.
        runner_env.extend(super::util::parse_outputs(&std::fs::read_to_string(&env_file).unwrap()));
        if step.id.as_deref() == Some("run") {
            run_result = Some((code, log));
            break;
        }
        assert_eq!(code, 0, "{log}");
    }

    let (code, log) = run_result.unwrap_or_else(|| panic!("the run step did not run; ran {ran:?}"));
    assert_eq!(code, 1, "blocking findings exit 1:\n{log}");
    let outputs_text = std::fs::read_to_string(&output_file).unwrap();
    let outputs = super::util::parse_outputs(&outputs_text);
    assert_eq!(outputs.get("blocking").map(String::as_str), Some("true"), "GITHUB_OUTPUT:\n{outputs_text}\n{log}");
    assert!(outputs_text.lines().any(|l| l.starts_with("findings=")), "GITHUB_OUTPUT:\n{outputs_text}\n{log}");
    let findings: u64 = outputs["findings"].trim().parse().expect("findings is a number");
    assert!(findings >= 1, "GITHUB_OUTPUT:\n{outputs_text}");
    let summary = std::fs::read_to_string(&summary_file).unwrap();
    assert!(summary.contains("license-changed"), "job summary:\n{summary}\n{log}");

    // The JSON report named by the `report` output, in RUNNER_TEMP.
    let report = outputs.get("report").unwrap_or_else(|| panic!("no report output:\n{outputs_text}"));
    assert!(Path::new(report).starts_with(&runner_temp), "report {report} is in RUNNER_TEMP");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert_eq!(report["base"]["commit"], before.as_str());
    assert_eq!(report["head"]["commit"], after.as_str());
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "license-changed"), "{report}");

    // The SARIF file, relative to working-directory.
    let sarif = std::fs::read_to_string(repo.path.join("license-drift.sarif")).expect("the sarif input is written");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["runs"][0]["results"].as_array().unwrap().iter().any(|r| r["ruleId"] == "license-changed"));
}
