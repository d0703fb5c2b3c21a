//! Who has a seat and who waits: replies in the order they came, a
//! capacity, and promotion from the waiting list when a seat is given up.
//!
//! Pure data: the store keeps the replies; this decides the places. A yes
//! within capacity is a seat; beyond it, a place at the end of the waiting
//! list. A no from someone seated frees the seat for the first who waits,
//! who is listed as promoted (for a "you got a seat" letter). A reply from
//! someone not invited is refused, and a capacity below the seats taken is
//! refused unless the caller says what happens to the seats beyond it.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// The places as they stand, for comparing and restoring them (taking a
/// reply back): seated and waiting in their order, the others sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub seated: Vec<i64>,
    pub waiting: Vec<i64>,
    pub declined: Vec<i64>,
    pub promoted: Vec<i64>,
}

impl Snapshot {
    /// Everyone the snapshot names.
    pub fn people(&self) -> BTreeSet<i64> {
        self.seated
            .iter()
            .chain(&self.waiting)
            .chain(&self.declined)
            .chain(&self.promoted)
            .copied()
            .collect()
    }
}

/// A person's place after their replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Seated,
    /// 1-based position on the waiting list.
    Waiting(usize),
    Declined,
    /// Invited, no reply yet.
    NoReply,
}

/// Why a change was refused; nothing changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatError {
    /// The person was not invited to this meeting.
    NotInvited(i64),
    /// The new capacity is below the seats already taken.
    BelowSeated { seated: usize, capacity: u32 },
}

/// What to do with the seats beyond a lowered capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Refuse the change.
    Refuse,
    /// The latest to get a seat go back to the front of the waiting list,
    /// in their order.
    ToWaitingList,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seats {
    capacity: Option<u32>,
    invited: BTreeSet<i64>,
    /// In the order the seats were given.
    seated: Vec<i64>,
    /// In the order of the replies.
    waiting: Vec<i64>,
    declined: BTreeSet<i64>,
    /// Got a seat from the waiting list and has not been told yet.
    promoted: Vec<i64>,
}

impl Seats {
    /// `capacity` None: as many seats as people say yes.
    pub fn new(capacity: Option<u32>, invited: impl IntoIterator<Item = i64>) -> Self {
        Seats {
            capacity,
            invited: invited.into_iter().collect(),
            ..Default::default()
        }
    }

    /// The seats as a store kept them: seated and waiting in their order.
    pub fn restore(
        capacity: Option<u32>,
        invited: impl IntoIterator<Item = i64>,
        seated: Vec<i64>,
        waiting: Vec<i64>,
        declined: impl IntoIterator<Item = i64>,
        promoted: Vec<i64>,
    ) -> Self {
        Seats {
            capacity,
            invited: invited.into_iter().collect(),
            seated,
            waiting,
            declined: declined.into_iter().collect(),
            promoted,
        }
    }

    /// The places as they stand.
    pub fn snapshot(&self) -> Snapshot {
        let mut promoted = self.promoted.clone();
        promoted.sort_unstable();
        Snapshot {
            seated: self.seated.clone(),
            waiting: self.waiting.clone(),
            declined: self.declined.iter().copied().collect(),
            promoted,
        }
    }

    /// The places of `snapshot` (for those invited).
    pub fn from_snapshot(
        capacity: Option<u32>,
        invited: impl IntoIterator<Item = i64>,
        snapshot: Snapshot,
    ) -> Self {
        Seats::restore(
            capacity,
            invited,
            snapshot.seated,
            snapshot.waiting,
            snapshot.declined,
            snapshot.promoted,
        )
    }

    /// Who got a seat from the waiting list and has not been told yet
    /// (without taking them, see [`Seats::take_promoted`]).
    pub fn promoted(&self) -> &[i64] {
        &self.promoted
    }

    pub fn invite(&mut self, person: i64) {
        self.invited.insert(person);
    }

    fn has_room(&self) -> bool {
        self.capacity.is_none_or(|c| self.seated.len() < c as usize)
    }

    /// Registers a reply (`yes` or no) from `person`.
    pub fn reply(&mut self, person: i64, yes: bool) -> Result<Place, SeatError> {
        if !self.invited.contains(&person) {
            return Err(SeatError::NotInvited(person));
        }
        if yes {
            self.declined.remove(&person);
            if !self.seated.contains(&person) && !self.waiting.contains(&person) {
                if self.has_room() {
                    self.seated.push(person);
                } else {
                    self.waiting.push(person);
                }
            }
        } else {
            self.waiting.retain(|p| *p != person);
            self.promoted.retain(|p| *p != person);
            if let Some(i) = self.seated.iter().position(|p| *p == person) {
                self.seated.remove(i);
                self.fill_from_waiting();
            }
            self.declined.insert(person);
        }
        Ok(self.place(person))
    }

    /// Gives free seats to the first who wait.
    fn fill_from_waiting(&mut self) {
        while self.has_room() && !self.waiting.is_empty() {
            let next = self.waiting.remove(0);
            self.seated.push(next);
            self.promoted.push(next);
        }
    }

    /// Changes the capacity. More seats go to the first who wait.
    pub fn set_capacity(
        &mut self,
        capacity: Option<u32>,
        overflow: Overflow,
    ) -> Result<(), SeatError> {
        if let Some(c) = capacity {
            let over = self.seated.len().saturating_sub(c as usize);
            if over > 0 {
                match overflow {
                    Overflow::Refuse => {
                        return Err(SeatError::BelowSeated {
                            seated: self.seated.len(),
                            capacity: c,
                        })
                    }
                    Overflow::ToWaitingList => {
                        let back = self.seated.split_off(c as usize);
                        self.promoted.retain(|p| !back.contains(p));
                        let mut waiting = back;
                        waiting.append(&mut self.waiting);
                        self.waiting = waiting;
                    }
                }
            }
        }
        self.capacity = capacity;
        self.fill_from_waiting();
        Ok(())
    }

    pub fn place(&self, person: i64) -> Place {
        if self.seated.contains(&person) {
            Place::Seated
        } else if let Some(i) = self.waiting.iter().position(|p| *p == person) {
            Place::Waiting(i + 1)
        } else if self.declined.contains(&person) {
            Place::Declined
        } else {
            Place::NoReply
        }
    }

    pub fn seated(&self) -> &[i64] {
        &self.seated
    }

    pub fn waiting(&self) -> &[i64] {
        &self.waiting
    }

    /// Seats left (None: no limit).
    pub fn seats_left(&self) -> Option<usize> {
        self.capacity
            .map(|c| (c as usize).saturating_sub(self.seated.len()))
    }

    /// Who got a seat from the waiting list since [`Seats::take_promoted`].
    pub fn take_promoted(&mut self) -> Vec<i64> {
        std::mem::take(&mut self.promoted)
    }
}
