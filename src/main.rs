//! The `comeback` binary: parse arguments, run the command, exit with its code.

use clap::Parser;

fn main() {
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
