//! Fee rules: checking them as typed, keeping them, and which rule a member
//! pays by in a period (pure: [`Rules`]).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::dues::{BillingRow, FeeRuleRecord};
use crate::store::history::HistoryLine;
use crate::store::Store;
use crate::types::dates::{now, read_date, today};
use crate::types::dues::{FeeRule, FeeRuleInput, InvoiceLine, MemberDues, Period, PeriodKind};
use crate::types::{money, HistoryKind, MembershipType};

/// The longest income band's name.
const BAND_MAX: usize = 40;

/// Checks a rule as typed.
pub fn check_rule(input: &FeeRuleInput) -> Result<FeeRuleRecord> {
    let mut problems = Vec::new();
    let mut bad = |field: &str, code| problems.push(FieldError::new(field, code));
    let membership_type = match input.membership_type.trim() {
        "" => None,
        t => {
            let t = MembershipType::parse(t);
            if t.is_none() {
                bad("membershipType", FieldCode::InvalidChoice);
            }
            t
        }
    };
    let period = PeriodKind::parse(input.period.trim());
    if period.is_none() {
        bad("period", FieldCode::InvalidChoice);
    }
    let amount = money::parse(&input.amount);
    if amount.is_none() {
        bad("amount", FieldCode::InvalidAmount);
    }
    let age_under = match input.age_under.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(a) => match a.parse::<u32>() {
            Ok(n) if (1..=150).contains(&n) => Some(n),
            _ => {
                bad("ageUnder", FieldCode::InvalidNumber);
                None
            }
        },
    };
    let band = input.income_band.trim();
    if band.chars().count() > BAND_MAX {
        bad("incomeBand", FieldCode::TooLong);
    } else if band.chars().any(char::is_control) {
        bad("incomeBand", FieldCode::InvalidCharacter);
    }
    let valid_from = match input.valid_from.trim() {
        "" => NaiveDate::from_ymd_opt(today().year(), 1, 1),
        d => match read_date(d) {
            Ok(d) => Some(d),
            Err(p) => {
                bad("validFrom", p.into());
                None
            }
        },
    };
    match (period, amount, valid_from) {
        (Some(period), Some(amount), Some(valid_from)) if problems.is_empty() => {
            Ok(FeeRuleRecord {
                membership_type,
                period,
                amount,
                age_under,
                income_band: (!band.is_empty()).then(|| band.to_owned()),
                household: input.household,
                branch_id: input.branch_id,
                valid_from,
            })
        }
        _ => Err(Error::Validation(problems)),
    }
}

/// Keeps a rule (replacing one with the same conditions and first day).
pub fn set_rule(store: &mut dyn Store, input: &FeeRuleInput) -> Result<FeeRule> {
    let record = check_rule(input)?;
    if let Some(b) = record.branch_id {
        if !store.branch_exists(b)? {
            return Err(Error::field("branchId", FieldCode::InvalidChoice));
        }
    }
    let work = store.begin()?;
    let id = work.dues_writes().put_fee_rule(&record, now())?;
    let rule = work
        .dues()
        .fee_rules()?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(Error::NotFound("fee rule"))?;
    work.commit()?;
    Ok(rule)
}

/// Removes a rule (`not_found` when there is none).
pub fn delete_rule(store: &mut dyn Store, id: i64) -> Result<()> {
    let work = store.begin()?;
    if !work.dues_writes().delete_fee_rule(id)? {
        return Err(Error::NotFound("fee rule"));
    }
    work.commit()
}

/// Sets what a member pays with: the income band and the household's payer
/// (another member; `None`: pays for themself). Each change is a history
/// line.
pub fn set_member_dues(store: &mut dyn Store, member_id: i64, dues: &MemberDues) -> Result<()> {
    let member = store.member(member_id)?;
    let band = dues.income_band.as_deref().map(str::trim).unwrap_or("");
    if band.chars().count() > BAND_MAX {
        return Err(Error::field("incomeBand", FieldCode::TooLong));
    }
    if band.chars().any(char::is_control) {
        return Err(Error::field("incomeBand", FieldCode::InvalidCharacter));
    }
    let payer = match dues.payer_id {
        Some(p) if p == member_id => None,
        Some(p) => {
            store.member(p)?;
            if store.dues().member_dues(p)?.payer_id.is_some() {
                // A payer pays for themself: households do not nest.
                return Err(Error::field("payerId", FieldCode::InvalidChoice));
            }
            Some(p)
        }
        None => None,
    };
    let new = MemberDues {
        income_band: (!band.is_empty()).then(|| band.to_owned()),
        payer_id: payer,
    };
    let old = store.dues().member_dues(member_id)?;
    if old == new {
        return Ok(());
    }
    let number = |id: Option<i64>| -> Result<Option<String>> {
        id.map(|i| store.member(i).map(|m| m.number)).transpose()
    };
    let (old_payer, new_payer) = (number(old.payer_id)?, number(new.payer_id)?);
    let work = store.begin()?;
    work.dues_writes().set_member_dues(member.id, &new)?;
    let at = now();
    let line = |field, old: Option<&str>, new: Option<&str>| -> Result<()> {
        if old == new {
            return Ok(());
        }
        work.history_writes().record(&HistoryLine {
            field: Some(field),
            old,
            new,
            ..HistoryLine::of(member.id, at, HistoryKind::Changed)
        })
    };
    line(
        "incomeBand",
        old.income_band.as_deref(),
        new.income_band.as_deref(),
    )?;
    line("payer", old_payer.as_deref(), new_payer.as_deref())?;
    work.commit()
}

/// The rules that hold in a period: of its kind, begun by its first day,
/// and of each set of conditions only the latest.
pub struct Rules<'r> {
    rules: Vec<&'r FeeRule>,
    start: NaiveDate,
}

/// A rule's conditions (what makes two rules versions of one).
type Key = (
    Option<MembershipType>,
    Option<u32>,
    Option<String>,
    bool,
    Option<i64>,
);

impl<'r> Rules<'r> {
    pub fn new(all: &'r [FeeRule], period: &Period) -> Rules<'r> {
        let mut latest: HashMap<Key, &FeeRule> = HashMap::new();
        for r in all
            .iter()
            .filter(|r| r.period == period.kind && r.valid_from <= period.start)
        {
            let key = (
                r.membership_type,
                r.age_under,
                r.income_band.clone(),
                r.household,
                r.branch_id,
            );
            match latest.get(&key) {
                Some(have) if have.valid_from >= r.valid_from => {}
                _ => {
                    latest.insert(key, r);
                }
            }
        }
        let mut rules: Vec<&FeeRule> = latest.into_values().collect();
        rules.sort_by_key(|r| r.id);
        Rules {
            rules,
            start: period.start,
        }
    }

    /// The most specific rule that fits (type, age, income band each count
    /// one), the lowest amount among equals.
    fn pick(&self, m: &BillingRow, household: bool, branch: Option<i64>) -> Option<&'r FeeRule> {
        let age = m.birth_date.and_then(|b| self.start.years_since(b));
        self.rules
            .iter()
            .copied()
            .filter(|r| r.household == household && r.branch_id == branch)
            .filter(|r| r.membership_type.is_none_or(|t| t == m.membership_type))
            .filter(|r| r.age_under.is_none_or(|n| age.is_some_and(|a| a < n)))
            .filter(|r| {
                r.income_band
                    .as_ref()
                    .is_none_or(|b| m.dues.income_band.as_ref() == Some(b))
            })
            .min_by_key(|r| {
                let specific = r.membership_type.is_some() as u8
                    + r.age_under.is_some() as u8
                    + r.income_band.is_some() as u8;
                (std::cmp::Reverse(specific), r.amount)
            })
    }

    /// What `m` pays: the fee (or the household's, when `household`) and
    /// the branch's supplement. `None` when no fee rule fits.
    pub fn lines(&self, m: &BillingRow, household: bool) -> Option<Vec<InvoiceLine>> {
        let fee = self.pick(m, household, None)?;
        let mut lines = vec![InvoiceLine {
            kind: if household { "household" } else { "fee" }.to_owned(),
            text: fee
                .membership_type
                .unwrap_or(m.membership_type)
                .as_str()
                .to_owned(),
            amount: fee.amount,
        }];
        if let Some(branch) = m.branch_id {
            if let Some(s) = self.pick(m, false, Some(branch)) {
                lines.push(InvoiceLine {
                    kind: "supplement".to_owned(),
                    text: m.branch_name.clone().unwrap_or_default(),
                    amount: s.amount,
                });
            }
        }
        Some(lines)
    }

    /// Whether a household's fee is set for the payer `m`.
    pub fn has_household(&self, m: &BillingRow) -> bool {
        self.pick(m, true, None).is_some()
    }
}
