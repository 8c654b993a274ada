//! End-to-end tests: the real `gongkai` binary over every file in `samples/`.

mod architecture;
mod auditor;
mod bad_input;
mod batch;
mod common;
mod corpus;
mod defects;
mod hostile;
mod html;
mod ocr;
mod other_tables;
mod planted;
mod rules;
mod scans;
mod schemas;
mod snapshots;
mod targets;
mod truth;
mod warehouse;
