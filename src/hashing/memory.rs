//! The memory argon2 fills: one anonymous mapping that asks the kernel for transparent huge
//! pages.
//!
//! Why hand-written: a fresh process touching 19 MiB of ordinary 4 KiB pages takes ~4,900 page
//! faults, about 14 ms on the machines we measured, a third of a whole `credman verify`. With
//! 2 MiB pages the same memory takes ten faults. No maintained crate offers "an aligned buffer
//! with MADV_HUGEPAGE" (memmap2 maps files or anonymous memory but neither aligns to 2 MiB nor
//! gives typed slices), so this file keeps the `unsafe` small and in one place.

#[cfg(target_os = "linux")]
use std::ptr::NonNull;

use argon2::Block;

/// Elsewhere than Linux there is no `MADV_HUGEPAGE`: the caller falls back to the heap.
#[cfg(not(target_os = "linux"))]
pub(super) struct KdfMemory;

#[cfg(not(target_os = "linux"))]
impl KdfMemory {
    pub(super) fn new(_count: usize) -> Option<Self> {
        None
    }

    pub(super) fn blocks(&mut self) -> &mut [Block] {
        unreachable!("never constructed")
    }
}

#[cfg(target_os = "linux")]
const HUGE_PAGE: usize = 2 * 1024 * 1024;

/// `blocks` argon2 blocks in an anonymous mapping aligned to 2 MiB, advised for huge pages.
#[cfg(target_os = "linux")]
pub(super) struct KdfMemory {
    /// The whole mapping, as returned by mmap.
    map: NonNull<libc::c_void>,
    map_len: usize,
    /// The first block, 2 MiB aligned, inside the mapping.
    blocks: NonNull<Block>,
    count: usize,
}

#[cfg(target_os = "linux")]
impl KdfMemory {
    /// Maps memory for `count` blocks, or `None` if the kernel refuses (the caller then
    /// allocates normally).
    pub(super) fn new(count: usize) -> Option<Self> {
        let len = count.checked_mul(size_of::<Block>())?;
        if len == 0 {
            return None;
        }
        // Over-allocate by one huge page so an aligned start exists inside the mapping.
        let map_len = len.checked_add(HUGE_PAGE)?;
        // SAFETY: an anonymous private mapping with no address hint has no preconditions; the
        // result is checked against MAP_FAILED before use.
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                map_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if map == libc::MAP_FAILED {
            return None;
        }
        let map = NonNull::new(map)?;
        let offset = (HUGE_PAGE - (map.as_ptr() as usize) % HUGE_PAGE) % HUGE_PAGE;
        // SAFETY: offset < HUGE_PAGE, so [offset, offset + len) lies inside the mapping of
        // len + HUGE_PAGE bytes.
        let start = unsafe { map.as_ptr().cast::<u8>().add(offset) };
        // SAFETY: the range is inside our mapping. The advice is only a hint: failure (THP
        // disabled, old kernel) leaves ordinary pages, which work the same, only slower.
        unsafe { libc::madvise(start.cast(), len, libc::MADV_HUGEPAGE) };
        Some(Self {
            map,
            map_len,
            blocks: NonNull::new(start.cast())?,
            count,
        })
    }

    pub(super) fn blocks(&mut self) -> &mut [Block] {
        // SAFETY: `blocks` is 2 MiB aligned (more than Block's 64), points at `count` blocks of
        // mapped, writable memory that the kernel zero-filled, and all-zero bytes are a valid
        // Block (an array of u64). The borrow of `self` keeps the mapping alive and unaliased.
        unsafe { std::slice::from_raw_parts_mut(self.blocks.as_ptr(), self.count) }
    }
}

#[cfg(target_os = "linux")]
impl Drop for KdfMemory {
    fn drop(&mut self) {
        // No wiping: munmap gives the pages back to the kernel, which zero-fills them before
        // any other use, and nothing in this process can read them after this call.
        // SAFETY: `map`/`map_len` are exactly what mmap returned, unmapped once.
        unsafe { libc::munmap(self.map.as_ptr(), self.map_len) };
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_aligned_zeroed_and_writable() {
        let mut memory = KdfMemory::new(19_456).expect("mmap");
        let blocks = memory.blocks();
        assert_eq!(blocks.len(), 19_456);
        assert_eq!(blocks.as_ptr() as usize % HUGE_PAGE, 0);
        let zero = Block::default();
        assert!(blocks.iter().all(|b| b.as_ref() == zero.as_ref()));
        blocks[19_455] = Block::new();
        blocks[0].as_mut()[0] = 7;
        assert_eq!(blocks[0].as_ref()[0], 7);
    }
}
