//! `termfolio serve` in an OCI image (`contrib/Containerfile`, FROM scratch):
//! the static binary is built as README's "Ship it" says (into its own
//! target directory, `target/container`, so cargo's incremental check makes
//! a second run cheap), the image is built with Debian's `podman` (no
//! registry: `--pull=never`), and its configuration and files are checked:
//! user 10001, port 2222, the entrypoint, the volume, and nothing in it but
//! the binary and the host key's empty directory (10001, 0700). Then, where
//! podman can start containers here, it is run: a visitor gets the card, the
//! host key is made in the volume and kept for the next container, a
//! mounted profile replaces the built-in one, and `podman stop` ends it
//! politely. Where podman is missing, or cannot start containers, the test
//! says so on stderr (`SKIPPED ...`) after checking what it can.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{BIN, ROOT, Run, Sandbox, free_port};

/// Where the static binary goes, relative to the repository (the
/// Containerfile's `BINARY` build argument).
const BINARY: &str = "target/container/x86_64-unknown-linux-gnu/release/termfolio";

/// The entrypoint the Containerfile must have.
const ENTRYPOINT: &str = r#"["/termfolio","serve","--listen","0.0.0.0:2222","--host-key","/var/lib/termfolio/ssh_host_ed25519_key"]"#;

/// Whether `program --version` runs.
fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn podman(args: &[&str]) -> Command {
    let mut cmd = Command::new("podman");
    cmd.args(args);
    cmd
}

/// `podman ARGS`, which must succeed; its stdout.
#[track_caller]
fn podman_ok(args: &[&str]) -> String {
    let run = common::run_within(podman(args), None, Duration::from_secs(120));
    assert_eq!(run.code, Some(0), "{}:\n{}", run.what, run.dump());
    String::from_utf8_lossy(&run.stdout).into_owned()
}

/// What the test made in podman's store, removed when dropped (even when an
/// assertion fails): containers with their anonymous volumes, then named
/// volumes, then the image.
#[derive(Default)]
struct Made {
    containers: Vec<String>,
    volumes: Vec<String>,
    images: Vec<String>,
}

impl Drop for Made {
    fn drop(&mut self) {
        for c in &self.containers {
            let _ = podman(&["rm", "-f", "-v", "-t", "0", c]).output();
        }
        for v in &self.volumes {
            let _ = podman(&["volume", "rm", "-f", v]).output();
        }
        for i in &self.images {
            let _ = podman(&["rmi", "-f", i]).output();
        }
    }
}

/// The static binary, built with the "Ship it" flags; cargo rebuilds it only
/// when the sources changed.
fn build_static_binary() -> PathBuf {
    let start = Instant::now();
    let mut cargo = Command::new(option_env!("CARGO").unwrap_or("cargo"));
    cargo
        .args(["build", "--release", "--target", "x86_64-unknown-linux-gnu"])
        .current_dir(ROOT)
        .env("CARGO_TARGET_DIR", Path::new(ROOT).join("target/container"))
        .env(
            "RUSTFLAGS",
            "-C target-feature=+crt-static -C relocation-model=static",
        )
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS");
    let run = common::run_within(cargo, None, Duration::from_secs(30 * 60));
    assert_eq!(
        run.code,
        Some(0),
        "the static build failed:\n{}",
        run.dump()
    );
    eprintln!(
        "static binary built (or found up to date) in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let binary = Path::new(ROOT).join(BINARY);
    assert!(!has_interpreter(&binary), "{BINARY} is not static");
    binary
}

/// Whether the ELF file at `path` asks for a dynamic loader (`PT_INTERP`).
fn has_interpreter(path: &Path) -> bool {
    let elf = std::fs::read(path).expect("read the static binary");
    assert_eq!(&elf[..5], b"\x7fELF\x02", "not a 64-bit ELF file");
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]) as usize;
    let phoff = u64::from_le_bytes(elf[0x20..0x28].try_into().unwrap()) as usize;
    let (size, count) = (u16_at(0x36), u16_at(0x38));
    (0..count).any(|i| {
        let o = phoff + i * size;
        u32::from_le_bytes(elf[o..o + 4].try_into().unwrap()) == 3
    })
}

/// The image's files, from `podman create` and `podman export`, as
/// `(mode, uid/gid, size, path)`.
fn files_of(image: &str, sb: &Sandbox, made: &mut Made) -> Vec<(String, String, u64, String)> {
    let name = format!("termfolio-test-files-{}", std::process::id());
    made.containers.push(name.clone());
    podman_ok(&["create", "--name", &name, image]);
    let tar = sb.path().join("rootfs.tar");
    podman_ok(&["export", "-o", tar.to_str().unwrap(), &name]);
    podman_ok(&["rm", "-v", &name]);
    let run = common::run(sb.program("tar", &["--numeric-owner", "-tvf", tar.to_str().unwrap()]));
    run.success();
    run.out()
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            assert!(f.len() >= 6, "tar -tv: {line:?}");
            (
                f[0].to_string(),
                f[1].to_string(),
                f[2].parse().unwrap(),
                f[5..].join(" "),
            )
        })
        .collect()
}

/// The first set of `podman run` options that starts a container here (the
/// image's own binary printing the card), or every attempt's error. This
/// machine's kernel refuses crun's default `RLIMIT_NOFILE` and `RLIMIT_NPROC`
/// and crun does not take its cgroups (hybrid v1 + v2), so lower limits and
/// runc are tried after plain `podman run`.
fn runnable(image: &str) -> Result<Vec<&'static str>, String> {
    let limits = [
        "--ulimit",
        "nofile=4096:4096",
        "--ulimit",
        "nproc=1024:1024",
    ];
    let mut attempts: Vec<Vec<&'static str>> = vec![vec![], limits.to_vec()];
    if have("runc") {
        attempts.push([&["--runtime", "runc"], &limits[..]].concat());
    }
    let mut errors = Vec::new();
    for opts in attempts {
        let mut args = vec!["run", "--rm"];
        args.extend(&opts);
        args.extend([
            "--entrypoint",
            r#"["/termfolio","banner","--width","80"]"#,
            image,
        ]);
        let run = common::run_within(podman(&args), None, Duration::from_secs(60));
        if run.code == Some(0) && String::from_utf8_lossy(&run.stdout).contains("Tongtian Zhu") {
            return Ok(opts);
        }
        errors.push(format!(
            "`podman run {}`: {}",
            opts.join(" "),
            String::from_utf8_lossy(&run.stderr).trim()
        ));
    }
    Err(errors.join("; "))
}

/// `podman logs NAME`: the server's log is its stderr.
fn logs(name: &str) -> String {
    let run = common::run(podman(&["logs", name]));
    String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr)
}

/// `ssh -T` to the published port until the server answers (at most 20 s):
/// the card. `known_hosts` is the sandbox's; `strict` refuses a host key it
/// does not already hold.
fn card(sb: &Sandbox, port: u16, strict: bool) -> Run {
    let known = sb.path().join("known_hosts");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let run = common::run(sb.program(
            "ssh",
            &[
                "-F",
                "/dev/null",
                "-o",
                if strict {
                    "StrictHostKeyChecking=yes"
                } else {
                    "StrictHostKeyChecking=accept-new"
                },
                "-o",
                &format!("UserKnownHostsFile={}", known.display()),
                // The same name for every port, so known_hosts checks the key.
                "-o",
                "HostKeyAlias=termfolio-container-test",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "BatchMode=yes",
                "-o",
                "ConnectTimeout=5",
                "-T",
                "-p",
                &port.to_string(),
                "visitor@127.0.0.1",
            ],
        ));
        if run.code == Some(0) || Instant::now() > deadline {
            return run;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn the_scratch_image_builds_and_serves_the_card() {
    let start = Instant::now();
    if !cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        eprintln!("SKIPPED: the image is built for x86-64 Linux only");
        return;
    }
    if !have("podman") {
        eprintln!("SKIPPED: `podman` is not on PATH (Debian's podman package has it)");
        return;
    }
    let binary = build_static_binary();
    let sb = Sandbox::new();
    let mut made = Made::default();
    let pid = std::process::id();
    let image = format!("localhost/termfolio-test:{pid}");
    made.images.push(image.clone());

    // The build: from the repository's root, nothing pulled.
    let built = Instant::now();
    podman_ok(&[
        "build",
        "--pull=never",
        "--layers=false",
        "-q",
        "-t",
        &image,
        "--build-arg",
        &format!("BINARY={BINARY}"),
        "-f",
        &format!("{ROOT}/contrib/Containerfile"),
        ROOT,
    ]);
    eprintln!("podman build: {:.1} s", built.elapsed().as_secs_f64());

    // Its configuration.
    let inspect = |format: &str| {
        podman_ok(&["image", "inspect", "--format", format, &image])
            .trim()
            .to_string()
    };
    assert_eq!(inspect("{{.Config.User}}"), "10001:10001");
    assert_eq!(inspect("{{json .Config.Entrypoint}}"), ENTRYPOINT);
    assert!(
        inspect("{{json .Config.ExposedPorts}}").contains("\"2222/tcp\""),
        "{}",
        inspect("{{json .Config.ExposedPorts}}")
    );
    assert!(
        inspect("{{json .Config.Volumes}}").contains("\"/var/lib/termfolio\""),
        "{}",
        inspect("{{json .Config.Volumes}}")
    );
    assert!(
        inspect("{{json .Config.Env}}").contains("\"XDG_CONFIG_HOME=/etc\""),
        "{}",
        inspect("{{json .Config.Env}}")
    );

    // Its files: exactly the binary and the host key's directory.
    let size = std::fs::metadata(&binary).unwrap().len();
    let mut files = files_of(&image, &sb, &mut made);
    files.sort_by(|a, b| a.3.cmp(&b.3));
    let expected = [
        ("-rwxr-xr-x", "0/0", Some(size), "termfolio"),
        ("drwxr-xr-x", "0/0", None, "var/"),
        ("drwxr-xr-x", "0/0", None, "var/lib/"),
        ("drwx------", "10001/10001", None, "var/lib/termfolio/"),
    ];
    assert_eq!(files.len(), expected.len(), "the image's files: {files:#?}");
    for (got, want) in files.iter().zip(expected) {
        assert_eq!(
            (got.0.as_str(), got.1.as_str(), got.3.as_str()),
            (want.0, want.1, want.3),
            "the image's files: {files:#?}"
        );
        if let Some(size) = want.2 {
            assert_eq!(got.2, size, "/termfolio is not the static binary");
        }
    }

    let opts = match runnable(&image) {
        Ok(opts) => opts,
        Err(e) => {
            eprintln!(
                "SKIPPED running the image: podman cannot start containers here: {e}\n\
                 (checked: the static build, the image build with no registry, its user, \
                 port, entrypoint, volume and files)"
            );
            return;
        }
    };
    if !opts.is_empty() {
        eprintln!(
            "plain `podman run` fails here; running with `{}`",
            opts.join(" ")
        );
    }

    // A visitor gets the card; the host key is made in the volume.
    let volume = format!("termfolio-test-key-{pid}");
    made.volumes.push(volume.clone());
    let serve = |name: &str, port: u16, extra: &[&str], made: &mut Made| {
        made.containers.push(name.to_string());
        let publish = format!("127.0.0.1:{port}:2222");
        let mount = format!("{volume}:/var/lib/termfolio");
        let mut args = vec!["run", "-d", "--name", name];
        args.extend(&opts);
        args.extend(["-p", &publish, "-v", &mount]);
        args.extend(extra);
        args.push(&image);
        podman_ok(&args);
    };
    let first = format!("termfolio-test-serve-{pid}");
    let port = free_port();
    serve(&first, port, &[], &mut made);
    let visit = card(&sb, port, false);
    assert!(
        visit.code == Some(0) && visit.out().contains("Tongtian Zhu"),
        "no card from the container:\n{}\n--- podman logs ---\n{}",
        visit.dump(),
        logs(&first)
    );
    let mountpoint = podman_ok(&["volume", "inspect", "--format", "{{.Mountpoint}}", &volume]);
    let key = Path::new(mountpoint.trim()).join("ssh_host_ed25519_key");
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let meta = std::fs::metadata(&key).expect("no host key in the volume");
        assert_eq!((meta.uid(), meta.gid()), (10001, 10001));
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        let dir = std::fs::metadata(key.parent().unwrap()).unwrap();
        assert_eq!(dir.uid(), 10001);
        assert_eq!(dir.permissions().mode() & 0o777, 0o700);
    }

    // `podman stop` (SIGTERM to PID 1) ends it politely, at once.
    let stopping = Instant::now();
    podman_ok(&["stop", "-t", "10", &first]);
    let took = stopping.elapsed();
    assert!(took < Duration::from_secs(5), "podman stop took {took:?}");
    let code = podman_ok(&["inspect", "--format", "{{.State.ExitCode}}", &first]);
    assert_eq!(code.trim(), "0", "exit status after SIGTERM");
    let log = logs(&first);
    assert!(log.contains("listening on 0.0.0.0:2222"), "{log}");
    assert!(log.contains("user=\"visitor\""), "{log}");
    assert!(log.contains("stopped"), "{log}");

    // A new container on the same volume keeps the key (ssh refuses any
    // other), and a mounted profile replaces the built-in one.
    let profile = sb.write(
        "profile.toml",
        "[person]\nname = \"Ada Container\"\nposition = \"Tested in a scratch image\"\n",
    );
    let check = common::run(sb.program(BIN, &["--profile", profile.to_str().unwrap(), "check"]));
    check.no_panic().expect_code(0);
    let second = format!("termfolio-test-profile-{pid}");
    let port = free_port();
    let profile_mount = format!("{}:/etc/termfolio/profile.toml:ro", profile.display());
    serve(&second, port, &["-v", &profile_mount], &mut made);
    let visit = card(&sb, port, true);
    assert!(
        visit.code == Some(0) && visit.out().contains("Ada Container"),
        "the same key and the mounted profile:\n{}\n--- podman logs ---\n{}",
        visit.dump(),
        logs(&second)
    );
    assert!(!visit.out().contains("Tongtian Zhu"), "{}", visit.out());
    drop(made);
    eprintln!(
        "container test: {:.1} s in all",
        start.elapsed().as_secs_f64()
    );
}
