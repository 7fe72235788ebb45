//! 謝金・旅費: what an implementing body pays each instructor of a session,
//! and when it was paid, exported as CSV for its accounts. Only the body's
//! staff record and read them (instructors' names and pay are personal
//! data: every view and export is audited).

use super::checkin::session_for_staff;
use crate::{
    jurisdiction::LocalGovCode,
    roles::Scope,
    service::{
        DomainError, Platform,
        identity::{Actor, audit},
        support::audit::AuditAction,
    },
    store::{
        db,
        entity::{course_session, instructor_payment, person, session_instructor},
    },
    text,
    view::{PaymentLine, SessionPayments},
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set, sea_query::OnConflict};
use std::net::IpAddr;

/// Largest amount one line may hold (yen).
pub const MAX_YEN: i32 = 10_000_000;
pub const MAX_NOTE_CHARS: usize = 200;

/// A payment as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentForm {
    pub person_id: String,
    pub honorarium: String,
    pub travel: String,
    /// `YYYY-MM-DD`; empty: not paid yet.
    pub paid_on: String,
    pub note: String,
}

fn yen(field: &'static str, label: &str, input: &str) -> Result<i32, DomainError> {
    let digits: String = input.trim().chars().filter(|c| !matches!(c, ',' | '，' | '円')).collect();
    let digits: String = digits
        .chars()
        .map(|c| if ('０'..='９').contains(&c) { char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c) } else { c })
        .collect();
    if digits.is_empty() {
        return Ok(0);
    }
    digits.parse::<i32>().ok().filter(|n| (0..=MAX_YEN).contains(n)).ok_or_else(|| {
        DomainError::validation(field, format!("{label}は0〜10,000,000の円の金額を数字で入力してください"))
    })
}

async fn assigned_instructors(
    platform: &Platform,
    session: &course_session::Model,
) -> Result<Vec<person::Model>, DomainError> {
    let ids: Vec<i32> = session_instructor::Entity::find()
        .filter(session_instructor::Column::SessionId.eq(session.id))
        .all(&platform.db)
        .await?
        .into_iter()
        .map(|a| a.person_id)
        .collect();
    Ok(person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .order_by_asc(person::Column::Id)
        .all(&platform.db)
        .await?)
}

fn line(session: &course_session::Model, who: &person::Model, paid: Option<&instructor_payment::Model>) -> PaymentLine {
    PaymentLine {
        session_code: session.code.clone(),
        person_id: who.id,
        instructor_name: who.display_name.clone(),
        honorarium_yen: paid.map_or(0, |p| i64::from(p.honorarium_yen)),
        travel_yen: paid.map_or(0, |p| i64::from(p.travel_yen)),
        paid_on: paid.and_then(|p| p.paid_on).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        note: paid.map(|p| p.note.clone()).unwrap_or_default(),
        recorded: paid.is_some(),
    }
}

/// The instructors of a session with what is recorded for them. Audited.
///
/// # Errors
/// As [`session_for_staff`] (instructors cannot see it).
pub async fn for_session(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    address: Option<IpAddr>,
) -> Result<SessionPayments, DomainError> {
    let session = session_for_staff(platform, actor, code, address).await?;
    let people = assigned_instructors(platform, &session).await?;
    let paid = instructor_payment::Entity::find()
        .filter(instructor_payment::Column::SessionId.eq(session.id))
        .all(&platform.db)
        .await?;
    let lines = people.iter().map(|p| line(&session, p, paid.iter().find(|x| x.person_id == p.id))).collect();
    audit(
        &platform.db,
        Some(actor),
        "",
        AuditAction::PersonalDataViewed,
        &format!("payments {}", session.code),
        "",
        address,
    )
    .await?;
    Ok(SessionPayments { code: session.code.clone(), title: session.title.clone(), lines })
}

/// Records (or corrects) one instructor's 謝金・旅費 for a session.
///
/// # Errors
/// As [`session_for_staff`]; Japanese validation messages.
pub async fn record(
    platform: &Platform,
    actor: &Actor,
    code: &str,
    form: &PaymentForm,
    now: DateTime<Utc>,
    address: Option<IpAddr>,
) -> Result<(), DomainError> {
    let session = session_for_staff(platform, actor, code, address).await?;
    let person_id: i32 =
        form.person_id.trim().parse().map_err(|_| DomainError::validation("person_id", "指導者を選んでください"))?;
    let instructor = assigned_instructors(platform, &session)
        .await?
        .into_iter()
        .find(|p| p.id == person_id)
        .ok_or_else(|| DomainError::validation("person_id", "この研修に割り当てられた指導者を選んでください"))?;
    let honorarium = yen("honorarium", "謝金", &form.honorarium)?;
    let travel = yen("travel", "旅費", &form.travel)?;
    let paid_on = match form.paid_on.trim() {
        "" => None,
        date => Some(NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
            DomainError::validation("paid_on", "支払日は 2026-12-01 のように入力してください（未払いなら空欄）")
        })?),
    };
    let note = form.note.trim();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(DomainError::validation("note", format!("備考は{MAX_NOTE_CHARS}文字以内で入力してください")));
    }
    text::refuse_hidden_characters(note)
        .map_err(|problem| DomainError::validation("note", format!("備考に{problem}")))?;
    let txn = db::begin_write(&platform.db).await?;
    instructor_payment::Entity::insert(instructor_payment::ActiveModel {
        session_id: Set(session.id),
        person_id: Set(instructor.id),
        honorarium_yen: Set(honorarium),
        travel_yen: Set(travel),
        paid_on: Set(paid_on),
        note: Set(note.to_owned()),
        recorded_by: Set(actor.person_id),
        recorded_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([instructor_payment::Column::SessionId, instructor_payment::Column::PersonId])
            .update_columns([
                instructor_payment::Column::HonorariumYen,
                instructor_payment::Column::TravelYen,
                instructor_payment::Column::PaidOn,
                instructor_payment::Column::Note,
                instructor_payment::Column::RecordedBy,
                instructor_payment::Column::RecordedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let detail = format!("{}: 謝金 {honorarium} 旅費 {travel} 支払日 {}", instructor.email, form.paid_on.trim());
    audit(&txn, Some(actor), "", AuditAction::PaymentRecorded, &format!("payments {}", session.code), &detail, address)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Every recorded payment of the sessions the actor's bodies run, as CSV
/// (UTF-8 with BOM). Audited.
///
/// # Errors
/// Database errors.
pub async fn csv(platform: &Platform, actor: &Actor, address: Option<IpAddr>) -> Result<(String, String), DomainError> {
    let paid = instructor_payment::Entity::find()
        .order_by_asc(instructor_payment::Column::Id)
        .limit(20_000)
        .all(&platform.db)
        .await?;
    let session_ids: Vec<i32> = paid.iter().map(|p| p.session_id).collect();
    let sessions =
        course_session::Entity::find().filter(course_session::Column::Id.is_in(session_ids)).all(&platform.db).await?;
    let person_ids: Vec<i32> = paid.iter().map(|p| p.person_id).collect();
    let people = person::Entity::find().filter(person::Column::Id.is_in(person_ids)).all(&platform.db).await?;
    let field = crate::text::csv_field;
    let mut out = String::from("\u{feff}");
    let header = [
        "研修コード",
        "研修名",
        "実施日",
        "実施主体",
        "団体コード",
        "指導者",
        "謝金（円）",
        "旅費（円）",
        "合計（円）",
        "支払日",
        "備考",
    ];
    out.push_str(&header.map(field).join(","));
    out.push_str("\r\n");
    let mut rows = 0;
    for payment in &paid {
        let Some(session) = sessions.iter().find(|s| s.id == payment.session_id) else { continue };
        let runs = LocalGovCode::parse(&session.implementing_body_code)
            .is_ok_and(|body| actor.runs_sessions_of(Scope::Local(body)));
        if !runs {
            continue;
        }
        let who = people.iter().find(|p| p.id == payment.person_id).map(|p| p.display_name.clone()).unwrap_or_default();
        let date =
            session.starts_at.with_timezone(&crate::service::support::clock::jst()).format("%Y-%m-%d").to_string();
        let cells = [
            field(&session.code),
            field(&session.title),
            field(&date),
            field(&platform.content.place_name(&session.implementing_body_code)),
            field(&session.implementing_body_code),
            field(&who),
            payment.honorarium_yen.to_string(),
            payment.travel_yen.to_string(),
            (i64::from(payment.honorarium_yen) + i64::from(payment.travel_yen)).to_string(),
            field(&payment.paid_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()),
            field(&payment.note),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
        rows += 1;
    }
    audit(
        &platform.db,
        Some(actor),
        "",
        AuditAction::PersonalDataViewed,
        "payments (CSV)",
        &format!("{rows} lines"),
        address,
    )
    .await?;
    Ok(("instructor-payments.csv".to_owned(), out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yen_amounts_read_as_people_type_them() {
        assert_eq!(yen("x", "謝金", "10,000円").ok(), Some(10_000));
        assert_eq!(yen("x", "謝金", "１２０００").ok(), Some(12_000));
        assert_eq!(yen("x", "謝金", "").ok(), Some(0));
        assert!(yen("x", "謝金", "-5").is_err());
        assert!(yen("x", "謝金", "99999999999").is_err());
    }
}
