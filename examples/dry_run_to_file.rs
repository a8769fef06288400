//! A dry run of a plan with a consumer of your own: here, one that writes each event as a JSON
//! line to a file. A dry run connects and looks (health, config references, drift) and
//! restarts nothing.
//!
//! `cargo run --example dry_run_to_file -- PLAN events.jsonl`

use comeback::exec::event::RunStarted;
use comeback::exec::{Consumer, Event, Events, Mode, Record, Session};
use comeback::plan::{Selection, load, plan};
use std::io::Write;

/// Writes every record (the event and the time it was stamped with) as one line.
struct JsonLinesFile(std::fs::File);

impl Consumer for JsonLinesFile {
    fn on(&mut self, record: &Record) {
        // Events hold only strings, numbers and lists: they always serialize.
        let line = serde_json::to_string(record).expect("an event serializes");
        if let Err(e) = writeln!(self.0, "{line}") {
            eprintln!("cannot write an event: {e}");
        }
    }
}

fn main() {
    let mut args = std::env::args_os().skip(1);
    let (Some(path), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: dry_run_to_file PLAN OUT");
        std::process::exit(2);
    };
    let loaded = load(path.as_ref()).unwrap_or_else(|e| {
        eprint!("{}", e.render());
        std::process::exit(2);
    });
    let order = plan(&loaded.model, &Selection::default()).expect("an empty selection is valid");
    let file = std::fs::File::create(&out).expect("the output file can be created");
    // Every event goes to each consumer, in order; add a printer, a journal... as you need.
    let events = Events::new(vec![Box::new(JsonLinesFile(file))]);
    let session = Session {
        model: &loaded.model,
        steps: &order.steps,
        // The run's first event says what it is: a dry run.
        start: Event::RunStarted(RunStarted {
            run_id: "example".into(),
            plan: path.to_string_lossy().into_owned(),
            plan_sha256: None,
            mode: Mode::DryRun,
            steps: order
                .steps
                .iter()
                .map(|s| (s.index, s.id(&loaded.model)))
                .collect(),
            only: Vec::new(),
            limit: Vec::new(),
            with_dependents: false,
        }),
        first: None,
        began: None,
        retry: Vec::new(),
        allow_unhealthy: false,
        pacing: Default::default(),
        estimated: None,
        cold_start: None,
    };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let ended = runtime.block_on(session.run(&events));
    println!("{:?}", ended.outcome);
}
