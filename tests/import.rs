//! `comeback import`: sample Ansible INI and YAML inventories and a CSV, with the exact plan
//! skeleton each gives; malformed inputs get an error naming the line, and exit 2.

use assert_cmd::Command;

fn comeback() -> Command {
    let mut cmd = Command::cargo_bin("comeback").expect("binary");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn import(kind: &str, file: &str) -> String {
    let out = comeback()
        .args(["import", kind, file])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf8")
}

/// The skeleton is a plan comeback itself accepts.
fn assert_checks(skeleton: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.yaml");
    std::fs::write(&path, skeleton).expect("write");
    comeback().arg("check").arg(&path).assert().success();
}

#[test]
fn ansible_ini_with_ranges_children_and_vars() {
    let out = import("ansible", "tests/import/inventory.ini");
    insta::assert_snapshot!(out);
    assert_checks(&out);
}

#[test]
fn ansible_yaml() {
    let out = import("ansible", "tests/import/inventory.yaml");
    insta::assert_snapshot!(out);
    assert_checks(&out);
}

#[test]
fn csv_from_the_takeover_spreadsheet() {
    let out = import("csv", "tests/import/inventory.csv");
    insta::assert_snapshot!(out);
    assert_checks(&out);
}

fn import_error(kind: &str, text: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("input");
    std::fs::write(&path, text).expect("write");
    let out = comeback()
        .args(["import", kind])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).replace(&path.display().to_string(), "INPUT")
}

#[test]
fn malformed_inventories_name_the_line() {
    assert_eq!(
        import_error("ansible", "[web\nweb-01\n"),
        "error: INPUT:line 1: section header `[web` lacks its `]`\n"
    );
    assert_eq!(
        import_error("ansible", "[web]\nweb-01 ansible_port\n"),
        "error: INPUT:line 2: expected `key=value`, found `ansible_port`\n"
    );
    assert_eq!(
        import_error("ansible", "[web]\nweb[03:01]\n"),
        "error: INPUT:line 2: range `03:01` runs backwards\n"
    );
    assert_eq!(
        import_error("ansible", "[web]\nweb-01 ansible_port=ssh\n"),
        "error: INPUT:line 2: ansible_port `ssh` of `web-01` is not a port\n"
    );
    assert_eq!(
        import_error("ansible", "[prod:children]\nweb\n"),
        "error: INPUT:group `prod` names child group `web`, which is not defined\n"
    );
    assert!(import_error("ansible", "all:\n  hosts:\n    a: 1\n    a: 2\n").contains("line 4"));
    assert_eq!(
        import_error("csv", "ip,os\n10.0.0.1,debian\n"),
        "error: INPUT:line 1: no host name column among: ip, os (expected hostname, host, name or fqdn)\n"
    );
    assert_eq!(
        import_error("csv", "host,ip\ndb-01,10.0.0.1\ndb-01,10.0.0.2\n"),
        "error: INPUT:line 3: host `db-01` is already on line 2\n"
    );
    assert_eq!(
        import_error("csv", "host,ip\ndb 01,10.0.0.1\n"),
        "error: INPUT:line 2: host `db 01` is not a plain name (letters, digits, `.`, `_`, `-`)\n"
    );
    assert!(
        import_error("csv", "host,ip\ndb-01,10.0.0.1,extra\n").starts_with("error: INPUT:line 2: ")
    );
    assert_eq!(
        import_error("csv", "host,ip\n"),
        "error: INPUT: no hosts found\n"
    );
}

#[test]
fn a_huge_range_is_refused_naming_its_line_before_anything_is_allocated() {
    assert_eq!(
        import_error("ansible", "[web]\nweb-01\nweb[1:4000000000]\n"),
        "error: INPUT:line 3: `web[1:4000000000]` expands to 4000000000 hosts, more than the 10000 an inventory range may name\n"
    );
    assert_eq!(
        import_error("ansible", "[web]\nweb[1:200][1:200]\n"),
        "error: INPUT:line 2: `web[1:200][1:200]` expands to 40000 hosts, more than the 10000 an inventory range may name\n"
    );
}

#[test]
fn the_largest_range_allowed_imports_every_host_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("inventory.ini");
    std::fs::write(&path, "[web]\nweb[1:10000]\n[all:children]\nweb\n").expect("write");
    let out = comeback()
        .args(["import", "ansible"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let plan = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        plan.matches("groups: [web]").count(),
        10_000,
        "{}",
        &plan[..500.min(plan.len())]
    );
}

/// A few KiB of ranges, each under the per-range cap, named millions of hosts: the total is
/// capped too, before anything is expanded.
#[test]
fn an_inventory_naming_more_hosts_than_the_total_cap_is_refused_naming_the_cap() {
    let ini: String = (0..100)
        .map(|n| format!("[g{n}]\ng{n}-[1:9999]\n"))
        .collect();
    assert!(ini.len() < 3_000);
    let started = std::time::Instant::now();
    let err = import_error("ansible", &ini);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(
        err,
        "error: INPUT:line 12: the inventory names 59994 hosts or more (ranges expanded, a host counted on each line that names it), more than the 50000 one import may hold: import it in parts\n"
    );
    let yaml: String = std::iter::once("all:\n  children:\n".to_string())
        .chain((0..10).map(|n| format!("    g{n}:\n      hosts:\n        g{n}-[1:9999]:\n")))
        .collect();
    assert!(import_error("ansible", &yaml).contains("more than the 50000 one import may hold"));
    let csv: String = std::iter::once("host\n".to_string())
        .chain((0..50_001).map(|n| format!("h{n}\n")))
        .collect();
    assert_eq!(
        import_error("csv", &csv),
        "error: INPUT:line 50002: the inventory names 50001 hosts or more (ranges expanded, a host counted on each line that names it), more than the 50000 one import may hold: import it in parts\n"
    );
}
