//! Events loaded as columns: the caller's columns checked in place (indexes in range, whole
//! millisecond instants, manual points only on manual credits, unique ids) and kept in input
//! order, with each block's span of instants and, when events have ids, their label order.

use super::columns::{earlier, is_whole_ms, later, same_lengths};
use crate::amount::{is_safe_whole, MAX_SAFE_INTEGER};
use crate::diagnostics::{Code, EngineError, Pointer};
use crate::model::{compare_ids, MANUAL};
use crate::scoring::{keep_first, IdList, MAX_LISTED_IDS};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

/// Events given as columns (what the JS `Engine.loadEventsColumns` passes through). Owned, so
/// the loaded events are these vectors, validated in place.
#[derive(Debug, Clone, Default)]
pub struct EventColumns {
    /// Per event: a position in `collaborator_ids`.
    pub collaborator_index: Vec<u32>,
    /// Per event: a position in `type_names`.
    pub type_index: Vec<u16>,
    /// Per event: the instant in milliseconds since 1970-01-01T00:00Z (whole numbers).
    pub occurred_at_ms: Vec<f64>,
    /// Per event: a manual credit's own points, or NaN for none (only `manual` events may
    /// carry points). `None`: no event carries points.
    pub points: Option<Vec<f64>>,
    pub collaborator_ids: Vec<String>,
    pub type_names: Vec<String>,
    /// Per event: its id, or `None` (labelled `/events/<i>`). `None`: no event has an id.
    pub event_ids: Option<Vec<Option<String>>>,
}

impl EventColumns {
    /// What the columns take in memory (`limits::column_bytes`): the measure of a handle's
    /// budget (`limits::MAX_HANDLE_BYTES`).
    pub fn bytes(&self) -> usize {
        let n = self.occurred_at_ms.len();
        let typed = self.collaborator_index.len() * 4
            + self.type_index.len() * 2
            + n * 8
            + self.points.as_ref().map_or(0, |p| p.len() * 8);
        let ids = self.event_ids.iter().flatten().map(|id| id.as_deref().unwrap_or_default());
        let (strings, text) =
            text_bytes(self.collaborator_ids.iter().chain(&self.type_names).map(String::as_str).chain(ids));
        crate::limits::column_bytes(typed, strings, text)
    }
}

/// How many strings, and their bytes.
pub(crate) fn text_bytes<'a>(strings: impl Iterator<Item = &'a str>) -> (usize, usize) {
    strings.fold((0, 0), |(count, bytes), s| (count + 1, bytes + s.len()))
}

/// Loaded events, in input order: position `i` is the input's event `i`.
#[derive(Debug, Clone, Default)]
pub(super) struct Events {
    pub(super) collaborator_ids: Vec<Arc<str>>,
    pub(super) type_names: Vec<String>,
    pub(super) collaborator_index: Vec<u32>,
    pub(super) type_index: Vec<u16>,
    /// Whole milliseconds (exact in an `f64`, see `MAX_ABS_MS`; -0 compares equal to 0).
    pub(super) occurred_at_ms: Vec<f64>,
    /// Manual points, NaN for none; empty when no event carries points.
    pub(super) points: Vec<f64>,
    /// Ids by position; empty when no event has an id.
    pub(super) event_ids: Vec<Option<String>>,
    /// With ids: each position's rank in label order (`compare_ids` of the labels) and the
    /// positions in that order. Empty without ids: the labels `/events/<i>` order by the
    /// decimal text of `i` (`cmp_decimal`).
    pub(super) label_rank: Vec<u32>,
    pub(super) by_label: Vec<u32>,
    /// The earliest and latest instant of each block of `EVENT_BLOCK` events, in order.
    pub(super) block_span: Vec<(f64, f64)>,
}

/// Events per block of `Events::block_span`.
pub(super) const EVENT_BLOCK: usize = 4096;

/// The span of no instant, which `widen` widens.
pub(super) const EMPTY_SPAN: (f64, f64) = (f64::INFINITY, f64::NEG_INFINITY);

/// The span `(earliest, latest)` widened to include `t` (never NaN).
pub(super) fn widen((earliest, latest): (f64, f64), t: f64) -> (f64, f64) {
    (earlier(earliest, t), later(latest, t))
}

impl Events {
    pub(super) fn label(&self, position: usize) -> String {
        match self.event_ids.get(position) {
            Some(Some(id)) => id.clone(),
            _ => format!("/events/{position}"),
        }
    }

    /// Label order (`compare_ids` of the labels) of two positions.
    pub(super) fn cmp_labels(&self, a: usize, b: usize) -> Ordering {
        match (self.label_rank.get(a), self.label_rank.get(b)) {
            (Some(x), Some(y)) => x.cmp(y),
            _ => cmp_decimal(a as u64, b as u64),
        }
    }

    /// The order events are taken in: (instant, label).
    pub(super) fn cmp_instants_then_labels(&self, a: usize, b: usize) -> Ordering {
        let at = |p: usize| self.occurred_at_ms.get(p).copied().unwrap_or(0.0);
        at(a).partial_cmp(&at(b)).unwrap_or(Ordering::Equal).then_with(|| self.cmp_labels(a, b))
    }

    /// Positions in label order.
    pub(super) fn in_label_order(&self) -> Box<dyn Iterator<Item = usize> + '_> {
        if self.by_label.is_empty() {
            Box::new(DecimalOrder::new(self.occurred_at_ms.len()))
        } else {
            Box::new(self.by_label.iter().map(|p| *p as usize))
        }
    }

    /// The ids of the events at these positions, in label order, capped.
    pub(super) fn list_positions(&self, mut positions: Vec<u32>) -> IdList {
        let count = positions.len();
        keep_first(&mut positions, MAX_LISTED_IDS, |a, b| self.cmp_labels(*a as usize, *b as usize));
        IdList {
            count,
            ids: positions.iter().map(|p| self.label(*p as usize)).collect(),
            truncated: count > MAX_LISTED_IDS,
        }
    }

    /// The ids of the `count` events whose instant `matches`, in label order, capped. A large
    /// set is read by walking the label order until enough are found.
    pub(super) fn list_where(&self, count: usize, matches: impl Fn(f64) -> bool) -> IdList {
        let hit = |p: usize| self.occurred_at_ms.get(p).is_some_and(|t| matches(*t));
        if count.saturating_mul(16) < self.occurred_at_ms.len() {
            return self.list_positions((0..self.occurred_at_ms.len()).filter(|p| hit(*p)).map(|p| p as u32).collect());
        }
        let ids = self.in_label_order().filter(|p| hit(*p)).take(MAX_LISTED_IDS).map(|p| self.label(p)).collect();
        IdList { count, ids, truncated: count > MAX_LISTED_IDS }
    }

    /// Computes the label order when events have ids (refusing a repeated id, located by
    /// `duplicate_path` from its position); without ids there is nothing to compute.
    /// Completes loaded events: the label order (refusing a repeated id, located by
    /// `duplicate_path` from its position) and the span of each block.
    pub(super) fn index(&mut self, duplicate_path: &dyn Fn(usize) -> Pointer) -> Result<(), EngineError> {
        if self.block_span.len() != self.occurred_at_ms.len().div_ceil(EVENT_BLOCK) {
            self.block_span = self
                .occurred_at_ms
                .chunks(EVENT_BLOCK)
                .map(|block| block.iter().fold(EMPTY_SPAN, |s, t| widen(s, *t)))
                .collect();
        }
        self.order_labels(duplicate_path)
    }

    pub(super) fn order_labels(&mut self, duplicate_path: &dyn Fn(usize) -> Pointer) -> Result<(), EngineError> {
        if self.event_ids.is_empty() {
            self.label_rank = Vec::new();
            self.by_label = Vec::new();
            return Ok(());
        }
        let n = self.occurred_at_ms.len();
        // Borrowed where the event has an id: a copy of every id would be most of the sort.
        let labels: Vec<Cow<str>> = (0..n)
            .map(|i| match self.event_ids.get(i) {
                Some(Some(id)) => Cow::Borrowed(id.as_str()),
                _ => Cow::Owned(self.label(i)),
            })
            .collect();
        let label = |i: u32| labels.get(i as usize).map_or("", |l| l.as_ref());
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by(|a, b| compare_ids(label(*a), label(*b)).then_with(|| a.cmp(b)));
        // Equal ids sort next to each other; the first repeat in input order is the error.
        let has_id = |i: u32| matches!(self.event_ids.get(i as usize), Some(Some(_)));
        let repeat = order
            .windows(2)
            .filter_map(|w| match w {
                [a, b] if has_id(*a) && has_id(*b) && label(*a) == label(*b) => Some(*b as usize),
                _ => None,
            })
            .min();
        if let Some(i) = repeat {
            return Err(EngineError::new(
                Code::EventsDuplicateId,
                &duplicate_path(i),
                format!("Event id `{}` appears more than once.", self.label(i)),
            ));
        }
        self.label_rank = inverse(&order);
        self.by_label = order;
        Ok(())
    }
}

pub(super) fn read_columns(columns: EventColumns) -> Result<Events, EngineError> {
    let root = Pointer::root().key("events");
    let EventColumns {
        mut collaborator_index,
        mut type_index,
        occurred_at_ms,
        points,
        collaborator_ids,
        type_names,
        event_ids,
    } = columns;
    let n = occurred_at_ms.len();
    same_lengths(
        &root,
        "event",
        ("occurredAtMs", n),
        &[
            ("collaboratorIndex", Some(collaborator_index.len())),
            ("typeIndex", Some(type_index.len())),
            ("points", points.as_ref().map(Vec::len)),
            ("eventIds", event_ids.as_ref().map(Vec::len)),
        ],
    )?;
    if n > u32::MAX as usize - 1 {
        return Err(EngineError::new(
            Code::InputTooLarge,
            &root.key("occurredAtMs"),
            "The bulk path holds fewer than 2^32 events.",
        ));
    }

    // Tables: the same id twice is one collaborator (one type), under its first index.
    let mut collaborators: HashMap<String, u32> = HashMap::new();
    let mut collaborator_map = Vec::with_capacity(collaborator_ids.len());
    for (i, id) in collaborator_ids.into_iter().enumerate() {
        if id.is_empty() {
            return Err(EngineError::new(
                Code::PreviewInvalidId,
                &root.key("collaboratorIds").index(i),
                "A collaborator id must not be empty.",
            ));
        }
        let next = collaborators.len() as u32;
        collaborator_map.push(*collaborators.entry(id).or_insert(next));
    }
    let mut types: HashMap<String, u16> = HashMap::new();
    let mut type_map = Vec::with_capacity(type_names.len());
    for (i, name) in type_names.into_iter().enumerate() {
        if name.is_empty() {
            return Err(EngineError::new(
                Code::InputWrongType,
                &root.key("typeNames").index(i),
                "`type` must not be empty.",
            ));
        }
        if i > usize::from(u16::MAX) {
            return Err(EngineError::new(
                Code::InputTooLarge,
                &root.key("typeNames"),
                "The bulk path holds at most 65,536 event types.",
            ));
        }
        let next = types.len() as u16;
        type_map.push(*types.entry(name).or_insert(next));
    }
    let manual = types.get(MANUAL).copied();

    // One pass, in sequence, mapping the indexes to interned ones in place (the lengths are
    // equal, checked above); an error is built only when a value is bad.
    // Block by block, so each block's span is read from cache right after its checks, not in
    // a second pass over the instants.
    let mut block_span = Vec::with_capacity(n.div_ceil(EVENT_BLOCK));
    let blocks = collaborator_index
        .chunks_mut(EVENT_BLOCK)
        .zip(type_index.chunks_mut(EVENT_BLOCK))
        .zip(occurred_at_ms.chunks(EVENT_BLOCK));
    // Tables without a repeated id (the usual case) intern each index as itself: a block is
    // then only checked, without a branch per event, and gone through again only to locate
    // its first bad value.
    let as_is = collaborator_map.iter().enumerate().all(|(i, &m)| m as usize == i)
        && type_map.iter().enumerate().all(|(i, &m)| usize::from(m) == i);
    let (people, kinds) = (collaborator_map.len(), type_map.len());
    for (b, ((cs, ks), ts)) in blocks.enumerate() {
        let checked = as_is
            && cs.iter().zip(ks.iter()).zip(ts).fold(true, |ok, ((&c, &k), &t)| {
                ok & ((c as usize) < people) & (usize::from(k) < kinds) & is_whole_ms(t)
            });
        if checked {
            block_span.push(ts.iter().fold(EMPTY_SPAN, |span, t| widen(span, *t)));
            continue;
        }
        for (offset, ((c, k), &t)) in cs.iter_mut().zip(ks.iter_mut()).zip(ts).enumerate() {
            let i = b * EVENT_BLOCK + offset;
            let (Some(&interned_c), Some(&interned_k)) = (collaborator_map.get(*c as usize), type_map.get(*k as usize))
            else {
                return Err(index_error(&root, i, *c, *k, collaborator_map.len(), type_map.len()));
            };
            if !is_whole_ms(t) {
                return Err(EngineError::new(
                    Code::TimeInvalidTimestamp,
                    &root.key("occurredAtMs").index(i),
                    "`occurredAtMs` must be a whole number of milliseconds since 1970-01-01T00:00Z (as `Date.getTime()` returns).",
                ));
            }
            *c = interned_c;
            *k = interned_k;
        }
        block_span.push(ts.iter().fold(EMPTY_SPAN, |span, t| widen(span, *t)));
    }
    let mut events = Events {
        collaborator_ids: table(collaborators),
        type_names: table(types),
        collaborator_index,
        type_index,
        block_span,
        occurred_at_ms,
        ..Events::default()
    };
    if let Some(points) = points {
        // A pass of its own: fused into the blocks' checks it was slower (BENCHMARKS.md).
        for (i, (&p, &k)) in points.iter().zip(&events.type_index).enumerate() {
            if p.is_nan() {
                continue;
            }
            let at = || root.key("points").index(i);
            if Some(k) != manual {
                let kind = events.type_names.get(k as usize).map_or("", String::as_str);
                return Err(EngineError::new(
                    Code::EventsUnexpectedPoints,
                    &at(),
                    format!("Only `manual` credits carry `points`; a `{kind}` event is worth what the configuration says (use NaN for no points)."),
                ));
            }
            if !is_safe_whole(p) {
                return Err(EngineError::new(
                    Code::EventsInvalidPoints,
                    &at(),
                    format!("`points` must be a whole number from 0 to {MAX_SAFE_INTEGER}."),
                ));
            }
        }
        events.points = points;
    }
    if let Some(ids) = event_ids {
        if let Some(i) = ids.iter().position(|id| id.as_deref() == Some("")) {
            return Err(EngineError::new(
                Code::PreviewInvalidId,
                &root.key("eventIds").index(i),
                "`id` must not be empty.",
            ));
        }
        if ids.iter().any(Option::is_some) {
            events.event_ids = ids;
        }
    }
    events.index(&|i| root.key("eventIds").index(i))?;
    Ok(events)
}

/// Which index of event `i` is out of range (the collaborator's is reported first, as the
/// columns are read in that order).
#[cold]
pub(super) fn index_error(root: &Pointer, i: usize, c: u32, k: u16, collaborators: usize, types: usize) -> EngineError {
    if c as usize >= collaborators {
        EngineError::new(
            Code::EventsIndexOutOfRange,
            &root.key("collaboratorIndex").index(i),
            format!("Collaborator index {c} is not a position in `collaboratorIds` ({collaborators} ids)."),
        )
    } else {
        EngineError::new(
            Code::EventsIndexOutOfRange,
            &root.key("typeIndex").index(i),
            format!("Type index {k} is not a position in `typeNames` ({types} names)."),
        )
    }
}

/// The inverse of a permutation of 0..n.
pub(super) fn inverse(permutation: &[u32]) -> Vec<u32> {
    let mut inverse = vec![0u32; permutation.len()];
    for (i, p) in permutation.iter().enumerate() {
        if let Some(slot) = inverse.get_mut(*p as usize) {
            *slot = i as u32;
        }
    }
    inverse
}

/// Orders whole numbers as their decimal texts ("10" < "9"): the order of the labels
/// `/events/<i>` under `compare_ids` (they are not numbers, so bytewise). The longer text is cut
/// to the shorter's length; equal prefixes leave the shorter first.
pub(super) fn cmp_decimal(a: u64, b: u64) -> Ordering {
    let digits = |x: u64| x.checked_ilog10().map_or(1, |l| l + 1);
    let (da, db) = (digits(a), digits(b));
    let cut = |x: u64, by: u32| x / 10u64.pow(by);
    cut(a, da.saturating_sub(db)).cmp(&cut(b, db.saturating_sub(da))).then(da.cmp(&db))
}

/// 0..n in the order of their decimal texts ("0", "1", "10", "100", "11", …, "2", …), one at
/// a time (a preorder walk of the decimal digit tree).
pub(super) struct DecimalOrder {
    pub(super) next: Option<u64>,
    pub(super) max: u64,
}

impl DecimalOrder {
    pub(super) fn new(n: usize) -> Self {
        DecimalOrder { next: (n > 0).then_some(0), max: (n as u64).saturating_sub(1) }
    }
}

impl Iterator for DecimalOrder {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        let current = self.next?;
        self.next = if current == 0 {
            (self.max >= 1).then_some(1)
        } else if current.saturating_mul(10) <= self.max {
            Some(current * 10)
        } else {
            let mut up = current;
            while up % 10 == 9 || up + 1 > self.max {
                up /= 10;
                if up == 0 {
                    break;
                }
            }
            (up != 0).then_some(up + 1)
        };
        Some(current as usize)
    }
}

/// Names by interned index (the indexes are 0..n, each once): placed, not sorted (a sort is
/// compiled again for each element type, in wasm several KB).
pub(super) fn table<I: Copy + Into<u64>, T: From<String> + Default + Clone>(map: HashMap<String, I>) -> Vec<T> {
    let mut names = vec![T::default(); map.len()];
    for (name, i) in map {
        if let Some(slot) = usize::try_from(i.into()).ok().and_then(|i| names.get_mut(i)) {
            *slot = T::from(name);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A block checked at once (tables without a repeated id) locates its first bad value as
    /// one gone through event by event does, and every index and instant is checked before any
    /// point.
    #[test]
    fn checked_blocks_locate_errors_as_the_event_by_event_pass() {
        let n = 3 * EVENT_BLOCK;
        let columns = |repeat: bool| EventColumns {
            collaborator_index: (0..n).map(|i| (i % 3) as u32).collect(),
            type_index: (0..n).map(|i| (i % 2) as u16).collect(),
            occurred_at_ms: (0..n).map(|i| i as f64).collect(),
            points: Some((0..n).map(|i| if i % 2 == 1 { 5.0 } else { f64::NAN }).collect()),
            collaborator_ids: ["a", "b", if repeat { "a" } else { "c" }].map(String::from).to_vec(),
            type_names: ["visit", MANUAL].map(String::from).to_vec(),
            event_ids: None,
        };
        let error = |repeat: bool, edit: &dyn Fn(&mut EventColumns)| {
            let mut c = columns(repeat);
            edit(&mut c);
            read_columns(c).err().map(|e| (e.code.as_str(), e.path))
        };
        let late = EVENT_BLOCK + 9;
        for repeat in [false, true] {
            assert!(error(repeat, &|_| ()).is_none());
            let two = |c: &mut EventColumns| {
                c.type_index[late] = 7;
                c.occurred_at_ms[late + 1] = 0.5;
            };
            assert_eq!(error(repeat, &two), Some(("events.indexOutOfRange", format!("/events/typeIndex/{late}"))));
            let instant_after_point = |c: &mut EventColumns| {
                c.points.as_mut().expect("points")[0] = 3.0;
                c.occurred_at_ms[2 * EVENT_BLOCK + 5] = f64::NAN;
            };
            assert_eq!(
                error(repeat, &instant_after_point),
                Some(("time.invalidTimestamp", format!("/events/occurredAtMs/{}", 2 * EVENT_BLOCK + 5)))
            );
            let point = |c: &mut EventColumns| c.points.as_mut().expect("points")[late] = 0.25;
            assert_eq!(error(repeat, &point), Some(("events.invalidPoints", format!("/events/points/{late}"))));
            let collaborator = |c: &mut EventColumns| c.collaborator_index[n - 1] = 3;
            assert_eq!(
                error(repeat, &collaborator),
                Some(("events.indexOutOfRange", format!("/events/collaboratorIndex/{}", n - 1)))
            );
        }
    }

    #[test]
    fn decimal_order_is_label_order() {
        for n in [0usize, 1, 2, 9, 10, 11, 99, 100, 101, 1234] {
            let mut expected: Vec<usize> = (0..n).collect();
            expected.sort_by(|a, b| compare_ids(&format!("/events/{a}"), &format!("/events/{b}")));
            assert_eq!(DecimalOrder::new(n).collect::<Vec<_>>(), expected, "n = {n}");
            let mut by_cmp: Vec<usize> = (0..n).collect();
            by_cmp.sort_by(|a, b| cmp_decimal(*a as u64, *b as u64));
            assert_eq!(by_cmp, expected, "n = {n}");
        }
        assert_eq!(cmp_decimal(u64::MAX, 9), Ordering::Less);
        assert_eq!(cmp_decimal(0, 0), Ordering::Equal);
        assert_eq!(cmp_decimal(1, 10), Ordering::Less);
    }
}
