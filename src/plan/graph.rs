//! The dependency graphs: services (for cycles) and instances (for the restart order).
//!
//! An instance is a service on one host. Every instance of a dependency restarts before every
//! instance of its dependents; ties keep the plan's order of services, then of hosts.

use super::model::{Model, Service, ServiceId};
use petgraph::Direction;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Every cycle of `depends_on`, one per strongly connected component, in the direction
/// "depends on": `[app, cache]` reads `app -> cache -> app`. Starts at the component's first
/// service in plan order; components come in plan order too.
pub fn service_cycles(services: &[Service]) -> Vec<Vec<ServiceId>> {
    let mut graph = DiGraph::<ServiceId, ()>::with_capacity(services.len(), 0);
    let nodes: Vec<NodeIndex> = (0..services.len()).map(|s| graph.add_node(s)).collect();
    for (s, service) in services.iter().enumerate() {
        for &dep in &service.depends_on {
            graph.add_edge(nodes[s], nodes[dep], ());
        }
    }
    let mut cycles: Vec<Vec<ServiceId>> = tarjan_scc(&graph)
        .into_iter()
        .filter(|scc| scc.len() > 1 || graph.contains_edge(scc[0], scc[0]))
        .map(|scc| {
            let mut members: Vec<ServiceId> = scc.iter().map(|n| graph[*n]).collect();
            members.sort_unstable();
            cycle_through(services, &members)
        })
        .collect();
    cycles.sort();
    cycles
}

/// A shortest cycle from the first member back to itself, staying inside the component.
fn cycle_through(services: &[Service], members: &[ServiceId]) -> Vec<ServiceId> {
    let start = members[0];
    let mut previous = vec![None; services.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(s) = queue.pop_front() {
        for &dep in &services[s].depends_on {
            if dep == start {
                let mut path = vec![s];
                while let Some(p) = previous[*path.last().expect("non-empty")] {
                    path.push(p);
                }
                path.reverse();
                return path;
            }
            if members.binary_search(&dep).is_ok() && previous[dep].is_none() {
                previous[dep] = Some(s);
                queue.push_back(dep);
            }
        }
    }
    vec![start]
}

/// One node per (service, instance index); an edge from every instance of a dependency to every
/// instance of its dependents.
pub struct InstanceGraph {
    /// The nodes and edges.
    pub graph: DiGraph<InstanceRef, ()>,
    /// `first[s]` is the node of service `s`'s first instance; its instances are contiguous.
    first: Vec<usize>,
}

/// One instance of a service: the graph's node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstanceRef {
    /// The service.
    pub service: ServiceId,
    /// Index into `Service::instances`, which keeps the service's order of hosts.
    pub instance: usize,
}

impl InstanceGraph {
    /// The graph of `model`'s instances.
    pub fn new(model: &Model) -> InstanceGraph {
        let nodes = model.instance_count();
        let edges: usize = model
            .services
            .iter()
            .map(|s| {
                s.depends_on
                    .iter()
                    .map(|&d| model.services[d].instances.len() * s.instances.len())
                    .sum::<usize>()
            })
            .sum();
        let mut graph = DiGraph::with_capacity(nodes, edges);
        let mut first = Vec::with_capacity(model.services.len());
        for (service, s) in model.services.iter().enumerate() {
            first.push(graph.node_count());
            for instance in 0..s.instances.len() {
                graph.add_node(InstanceRef { service, instance });
            }
        }
        let mut ig = InstanceGraph { graph, first };
        for (s, service) in model.services.iter().enumerate() {
            for &d in &service.depends_on {
                for from in ig.nodes_of(d, model) {
                    for to in ig.nodes_of(s, model) {
                        ig.graph.add_edge(from, to, ());
                    }
                }
            }
        }
        ig
    }

    fn nodes_of(
        &self,
        service: ServiceId,
        model: &Model,
    ) -> impl Iterator<Item = NodeIndex> + use<> {
        let first = self.first[service];
        (first..first + model.services[service].instances.len()).map(NodeIndex::new)
    }

    /// The restart order of the selected nodes: Kahn's algorithm, always taking the ready
    /// instance that comes first in the plan. Edges to unselected nodes are ignored. The
    /// graph is acyclic: validation refuses cycles.
    pub fn order(&self, selected: &[bool]) -> Vec<NodeIndex> {
        let g = &self.graph;
        let mut waiting: Vec<usize> = vec![0; g.node_count()];
        for edge in g.raw_edges() {
            if selected[edge.source().index()] && selected[edge.target().index()] {
                waiting[edge.target().index()] += 1;
            }
        }
        // Node indices follow plan order (services, then their hosts), so the smallest
        // index is the tie-break the design asks for.
        let mut ready: BinaryHeap<Reverse<usize>> = (0..g.node_count())
            .filter(|&n| selected[n] && waiting[n] == 0)
            .map(Reverse)
            .collect();
        let mut order = Vec::with_capacity(selected.iter().filter(|s| **s).count());
        while let Some(Reverse(n)) = ready.pop() {
            order.push(NodeIndex::new(n));
            for next in g.neighbors_directed(NodeIndex::new(n), Direction::Outgoing) {
                let i = next.index();
                if selected[i] {
                    waiting[i] -= 1;
                    if waiting[i] == 0 {
                        ready.push(Reverse(i));
                    }
                }
            }
        }
        order
    }

    /// Everything downstream of the given nodes (not including them unless reachable).
    pub fn downstream(&self, from: &[bool]) -> Vec<bool> {
        let mut reached = vec![false; self.graph.node_count()];
        let mut stack: Vec<NodeIndex> = (0..from.len())
            .filter(|&n| from[n])
            .map(NodeIndex::new)
            .collect();
        while let Some(n) = stack.pop() {
            for next in self.graph.neighbors_directed(n, Direction::Outgoing) {
                if !reached[next.index()] {
                    reached[next.index()] = true;
                    stack.push(next);
                }
            }
        }
        reached
    }
}
