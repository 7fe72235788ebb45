//! Whole Japanese error pages for answers that have no page of their own: a
//! form post that could not be stored, a body too large, a timeout. They
//! load no script and need nothing but the site's stylesheet.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// What the page says for a status, besides the message.
fn heading(status: StatusCode) -> &'static str {
    match status.as_u16() {
        503 => "ただいま保存・表示ができません",
        413 => "送信された内容が大きすぎます",
        408 => "時間内に受け取れませんでした",
        429 => "アクセスが集中しています",
        400..=499 => "送信された内容を受け付けられません",
        _ => "サーバーで問題が起きました",
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A complete HTML page with `status` and `message` (plain text, escaped).
#[must_use]
pub fn page(status: StatusCode, message: &str) -> Response {
    let heading = heading(status);
    let body = format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{heading}｜こころサポート研修</title><link rel=\"stylesheet\" href=\"/pkg/nimo.css\"></head>\
         <body><main class=\"page\"><section class=\"card error-page\" role=\"alert\">\
         <h1>{heading}</h1><p>{message}</p>\
         <p>ブラウザの「戻る」で前の画面に戻ると、入力した内容が残っています。</p>\
         <p><a class=\"button\" href=\"/\">トップページへ</a></p>\
         <p class=\"small\">（エラー番号 {code}）</p></section></main></body></html>",
        message = escape(message),
        code = status.as_u16(),
    );
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::SERVICE_UNAVAILABLE || status == StatusCode::TOO_MANY_REQUESTS {
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
    }
    response
}

/// The message for a body over the limit.
pub const TOO_LARGE: &str =
    "送信された内容が大きすぎるため、受け付けられませんでした。入力を短くして、もう一度送信してください。";
/// The message for a body that did not arrive in time.
pub const TOO_SLOW: &str =
    "通信に時間がかかりすぎたため、受け付けられませんでした。電波のよい所で、もう一度送信してください。";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_escaped() {
        assert_eq!(escape("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }
}
