//! Dues: the bank details, fee rules, fee runs and invoices, payments in.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use serde::Deserialize;
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::state::off_runtime;
use medlem_core::dates::today;
use medlem_core::dues::{self, fees, pay, reminders, run::RunOptions};
use medlem_core::letters::PdfSummary;
use medlem_core::store::dues::InvoiceQuery;
use medlem_core::store::payments::PaymentQuery;
use medlem_core::types::dues::{
    Arrears, DuesRun, DuesSettings, DuesSettingsInput, FeeRule, FeeRuleInput, Invoice,
    InvoiceStatus, Payments, PaymentsInput, Reminder, RunPlan,
};
use medlem_core::types::payments::{
    Assignment, HandPayment, ImportReport, MemberAccount, Payment, PaymentState,
};
use medlem_core::{Error, FieldCode};

#[tauri::command]
pub async fn payments_get<R: Runtime>(app: AppHandle<R>) -> Result<Payments> {
    off_runtime(app, move |state| state.with(|r| dues::payments(r))).await
}

/// Checks the bank details as typed and keeps them (Settings → Payments).
#[tauri::command]
pub async fn payments_set<R: Runtime>(app: AppHandle<R>, input: PaymentsInput) -> Result<Payments> {
    off_runtime(app, move |state| {
        state.with(|r| dues::set_payments(r, &input))
    })
    .await
}

#[tauri::command]
pub async fn fee_rules_list<R: Runtime>(app: AppHandle<R>) -> Result<Vec<FeeRule>> {
    off_runtime(app, move |state| state.with(|r| r.dues().fee_rules())).await
}

#[tauri::command]
pub async fn fee_rule_set<R: Runtime>(app: AppHandle<R>, rule: FeeRuleInput) -> Result<FeeRule> {
    off_runtime(app, move |state| state.with(|r| fees::set_rule(r, &rule))).await
}

#[tauri::command]
pub async fn fee_rule_delete<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<()> {
    off_runtime(app, move |state| state.with(|r| fees::delete_rule(r, id))).await
}

/// The preview of a fee run: counts, total, every exception; nothing written.
#[tauri::command]
pub async fn dues_preview<R: Runtime>(app: AppHandle<R>, options: RunOptions) -> Result<RunPlan> {
    off_runtime(app, move |state| {
        state.with(|r| dues::run::preview(r, &options))
    })
    .await
}

/// Writes the run the treasurer confirmed (`expectCount`/`expectTotal`
/// from the preview: a changed register is refused with `run_changed`).
#[tauri::command]
pub async fn dues_run<R: Runtime>(app: AppHandle<R>, options: RunOptions) -> Result<RunPlan> {
    off_runtime(app, move |state| {
        state.with(|r| dues::run::run(r, &options))
    })
    .await
}

#[tauri::command]
pub async fn dues_runs_list<R: Runtime>(app: AppHandle<R>) -> Result<Vec<DuesRun>> {
    off_runtime(app, move |state| state.with(|r| dues::runs(r))).await
}

#[tauri::command]
pub async fn dues_run_cancel<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<()> {
    off_runtime(app, move |state| state.with(|r| dues::run::cancel(r, id))).await
}

/// Which invoices the window lists.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InvoiceFilter {
    pub period: Option<String>,
    pub status: Option<String>,
    pub member_id: Option<i64>,
}

#[tauri::command]
pub async fn invoices_list<R: Runtime>(
    app: AppHandle<R>,
    filter: InvoiceFilter,
) -> Result<Vec<Invoice>> {
    off_runtime(app, move |state| {
        state.with(|r| {
            let status = match filter.status.as_deref().filter(|s| !s.is_empty()) {
                Some(s) => Some(
                    InvoiceStatus::parse(s)
                        .ok_or_else(|| Error::field("status", FieldCode::InvalidChoice))?,
                ),
                None => None,
            };
            dues::invoices(
                r,
                &InvoiceQuery {
                    period: filter.period.filter(|p| !p.is_empty()),
                    status,
                    member_id: filter.member_id,
                    ..InvoiceQuery::default()
                },
            )
        })
    })
    .await
}

/// The open and partly paid invoices the filter selects, as letters into
/// one PDF at `path`.
#[tauri::command]
pub async fn invoices_print<R: Runtime>(
    app: AppHandle<R>,
    filter: InvoiceFilter,
    path: PathBuf,
) -> Result<PdfSummary> {
    off_runtime(app, move |state| {
        let done = state.with(|r| {
            dues::letters::print_invoices(
                r,
                &InvoiceQuery {
                    period: filter.period.filter(|p| !p.is_empty()),
                    member_id: filter.member_id,
                    ..InvoiceQuery::default()
                },
                &path,
                &mut |_, _| {},
                &AtomicBool::new(false),
            )
        })?;
        state.remember_pdf(&path);
        Ok(done)
    })
    .await
}

#[tauri::command]
pub async fn dues_settings_get<R: Runtime>(app: AppHandle<R>) -> Result<DuesSettings> {
    off_runtime(app, move |state| state.with(|r| reminders::settings(r))).await
}

/// Checks and keeps the reminder days, the fee and the arrears allowed.
#[tauri::command]
pub async fn dues_settings_set<R: Runtime>(
    app: AppHandle<R>,
    input: DuesSettingsInput,
) -> Result<DuesSettings> {
    off_runtime(app, move |state| {
        state.with(|r| reminders::set_settings(r, &input))
    })
    .await
}

/// The invoices due a reminder today, and which.
#[tauri::command]
pub async fn reminders_due<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Reminder>> {
    off_runtime(app, move |state| state.with(|r| reminders::due(r, today()))).await
}

/// The reminders due today as letters into one PDF at `path`, each noted on
/// its invoice.
#[tauri::command]
pub async fn reminders_print<R: Runtime>(app: AppHandle<R>, path: PathBuf) -> Result<PdfSummary> {
    off_runtime(app, move |state| {
        let done = state.with(|r| {
            reminders::print_reminders(r, &path, &mut |_, _| {}, &AtomicBool::new(false))
        })?;
        state.remember_pdf(&path);
        Ok(done)
    })
    .await
}

/// The unpaid invoices past their due date, with totals per branch.
#[tauri::command]
pub async fn arrears_get<R: Runtime>(app: AppHandle<R>) -> Result<Arrears> {
    off_runtime(app, move |state| {
        state.with(|r| reminders::arrears(r, today()))
    })
    .await
}

/// Reads a bank file: with `dryRun`, what it would book; else books it.
#[tauri::command]
pub async fn bank_file_import<R: Runtime>(
    app: AppHandle<R>,
    path: PathBuf,
    dry_run: bool,
) -> Result<ImportReport> {
    off_runtime(app, move |state| {
        state.with(|r| pay::import_file(r, &path, dry_run))
    })
    .await
}

/// Which payments the window lists.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentFilter {
    pub state: Option<String>,
    pub member_id: Option<i64>,
}

#[tauri::command]
pub async fn payments_list<R: Runtime>(
    app: AppHandle<R>,
    filter: PaymentFilter,
) -> Result<Vec<Payment>> {
    off_runtime(app, move |state| {
        state.with(|r| {
            let state = match filter.state.as_deref().filter(|s| !s.is_empty()) {
                Some(s) => Some(
                    PaymentState::parse(s)
                        .ok_or_else(|| Error::field("state", FieldCode::InvalidChoice))?,
                ),
                None => None,
            };
            pay::list(
                r,
                &PaymentQuery {
                    state,
                    member_id: filter.member_id,
                    ..PaymentQuery::default()
                },
            )
        })
    })
    .await
}

#[tauri::command]
pub async fn payment_assign<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    to: Assignment,
) -> Result<Payment> {
    off_runtime(app, move |state| state.with(|r| pay::assign(r, id, to))).await
}

#[tauri::command]
pub async fn payment_add<R: Runtime>(app: AppHandle<R>, payment: HandPayment) -> Result<Payment> {
    off_runtime(app, move |state| state.with(|r| pay::add(r, &payment))).await
}

#[tauri::command]
pub async fn payment_reverse<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<Payment> {
    off_runtime(app, move |state| state.with(|r| pay::reverse(r, id))).await
}

/// What a member owes and has in credit.
#[tauri::command]
pub async fn member_account<R: Runtime>(
    app: AppHandle<R>,
    member_id: i64,
) -> Result<MemberAccount> {
    off_runtime(app, move |state| state.with(|r| pay::account(r, member_id))).await
}

/// Writes off what is left of an open or partly paid invoice.
#[tauri::command]
pub async fn invoice_write_off<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<Invoice> {
    off_runtime(app, move |state| {
        state.with(|r| reminders::write_off(r, id))
    })
    .await
}

/// Billed, paid and outstanding per period and branch, the credit, and the
/// payments of the last twelve months.
#[tauri::command]
pub async fn dues_overview<R: Runtime>(
    app: AppHandle<R>,
) -> Result<medlem_core::types::dues::Overview> {
    off_runtime(app, move |state| {
        state.with(|r| dues::overview::overview(&*r, today()))
    })
    .await
}

/// Sets what a member pays with: the income band and the household's payer.
#[tauri::command]
pub async fn member_dues_set<R: Runtime>(
    app: AppHandle<R>,
    member_id: i64,
    dues: medlem_core::types::dues::MemberDues,
) -> Result<MemberAccount> {
    off_runtime(app, move |state| {
        state.with(|r| {
            fees::set_member_dues(r, member_id, &dues)?;
            pay::account(r, member_id)
        })
    })
    .await
}
