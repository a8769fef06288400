//! The `comeback` binary: parse arguments, run the command, exit with its code.

fn main() {
    // Diagnostics of comeback itself (not run events): warnings by default, COMEBACK_LOG to tune.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("COMEBACK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    std::process::exit(comeback::cli::main());
}
