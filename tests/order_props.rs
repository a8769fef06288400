//! Property tests of the restart order over random dependency graphs of services and hosts.

use comeback::plan::{self, Model, Selection};
use proptest::prelude::*;
use std::fmt::Write;
use std::path::Path;

/// A random plan: `deps[s]` lists services that `s` depends on, all declared earlier in the
/// topological sense (`rank`), while the file declares them in a shuffled order.
#[derive(Debug, Clone)]
struct RandomPlan {
    hosts: usize,
    services: Vec<(Vec<usize>, Vec<usize>)>, // (depends_on, hosts) by rank
    declared: Vec<usize>,                    // rank of the service written at each position
}

fn random_plan() -> impl Strategy<Value = RandomPlan> {
    (1usize..6, 1usize..12)
        .prop_flat_map(|(hosts, services)| {
            let service = (
                proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
                proptest::collection::vec(0..hosts, 1..=hosts.min(3)),
            );
            (
                Just(hosts),
                proptest::collection::vec(service, services),
                Just((0..services).collect::<Vec<_>>()).prop_shuffle(),
            )
        })
        .prop_map(|(hosts, raw, declared)| {
            let services = raw
                .into_iter()
                .enumerate()
                .map(|(rank, (deps, mut on))| {
                    let mut deps: Vec<usize> = if rank == 0 {
                        vec![]
                    } else {
                        deps.iter().map(|i| i.index(rank)).collect()
                    };
                    deps.sort_unstable();
                    deps.dedup();
                    on.dedup();
                    let mut seen = Vec::new();
                    on.retain(|h| {
                        if seen.contains(h) {
                            false
                        } else {
                            seen.push(*h);
                            true
                        }
                    });
                    (deps, on)
                })
                .collect();
            RandomPlan {
                hosts,
                services,
                declared,
            }
        })
}

fn yaml(p: &RandomPlan) -> String {
    let mut out = String::from("hosts:\n");
    for h in 0..p.hosts {
        let _ = writeln!(out, "  h{h}: {{ address: 127.0.0.{} }}", h + 1);
    }
    out.push_str("services:\n");
    for &rank in &p.declared {
        let (deps, on) = &p.services[rank];
        let _ = writeln!(out, "  s{rank}:");
        let hosts: Vec<String> = on.iter().map(|h| format!("h{h}")).collect();
        let _ = writeln!(out, "    hosts: [{}]", hosts.join(", "));
        let deps: Vec<String> = deps.iter().map(|d| format!("s{d}")).collect();
        let _ = writeln!(out, "    depends_on: [{}]", deps.join(", "));
        let _ = writeln!(
            out,
            "    restart: restart s{rank}\n    health: [{{ tcp: 80 }}]"
        );
    }
    out
}

fn model(text: &str) -> Model {
    plan::parse(text, Path::new(".")).expect("valid plan").model
}

fn ids(model: &Model) -> Vec<String> {
    plan::plan(model, &Selection::default())
        .expect("non-empty")
        .steps
        .iter()
        .map(|s| s.id(model))
        .collect()
}

/// The order by definition: repeatedly take the first instance in plan order (services as
/// declared, then hosts as listed) whose dependencies have all been taken.
fn reference_order(model: &Model) -> Vec<String> {
    let mut done = vec![false; model.services.len()];
    let mut remaining: Vec<usize> = model.services.iter().map(|s| s.instances.len()).collect();
    let mut taken = vec![Vec::new(); model.services.len()];
    let mut out = Vec::new();
    loop {
        let next = (0..model.services.len())
            .find(|&s| remaining[s] > 0 && model.services[s].depends_on.iter().all(|&d| done[d]));
        let Some(s) = next else { break };
        let i = taken[s].len();
        taken[s].push(i);
        let host = model.services[s].instances[i].host;
        out.push(format!(
            "{}@{}",
            model.services[s].name, model.hosts[host].name
        ));
        remaining[s] -= 1;
        done[s] = remaining[s] == 0;
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_dependency_edge_is_respected(p in random_plan()) {
        let text = yaml(&p);
        let m = model(&text);
        let order = ids(&m);
        prop_assert_eq!(order.len(), m.instance_count());
        let position = |id: &str| order.iter().position(|o| o == id).expect("in order");
        for service in &m.services {
            for &d in &service.depends_on {
                let dep = &m.services[d];
                for a in &dep.instances {
                    for b in &service.instances {
                        let before = format!("{}@{}", dep.name, m.hosts[a.host].name);
                        let after = format!("{}@{}", service.name, m.hosts[b.host].name);
                        prop_assert!(position(&before) < position(&after), "{before} must precede {after}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_order_is_a_pure_function_of_the_plan(p in random_plan()) {
        let text = yaml(&p);
        // Two parses build their hash maps with different random seeds.
        let first = ids(&model(&text));
        let second = ids(&model(&text));
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(first, reference_order(&model(&text)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Bad input gets diagnostics, never a panic: arbitrary text, and plan-shaped text with
    /// random breakage.
    #[test]
    fn loading_never_panics(text in "(hosts:|services:|  [a-z]{1,4}:|    [a-z_]{1,10}: |\\{|\\}|\\[|\\]|- |tcp: |group:|[a-z0-9{}.$ ]{0,12}|\n){0,60}") {
        if let Err(diagnostics) = plan::parse(&text, Path::new(".")) {
            prop_assert!(!diagnostics.is_empty());
            for d in diagnostics {
                let _ = d.render("plan.yaml", &text);
            }
        }
    }
}
