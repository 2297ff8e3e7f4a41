//! The dependency graph (petgraph): nodes are the entities with an outcome
//! and the certification; an edge `A → B` says "A is decided by B" (A's
//! rule reads B). It gives the evaluation order, the cycles and what can
//! influence the certification.

use acquis_diagnostics::text;
use rustc_hash::FxHashSet as HashSet;

use acquis_grammar::ast::Span;
use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, EdgeRef};

use crate::collect::{Entity, Model};
use crate::lower::Read;
use acquis_diagnostics::codes::Code;
use acquis_diagnostics::diagnostic::Diagnostic;
use acquis_diagnostics::source::FileId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    Entity(Entity),
    Certification,
}

/// Where the rule that reads a member mentions it.
#[derive(Debug, Clone, Copy)]
pub struct Edge {
    pub file: FileId,
    pub span: Span,
}

pub struct DependencyGraph {
    pub graph: DiGraph<Node, Edge>,
    layout: Layout,
}

/// Criteria, competencies, blocks, the certification, then the assessments
/// that have a rule: nodes are added in this order, so a node's index is
/// arithmetic, not a table lookup (assessments through `assessments`).
#[derive(Clone)]
struct Layout {
    counts: [usize; 3],
    /// Per assessment, its rank among those with a rule (`usize::MAX`:
    /// none, the assessment is not in the graph).
    assessments: Vec<usize>,
}

/// A set of nodes, as one flag per node index.
pub struct NodeSet {
    flags: Vec<bool>,
    layout: Layout,
}

impl NodeSet {
    pub fn contains(&self, node: &Node) -> bool {
        self.flags
            .get(node_index(&self.layout, *node).index())
            .copied()
            .unwrap_or(false)
    }
}

fn node_index(layout: &Layout, node: Node) -> NodeIndex {
    let [criteria, competencies, blocks] = layout.counts;
    NodeIndex::new(match node {
        Node::Entity(Entity::Criterion(i)) => i,
        Node::Entity(Entity::Competency(i)) => criteria + i,
        Node::Entity(Entity::Block(i)) => criteria + competencies + i,
        // An assessment without a rule is not in the graph: past the end.
        Node::Entity(Entity::Assessment(i)) => match layout.assessments.get(i) {
            Some(&rank) if rank != usize::MAX => criteria + competencies + blocks + 1 + rank,
            _ => usize::MAX - 1,
        },
        Node::Certification => criteria + competencies + blocks,
    })
}

/// Whether an assessment has an outcome: it states a rule over its parts.
pub fn has_outcome(model: &Model<'_>, assessment: usize) -> bool {
    model
        .assessments
        .get(assessment)
        .is_some_and(|a| a.ast.rule.is_some())
}

impl DependencyGraph {
    /// Every criterion, competency and block, the certification, and one
    /// edge per distinct (reader, member) pair.
    pub fn build(model: &Model<'_>, reads: &[(Node, Vec<Read>)]) -> Self {
        let counts = [
            model.criteria.len(),
            model.competencies.len(),
            model.blocks.len(),
        ];
        let mut decided = Vec::new();
        let mut assessments = vec![usize::MAX; model.assessments.len()];
        for (i, rank) in assessments.iter_mut().enumerate() {
            if has_outcome(model, i) {
                *rank = decided.len();
                decided.push(i);
            }
        }
        let layout = Layout {
            counts,
            assessments,
        };
        let mut graph = DiGraph::with_capacity(counts.iter().sum::<usize>() + 1, 0);
        let nodes = (0..model.criteria.len())
            .map(|i| Node::Entity(Entity::Criterion(i)))
            .chain((0..model.competencies.len()).map(|i| Node::Entity(Entity::Competency(i))))
            .chain((0..model.blocks.len()).map(|i| Node::Entity(Entity::Block(i))))
            .chain(std::iter::once(Node::Certification))
            .chain(
                decided
                    .into_iter()
                    .map(|i| Node::Entity(Entity::Assessment(i))),
            );
        for node in nodes {
            graph.add_node(node);
        }
        let node_count = graph.node_count();
        let mut seen = HashSet::default();
        for (reader, member_reads) in reads {
            let from = node_index(&layout, *reader);
            for read in member_reads {
                let to = node_index(&layout, Node::Entity(read.member));
                if from.index() >= node_count || to.index() >= node_count {
                    continue;
                }
                if seen.insert((from, to)) {
                    graph.add_edge(
                        from,
                        to,
                        Edge {
                            file: read.file,
                            span: read.span,
                        },
                    );
                }
            }
        }
        DependencyGraph { graph, layout }
    }

    /// Every cycle between rules, each reported once with its whole loop.
    pub fn cycles(&self, model: &Model<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for component in tarjan_scc(&self.graph) {
            let is_cycle = component.len() > 1
                || component
                    .first()
                    .is_some_and(|&n| self.graph.find_edge(n, n).is_some());
            if !is_cycle {
                continue;
            }
            let members: HashSet<NodeIndex> = component.iter().copied().collect();
            let Some(&start) = component.iter().min_by_key(|n| self.graph[**n]) else {
                continue;
            };
            let path = self.loop_from(start, &members);
            let names: Vec<String> = path.iter().map(|n| name(model, self.graph[*n])).collect();
            let first_name = names.first().cloned().unwrap_or_default();
            let mut edges = Vec::new();
            for (i, &from) in path.iter().enumerate() {
                let to = path.get(i + 1).copied().unwrap_or(start);
                if let Some(e) = self.graph.find_edge(from, to) {
                    edges.push((
                        self.graph[e],
                        name(model, self.graph[from]),
                        name(model, self.graph[to]),
                    ));
                }
            }
            let Some(first_edge) = edges.first().map(|e| e.0) else {
                continue;
            };
            let mut d = Diagnostic::new(
                Code::RuleCycle,
                text!(
                    "rules depend on each other in a cycle: {join} → {first_name}",
                    join = names.join(" → "),
                    first_name = &first_name
                ),
                first_edge.file,
                first_edge.span,
            );
            for (i, (edge, from, to)) in edges.iter().enumerate() {
                if i == 0 {
                    d = d.with_primary_message(text!(
                        "`{from}` is decided by `{to}` here",
                        from = &from,
                        to = &to
                    ));
                } else {
                    d = d.with_label(
                        edge.file,
                        edge.span,
                        text!("`{from}` is decided by `{to}` here", from = &from, to = &to),
                    );
                }
            }
            out.push(d.with_help(text!(
                "an outcome cannot depend on itself; remove one of these prerequisites"
            )));
        }
        out
    }

    /// A loop through `start` inside one strongly connected component.
    fn loop_from(&self, start: NodeIndex, members: &HashSet<NodeIndex>) -> Vec<NodeIndex> {
        // Depth-first search for a path back to `start`.
        let mut stack: Vec<(NodeIndex, Vec<NodeIndex>)> = vec![(start, vec![start])];
        let mut visited = HashSet::default();
        while let Some((node, path)) = stack.pop() {
            let mut next: Vec<NodeIndex> = self.graph.edges(node).map(|e| e.target()).collect();
            next.sort_by_key(|n| std::cmp::Reverse(self.graph[*n]));
            for target in next {
                if target == start {
                    return path;
                }
                if members.contains(&target) && visited.insert(target) {
                    let mut longer = path.clone();
                    longer.push(target);
                    stack.push((target, longer));
                }
            }
        }
        vec![start]
    }

    /// Evaluation order: each node after everything it is decided by.
    /// `None` when there is a cycle.
    pub fn order(&self) -> Option<Vec<Node>> {
        let mut sorted = toposort(&self.graph, None).ok()?;
        sorted.reverse();
        Some(sorted.into_iter().map(|n| self.graph[n]).collect())
    }

    /// The nodes the certification's outcome can depend on.
    pub fn influencing(&self) -> NodeSet {
        let mut flags = vec![false; self.graph.node_count()];
        let cert = node_index(&self.layout, Node::Certification);
        if cert.index() < self.graph.node_count() {
            let mut dfs = Dfs::new(&self.graph, cert);
            while let Some(n) = dfs.next(&self.graph) {
                if let Some(flag) = flags.get_mut(n.index()) {
                    *flag = true;
                }
            }
        }
        NodeSet {
            flags,
            layout: self.layout.clone(),
        }
    }

    /// Nodes read by at least one rule.
    pub fn read_nodes(&self) -> NodeSet {
        let mut flags = vec![false; self.graph.node_count()];
        for e in self.graph.edge_references() {
            if let Some(flag) = flags.get_mut(e.target().index()) {
                *flag = true;
            }
        }
        NodeSet {
            flags,
            layout: self.layout.clone(),
        }
    }
}

pub fn name(model: &Model<'_>, node: Node) -> String {
    match node {
        Node::Entity(e) => model.id_of(e).to_string(),
        Node::Certification => "certification".to_string(),
    }
}
