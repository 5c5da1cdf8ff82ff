//! End-to-end tests: real repositories built with git in temp dirs, the real binary.

mod suite;
