//! Planner benchmark: 10,000 instances (2,000 services on 5 hosts each) with 50,000 instance
//! edges. Times loading (YAML parse + validation) and ordering, side by side with petgraph's
//! own `toposort` on the same graph as the baseline, and prints peak memory.
//!
//! Run: `cargo bench --bench plan`. Target: plan under 100 ms, peak memory under 100 MB.

use comeback::plan::graph::InstanceGraph;
use comeback::plan::{self, Selection};
use std::fmt::Write;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

const SERVICES: usize = 2_000;
const HOSTS: usize = 5;

fn plan_text() -> String {
    let mut out = String::from("hosts:\n");
    for h in 0..HOSTS {
        let _ = writeln!(
            out,
            "  host-{h}: {{ address: 10.0.0.{}, groups: [all] }}",
            h + 1
        );
    }
    out.push_str("services:\n");
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for s in 0..SERVICES {
        let _ = writeln!(
            out,
            "  svc-{s}:\n    hosts: [group:all]\n    restart: systemctl restart svc-{s}"
        );
        let _ = writeln!(out, "    health: [{{ tcp: {} }}]", 1000 + s % 5000);
        let mut deps = Vec::new();
        if s > 0 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            deps.push(seed as usize % s);
        }
        // One extra edge set makes the total exactly 50,000 instance edges.
        if s == SERVICES - 1 && deps[0] != 0 {
            deps.push(0);
        } else if s == SERVICES - 1 {
            deps.push(1);
        }
        let deps: Vec<String> = deps.iter().map(|d| format!("svc-{d}")).collect();
        let _ = writeln!(out, "    depends_on: [{}]", deps.join(", "));
    }
    out
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        last = Some(value);
    }
    (best, last.expect("runs > 0"))
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let text = plan_text();
    let (load, validated) = best_of(5, || plan::parse(&text, Path::new(".")).expect("valid"));
    let model = validated.model;
    let (graph_time, graph) = best_of(5, || InstanceGraph::new(&model));
    let (order_time, steps) = best_of(5, || {
        plan::steps::plan_with(&model, &graph, &Selection::default()).expect("steps")
    });
    let (baseline, topo) = best_of(5, || {
        petgraph::algo::toposort(&graph.graph, None).expect("acyclic")
    });
    black_box(&topo);

    println!(
        "planner benchmark: {} instances, {} instance edges, {} KiB of YAML",
        steps.steps.len(),
        graph.graph.edge_count(),
        text.len() / 1024
    );
    println!("  load (parse + validate)      {:>8.2} ms", ms(load));
    println!("  instance graph               {:>8.2} ms", ms(graph_time));
    println!("  order + selection (comeback) {:>8.2} ms", ms(order_time));
    println!(
        "  petgraph toposort (baseline) {:>8.2} ms   ratio {:.2}x",
        ms(baseline),
        order_time.as_secs_f64() / baseline.as_secs_f64()
    );
    let total = load + graph_time + order_time;
    println!(
        "  total plan time              {:>8.2} ms   target < 100 ms: {}",
        ms(total),
        if ms(total) < 100.0 { "met" } else { "MISSED" }
    );
    let peak = peak_rss_mb();
    println!(
        "  peak memory                  {:>8.1} MB   target < 100 MB: {}",
        peak,
        if peak < 100.0 { "met" } else { "MISSED" }
    );
}
