//! The `comeback` binary: parse arguments, run the command, exit with its code.

use clap::Parser;

fn main() {
    // Diagnostics of comeback itself (not run events): warnings by default, COMEBACK_LOG to tune.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("COMEBACK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let cli = match comeback::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Usage errors are exit 2 like invalid plans; --help and --version are not errors.
            let code = if e.use_stderr() {
                comeback::exit::INVALID
            } else {
                comeback::exit::OK
            };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    std::process::exit(comeback::cli::run(cli));
}
