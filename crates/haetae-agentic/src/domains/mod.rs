//! The four domains. Each file is one simulator: its state, tools, invariants and operating policy
//! (`crates/haetae-agentic/policies/<domain>.<lang>.md`).

pub mod emergency;
pub mod finance;
pub mod industrial;
pub mod military;
