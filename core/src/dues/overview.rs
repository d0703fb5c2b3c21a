//! The dues overview: billed, paid, outstanding and written off per period
//! and per branch, the members' credit, and the payments of the last twelve
//! months (the window draws them as bars).

use chrono::{Datelike, NaiveDate};

use crate::error::Result;
use crate::store::Reads;
use crate::types::dues::{MonthTotal, Overview, Totals};

/// The first day of the month `back` months before `day`'s.
fn months_back(day: NaiveDate, back: i32) -> NaiveDate {
    let index = day.year() * 12 + day.month0() as i32 - back;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1).unwrap_or(day)
}

/// The overview as of `today`.
pub fn overview(reads: &dyn Reads, today: NaiveDate) -> Result<Overview> {
    let branches = reads.dues().totals()?;
    let mut periods: Vec<Totals> = Vec::new();
    for b in &branches {
        match periods.last_mut() {
            Some(p) if p.period == b.period => {
                p.invoices += b.invoices;
                p.billed += b.billed;
                p.paid += b.paid;
                p.outstanding += b.outstanding;
                p.written_off += b.written_off;
            }
            _ => periods.push(Totals {
                branch: None,
                ..b.clone()
            }),
        }
    }
    let first = months_back(today, 11);
    let found = reads.payments().by_month(first)?;
    let months = (0..12)
        .rev()
        .map(|back| {
            let month = months_back(today, back).format("%Y-%m").to_string();
            found
                .iter()
                .find(|m| m.month == month)
                .cloned()
                .unwrap_or(MonthTotal {
                    month,
                    count: 0,
                    amount: 0,
                })
        })
        .collect();
    Ok(Overview {
        periods,
        branches,
        credit: reads.payments().total_credit()?,
        months,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_back_cross_the_year() {
        let d = NaiveDate::from_ymd_opt(2027, 3, 15).unwrap();
        assert_eq!(months_back(d, 0).to_string(), "2027-03-01");
        assert_eq!(months_back(d, 11).to_string(), "2026-04-01");
        assert_eq!(months_back(d, 3).to_string(), "2026-12-01");
    }
}
