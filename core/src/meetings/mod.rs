//! Meetings and invitations (issue 6). So far: the seat logic
//! ([`seats`]), pure and tested on its own; the meetings table, invitations,
//! letters and calendar files build on it.

pub mod seats;
