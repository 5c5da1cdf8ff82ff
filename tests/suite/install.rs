//! `scripts/install.sh` (the Action's and the pre-commit hook's installer), run by bash
//! against a loopback HTTP server that serves release archives: a verified archive is used
//! and cached, a wrong or missing checksum is an error (never a fallback), a missing archive
//! falls back to a cargo build (a stub `cargo` on PATH) inside the source directory, and the
//! download URL comes from Cargo.toml's `repository`. Then `scripts/pre-commit.sh`, the
//! pre-commit hook without Rust, end to end.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

use super::util::{Repo, clean_env, spdx_text};

const VERSION: &str = "9.9.9";
const TARGET: &str = "x86_64-unknown-linux-musl";

/// A tiny HTTP/1.1 server on 127.0.0.1 serving `files` by path (404 otherwise), recording
/// every requested path.
struct Server {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(files: BTreeMap<String, Vec<u8>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                        break;
                    }
                }
                seen.lock().unwrap().push(path.clone());
                let (status, body) = match files.get(&path) {
                    Some(b) => ("200 OK", b.clone()),
                    None => ("404 Not Found", b"Not Found".to_vec()),
                };
                let head = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        Server { url, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn archive_name() -> String {
    format!("license-drift-v{VERSION}-{TARGET}.tar.gz")
}

/// A release archive as release.yml makes it: one folder `license-drift-v<version>-<target>/`
/// holding the binary (here a shell script running `body`).
fn archive(body: &str) -> Vec<u8> {
    archive_for(TARGET, "license-drift", body)
}

fn archive_for(target: &str, file: &str, body: &str) -> Vec<u8> {
    let tmp = tempfile::tempdir().unwrap();
    let folder = format!("license-drift-v{VERSION}-{target}");
    std::fs::create_dir(tmp.path().join(&folder)).unwrap();
    let bin = tmp.path().join(&folder).join(file);
    std::fs::write(&bin, format!("#!/bin/sh\n{body}\n")).unwrap();
    let status = Command::new("chmod").arg("+x").arg(&bin).status().unwrap();
    assert!(status.success());
    let out = tmp.path().join("a.tar.gz");
    let status = Command::new("tar").arg("-czf").arg(&out).arg("-C").arg(tmp.path()).arg(&folder).status().unwrap();
    assert!(status.success(), "tar runs");
    std::fs::read(out).unwrap()
}

/// The files of a release: the archive and its `.sha256` (sha256sum's format).
fn release(archive: &[u8], checksum: &str) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert(format!("/releases/download/v{VERSION}/{}", archive_name()), archive.to_vec());
    files.insert(
        format!("/releases/download/v{VERSION}/{}.sha256", archive_name()),
        format!("{checksum}  {}\n", archive_name()).into_bytes(),
    );
    files
}

/// A license-drift source tree for the installer: Cargo.toml naming the version and the
/// repository, and the scripts themselves.
struct Setup {
    tmp: tempfile::TempDir,
}

impl Setup {
    fn new(repository: &str) -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("source");
        std::fs::create_dir_all(source.join("scripts")).unwrap();
        std::fs::write(
            source.join("Cargo.toml"),
            format!(
                "[package]\nname = \"license-drift\"\nversion = \"{VERSION}\"\nrepository = \"{repository}\"\n\n[dependencies]\nversion = \"1\"\n"
            ),
        )
        .unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for script in ["install.sh", "pre-commit.sh"] {
            std::fs::copy(root.join("scripts").join(script), source.join("scripts").join(script)).unwrap();
        }
        // A `cargo` that must not run unless a test replaces it.
        let bin = tmp.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        stub(&bin.join("cargo"), "echo 'cargo must not run' >&2; exit 99");
        Setup { tmp }
    }

    fn source(&self) -> PathBuf {
        self.tmp.path().join("source")
    }

    fn cache(&self) -> PathBuf {
        self.tmp.path().join("cache")
    }

    fn bin(&self) -> PathBuf {
        self.tmp.path().join("bin")
    }

    fn command(&self, script: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new("bash");
        cmd.arg(self.source().join("scripts").join(script)).args(args);
        clean_env(&mut cmd);
        let path = format!("{}:{}", self.bin().display(), std::env::var("PATH").unwrap_or_default());
        cmd.env("PATH", path)
            .env("HOME", self.tmp.path())
            .env("XDG_CACHE_HOME", self.cache())
            .env("LICENSE_DRIFT_TARGET", TARGET)
            .env_remove("RUNNER_TOOL_CACHE")
            .env_remove("GITHUB_ACTIONS")
            .env_remove("PRE_COMMIT")
            .stdin(Stdio::null());
        cmd
    }

    fn install(&self, args: &[&str]) -> Output {
        self.command("install.sh", args).output().unwrap()
    }
}

fn stub(path: &Path, body: &str) {
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    assert!(Command::new("chmod").arg("+x").arg(path).status().unwrap().success());
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_verified_archive_is_used_and_cached_from_the_repository_in_cargo_toml() {
    let bytes = archive("echo \"prebuilt license-drift $*\"");
    let server = Server::start(release(&bytes, &sha256_hex(&bytes)));
    // No LICENSE_DRIFT_DOWNLOAD_URL: the URL is Cargo.toml's `repository` + /releases/download.
    let setup = Setup::new(&server.url);
    let out = setup.install(&["--source", setup.source().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let expected = setup.cache().join("license-drift").join(VERSION).join(TARGET).join("license-drift");
    assert_eq!(Path::new(&path), expected, "{}", text(&out));
    let run = Command::new(&path).arg("--version").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), "prebuilt license-drift --version");
    assert!(String::from_utf8_lossy(&out.stderr).contains("checksum verified"), "{}", text(&out));
    assert_eq!(
        server.requests(),
        [
            format!("/releases/download/v{VERSION}/{}", archive_name()),
            format!("/releases/download/v{VERSION}/{}.sha256", archive_name())
        ]
    );

    // A second run uses the cache: no request, same path.
    let again = setup.install(&["--source", setup.source().to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    assert_eq!(String::from_utf8_lossy(&again.stdout).trim(), path);
    assert_eq!(server.requests().len(), 2, "the cached binary is used without a download");
}

#[test]
fn a_wrong_checksum_is_an_error_and_nothing_is_installed_or_built() {
    let bytes = archive("echo tampered");
    let server = Server::start(release(&bytes, &sha256_hex(b"something else")));
    let setup = Setup::new(&server.url);
    let out = setup.install(&["--source", setup.source().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("checksum mismatch"), "{stderr}");
    assert!(!stderr.contains("cargo must not run"), "a mismatch never falls back to a build: {stderr}");
    assert!(out.stdout.is_empty(), "no binary path is printed: {}", text(&out));
    assert!(!setup.cache().join("license-drift").join(VERSION).exists(), "nothing is cached");

    // Also under GitHub Actions, where it is an ::error annotation.
    let mut cmd = setup.command("install.sh", &["--source", setup.source().to_str().unwrap()]);
    let out = cmd.env("GITHUB_ACTIONS", "true").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("::error title=license-drift install::checksum mismatch"));
}

#[test]
fn an_archive_without_its_checksum_file_is_an_error() {
    let bytes = archive("echo unverified");
    let mut files = release(&bytes, &sha256_hex(&bytes));
    files.retain(|k, _| !k.ends_with(".sha256"));
    let server = Server::start(files);
    let setup = Setup::new(&server.url);
    let out = setup.install(&["--source", setup.source().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unverified"), "{}", text(&out));
}

#[test]
fn a_missing_archive_falls_back_to_cargo_in_the_source_directory() {
    let server = Server::start(BTreeMap::new());
    let setup = Setup::new(&server.url);
    let log = setup.tmp.path().join("cargo.log");
    stub(
        &setup.bin().join("cargo"),
        &format!(
            "echo \"cwd=$(pwd) target=$CARGO_TARGET_DIR args=$*\" >> '{}'\nmkdir -p \"$CARGO_TARGET_DIR/release\"\nprintf '#!/bin/sh\\necho built\\n' > \"$CARGO_TARGET_DIR/release/license-drift\"\nchmod +x \"$CARGO_TARGET_DIR/release/license-drift\"",
            log.display()
        ),
    );
    let source = setup.source();
    let out = setup.install(&["--source", source.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        Path::new(String::from_utf8_lossy(&out.stdout).trim()),
        source.join("target/release/license-drift"),
        "{}",
        text(&out)
    );
    let logged = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        logged.trim(),
        format!("cwd={} target={}/target args=build --release --locked", source.display(), source.display())
    );
    assert!(server.requests().iter().any(|r| r.ends_with(&archive_name())), "the download was tried first");

    // --no-build: exit 3, for the Action to restore its build cache first.
    let out = setup.install(&["--source", source.to_str().unwrap(), "--no-build"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(out.stdout.is_empty());

    // No cargo at all: a clear error.
    std::fs::remove_file(setup.bin().join("cargo")).unwrap();
    let mut cmd = setup.command("install.sh", &["--source", source.to_str().unwrap()]);
    // A PATH with bash, curl and tar but no cargo.
    cmd.env("PATH", format!("{}:/usr/bin:/bin", setup.bin().display()));
    let out = cmd.output().unwrap();
    if Path::new("/usr/bin/cargo").exists() || Path::new("/bin/cargo").exists() {
        return; // this machine has a system cargo: the case cannot be staged
    }
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cargo is not installed"), "{}", text(&out));
}

#[test]
fn bad_versions_and_arguments_are_refused() {
    let setup = Setup::new("http://127.0.0.1:9");
    for args in [&["--version", "latest"][..], &["--version", "1.2"], &["--bogus"]] {
        let out = setup.install(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
    }
    // `v` prefixes are accepted: --version v9.9.9 is 9.9.9 (the server is unreachable, and
    // with --no-build that is exit 3, not a version error).
    let out = setup.install(&["--version", "v9.9.9", "--no-build", "--source", setup.source().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("/v{VERSION}/")), "{}", text(&out));
}

/// The pre-commit hook without Rust: it installs the pinned archive (here one that runs the
/// real binary) and checks the range pre-commit names; with no refs it says so and fails.
#[test]
fn the_pre_commit_script_hook_installs_and_checks_the_range() {
    let real = env!("CARGO_BIN_EXE_license-drift");
    let bytes = archive(&format!("exec '{real}' \"$@\""));
    let server = Server::start(release(&bytes, &sha256_hex(&bytes)));
    let setup = Setup::new(&server.url);

    let repo = Repo::new();
    repo.write("LICENSE", spdx_text("MIT"));
    let base = repo.commit("MIT");
    repo.write("LICENSE", spdx_text("GPL-3.0-only"));
    let head = repo.commit("GPL");

    let hook = |env: &[(&str, &str)]| {
        let mut cmd = setup.command("pre-commit.sh", &[]);
        cmd.current_dir(&repo.path).env("GIT_CONFIG_GLOBAL", "/dev/null").env("GIT_CONFIG_NOSYSTEM", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut stderr = String::new();
        child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.code(), format!("{}{stderr}", String::from_utf8_lossy(&out.stdout)))
    };

    let (code, output) = hook(&[("PRE_COMMIT", "1"), ("PRE_COMMIT_FROM_REF", &base), ("PRE_COMMIT_TO_REF", &head)]);
    assert_eq!(code, Some(1), "MIT -> GPL-3.0-only blocks the push:\n{output}");
    assert!(output.contains("license-changed"), "{output}");

    let (code, output) = hook(&[("PRE_COMMIT", "1")]);
    assert_eq!(code, Some(2), "{output}");
    assert!(output.contains("no refs to check") && output.contains("--from-ref"), "{output}");

    let (code, output) = hook(&[("PRE_COMMIT", "1"), ("PRE_COMMIT_FROM_REF", &base), ("PRE_COMMIT_TO_REF", &base)]);
    assert_eq!(code, Some(0), "an empty range passes:\n{output}");
}

/// `cargo binstall`, the install script and the release workflow agree on the archive names:
/// the binstall templates of Cargo.toml expand to what install.sh downloads and unpacks, and
/// release.yml builds archives of that name.
#[test]
fn binstall_metadata_names_the_release_archives() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: toml::Table = toml::from_str(&std::fs::read_to_string(root.join("Cargo.toml")).unwrap()).unwrap();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    let expand = |template: &str| {
        template
            .replace("{ repo }", env!("CARGO_PKG_REPOSITORY"))
            .replace("{ version }", VERSION)
            .replace("{ name }", "license-drift")
            .replace("{ target }", TARGET)
            .replace("{ bin }", "license-drift")
            .replace("{ binary-ext }", "")
    };
    let url = expand(binstall["pkg-url"].as_str().unwrap());
    assert_eq!(
        url,
        format!("{}/releases/download/v{VERSION}/{}", env!("CARGO_PKG_REPOSITORY"), archive_name()),
        "the archive install.sh downloads"
    );
    assert_eq!(
        expand(binstall["bin-dir"].as_str().unwrap()),
        format!("license-drift-v{VERSION}-{TARGET}/license-drift")
    );
    assert_eq!(binstall["pkg-fmt"].as_str(), Some("tgz"));
    let release = std::fs::read_to_string(root.join(".github/workflows/release.yml")).unwrap();
    assert!(release.contains(r#"name="license-drift-v$VERSION-$TARGET""#), "release.yml names the archives alike");
    assert!(release.contains(r#"tar -czf "$name.tar.gz" "$name""#), "one folder per archive");
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(release.contains(&format!("target: {target},")), "release.yml builds {target}");
    }
}

/// The archive of each runner: `uname` (stubbed) decides the target triple, and Windows
/// binaries end in `.exe`.
#[test]
fn the_target_follows_the_platform() {
    let server = Server::start(BTreeMap::new());
    for (os, arch, target) in [
        ("Linux", "x86_64", "x86_64-unknown-linux-musl"),
        ("Linux", "aarch64", "aarch64-unknown-linux-musl"),
        ("Darwin", "x86_64", "x86_64-apple-darwin"),
        ("Darwin", "arm64", "aarch64-apple-darwin"),
        ("MINGW64_NT-10.0-20348", "x86_64", "x86_64-pc-windows-msvc"),
    ] {
        let setup = Setup::new(&server.url);
        stub(&setup.bin().join("uname"), &format!("case \"$1\" in -s) echo '{os}' ;; -m) echo '{arch}' ;; esac"));
        let mut cmd = setup.command("install.sh", &["--source", setup.source().to_str().unwrap(), "--no-build"]);
        let out = cmd.env_remove("LICENSE_DRIFT_TARGET").output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{os} {arch}: {}", text(&out));
        let want = format!("/v{VERSION}/license-drift-v{VERSION}-{target}.tar.gz");
        assert!(String::from_utf8_lossy(&out.stderr).contains(&want), "{os} {arch}: {}", text(&out));
    }

    // Windows: the archive holds license-drift.exe, and that is the path printed.
    let target = "x86_64-pc-windows-msvc";
    let bytes = archive_for(target, "license-drift.exe", "echo windows");
    let archive = format!("/releases/download/v{VERSION}/license-drift-v{VERSION}-{target}.tar.gz");
    let sum = format!("{}  x\n", sha256_hex(&bytes)).into_bytes();
    let server = Server::start([(archive.clone(), bytes), (format!("{archive}.sha256"), sum)].into());
    let setup = Setup::new(&server.url);
    let mut cmd = setup.command("install.sh", &["--source", setup.source().to_str().unwrap()]);
    let out = cmd.env("LICENSE_DRIFT_TARGET", target).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).trim().ends_with(&format!("/{target}/license-drift.exe")),
        "{}",
        text(&out)
    );
}
