//! Every shipped plan names its services' units where a service manager restarts them, so
//! comeback can prove each restart; and `unit`/`action` mistakes are refused at `check`.

use std::path::Path;

#[test]
fn every_shipped_plan_uses_unit_where_a_unit_exists() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("plans");
    let manager_command = regex::Regex::new(r"\b(systemctl|service|rc-service)\s").expect("re");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("plans/") {
        let path = entry.expect("entry").path();
        let loaded = comeback::plan::load(&path).expect("a shipped plan loads");
        for service in &loaded.model.services {
            checked += 1;
            let by_manager = service
                .instances
                .iter()
                .any(|i| manager_command.is_match(&i.restart.shown));
            assert!(
                !by_manager || service.unit.is_some(),
                "{}: service `{}` is restarted by its service manager but has no `unit:`",
                path.display(),
                service.name
            );
        }
    }
    assert!(checked >= 10, "only {checked} services in plans/");
}

fn check(services: &str) -> (i32, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plan.yaml");
    std::fs::write(&path, format!("hosts:\n  a: {{}}\nservices:\n{services}")).expect("plan");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_comeback"))
        .arg("check")
        .arg(&path)
        .output()
        .expect("comeback");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_unit_alone_is_a_service_and_bad_units_or_actions_are_refused() {
    let (code, err) = check("  redis:\n    hosts: [a]\n    unit: redis-server\n");
    assert_eq!(code, 0, "{err}");
    // No health: the checks are inferred, so no warning that nothing can verify it.
    assert!(!err.contains("no health check"), "{err}");

    let (code, err) = check("  redis:\n    hosts: [a]\n    unit: \"redis server\"\n");
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("`redis server` cannot be the name of a unit"),
        "{err}"
    );

    let (code, err) =
        check("  redis:\n    hosts: [a]\n    unit: redis-server\n    action: bounce\n");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bounce"), "{err}");

    let (code, err) = check("  redis:\n    hosts: [a]\n");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("add `unit: NAME`"), "{err}");
}
