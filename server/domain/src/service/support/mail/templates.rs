//! Every mail the platform sends, in one place: subject and body, plain
//! Japanese text. Services say which mail and with what; the words live here.

use chrono::Duration;

/// The platform's name as mails sign it.
pub const PLATFORM_NAME: &str = "こころサポート研修";

/// One mail to send, with what it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mail<'a> {
    /// A staff member is invited to a role.
    Invitation { display_name: &'a str, place: &'a str, role: &'a str, link: &'a str, valid_for: Duration },
    /// A staff member asked to reset their password.
    PasswordReset { display_name: &'a str, link: &'a str, valid_for: Duration },
    /// A resident attaches this address to their certificate.
    ResidentClaim { link: &'a str, valid_for: Duration },
    /// A resident signs in on another device.
    ResidentSignIn { link: &'a str, valid_for: Duration },
    /// A resident registered for a session and holds a seat.
    Registered { session: SessionFacts<'a>, manage_link: &'a str },
    /// A resident registered for a full session and waits for a seat.
    Waitlisted { session: SessionFacts<'a>, position: u64, manage_link: &'a str },
    /// A seat came free: it is held for the resident until `until`.
    SeatOffered { session: SessionFacts<'a>, until: &'a str, manage_link: &'a str },
    /// An offered seat was not taken in time and passed on.
    OfferLapsed { session: SessionFacts<'a> },
    /// The implementing body cancelled the session.
    SessionCancelled { session: SessionFacts<'a>, reason: &'a str },
    /// The session is soon.
    Reminder { session: SessionFacts<'a>, manage_link: &'a str },
}

/// What every mail about a session says of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionFacts<'a> {
    /// The name of the person registered.
    pub name: &'a str,
    pub title: &'a str,
    pub when: &'a str,
    pub place: &'a str,
    pub body: &'a str,
}

impl SessionFacts<'_> {
    fn block(&self) -> String {
        format!("研修：{}\n日時：{}\n会場：{}\n実施：{}\n", self.title, self.when, self.place, self.body)
    }
}

const NOT_YOU: &str = "お心当たりのない場合は、このメールを破棄してください。";

impl Mail<'_> {
    /// (subject, body).
    #[must_use]
    pub fn render(&self) -> (String, String) {
        match self {
            Self::Invitation { display_name, place, role, link, valid_for } => (
                format!("【{PLATFORM_NAME}】担当者登録のご案内"),
                format!(
                    "{display_name} 様\n\n{PLATFORM_NAME}の{place}の{role}として招待されました。\n\
                     次のリンクを開き、パスワードを決めて登録を完了してください（{hours}時間有効、1回限り）。\n\n{link}\n\n\
                     {NOT_YOU}\n",
                    hours = valid_for.num_hours(),
                ),
            ),
            Self::PasswordReset { display_name, link, valid_for } => (
                format!("【{PLATFORM_NAME}】パスワード再設定"),
                format!(
                    "{display_name} 様\n\nパスワード再設定のご依頼を受け付けました。次のリンクから新しいパスワードを設定してください（{hours}時間有効、1回限り）。\n\n{link}\n\n{NOT_YOU}パスワードは変わりません。\n",
                    hours = valid_for.num_hours(),
                ),
            ),
            Self::ResidentClaim { link, valid_for } => (
                format!("【{PLATFORM_NAME}】メールアドレスの確認"),
                resident_link_body("認定証にこのメールアドレスを登録します。", link, *valid_for),
            ),
            Self::ResidentSignIn { link, valid_for } => (
                format!("【{PLATFORM_NAME}】ログイン用リンク"),
                resident_link_body(&format!("{PLATFORM_NAME}にログインします。"), link, *valid_for),
            ),
            Self::Registered { session, manage_link } => (
                format!("【{PLATFORM_NAME}】お申し込みを受け付けました：{}", session.title),
                format!(
                    "{} 様\n\n次の研修のお申し込みを受け付けました。\n\n{}\n\
                     お申し込みの確認・キャンセルは次のリンクからできます。\n{manage_link}\n\n\
                     行けなくなったときは、キャンセルしてください。空席を待っている方に席が回ります。\n\n{NOT_YOU}\n",
                    session.name,
                    session.block()
                ),
            ),
            Self::Waitlisted { session, position, manage_link } => (
                format!("【{PLATFORM_NAME}】空席待ちで受け付けました：{}", session.title),
                format!(
                    "{} 様\n\n次の研修は満席のため、空席待ち（{position}番目）で受け付けました。\n\n{}\n\
                     席が空くと、順番にメールでお知らせします。お知らせから期限までにお申し込みを確定してください。\n\
                     確認・取り消しは次のリンクからできます。\n{manage_link}\n\n{NOT_YOU}\n",
                    session.name,
                    session.block()
                ),
            ),
            Self::SeatOffered { session, until, manage_link } => (
                format!("【{PLATFORM_NAME}】空席が出ました（{until}まで）：{}", session.title),
                format!(
                    "{} 様\n\n空席待ちの研修に席が空きました。{until}までに次のリンクを開き、「参加を確定する」を押してください。\n\
                     期限を過ぎると、次に待っている方に席が回ります。\n\n{manage_link}\n\n{}\n{NOT_YOU}\n",
                    session.name,
                    session.block()
                ),
            ),
            Self::OfferLapsed { session } => (
                format!("【{PLATFORM_NAME}】空席のご案内の期限が過ぎました：{}", session.title),
                format!(
                    "{} 様\n\nご案内した席は、期限までに確定されなかったため、次に待っている方に回りました。\n\n{}\n\
                     ほかの日程は {PLATFORM_NAME} の「研修をさがす」からご覧ください。\n",
                    session.name,
                    session.block()
                ),
            ),
            Self::SessionCancelled { session, reason } => (
                format!("【{PLATFORM_NAME}】研修中止のお知らせ：{}", session.title),
                format!(
                    "{} 様\n\nお申し込みの研修は、次の理由により中止となりました。\n\n理由：{reason}\n\n{}\n\
                     ご迷惑をおかけします。ほかの日程は {PLATFORM_NAME} の「研修をさがす」からご覧ください。\n",
                    session.name,
                    session.block()
                ),
            ),
            Self::Reminder { session, manage_link } => (
                format!("【{PLATFORM_NAME}】研修のご案内（まもなく開催）：{}", session.title),
                format!(
                    "{} 様\n\nお申し込みの研修が近づきました。\n\n{}\n\
                     当日は会場（オンラインの場合は画面）に表示されるQRコードを、スマートフォンのカメラで読み取って出席を記録します。\n\
                     行けなくなったときは、次のリンクからキャンセルしてください。\n{manage_link}\n",
                    session.name,
                    session.block()
                ),
            ),
        }
    }
}

fn resident_link_body(what: &str, link: &str, valid_for: Duration) -> String {
    format!(
        "{what}\n次のリンクを開いてください（{}分間有効、1回限り）。\n\n{link}\n\n{NOT_YOU}\n",
        valid_for.num_minutes()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mail_has_its_link_and_validity() {
        let link = "https://example.jp/x?token=abc";
        let mails = [
            Mail::Invitation {
                display_name: "山田",
                place: "東京都",
                role: "都道府県担当者",
                link,
                valid_for: Duration::hours(72),
            },
            Mail::PasswordReset { display_name: "山田", link, valid_for: Duration::hours(1) },
            Mail::ResidentClaim { link, valid_for: Duration::minutes(30) },
            Mail::ResidentSignIn { link, valid_for: Duration::minutes(30) },
        ];
        for mail in &mails {
            let (subject, body) = mail.render();
            assert!(subject.starts_with('【'), "{subject}");
            assert!(body.contains(link) && body.contains("1回限り") && body.contains("破棄"), "{body}");
        }
        assert!(mails[0].render().1.contains("72時間有効"));
        let session = SessionFacts {
            name: "山田 花子",
            title: "心のサポーター養成研修",
            when: "令和8年12月1日 14:00〜16:00",
            place: "区民会館",
            body: "新宿区",
        };
        let offered = Mail::SeatOffered { session, until: "12月1日 10:00", manage_link: link }.render();
        assert!(offered.0.contains("12月1日 10:00") && offered.1.contains(link) && offered.1.contains("山田 花子 様"));
        let cancelled = Mail::SessionCancelled { session, reason: "台風のため" }.render();
        assert!(cancelled.1.contains("理由：台風のため") && cancelled.1.contains("区民会館"));
        assert!(mails[2].render().1.contains("30分間有効"));
    }
}
