//! The request pipeline, one module per stage, in the order every request passes them:
//! authenticate → principal → authorise → dispatch. Later stages (classify, meter, record) slot in between.

pub mod authenticate;
pub mod authorize;
pub mod dispatch;
pub mod principal;
pub mod record;
