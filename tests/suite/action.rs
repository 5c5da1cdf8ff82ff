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

const INPUTS: [&str; 15] = [
    "token",
    "version",
    "pr-number",
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
const OUTPUTS: [&str; 8] = ["findings", "blocking", "report", "comment-url", "errors", "warnings", "infos", "markdown"];
/// Inputs that become a `--flag` of `license-drift github` with the same name.
const FLAGS: [&str; 11] = [
    "pr-number",
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
        "version",
        "pr-number",
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

    // Installing runs only without a prebuilt binary: the script of this repository, which
    // tests/suite/install.rs runs against a loopback server.
    let step = |id: &str| action.runs.steps.iter().find(|s| s.id.as_deref() == Some(id));
    let install = step("install").expect("an install step");
    assert_eq!(install.condition.as_deref().map(str::trim), Some("inputs.binary == ''"));
    let script = install.run.as_deref().unwrap();
    assert!(script.contains("scripts/install.sh\" --source \"$GITHUB_ACTION_PATH\""), "{script}");
    assert!(script.contains("--no-build"), "the download comes first: {script}");
    // The cargo fallback: inside the action's directory, between a cache restore and a save
    // that runs even when the build failed.
    let build = step("build").expect("a build step");
    assert_eq!(build.condition.as_deref().map(str::trim), Some("steps.install.outputs.build == 'true'"));
    assert!(build.run.as_deref().unwrap().contains("--build-only"));
    let uses = |prefix: &str| {
        action
            .runs
            .steps
            .iter()
            .find(|s| s.uses.as_deref().is_some_and(|u| u.starts_with(prefix)))
            .unwrap_or_else(|| panic!("a step uses {prefix}"))
    };
    let restore = uses("actions/cache/restore@");
    assert_eq!(restore.condition.as_deref().map(str::trim), Some("steps.install.outputs.build == 'true'"));
    let save = uses("actions/cache/save@");
    let save_if = save.condition.as_deref().unwrap_or_default();
    assert!(save_if.starts_with("always() &&") && save_if.contains("cache-hit != 'true'"), "{save_if}");
    let position = |s: &Step| action.runs.steps.iter().position(|x| std::ptr::eq(x, s)).unwrap();
    assert!(position(install) < position(restore) && position(restore) < position(build));
    assert!(position(build) < position(save) && position(save) < position(run));
    let version = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/install.sh");
    let version = std::fs::read_to_string(version).unwrap();
    assert!(version.contains("cargo build --release --locked"), "the fallback build is locked and in release mode");
}

/// Replaces the `${{ inputs.* }}` and `${{ github.* }}` expressions of `text`, and nothing else.
/// Step outputs by step id.
type StepOutputs = BTreeMap<String, BTreeMap<String, String>>;

/// The value of `inputs.X`, `github.X` or `steps.ID.outputs.X` (empty when a step did not run).
fn value_of(
    name: &str,
    inputs: &BTreeMap<String, String>,
    github: &BTreeMap<&str, String>,
    steps: &StepOutputs,
) -> String {
    if let Some(input) = name.strip_prefix("inputs.") {
        return inputs.get(input).cloned().unwrap_or_else(|| panic!("no input {input}"));
    }
    if let Some(field) = name.strip_prefix("github.") {
        return github.get(field).cloned().unwrap_or_else(|| panic!("github.{field} is not simulated"));
    }
    let re = regex::Regex::new(r"^steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)$").unwrap();
    let c = re.captures(name).unwrap_or_else(|| panic!("expression not simulated: {name}"));
    steps.get(&c[1]).and_then(|o| o.get(&c[2])).cloned().unwrap_or_default()
}

/// Replaces the `${{ … }}` expressions of `text`: `inputs.*`, `github.*`, `steps.*.outputs.*`
/// and `a || b` of those, and nothing else.
fn expand(
    text: &str,
    inputs: &BTreeMap<String, String>,
    github: &BTreeMap<&str, String>,
    steps: &StepOutputs,
) -> String {
    let re = regex::Regex::new(r"\$\{\{\s*([^}]+?)\s*\}\}").unwrap();
    let out = re.replace_all(text, |c: &regex::Captures| {
        c[1].split("||")
            .map(|alt| value_of(alt.trim(), inputs, github, steps))
            .find(|v| !v.is_empty())
            .unwrap_or_default()
    });
    out.into_owned()
}

/// Evaluates the step conditions action.yml uses: none, or `&&` of `always()` and
/// `X == 'v'` / `X != 'v'` where X is an `inputs.*` or `steps.*.outputs.*`.
fn condition_holds(
    condition: Option<&str>,
    inputs: &BTreeMap<String, String>,
    steps: &StepOutputs,
    failed: bool,
) -> bool {
    let Some(condition) = condition.map(str::trim) else { return !failed };
    let re = regex::Regex::new(r"^([A-Za-z0-9_.-]+) (==|!=) '([^']*)'$").unwrap();
    let always = condition.split("&&").any(|c| c.trim() == "always()");
    if failed && !always {
        return false;
    }
    condition.split("&&").map(str::trim).filter(|c| *c != "always()").all(|c| {
        let m = re.captures(c).unwrap_or_else(|| panic!("condition not simulated: {c}"));
        let value = value_of(&m[1], inputs, &BTreeMap::new(), steps);
        if &m[2] == "==" { value == m[3] } else { value != m[3] }
    })
}

/// What one simulated run of the action left behind.
struct Simulation {
    repo: Repo,
    before: String,
    after: String,
    runner_temp: std::path::PathBuf,
    /// The steps that ran, by label.
    ran: Vec<String>,
    code: i32,
    log: String,
    outputs_text: String,
    outputs: BTreeMap<String, String>,
    summary: String,
}

/// Runs the `run:` steps of action.yml the way the runner does (bash, per-step env, step
/// outputs, conditions) on a push MIT -> GPL-3.0-only, with `given` inputs and `extra_env` in
/// the runner's environment. `uses:` steps (the cache) are skipped.
fn simulate(given: &[(&str, &str)], extra_env: &[(&str, String)]) -> Simulation {
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
    let (summary_file, env_file) = (repo.sibling("step-summary"), repo.sibling("github-env"));
    for f in [&summary_file, &env_file] {
        std::fs::write(f, "").unwrap();
    }
    let action_path = env!("CARGO_MANIFEST_DIR");
    let path_str = |p: &Path| p.to_str().unwrap().to_string();

    let action = action();
    let given: BTreeMap<&str, &str> = given.iter().copied().collect();
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
    let mut steps = StepOutputs::new();
    // Inputs not given take their defaults, whose expressions are expanded too.
    let inputs: BTreeMap<String, String> = action
        .inputs
        .iter()
        .map(|(name, input)| {
            let value = match given.get(name.as_str()) {
                Some(v) => v.to_string(),
                None => expand(input.default.as_deref().unwrap_or(""), &BTreeMap::new(), &github, &steps),
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
        ("GITHUB_STEP_SUMMARY", path_str(&summary_file)),
        ("GITHUB_ENV", path_str(&env_file)),
        ("RUNNER_TEMP", path_str(&runner_temp)),
        ("RUNNER_OS", "Linux".to_string()),
        ("RUNNER_ARCH", "X64".to_string()),
        ("GIT_CONFIG_GLOBAL", "/dev/null".to_string()),
        ("GIT_CONFIG_NOSYSTEM", "1".to_string()),
        ("NO_COLOR", "1".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .chain(extra_env.iter().map(|(k, v)| (k.to_string(), v.clone())))
    .collect();

    let mut ran = Vec::new();
    let mut run_result = None;
    let mut failed = false;
    for (i, step) in action.runs.steps.iter().enumerate() {
        let Some(script) = &step.run else { continue };
        if !condition_holds(step.condition.as_deref(), &inputs, &steps, failed) {
            continue;
        }
        let script_path = repo.sibling(&format!("step-{i}.sh"));
        std::fs::write(&script_path, script).unwrap();
        let output_file = repo.sibling(&format!("github-output-{i}"));
        std::fs::write(&output_file, "").unwrap();
        let cwd = match &step.working_directory {
            Some(dir) => workspace.join(expand(dir, &inputs, &github, &steps)),
            None => workspace.clone(),
        };
        // The runner's `shell: bash`: bash --noprofile --norc -eo pipefail {0}.
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"]).arg(&script_path).current_dir(&cwd).env_clear();
        cmd.envs(&runner_env).env("GITHUB_OUTPUT", &output_file);
        for (k, v) in &step.env {
            cmd.env(k, expand(v, &inputs, &github, &steps));
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
        let outputs_text = std::fs::read_to_string(&output_file).unwrap();
        if let Some(id) = &step.id {
            steps.insert(id.clone(), super::util::parse_outputs(&outputs_text));
        }
        // GITHUB_ENV carries variables to the next steps.
        runner_env.extend(super::util::parse_outputs(&std::fs::read_to_string(&env_file).unwrap()));
        if step.id.as_deref() == Some("run") {
            run_result = Some((code, log, outputs_text));
            break;
        }
        assert_eq!(code, 0, "{log}");
        failed |= code != 0;
    }

    let (code, log, outputs_text) = run_result.unwrap_or_else(|| panic!("the run step did not run; ran {ran:?}"));
    let outputs = super::util::parse_outputs(&outputs_text);
    let summary = std::fs::read_to_string(&summary_file).unwrap();
    Simulation { repo, before, after, runner_temp, ran, code, log, outputs_text, outputs, summary }
}

#[test]
fn action_run_steps_check_a_push_with_the_given_binary() {
    let sim = simulate(
        &[
            ("binary", env!("CARGO_BIN_EXE_license-drift")),
            ("comment", "never"),
            ("working-directory", "repo"),
            ("sarif", "license-drift.sarif"),
        ],
        &[],
    );
    let (log, outputs_text, outputs) = (&sim.log, &sim.outputs_text, &sim.outputs);
    assert!(!sim.ran.iter().any(|s| s.contains("Install") || s.contains("Build")), "ran {:?}", sim.ran);
    assert_eq!(sim.code, 1, "blocking findings exit 1:\n{log}");
    assert_eq!(outputs.get("blocking").map(String::as_str), Some("true"), "GITHUB_OUTPUT:\n{outputs_text}\n{log}");
    assert!(outputs_text.lines().any(|l| l.starts_with("findings=")), "GITHUB_OUTPUT:\n{outputs_text}\n{log}");
    let findings: u64 = outputs["findings"].trim().parse().expect("findings is a number");
    assert!(findings >= 1, "GITHUB_OUTPUT:\n{outputs_text}");
    let count = |name: &str| outputs[name].trim().parse::<u64>().unwrap_or_else(|_| panic!("{name}: {outputs_text}"));
    assert!(count("errors") >= 1, "{outputs_text}");
    assert_eq!(count("errors") + count("warnings") + count("infos"), findings, "{outputs_text}");
    assert!(outputs["markdown"].starts_with("### license-drift:"), "{outputs_text}");
    assert!(outputs["markdown"].contains("license-drift accept "), "the accept-all command: {outputs_text}");
    assert!(sim.summary.contains("license-changed"), "job summary:\n{}\n{log}", sim.summary);

    // The JSON report named by the `report` output, in RUNNER_TEMP.
    let report = outputs.get("report").unwrap_or_else(|| panic!("no report output:\n{outputs_text}"));
    assert!(Path::new(report).starts_with(&sim.runner_temp), "report {report} is in RUNNER_TEMP");
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert_eq!(report["base"]["commit"], sim.before.as_str());
    assert_eq!(report["head"]["commit"], sim.after.as_str());
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "license-changed"), "{report}");

    // The SARIF file, relative to working-directory, its category the working directory.
    let sarif = std::fs::read_to_string(sim.repo.path.join("license-drift.sarif")).expect("the sarif input is written");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["runs"][0]["results"].as_array().unwrap().iter().any(|r| r["ruleId"] == "license-changed"));
    assert_eq!(sarif["runs"][0]["automationDetails"]["id"], "license-drift/repo/");
}

/// Without `binary`, the action installs the release archive of the version in its
/// Cargo.toml (from a loopback server standing in for the GitHub release), checksum
/// verified, into the tool cache, and runs it; no cargo build.
#[test]
fn action_installs_the_release_archive_and_runs_it() {
    use std::io::{BufRead, BufReader, Write};
    let version = env!("CARGO_PKG_VERSION");
    let target = "x86_64-unknown-linux-musl";
    let name = format!("license-drift-v{version}-{target}");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join(&name)).unwrap();
    let wrapper = tmp.path().join(&name).join("license-drift");
    std::fs::write(&wrapper, format!("#!/bin/sh\nexec '{}' \"$@\"\n", env!("CARGO_BIN_EXE_license-drift"))).unwrap();
    assert!(Command::new("chmod").arg("+x").arg(&wrapper).status().unwrap().success());
    let archive = tmp.path().join("a.tar.gz");
    let tar = Command::new("tar").arg("-czf").arg(&archive).arg("-C").arg(tmp.path()).arg(&name).status().unwrap();
    assert!(tar.success());
    let bytes = std::fs::read(&archive).unwrap();
    let sum: String = {
        use sha2::Digest;
        sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
    };
    let mut files = BTreeMap::new();
    files.insert(format!("/v{version}/{name}.tar.gz"), bytes);
    files.insert(format!("/v{version}/{name}.tar.gz.sha256"), format!("{sum}  {name}.tar.gz\n").into_bytes());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                    break;
                }
            }
            let (status, body) = match files.get(&path) {
                Some(b) => ("200 OK", b.clone()),
                None => ("404 Not Found", Vec::new()),
            };
            let head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    let tool_cache = tmp.path().join("tool-cache");
    // A cargo that fails: the archive must be enough.
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::write(bin.join("cargo"), "#!/bin/sh\necho 'cargo must not run' >&2\nexit 99\n").unwrap();
    assert!(Command::new("chmod").arg("+x").arg(bin.join("cargo")).status().unwrap().success());
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let sim = simulate(
        &[("comment", "never"), ("working-directory", "repo")],
        &[
            ("LICENSE_DRIFT_DOWNLOAD_URL", url),
            ("LICENSE_DRIFT_TARGET", target.to_string()),
            ("RUNNER_TOOL_CACHE", tool_cache.display().to_string()),
            ("PATH", path),
        ],
    );
    assert!(sim.ran.iter().any(|s| s == "Install license-drift"), "ran {:?}", sim.ran);
    assert!(!sim.ran.iter().any(|s| s == "Build license-drift"), "no build: ran {:?}\n{}", sim.ran, sim.log);
    assert_eq!(sim.code, 1, "the installed binary ran and found the license change:\n{}", sim.log);
    assert_eq!(sim.outputs.get("blocking").map(String::as_str), Some("true"), "{}", sim.outputs_text);
    assert!(tool_cache.join("license-drift").join(version).join(target).join("license-drift").is_file());
}

/// The canonical repository is named once, in Cargo.toml: every URL of it in the files users
/// read or run is that one, and no `OWNER` placeholder is left.
#[test]
fn the_repository_url_is_cargo_tomls_everywhere() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repository = env!("CARGO_PKG_REPOSITORY");
    assert_eq!(repository, "https://github.com/license-drift/license-drift");
    let url = regex::Regex::new(r"https://github\.com/[A-Za-z0-9_.-]+/license-drift\b").unwrap();
    let uses = regex::Regex::new(r"uses: ([A-Za-z0-9_.-]+/license-drift)@").unwrap();
    let files = [
        "README.md",
        "CHANGELOG.md",
        "action.yml",
        ".pre-commit-hooks.yaml",
        "examples/workflow.yml",
        "examples/workflow-fork-pr.yml",
        "examples/workflow-fork-comment.yml",
        "scripts/install.sh",
        "scripts/pre-commit.sh",
        "hooks/pre-push",
        ".github/workflows/ci.yml",
        ".github/workflows/release.yml",
    ];
    let mut seen = 0;
    for file in files {
        let text = std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(!text.contains("OWNER"), "{file} holds an OWNER placeholder");
        for m in url.find_iter(&text) {
            assert_eq!(m.as_str(), repository, "{file}");
            seen += 1;
        }
        for c in uses.captures_iter(&text) {
            assert_eq!(format!("https://github.com/{}", &c[1]), repository, "{file}");
            seen += 1;
        }
    }
    assert!(seen >= 5, "the repository is named in the docs ({seen} times)");
}
