//! An output's long lists, taken out before its JSON text is written and put back in JS by
//! `restoreLists` (js/convert.js): the leaderboards, the scoring explanations' collaborators and
//! the allocations and shares. Thousands of small objects cost several times more as JSON text
//! (written escaped, decoded, parsed) than as one text of their strings and one array of their
//! numbers (docs/decisions.md, "Outputs' long lists cross apart from their JSON").
//!
//! The stream, read in the same order by `restoreLists`: `lengths` holds each list's length,
//! each string's length in UTF-16 units (`u32::MAX` for an absent optional one), each map's size,
//! each map key's reference and each flag; `numbers` holds every number; `text` every string.
//! A map key is a reference into the keys seen so far; the next new key is referenced by their
//! count and its text follows (event type names repeat in every entry).

use siren_engine::{
    limits, AllocationOut, Code, CollaboratorExplanation, EngineError, LeaderboardEntry, Pointer, ShareOut,
};
use std::collections::HashMap;

/// The largest whole number a JS number holds exactly, and every one below it.
const MAX_EXACT: u64 = (1 << 53) - 1;

/// Which list a holder holds, and under which key (`restoreLists` reads the same letters).
#[derive(Clone, Copy)]
enum Kind {
    /// `leaderboard`: `LeaderboardEntry`s.
    Leaderboard,
    /// `collaborators` of `explanation.scoring`: `CollaboratorExplanation`s.
    Scoring,
    /// `allocations`: `AllocationOut`s.
    Allocations,
    /// `shares` of `explanation.allocation`: `ShareOut`s.
    Shares,
}

#[derive(Default)]
pub(crate) struct Taken {
    /// Each list's kind letter and its holder's JSON Pointer, one list per line.
    pub(crate) holders: String,
    pub(crate) text: String,
    pub(crate) lengths: Vec<u32>,
    pub(crate) numbers: Vec<f64>,
    keys: HashMap<String, u32>,
    /// The keys by reference, to try first the one after the last key written: maps of the same
    /// types, in the same order, follow each other.
    key_list: Vec<String>,
    next_key: usize,
}

impl Taken {
    pub(crate) fn is_empty(&self) -> bool {
        self.holders.is_empty()
    }

    pub(crate) fn leaderboard(&mut self, holder: &str, list: &mut Vec<LeaderboardEntry>) -> Result<(), EngineError> {
        let size = |e: &LeaderboardEntry| Size {
            text: e.collaborator_id.len() + e.reached_at.as_ref().map_or(0, String::len),
            lengths: 3 + 2 * e.breakdown.len(),
            numbers: 3 + e.breakdown.len(),
        };
        self.start(Kind::Leaderboard, holder, list.len(), list.iter().map(size).sum())?;
        for entry in list.iter() {
            self.string(&entry.collaborator_id);
            self.numbers.extend([entry.score as f64, entry.rank as f64]);
            self.map(&mut entry.breakdown.iter().map(|(key, points)| (key, *points as f64)));
            self.numbers.push(entry.behind_leader as f64);
            match &entry.reached_at {
                Some(at) => self.string(at),
                None => self.lengths.push(u32::MAX),
            }
        }
        // Dropped whole: the output's own drop, not a second copy of it per entry.
        drop(std::mem::take(list));
        Ok(())
    }

    pub(crate) fn scoring(&mut self, holder: &str, list: &mut Vec<CollaboratorExplanation>) -> Result<(), EngineError> {
        let size = |c: &CollaboratorExplanation| Size {
            text: c.collaborator_id.len() + c.events.ids.iter().map(String::len).sum::<usize>(),
            lengths: 4 + 2 * c.event_counts.len() + c.events.ids.len(),
            numbers: 2 + c.event_counts.len(),
        };
        self.start(Kind::Scoring, holder, list.len(), list.iter().map(size).sum())?;
        for c in list.iter() {
            self.string(&c.collaborator_id);
            self.numbers.push(c.score as f64);
            self.map(&mut c.event_counts.iter().map(|(key, count)| (key, *count as f64)));
            self.numbers.push(c.events.count as f64);
            self.lengths.push(c.events.ids.len() as u32);
            for id in &c.events.ids {
                self.string(id);
            }
            self.lengths.push(u32::from(c.events.truncated));
        }
        drop(std::mem::take(list));
        Ok(())
    }

    pub(crate) fn allocations(&mut self, holder: &str, list: &mut Vec<AllocationOut>) -> Result<(), EngineError> {
        let size = |a: &AllocationOut| Size { text: a.collaborator_id.len() + a.amount.len(), lengths: 2, numbers: 0 };
        self.start(Kind::Allocations, holder, list.len(), list.iter().map(size).sum())?;
        for allocation in list.iter() {
            self.string(&allocation.collaborator_id);
            self.string(&allocation.amount);
        }
        drop(std::mem::take(list));
        Ok(())
    }

    /// Shares whose weights and remainders are exact as JS numbers (always: both are at most the
    /// total score, under 2^53); a list with a larger one stays in the JSON text.
    pub(crate) fn shares(&mut self, holder: &str, list: &mut Vec<ShareOut>) -> Result<(), EngineError> {
        if list.iter().any(|s| s.weight > MAX_EXACT || s.remainder > MAX_EXACT) {
            return Ok(());
        }
        let size = |s: &ShareOut| Size {
            text: s.collaborator_id.len() + s.base.len() + s.amount.len(),
            lengths: 4,
            numbers: 2,
        };
        self.start(Kind::Shares, holder, list.len(), list.iter().map(size).sum())?;
        for share in list.iter() {
            self.string(&share.collaborator_id);
            self.numbers.push(share.weight as f64);
            self.string(&share.base);
            self.numbers.push(share.remainder as f64);
            self.lengths.push(u32::from(share.leftover_unit));
            self.string(&share.amount);
        }
        drop(std::mem::take(list));
        Ok(())
    }

    /// Starts a list of `count` entries: its holder and length, once what it takes fits in
    /// what is left of the memory (refused, not trapped on).
    #[inline(never)]
    fn start(&mut self, kind: Kind, holder: &str, count: usize, need: Size) -> Result<(), EngineError> {
        let bytes =
            need.text.saturating_add(need.lengths.saturating_mul(4)).saturating_add(need.numbers.saturating_mul(8));
        let reserved = limits::check_memory(bytes, &Pointer::root()).is_ok()
            && self.text.try_reserve(need.text).is_ok()
            && self.lengths.try_reserve(need.lengths).is_ok()
            && self.numbers.try_reserve(need.numbers).is_ok();
        if !reserved {
            return Err(EngineError::new(
                Code::ResourcesOutOfMemory,
                &Pointer::root(),
                format!(
                    "The result's lists take {bytes} more bytes, more than is left of the wasm memory; list fewer collaborators with `top`, simulate fewer cycles, or free other Engines (engine.free())."
                ),
            ));
        }
        if !self.holders.is_empty() {
            self.holders.push('\n');
        }
        self.holders.push(match kind {
            Kind::Leaderboard => 'l',
            Kind::Scoring => 's',
            Kind::Allocations => 'a',
            Kind::Shares => 'h',
        });
        self.holders.push_str(holder);
        self.lengths.push(count as u32);
        Ok(())
    }

    fn string(&mut self, part: &str) {
        self.text.push_str(part);
        let units = if part.is_ascii() { part.len() } else { part.encode_utf16().count() };
        self.lengths.push(units as u32);
    }

    /// A map's entries, in order (one copy of this code for every map: the module's size).
    #[inline(never)]
    fn map(&mut self, entries: &mut dyn ExactSizeIterator<Item = (&str, f64)>) {
        self.lengths.push(entries.len() as u32);
        for (key, value) in entries {
            let guess = self.key_list.get(self.next_key).filter(|k| *k == key).map(|_| self.next_key as u32);
            let reference = match guess.or_else(|| self.keys.get(key).copied()) {
                Some(reference) => {
                    self.lengths.push(reference);
                    reference
                }
                None => {
                    let reference = self.key_list.len() as u32;
                    self.keys.insert(key.to_string(), reference);
                    self.key_list.push(key.to_string());
                    self.lengths.push(reference);
                    self.string(key);
                    reference
                }
            };
            // Maps list the same types in the same order: the next key is likely the one after
            // this one (after the last, the first).
            self.next_key = if reference as usize + 1 == self.key_list.len() { 0 } else { reference as usize + 1 };
            self.numbers.push(value);
        }
    }
}

/// What an entry adds to each part of the stream (text in bytes, at least its UTF-16 units).
#[derive(Default)]
struct Size {
    text: usize,
    lengths: usize,
    numbers: usize,
}

impl std::iter::Sum for Size {
    fn sum<I: Iterator<Item = Size>>(sizes: I) -> Size {
        // The list's own length too.
        sizes.fold(Size { lengths: 1, ..Size::default() }, |sum, s| Size {
            text: sum.text.saturating_add(s.text),
            lengths: sum.lengths.saturating_add(s.lengths),
            numbers: sum.numbers.saturating_add(s.numbers),
        })
    }
}
