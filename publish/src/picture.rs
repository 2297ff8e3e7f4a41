//! Pictures of a referential's graph, from its IR: Graphviz `dot` and
//! Mermaid. Containment (block → competency → criterion) is drawn as
//! nesting; rule dependencies as arrows.

use std::fmt::Write;

use acquis_ir::Ir;

/// One arrow "`from` is decided by `to`", dashed when `to` is not one of
/// `from`'s own children (a prerequisite).
struct Arrow<'a> {
    from: &'a str,
    to: &'a str,
    prerequisite: bool,
}

fn arrows(ir: &Ir, with_criteria: bool) -> Vec<Arrow<'_>> {
    let mut out = Vec::new();
    let certification = "certification";
    for id in ir.certification.rule.expr.members() {
        out.push(Arrow {
            from: certification,
            to: id,
            prerequisite: !ir.certification.blocks.iter().any(|b| b == id),
        });
    }
    for block in &ir.blocks {
        for id in block.rule.expr.members() {
            let child = block.competencies.iter().any(|c| c == id);
            if with_criteria
                || ir.competencies.iter().any(|c| c.id == id)
                || ir.blocks.iter().any(|b| b.id == id)
            {
                out.push(Arrow {
                    from: &block.id,
                    to: id,
                    prerequisite: !child,
                });
            }
        }
    }
    for competency in &ir.competencies {
        for id in competency.rule.expr.members() {
            let child = competency.criteria.iter().any(|c| c == id);
            if child && !with_criteria {
                continue;
            }
            if !with_criteria && ir.criteria.iter().any(|c| c.id == id) {
                continue;
            }
            out.push(Arrow {
                from: &competency.id,
                to: id,
                prerequisite: !child,
            });
        }
    }
    out
}

/// A node name safe for dot and Mermaid: `n_` and the id with every
/// character outside `[A-Za-z0-9_]` written as `_XX`.
fn node(id: &str) -> String {
    let mut out = String::from("n_");
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}_", c as u32);
        }
    }
    out
}

fn escape_dot(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

pub fn dot(ir: &Ir, with_criteria: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph \"{}\" {{", escape_dot(&ir.referential.id));
    let _ = writeln!(
        out,
        "  rankdir=LR;\n  node [shape=box, fontname=\"sans-serif\"];"
    );
    let _ = writeln!(
        out,
        "  {} [label=\"{}\", shape=doubleoctagon];",
        node("certification"),
        escape_dot(&format!("{} — certification", ir.referential.id))
    );
    for block in &ir.blocks {
        let _ = writeln!(out, "  subgraph \"cluster_{}\" {{", node(&block.id));
        let _ = writeln!(
            out,
            "    label=\"{}\";",
            escape_dot(&format!("{} {}", block.id, short(&block.title, 60)))
        );
        let _ = writeln!(
            out,
            "    {} [label=\"{}\", shape=folder];",
            node(&block.id),
            escape_dot(&block.id)
        );
        for cid in &block.competencies {
            let title = ir
                .competencies
                .iter()
                .find(|c| &c.id == cid)
                .map_or("", |c| c.title.as_str());
            let _ = writeln!(
                out,
                "    {} [label=\"{}\"];",
                node(cid),
                escape_dot(&format!("{cid}\\n{}", short(title, 40)))
            );
            if with_criteria {
                if let Some(c) = ir.competencies.iter().find(|c| &c.id == cid) {
                    for k in &c.criteria {
                        let _ = writeln!(
                            out,
                            "    {} [label=\"{}\", shape=ellipse];",
                            node(k),
                            escape_dot(k)
                        );
                    }
                }
            }
        }
        let _ = writeln!(out, "  }}");
    }
    for a in arrows(ir, with_criteria) {
        let style = if a.prerequisite {
            " [style=dashed, label=\"prerequisite\"]"
        } else {
            ""
        };
        let _ = writeln!(out, "  {} -> {}{style};", node(a.from), node(a.to));
    }
    out.push_str("}\n");
    out
}

fn escape_mermaid(text: &str) -> String {
    text.replace('"', "#quot;")
}

pub fn mermaid(ir: &Ir, with_criteria: bool) -> String {
    let mut out = String::from("flowchart LR\n");
    let _ = writeln!(
        out,
        "  {}{{{{\"{}\"}}}}",
        node("certification"),
        escape_mermaid(&format!("{} — certification", ir.referential.id))
    );
    for block in &ir.blocks {
        let _ = writeln!(
            out,
            "  subgraph {}_box[\"{}\"]",
            node(&block.id),
            escape_mermaid(&format!("{} {}", block.id, short(&block.title, 60)))
        );
        let _ = writeln!(
            out,
            "    {}[\"{}\"]",
            node(&block.id),
            escape_mermaid(&block.id)
        );
        for cid in &block.competencies {
            let _ = writeln!(out, "    {}[\"{}\"]", node(cid), escape_mermaid(cid));
            if with_criteria {
                if let Some(c) = ir.competencies.iter().find(|c| &c.id == cid) {
                    for k in &c.criteria {
                        let _ = writeln!(out, "    {}([\"{}\"])", node(k), escape_mermaid(k));
                    }
                }
            }
        }
        out.push_str("  end\n");
    }
    for a in arrows(ir, with_criteria) {
        let arrow = if a.prerequisite {
            "-. prerequisite .->"
        } else {
            "-->"
        };
        let _ = writeln!(out, "  {} {arrow} {}", node(a.from), node(a.to));
    }
    out
}
