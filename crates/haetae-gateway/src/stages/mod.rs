//! The request pipeline, one module per stage, in the order every request passes them:
//! authenticate → principal → classify → authorise → meter → dispatch → record.

pub mod authenticate;
pub mod authorize;
pub mod classify;
pub mod dispatch;
pub mod meter;
pub mod principal;
pub mod record;
