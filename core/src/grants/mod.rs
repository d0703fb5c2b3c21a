//! Grant applications (issue 7): funds such as an initiative pool, the
//! applications to them and the club's own applications to others. So far:
//! amounts ([`money`]) and the workflow with the fund's arithmetic
//! ([`workflow`]), pure and tested on their own.

pub mod money;
pub mod workflow;
