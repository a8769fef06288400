//! `comeback discover PLAN`: read every host, write the draft plan (or its JSON) and the
//! Markdown report; exit 1 when a host could not be read, after writing the rest.

use super::{DiscoverArgs, DiscoverFormat, Exit, load, stdout};
use crate::discover::{self, Draft};
use crate::exit;
use std::path::Path;

pub(super) fn discover(args: DiscoverArgs) -> Result<(), Exit> {
    let loaded = load(&args.plan)?;
    let model = &loaded.model;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            super::run::fail(
                format!("cannot start the runtime: {e}"),
                None,
                exit::INVALID,
            )
        })?;
    let (scans, failures) =
        runtime.block_on(discover::discover(model, args.timeout, |h, result| {
            let host = &model.hosts[h].name;
            match result {
                Ok(scan) => eprintln!(
                    "{host}: {}, {}",
                    crate::human::count(scan.identified.instances.len(), "unit"),
                    crate::human::count(scan.facts.listeners.len(), "listening socket")
                ),
                Err(why) => eprintln!("{host}: not read: {}", discover::yaml::comment_text(why)),
            }
        }));
    let draft = discover::build(model, &scans, &failures);

    let dir = args
        .plan
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let plan_text = discover::yaml::write_plan(&loaded.source, &draft)
        .map_err(|e| super::run::fail(e, None, exit::INVALID))?;
    // The draft must pass `check` as written: validate it the same way, and graph it from there.
    let validated = crate::plan::parse(&plan_text, dir).map_err(|diagnostics| {
        let shown = "the draft plan";
        for d in &diagnostics {
            eprintln!("{}\n", d.render(shown, &plan_text));
        }
        super::run::fail(
            "the draft plan does not pass `check`: this is a bug in discover",
            Some("report it with the plan above; nothing was written"),
            exit::INVALID,
        )
    })?;
    let output = match args.format {
        DiscoverFormat::Yaml => plan_text,
        DiscoverFormat::Json => json(&draft)?,
    };
    match &args.out {
        Some(path) => write(path, &output)?,
        None => stdout(&output),
    }
    if let Some(path) = &args.report {
        let mermaid = crate::diagram::mermaid(&validated.model);
        let text = discover::markdown(&draft, &args.plan.display().to_string(), &mermaid);
        write(path, &text)?;
    }
    summary(&draft);
    if draft.failures.is_empty() {
        Ok(())
    } else {
        Err(Exit(exit::STEP_FAILED))
    }
}

/// The findings as JSON; a draft that cannot be written is said, never printed as `null`.
fn json(draft: &Draft) -> Result<String, Exit> {
    serde_json::to_string_pretty(draft)
        .map(|text| text + "\n")
        .map_err(|e| {
            super::run::fail(
                format!("cannot write the findings as JSON: {e}"),
                None,
                exit::INVALID,
            )
        })
}

fn write(path: &Path, text: &str) -> Result<(), Exit> {
    std::fs::write(path, text).map_err(|e| {
        super::run::fail(
            format!("cannot write `{}`: {e}", path.display()),
            None,
            exit::INVALID,
        )
    })
}

fn summary(draft: &Draft) {
    eprintln!(
        "discovered: {} new, {} already in the plan, {}, {} broken to undo a cycle, {}, {}, {}; {} not read",
        crate::human::count(draft.services.len(), "service"),
        crate::human::count(draft.duplicates.len(), "instance"),
        crate::human::count(draft.edges.len(), "edge"),
        draft.broken.len(),
        crate::human::count(draft.stale.len(), "stale reference"),
        crate::human::count(draft.external.len(), "external endpoint"),
        crate::human::count(
            draft.clusters.iter().filter(|c| c.written()).count(),
            "cluster"
        ),
        crate::human::count(draft.failures.len(), "host"),
    );
}
