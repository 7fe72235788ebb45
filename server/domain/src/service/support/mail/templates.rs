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
        assert!(mails[2].render().1.contains("30分間有効"));
    }
}
