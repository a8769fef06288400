//! Discovered edges can form cycles (two services that talk both ways, a reference in each
//! other's config). A plan cannot have one: each cycle is broken at its weakest edge (the one
//! whose best evidence is weakest, then with the least evidence), and the draft says so.

use super::draft::{BrokenEdge, Edge};
use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;
use std::collections::BTreeMap;

/// Splits `candidates` into the edges kept and the ones dropped to break cycles. `fixed` are
/// edges the plan already has: never dropped, but part of any cycle they close.
pub(crate) fn break_cycles(
    mut candidates: Vec<Edge>,
    fixed: &[(String, String)],
) -> (Vec<Edge>, Vec<BrokenEdge>) {
    let mut broken = Vec::new();
    while let Some(cycle) = find_cycle(&candidates, fixed) {
        // The weakest candidate edge on the cycle; ties go to the last in name order, so the
        // choice does not depend on the order edges were found in.
        let weakest = cycle
            .windows(2)
            .filter_map(|w| {
                candidates
                    .iter()
                    .position(|e| e.from == w[0] && e.to == w[1])
            })
            .min_by(|&a, &b| {
                let (ea, eb) = (&candidates[a], &candidates[b]);
                ea.strength()
                    .cmp(&eb.strength())
                    .then_with(|| (&eb.from, &eb.to).cmp(&(&ea.from, &ea.to)))
            });
        let Some(weakest) = weakest else {
            break; // the cycle is made of the plan's own edges: `check` reports it
        };
        let edge = candidates.remove(weakest);
        broken.push(BrokenEdge { edge, cycle });
    }
    (candidates, broken)
}

/// One cycle, as `[a, b, ..., a]`: found by walking from the smallest name of the first
/// component that has one, always to the smallest next name, so the same edges give the same
/// cycle (which need not start at that name).
fn find_cycle(candidates: &[Edge], fixed: &[(String, String)]) -> Option<Vec<String>> {
    let mut graph = DiGraph::<String, ()>::new();
    let mut nodes = BTreeMap::new();
    let pairs = candidates
        .iter()
        .map(|e| (&e.from, &e.to))
        .chain(fixed.iter().map(|(a, b)| (a, b)));
    for (from, to) in pairs {
        let mut node = |n: &String| {
            *nodes
                .entry(n.clone())
                .or_insert_with(|| graph.add_node(n.clone()))
        };
        let (a, b) = (node(from), node(to));
        graph.update_edge(a, b, ());
    }
    let mut sccs: Vec<Vec<String>> = tarjan_scc(&graph)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut names: Vec<String> = c.iter().map(|&n| graph[n].clone()).collect();
            names.sort();
            names
        })
        .collect();
    sccs.sort();
    let scc = sccs.into_iter().next()?;
    // Walk from the smallest name inside the component until a name repeats.
    let inside = |n: &String| scc.contains(n);
    let mut path = vec![scc[0].clone()];
    loop {
        let here = path.last().expect("non-empty");
        let mut next: Vec<&String> = candidates
            .iter()
            .map(|e| (&e.from, &e.to))
            .chain(fixed.iter().map(|(a, b)| (a, b)))
            .filter(|(f, t)| *f == here && inside(t))
            .map(|(_, t)| t)
            .collect();
        next.sort();
        let next = next.first()?.to_string();
        if let Some(start) = path.iter().position(|p| *p == next) {
            let mut cycle = path.split_off(start);
            cycle.push(next);
            return Some(cycle);
        }
        path.push(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::draft::{Evidence, EvidenceKind};

    fn edge(from: &str, to: &str, kinds: &[EvidenceKind]) -> Edge {
        Edge {
            from: from.into(),
            to: to.into(),
            evidence: kinds
                .iter()
                .map(|k| Evidence {
                    kind: k.clone(),
                    text: format!("{k:?}"),
                })
                .collect(),
        }
    }

    #[test]
    fn the_weakest_edge_of_a_cycle_goes() {
        use EvidenceKind::*;
        let (kept, broken) = break_cycles(
            vec![
                edge("app", "cache", &[Connection]),
                edge("cache", "app", &[ConfigHost]),
                edge("app", "db", &[ConfigPort]),
            ],
            &[],
        );
        assert_eq!(broken.len(), 1);
        assert_eq!(
            (broken[0].edge.from.as_str(), broken[0].edge.to.as_str()),
            ("cache", "app")
        );
        assert_eq!(broken[0].cycle, ["app", "cache", "app"]);
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn the_plans_own_edges_stay_and_close_cycles() {
        use EvidenceKind::*;
        let (kept, broken) = break_cycles(
            vec![edge("db", "app", &[Connection, Connection])],
            &[("app".into(), "db".into())],
        );
        assert!(kept.is_empty());
        assert_eq!(broken[0].cycle, ["app", "db", "app"]);
    }

    #[test]
    fn a_three_cycle_and_a_two_cycle_are_both_broken() {
        use EvidenceKind::*;
        let (kept, broken) = break_cycles(
            vec![
                edge("a", "b", &[Connection]),
                edge("b", "c", &[ConfigPort]),
                edge("c", "a", &[Connection]),
                edge("x", "y", &[ConfigPort]),
                edge("y", "x", &[ConfigPort, ConfigPort]),
            ],
            &[],
        );
        let dropped: Vec<(&str, &str)> = broken
            .iter()
            .map(|b| (b.edge.from.as_str(), b.edge.to.as_str()))
            .collect();
        assert_eq!(dropped, [("b", "c"), ("x", "y")]);
        assert_eq!(kept.len(), 3);
    }
}
