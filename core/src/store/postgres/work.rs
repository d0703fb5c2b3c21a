//! A unit of work on the server: one transaction on the register's
//! connection, begun by [`PgRegister`]'s `begin` and ended by its commit, or
//! rolled back when it is dropped unfinished. New members of a big import
//! are gathered here ([`Bulk`]) and written many at a time.

use std::cell::{Cell, RefCell, RefMut};

use chrono::NaiveDate;
use postgres::Client;

use super::bulk::Bulk;
use super::members::*;
use super::org::*;
use super::{Conn, Locking, PgRegister};
use crate::error::Result;
use crate::store::books::BookWrites;
use crate::store::dues::DuesWrites;
use crate::store::grants::GrantWrites;
use crate::store::history::{HistoryLine, HistoryWrites};
use crate::store::letters::LetterWrites;
use crate::store::meetings::MeetingWrites;
use crate::store::members::{Indexing, MemberWrites, Search};
use crate::store::payments::PaymentWrites;
use crate::store::{Store, UnitOfWork};
use crate::types::*;
use crate::validate::ValidMember;

/// A unit of work: one server transaction, begun and ended on the
/// register's connection (which stays at hand after the commit), rolled
/// back when dropped unfinished.
pub struct PgWork<'c> {
    tx: RefCell<&'c mut Client>,
    /// Whether the transaction is still to be committed or rolled back.
    open: bool,
    /// New members gathered to be written many at a time (an import).
    bulk: RefCell<Option<Bulk>>,
    /// Whether the money lock is taken (see `dues.rs`).
    money: Cell<bool>,
}

impl Drop for PgWork<'_> {
    fn drop(&mut self) {
        if self.open {
            // A lost connection has nothing left to roll back.
            let _ = self.tx.get_mut().batch_execute("ROLLBACK");
        }
    }
}

impl Conn for PgWork<'_> {
    type Db = Client;
    /// The transaction, with the members gathered so far written to it
    /// first: whatever comes next sees them.
    fn db(&self) -> Result<RefMut<'_, Client>> {
        let mut tx = RefMut::map(self.tx.borrow_mut(), |c| &mut **c);
        if let Some(bulk) = self.bulk.borrow_mut().as_mut() {
            bulk.write(&mut *tx)?;
        }
        Ok(tx)
    }

    fn money(&self) -> Result<RefMut<'_, Client>> {
        let mut tx = self.db()?;
        if !self.money.get() {
            super::dues::lock_money(&mut *tx)?;
            self.money.set(true);
        }
        Ok(tx)
    }
}

impl PgWork<'_> {
    /// Gathers a new invoice (values as `bulk::INVOICE_COLUMNS`), written
    /// with the work's next statement or its commit: a fee run's invoices
    /// in one `COPY`. The money lock is taken first.
    pub(super) fn gather_invoice(
        &self,
        row: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<()> {
        if !self.money.get() {
            drop(Conn::money(self)?);
        }
        self.bulk
            .borrow_mut()
            .get_or_insert_with(Bulk::default)
            .add_invoice(row)
    }

    /// The transaction, with a bulk's rows written and its indexes made.
    fn finish_bulk(&self) -> Result<RefMut<'_, Client>> {
        let mut tx = RefMut::map(self.tx.borrow_mut(), |c| &mut **c);
        if let Some(bulk) = self.bulk.borrow_mut().as_mut() {
            bulk.finish(&mut *tx)?;
        }
        Ok(tx)
    }
}

impl Locking for PgWork<'_> {
    const LOCK_FUND: &'static str = " FOR UPDATE";
    const LOCK_APPLICATION: &'static str = " FOR UPDATE OF a, f";
    const LOCK_MEETING: &'static str = " FOR UPDATE OF m";
}

impl MemberWrites for PgWork<'_> {
    fn has_org(&self) -> Result<bool> {
        Ok(load_org(&mut *self.db()?)?.is_some())
    }

    fn insert_org(&self, org: &Org, at: Timestamp) -> Result<()> {
        insert_org(&mut *self.db()?, org, at)
    }

    fn insert_branch(&self, name: &str) -> Result<i64> {
        insert_branch(&mut *self.db()?, name)
    }

    fn insert_workplace(&self, name: &str, branch_id: Option<i64>) -> Result<i64> {
        insert_workplace(&mut *self.db()?, name, branch_id)
    }

    fn insert_member(&self, m: &ValidMember, status_date: NaiveDate, ix: Indexing) -> Result<i64> {
        if ix.search == Search::RebuildAfter {
            // Many at once: gathered, and written a thousand at a time.
            let mut tx = self.tx.borrow_mut();
            let mut bulk = self.bulk.borrow_mut();
            let bulk = bulk.get_or_insert_with(Bulk::default);
            if !bulk.started() {
                bulk.start(&mut **tx)?;
            }
            return bulk.add_member(&mut **tx, m, status_date, ix);
        }
        insert_member(&mut *self.db()?, m, status_date, ix)
    }

    fn update_member(&self, id: i64, m: &ValidMember, ix: Indexing) -> Result<bool> {
        update_member(&mut *self.db()?, id, m, ix)
    }

    fn apply_status(&self, id: i64, from: Status, to: Status, date: NaiveDate) -> Result<()> {
        apply_status(&mut *self.db()?, id, from, to, date)
    }

    /// The trigram index follows every write by itself: the members
    /// gathered are written (and the indexes dropped for them made again).
    fn rebuild_search_index(&self) -> Result<()> {
        drop(self.finish_bulk()?);
        Ok(())
    }
}

impl HistoryWrites for PgWork<'_> {
    /// Gathered, and written with the next statement of the work or its
    /// commit: one `COPY` for the 4 000 lines of a letters run instead of
    /// 4 000 round trips.
    fn record(&self, line: &HistoryLine) -> Result<()> {
        self.bulk
            .borrow_mut()
            .get_or_insert_with(Bulk::default)
            .add_line(line)
    }

    fn take_back(&self, line: &HistoryLine) -> Result<()> {
        self.db()?.execute(
            "DELETE FROM member_history WHERE id = (SELECT max(id) FROM member_history \
             WHERE member_id = $1 AND kind = $2 AND field IS NOT DISTINCT FROM $3 \
             AND effective_date IS NOT DISTINCT FROM $4)",
            &[
                &line.member_id,
                &line.kind.as_str(),
                &line.field,
                &line.effective,
            ],
        )?;
        Ok(())
    }
}

impl UnitOfWork for PgWork<'_> {
    fn meeting_writes(&self) -> &dyn MeetingWrites {
        self
    }

    fn grant_writes(&self) -> &dyn GrantWrites {
        self
    }

    fn letter_writes(&self) -> &dyn LetterWrites {
        self
    }

    fn dues_writes(&self) -> &dyn DuesWrites {
        self
    }

    fn payment_writes(&self) -> &dyn PaymentWrites {
        self
    }

    fn book_writes(&self) -> &dyn BookWrites {
        self
    }

    fn member_writes(&self) -> &dyn MemberWrites {
        self
    }

    fn history_writes(&self) -> &dyn HistoryWrites {
        self
    }

    fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        put_setting(&mut *self.db()?, key, value)
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        // What is gathered is written before the work is.
        drop(self.finish_bulk()?);
        self.open = false;
        let c = self.tx.get_mut();
        c.batch_execute("COMMIT")?;
        if self.bulk.get_mut().as_ref().is_some_and(Bulk::started) {
            // Many new rows: the planner told how many, and the rows marked
            // as seen by all, so that counting the list reads the index
            // alone. The work is done: if this fails, the server's own
            // vacuum does it later.
            // (One statement each: VACUUM does not run inside a block.)
            let _ = c.batch_execute("VACUUM (ANALYZE) members");
            let _ = c.batch_execute("ANALYZE member_roles, member_history");
        }
        Ok(())
    }
}

impl Store for PgRegister {
    fn begin(&mut self) -> Result<Box<dyn UnitOfWork + '_>> {
        let client = self.client();
        client.batch_execute("BEGIN")?;
        Ok(Box::new(PgWork {
            tx: RefCell::new(client),
            open: true,
            bulk: RefCell::new(None),
            money: Cell::new(false),
        }))
    }
}
