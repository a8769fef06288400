//! Names the git commit in `comeback --version`, and writes the man pages and shell completions
//! that the Debian package ships (`cargo deb`), from the same clap definitions as the binary.

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(dead_code)] // the binary reads the parsed values; here only the definitions matter
mod cli {
    include!("src/cli/args.rs");
}

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed=src/cli/args.rs");
    let version = match git_commit() {
        Some(commit) => format!("{} ({commit})", env!("CARGO_PKG_VERSION")),
        None => env!("CARGO_PKG_VERSION").to_string(),
    };
    println!("cargo:rustc-env=COMEBACK_VERSION={version}");
    let Some(assets) = assets_dir() else {
        println!(
            "cargo:warning=no target/<profile> folder above OUT_DIR: man pages and completions not written"
        );
        return Ok(());
    };
    let version: &'static str = version.leak();
    write_man_pages(&assets.join("man"), version)?;
    write_completions(&assets.join("completions"))?;
    Ok(())
}

/// `<abbreviated hash> <commit date>`, when this source is a git checkout's top level (a source
/// tarball unpacked inside some other repository must not take that repository's commit).
fn git_commit() -> Option<String> {
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let here = env!("CARGO_MANIFEST_DIR");
    if fs::canonicalize(top).ok()? != fs::canonicalize(here).ok()? {
        return None;
    }
    // Build again when HEAD moves: HEAD itself (detached or switched), the branch it names.
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        let loose = PathBuf::from(git(&["rev-parse", "--git-path", &branch])?);
        // A packed branch becomes a loose file at the next commit: watch where it will appear.
        let watch = if loose.exists() {
            loose.as_path()
        } else {
            loose.parent()?
        };
        watched.push(watch.to_string_lossy().into_owned());
        watched.push(git(&["rev-parse", "--git-path", "packed-refs"])?);
    }
    for path in watched.iter().filter(|p| Path::new(p).exists()) {
        println!("cargo:rerun-if-changed={path}");
    }
    git(&["log", "-1", "--format=%h %cs"])
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

/// `target/<profile>/assets`, where the package metadata in Cargo.toml finds them: cargo-deb
/// reads `target/release/` as the folder of the profile it builds. Cargo tells a build script
/// only its OUT_DIR, `target/<profile>/build/comeback-<hash>/out`, hence the walk up.
fn assets_dir() -> Option<PathBuf> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR")?);
    let build = out.parent()?.parent()?;
    if build.file_name()? != "build" {
        return None;
    }
    Some(build.parent()?.join("assets"))
}

/// `comeback.1.gz`, and `comeback-SUBCOMMAND.1.gz` for each visible subcommand.
fn write_man_pages(dir: &Path, version: &'static str) -> Result<(), Box<dyn Error>> {
    // Afresh, so that a renamed or removed subcommand leaves no page behind.
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)?;
    let mut cmd = <cli::Cli as clap::CommandFactory>::command()
        .version(version)
        .disable_help_subcommand(true);
    cmd.build(); // names the subcommands as their pages: `comeback-run`
    let visible = cmd.get_subcommands().filter(|s| !s.is_hide_set());
    for page in std::iter::once(&cmd).chain(visible) {
        // Every page's footer names the version, not only the top one's.
        let man = clap_mangen::Man::new(page.clone()).source(format!("comeback {version}"));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        man.render(&mut gz)?;
        fs::write(dir.join(format!("{}.gz", man.get_filename())), gz.finish()?)?;
    }
    Ok(())
}

fn write_completions(dir: &Path) -> Result<(), Box<dyn Error>> {
    use clap_complete::Shell;
    fs::create_dir_all(dir)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        clap_complete::generate_to(shell, &mut cli::completion_command(), "comeback", dir)?;
    }
    Ok(())
}
