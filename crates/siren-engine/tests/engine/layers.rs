//! The core's modules form layers that only point down (ARCHITECTURE.md): this test reads
//! `src/`, finds every module each file names through `crate::` or `super::`, and fails on an
//! import into a higher layer or on any cycle between modules (files).
//!
//! A module is a file: `a.rs` and `a/mod.rs` are `a`, `a/b.rs` is `a::b`. A path names the
//! longest module it starts with, so `crate::preview::Preview` (re-exported by `preview/mod.rs`)
//! is an edge to `preview`, not to the file that defines `Preview`; `pub use events::X` in a
//! file that declares `mod events;` is an edge to its child. Code from a line holding
//! `#[cfg(test)]` on is a file's unit tests and is not read, nor is `src/tests/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules by layer, lowest first. A module may use its own layer's modules (the
/// cycle check keeps those one-way) and lower layers', never a higher layer's.
const LAYERS: &[(&str, &[&str])] = &[
    ("foundation", &["diagnostics", "limits", "money", "registry", "sorting", "tz"]),
    ("values", &["amount", "wide", "time", "schedule", "json_read"]),
    ("documents and records", &["config", "recipe", "model"]),
    ("computing", &["scoring", "pool", "resolvers"]),
    ("cycles", &["preview", "simulate", "compare"]),
    ("bulk path", &["bulk"]),
    ("operations", &["api"]),
];

fn layer_of(module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or(module);
    LAYERS.iter().position(|(_, modules)| modules.contains(&top))
}

/// `src/` as (module path, source without comments and unit tests).
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                // src/tests/ holds the unit tests (cfg(test)), not a layer of the engine.
                if path != src.join("tests") {
                    stack.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("under src/").with_extension("");
            let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
                parts.pop();
            }
            let text = std::fs::read_to_string(&path).expect("a source file");
            let code: String = text
                .lines()
                .take_while(|line| !line.contains("#[cfg(test)]"))
                .map(|line| line.split("//").next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            found.insert(parts.join("::"), code);
        }
    }
    found
}

/// The paths a source names from `crate::` or `super::`, with `use` groups (`{a, b::c}`) expanded.
fn named_paths(code: &str, module: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let parent: Vec<String> = {
        let mut p: Vec<String> = module.split("::").filter(|s| !s.is_empty()).map(String::from).collect();
        p.pop();
        p
    };
    let own: Vec<String> = module.split("::").filter(|s| !s.is_empty()).map(String::from).collect();
    // A path that starts at a child module the file declares (`pub use events::EventColumns`).
    let children: Vec<String> = code
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("pub ").unwrap_or(line.trim_start()).strip_prefix("mod "))
        .filter_map(|rest| rest.strip_suffix(';'))
        .map(|name| format!("{name}::"))
        .collect();
    let mut starts: Vec<(String, Vec<String>)> = vec![("crate::".into(), Vec::new()), ("super::".into(), parent)];
    starts.extend(children.into_iter().map(|child| {
        let mut base = own.clone();
        base.push(child.trim_end_matches("::").to_string());
        (child, base)
    }));
    for (start, base) in &starts {
        let mut rest = code;
        while let Some(at) = rest.find(start) {
            let preceded = rest[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
            rest = &rest[at + start.len()..];
            if preceded {
                continue;
            }
            expand(rest, base, &mut paths);
        }
    }
    paths
}

/// Reads one path (or group) at the start of `text`, prefixed by `base`.
fn expand(text: &str, base: &[String], out: &mut Vec<Vec<String>>) {
    if let Some(group) = text.strip_prefix('{') {
        let mut depth = 0;
        let mut item_start = 0;
        for (i, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    expand(group[item_start..i].trim_start(), base, out);
                    return;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(group[item_start..i].trim_start(), base, out);
                    item_start = i + 1;
                }
                _ => {}
            }
        }
        return;
    }
    let mut path = base.to_vec();
    let mut rest = text;
    loop {
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        path.push(rest[..end].to_string());
        rest = &rest[end..];
        match rest.strip_prefix("::") {
            Some(next) if next.starts_with('{') => return expand(next, &path, out),
            Some(next) => rest = next,
            None => break,
        }
    }
    out.push(path);
}

/// The module graph: each module and the modules it names (never itself or an ancestor of itself
/// reached through its own declarations).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in &modules {
        let targets = edges.entry(module.clone()).or_default();
        for path in named_paths(code, module) {
            let target =
                (1..=path.len()).rev().map(|n| path[..n].join("::")).find(|candidate| modules.contains_key(candidate));
            if let Some(target) = target.filter(|t| t != module && !t.is_empty()) {
                targets.insert(target);
            }
        }
    }
    edges
}

#[test]
fn every_module_is_in_a_layer() {
    let unplaced: Vec<String> = graph().into_keys().filter(|m| !m.is_empty() && layer_of(m).is_none()).collect();
    assert!(unplaced.is_empty(), "modules in no layer of tests/engine/layers.rs: {unplaced:?}");
}

#[test]
fn no_module_imports_a_higher_layer() {
    let mut upward = Vec::new();
    for (module, targets) in graph() {
        let Some(from) = layer_of(&module) else { continue };
        for target in targets {
            if layer_of(&target).is_some_and(|to| to > from) {
                upward.push(format!(
                    "{module} ({}) -> {target} ({})",
                    LAYERS[from].0,
                    LAYERS[layer_of(&target).unwrap_or(0)].0
                ));
            }
        }
    }
    assert!(upward.is_empty(), "imports into a higher layer:\n{}", upward.join("\n"));
}

#[test]
fn no_import_cycle_between_modules() {
    let graph = graph();
    // Depth-first search; a grey module met again closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Grey,
        Black,
    }
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(module) {
            Some(Mark::Black) => return None,
            Some(Mark::Grey) => {
                let from = stack.iter().position(|m| m == module).unwrap_or(0);
                let mut cycle = stack[from..].to_vec();
                cycle.push(module.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(module.to_string(), Mark::Grey);
        stack.push(module.to_string());
        for target in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(target, graph, marks, stack) {
                return Some(cycle);
            }
        }
        stack.pop();
        marks.insert(module.to_string(), Mark::Black);
        None
    }
    let mut marks = BTreeMap::new();
    for module in graph.keys() {
        if let Some(cycle) = visit(module, &graph, &mut marks, &mut Vec::new()) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_reader_finds_grouped_and_relative_paths() {
    let paths = named_paths("mod r;\nuse crate::{a::{b, c::D}, e};\nlet x = super::f::g();\npub use r::S;", "p::q");
    let joined: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(joined, ["a::b", "a::c::D", "e", "p::f::g", "p::q::r::S"]);
}
