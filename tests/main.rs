//! End-to-end tests: the real `gongkai` binary over every file in `samples/`.

mod bad_input;
mod common;
mod defects;
mod ocr;
mod planted;
mod rules;
mod schemas;
mod snapshots;
mod truth;
