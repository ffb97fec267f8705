//! Rust-side tests of the C functions (filled below).
