//! libFuzzer entry for `targets::config`; the body and what it checks are in fuzz/src/targets.rs,
//! shared with the replay test (tests/fuzz_corpus.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| targets::config(data));
