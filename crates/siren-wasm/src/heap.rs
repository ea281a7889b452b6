//! The wasm build's allocator: Rust's own (dlmalloc), growing linear memory by at least a
//! quarter of its size at a time instead of by what each request needs.
//!
//! Why: every `memory.grow` costs the JS engine work that grows with its heap (it collects
//! garbage), so a load that makes many small allocations on a fresh instance grew memory
//! thousands of times and was far slower than the same load repeated (BENCHMARKS.md, "The
//! first call is slow"). Growing geometrically makes the number of growths logarithmic in the
//! memory used, at the cost of up to a quarter of it reserved but unused (wasm memory never
//! shrinks either way).
//!
//! It also counts the bytes in use (asked for and not yet freed) and their peak, so that the
//! binding can refuse a call whose memory bound does not fit in what is left of the budget
//! (`resources.outOfMemory`, docs/security.md "Memory") before it allocates anything: running
//! out of wasm memory is a trap, which no code inside wasm can catch.
//!
//! Invariant: wasm32-unknown-unknown is single-threaded here (no `atomics` target feature), so
//! the allocator needs no lock, and the counters are plain cells.

#![allow(unsafe_code)] // the GlobalAlloc contract; the one unsafe in the workspace

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::{Cell, UnsafeCell};
use dlmalloc::{Allocator, Dlmalloc};

/// A wasm page.
const PAGE: usize = 64 * 1024;

/// Growth never smaller than this.
const MIN_GROWTH: usize = 1 << 20;

/// Linear memory, grown geometrically (see the module documentation); otherwise what
/// dlmalloc's own wasm system allocator does (memory is never returned).
struct GeometricPages;

impl GeometricPages {
    /// `pages` more pages: (their start, their size), or `None` when memory cannot grow.
    fn grow(pages: usize) -> Option<(*mut u8, usize)> {
        let previous = wasm32::memory_grow(0, pages);
        (previous != usize::MAX).then(|| ((previous * PAGE) as *mut u8, pages * PAGE))
    }
}

// SAFETY: `alloc` returns fresh pages from `memory.grow` (zeroed, page-aligned, never handed out
// twice) or null; nothing is ever remapped or freed back, as the trait allows.
unsafe impl Allocator for GeometricPages {
    fn alloc(&self, size: usize) -> (*mut u8, usize, u32) {
        let needed = size.div_ceil(PAGE);
        let wanted = needed.max(wasm32::memory_size(0) / 4).max(MIN_GROWTH / PAGE);
        // Near the 4 GiB limit, only what is needed. Never the last page of the address space
        // (dlmalloc's own allocator avoids a region that ends at address 0 the same way).
        match Self::grow(wanted).or_else(|| Self::grow(needed)) {
            Some((start, bytes)) if (start as usize).wrapping_add(bytes) == 0 => (start, bytes - 16, 0),
            Some((start, bytes)) => (start, bytes, 0),
            None => (core::ptr::null_mut(), 0, 0),
        }
    }
    fn remap(&self, _ptr: *mut u8, _oldsize: usize, _newsize: usize, _can_move: bool) -> *mut u8 {
        core::ptr::null_mut()
    }
    fn free_part(&self, _ptr: *mut u8, _oldsize: usize, _newsize: usize) -> bool {
        false
    }
    fn free(&self, _ptr: *mut u8, _size: usize) -> bool {
        false
    }
    fn can_release_part(&self, _flags: u32) -> bool {
        false
    }
    fn allocates_zeros(&self) -> bool {
        true
    }
    fn page_size(&self) -> usize {
        PAGE
    }
}

struct Heap {
    dlmalloc: UnsafeCell<Dlmalloc<GeometricPages>>,
    /// Bytes asked for and not yet freed (sizes as the `Layout`s give them).
    in_use: Cell<usize>,
    /// The most `in_use` has been since `take_peak` last reset it.
    peak: Cell<usize>,
}

impl Heap {
    fn allocated(&self, ptr: *mut u8, size: usize) -> *mut u8 {
        if !ptr.is_null() {
            let now = self.in_use.get() + size;
            self.in_use.set(now);
            if now > self.peak.get() {
                self.peak.set(now);
            }
        }
        ptr
    }
}

/// Bytes the program has allocated and not freed.
pub fn in_use() -> usize {
    HEAP.in_use.get()
}

/// The peak of `in_use` since the last call, which resets it to `in_use` (for measuring).
pub fn take_peak() -> usize {
    let peak = HEAP.peak.get();
    HEAP.peak.set(HEAP.in_use.get());
    peak
}

// SAFETY: single-threaded (see the module invariant), so the cell is never shared across threads.
unsafe impl Sync for Heap {}

#[global_allocator]
static HEAP: Heap = Heap {
    dlmalloc: UnsafeCell::new(Dlmalloc::new_with_allocator(GeometricPages)),
    in_use: Cell::new(0),
    peak: Cell::new(0),
};

// SAFETY: what std's own wasm allocator does with its dlmalloc; single-threaded, so the one
// `&mut` through the cell at a time is unique.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.allocated((*self.dlmalloc.get()).malloc(layout.size(), layout.align()), layout.size())
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.allocated((*self.dlmalloc.get()).calloc(layout.size(), layout.align()), layout.size())
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.in_use.set(self.in_use.get().saturating_sub(layout.size()));
        (*self.dlmalloc.get()).free(ptr, layout.size(), layout.align())
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = (*self.dlmalloc.get()).realloc(ptr, layout.size(), layout.align(), new_size);
        if !moved.is_null() {
            self.in_use.set(self.in_use.get().saturating_sub(layout.size()));
        }
        self.allocated(moved, new_size)
    }
}
