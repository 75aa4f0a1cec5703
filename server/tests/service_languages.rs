//! The service's messages arrive in the language the person reads: `Accept-Language` picks
//! one of the five, the answer says which (`Content-Language`) and that it depends on it
//! (`Vary`), and nothing of the header reaches the text, the `error` code or the status.

mod support;

use peerpulse_core::people::Role;
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, VARY};
use reqwest::{RequestBuilder, StatusCode};
use serde_json::{Value, json};
use support::TestServer;
use support::people::Session;

/// What one answer said.
struct Said {
    status: StatusCode,
    error: String,
    message: String,
    content_language: Option<String>,
    vary: Vec<String>,
}

async fn said(request: RequestBuilder, accept_language: Option<&str>) -> Said {
    let request = match accept_language {
        Some(value) => request.header(ACCEPT_LANGUAGE, value),
        None => request,
    };
    let res = request.send().await.expect("request");
    let status = res.status();
    let content_language = res
        .headers()
        .get(CONTENT_LANGUAGE)
        .map(|v| v.to_str().unwrap().to_owned());
    let vary = res
        .headers()
        .get_all(VARY)
        .iter()
        .flat_map(|v| v.to_str().unwrap().split(','))
        .map(|v| v.trim().to_ascii_lowercase())
        .collect();
    let body: Value = res.json().await.expect("a JSON error body");
    Said {
        status,
        error: body["error"].as_str().expect("error").to_owned(),
        message: body["message"].as_str().expect("message").to_owned(),
        content_language,
        vary,
    }
}

fn bad_sign_in(server: &TestServer) -> RequestBuilder {
    server.client.post(server.at("/api/v1/session")).json(
        &json!({"organization": "harbour", "username": "mia", "password": "not the secret at all"}),
    )
}

/// A request that needs a session and has none: refused every time, with no attempt counted.
fn unsigned(server: &TestServer) -> RequestBuilder {
    server.client.get(server.at("/api/v1/users"))
}

fn codebook_edit(server: &TestServer, manager: &Session, base: u32) -> RequestBuilder {
    server
        .client
        .post(server.at("/api/v1/codebook"))
        .header("cookie", &manager.cookie)
        .header("x-csrf-token", &manager.csrf)
        .json(&json!({"base_version": base, "edit": {"edit": "translate", "list": "need", "code": "nowhere", "language": "es", "label": "Nada"}}))
}

/// Checks one answer in `language`: the status and code as in English, the words expected,
/// and the headers.
fn check(said: &Said, status: StatusCode, error: &str, language: &str, words: &str) {
    assert_eq!(said.status, status, "{}", said.message);
    assert_eq!(said.error, error, "{}", said.message);
    assert!(
        said.message.contains(words),
        "{language}: {:?} lacks {words:?}",
        said.message
    );
    assert_eq!(said.content_language.as_deref(), Some(language));
    assert!(
        said.vary.contains(&"accept-language".to_owned()),
        "{:?}",
        said.vary
    );
}

#[tokio::test]
async fn refusals_come_in_spanish_and_arabic_with_their_codes_and_statuses_unchanged() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let used = server.code(org).await;
    let enrol = || {
        server
            .client
            .post(server.at("/api/v1/enrol"))
            .json(&json!({ "code": used }))
    };
    assert_eq!(enrol().send().await.unwrap().status(), StatusCode::CREATED);
    let token = server.device(org).await;
    let bad_body = || {
        server
            .client
            .post(server.at("/api/v1/sync"))
            .bearer_auth(&token)
            .json(&json!({"buckets": "all of them"}))
    };
    let cases: [(&str, &str, [&str; 5]); 2] = [
        (
            "es-MX,es;q=0.9,en;q=0.5",
            "es",
            [
                "no coinciden con ninguna cuenta",
                "Este código de conexión no existe, ya se usó o caducó",
                "la lista de necesidades no tiene el código nowhere",
                "El libro de códigos cambió mientras tanto (ahora es la versión 1)",
                "El cuerpo de la solicitud no es lo que espera este punto de la API: buckets: invalid type",
            ],
        ),
        (
            "ar;q=0.8, en;q=0.2",
            "ar",
            // Each value is isolated (FSI or, with no letter to go by, RLI … PDI), so it
            // keeps its own direction in the right-to-left sentence.
            [
                "لا تطابق أي حساب",
                "رمز الربط هذا غير معروف",
                "قائمة \u{2068}الاحتياجات\u{2069} ليس فيها الرمز \u{2068}nowhere\u{2069}",
                "تغيّر دليل الرموز في هذه الأثناء (الإصدار الآن \u{2067}1\u{2069})",
                "محتوى الطلب ليس ما تنتظره هذه النقطة من الواجهة: \u{2068}buckets: invalid type",
            ],
        ),
    ];
    for (header, language, words) in cases {
        let asked = Some(header);
        let answer = said(bad_sign_in(&server), asked).await;
        check(
            &answer,
            StatusCode::UNAUTHORIZED,
            "bad_credentials",
            language,
            words[0],
        );
        let answer = said(enrol(), asked).await;
        check(
            &answer,
            StatusCode::FORBIDDEN,
            "enrolment_code_invalid",
            language,
            words[1],
        );
        let answer = said(codebook_edit(&server, &manager, 1), asked).await;
        check(
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable",
            language,
            words[2],
        );
        let answer = said(codebook_edit(&server, &manager, 0), asked).await;
        check(
            &answer,
            StatusCode::CONFLICT,
            "conflict",
            language,
            words[3],
        );
        let answer = said(bad_body(), asked).await;
        check(
            &answer,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            language,
            words[4],
        );
    }
}

/// The first answer of 429 to a phone asking for trends in `language` again and again.
async fn over_the_limit(server: &TestServer, token: &str, language: &str) -> reqwest::Response {
    // The bucket refills 2 a second while the burst is spent, so allow for a slow machine.
    for _ in 0..2 * peerpulse_server::RATE_BURST {
        let answer = server
            .client
            .get(server.at("/api/v1/trends"))
            .bearer_auth(token)
            .header(ACCEPT_LANGUAGE, language)
            .send()
            .await
            .unwrap();
        if answer.status() == StatusCode::TOO_MANY_REQUESTS {
            return answer;
        }
    }
    panic!("the limit is reached soon after the burst");
}

#[tokio::test]
async fn a_phone_over_its_request_limit_is_told_to_wait_in_its_language() {
    let (server, _org, token) = TestServer::with_device("Harbour").await;
    let answer = over_the_limit(&server, &token, "es").await;
    assert!(answer.headers().contains_key("retry-after"));
    assert_eq!(answer.headers()[CONTENT_LANGUAGE], "es");
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "Este teléfono está enviando demasiadas solicitudes: lo volverá a intentar solo en "
        ),
        "{message}"
    );
    for arabic in ["ar", "ar-EG"] {
        let answer = over_the_limit(&server, &token, arabic).await;
        assert_eq!(answer.headers()[CONTENT_LANGUAGE], "ar");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["error"], "too_many_requests");
        let message = body["message"].as_str().unwrap();
        assert!(
            message.starts_with("هذا الهاتف يرسل طلبات كثيرة جدًا"),
            "{message}"
        );
    }
}

#[tokio::test]
async fn no_header_a_language_we_lack_garbage_or_a_huge_header_get_english() {
    let server = TestServer::start(None).await;
    let english = said(unsigned(&server), None).await;
    check(
        &english,
        StatusCode::UNAUTHORIZED,
        "sign_in_required",
        "en",
        "Sign in first",
    );
    let huge = format!("{}es", "de;q=0.5,".repeat(800));
    for header in [
        "de-DE,de;q=0.9",
        "*",
        ";;;,,q=,=",
        "es;q=0",
        "x-klingon",
        huge.as_str(),
    ] {
        let answer = said(unsigned(&server), Some(header)).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
        assert_eq!(answer.error, "sign_in_required");
        assert_eq!(answer.message, english.message, "{header:.40}");
        assert_eq!(answer.content_language.as_deref(), Some("en"));
    }
    // A successful answer says it depends on the header too.
    let ok = server
        .client
        .get(server.at("/api/v1/openapi.json"))
        .header(ACCEPT_LANGUAGE, "es")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    assert!(
        ok.headers()
            .get_all(VARY)
            .iter()
            .any(|v| v.to_str().unwrap().contains("accept-language"))
    );
}

/// An attacker's headers: text, markup and placeholders where a language should be. The
/// header only ever chooses one of the five texts; the code and status never move.
#[tokio::test]
async fn accept_language_cannot_put_words_markup_or_another_code_into_an_answer() {
    let server = TestServer::start(None).await;
    let mut texts = Vec::new();
    for tag in ["en", "es", "fr", "pt", "ar"] {
        texts.push(said(unsigned(&server), Some(tag)).await.message);
    }
    let attacks = [
        "es<script>alert(1)</script>",
        "<b>ar</b>, es;q=0.5",
        "{{count}}, es;q=0.1",
        "es;q=1;error=internal",
        "ar-\"}],\"error\":\"internal",
        "en;q=0.5, ar;q=0.50000000001, es;q=0.9",
        "pt-BR-x-{{given}}",
        "es\u{a0}\u{202e}ar",
    ];
    for attack in attacks {
        let value = reqwest::header::HeaderValue::from_bytes(attack.as_bytes())
            .expect("a header value of visible bytes");
        let request = unsigned(&server).header(ACCEPT_LANGUAGE, value);
        let answer = said(request, None).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{attack}");
        assert_eq!(answer.error, "sign_in_required", "{attack}");
        assert!(
            texts.contains(&answer.message),
            "{attack}: {}",
            answer.message
        );
        for fragment in ["<", "{{", "script", "internal"] {
            assert!(
                !answer.message.contains(fragment),
                "{attack}: {}",
                answer.message
            );
        }
    }
}
