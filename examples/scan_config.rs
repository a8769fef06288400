//! Scan a config file for the hosts it names, as `comeback refs` does: the scanner is a pure
//! function of the text, so it needs no format and no network.
//!
//! `cargo run --example scan_config -- /etc/mysql/conf.d/galera.cnf`

use comeback::refs::{ScanOptions, scan};

fn main() {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: scan_config FILE");
        std::process::exit(2);
    };
    let text = match std::fs::read(&path) {
        // Configs are not always UTF-8; the scanner reads what it can.
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.to_string_lossy());
            std::process::exit(2);
        }
    };
    for r in scan(&text, &ScanOptions::default()) {
        // `text` is what matched, with any password masked.
        let at = match r.port {
            Some(port) => comeback::human::host_port(&r.host, port),
            None => r.host.clone(),
        };
        println!("{}:{}\t{at}\t{}", r.line, r.column, r.text);
    }
}
