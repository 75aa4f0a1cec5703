//! The privacy guard reads through look-alike and invisible characters at the service too, over
//! real HTTP: an offered note disguised with fullwidth or Arabic-Indic digits, zero-width
//! characters, a fullwidth `＠` or a bidi override is refused like its ASCII form, and a codebook
//! label cannot hide zero-width or bidi characters.

mod support;

use peerpulse_core::codebook::Codebook;
use peerpulse_core::field_notes::{NoteOfferAnswer, week_of};
use peerpulse_core::people::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestServer, today};

/// `token`'s phone offers `text` as entry `id`'s note, dated this week.
async fn offer(server: &TestServer, token: &str, id: &str, text: &str) -> reqwest::Response {
    server
        .offer(token, id, &week_of(today()).to_string(), text)
        .await
}

/// What a refusal says, after checking it is one.
async fn refusal(res: reqwest::Response, text: &str) -> String {
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{text:?}");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "unprocessable", "{text:?}: {body}");
    body["message"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn notes_disguised_with_unicode_are_refused_like_their_ascii_forms() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let phone = server.device(org).await;
    let says = |kind: &str| format!("looks like {kind}");
    for (ascii, disguised, kind) in [
        (
            "ring 07700 900123 after six",
            "ring ０７７００ ９００１２３ after six",
            "a phone number",
        ),
        ("رقمه 07700900123", "رقمه ٠٧٧٠٠٩٠٠١٢٣", "a phone number"),
        (
            "ring 07700900123 later",
            "ring 07700\u{200B}900\u{200B}123 later",
            "a phone number",
        ),
        (
            "write to name@example.org",
            "write to name＠example.org",
            "an email address",
        ),
        (
            "a guy named Dave sells it",
            "a guy named \u{202E}evaD\u{202C} sells it",
            "a name",
        ),
        (
            "ring 07700 900 123",
            "ring 0770\u{202D}0 900\u{202C} 1\u{2066}23\u{2069}",
            "a phone number",
        ),
    ] {
        let plain = refusal(offer(&server, &phone, "e1", ascii).await, ascii).await;
        assert!(plain.contains(&says(kind)), "{ascii}: {plain}");
        let message = refusal(offer(&server, &phone, "e1", disguised).await, disguised).await;
        assert!(message.contains(&says(kind)), "{disguised:?}: {message}");
    }

    // Notes in other scripts, with their own digits, are still welcome.
    for (id, text) in [
        (
            "e2",
            "necesita vivienda, está en la calle desde hace 3 semanas",
        ),
        ("e3", "يحتاج إلى سكن منذ ٣ أسابيع"),
    ] {
        let res = offer(&server, &phone, id, text).await;
        assert_eq!(res.status(), StatusCode::OK, "{text}");
        assert!(res.json::<NoteOfferAnswer>().await.unwrap().stored);
    }
    let pending = server.notes(&manager, "?status=pending").await;
    let mut texts: Vec<&str> = pending.iter().map(|n| n.text.as_str()).collect();
    texts.sort_unstable();
    assert_eq!(
        texts,
        [
            "necesita vivienda, está en la calle desde hace 3 semanas",
            "يحتاج إلى سكن منذ ٣ أسابيع"
        ],
        "nothing disguised was stored, and what was stored is as typed"
    );
}

#[tokio::test]
async fn codebook_labels_with_zero_width_or_bidi_override_characters_are_refused() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let edit = |edit: Value| json!({"base_version": 1, "edit": edit});
    for edit in [
        edit(json!({"edit": "add", "list": "need", "label": "Shel\u{200B}ter"})),
        edit(json!({"edit": "add", "list": "need", "label": "\u{202E}retlehS\u{202C}"})),
        edit(
            json!({"edit": "rename", "list": "need", "code": "housing", "label": "Hous\u{2060}ing"}),
        ),
        edit(
            json!({"edit": "rename", "list": "need", "code": "housing", "label": "Housing \u{202E}tnaw"}),
        ),
    ] {
        let res = server.edit_codebook(&manager, edit.clone()).await;
        let message = refusal(res, &edit.to_string()).await;
        assert!(message.contains("hidden character"), "{edit}: {message}");
    }

    // Nothing was stored: version 1 still takes an edit, and a clean label is accepted.
    let clean = edit(json!({"edit": "add", "list": "need", "label": "Shelter"}));
    let res = server.edit_codebook(&manager, clean).await;
    assert_eq!(res.status(), StatusCode::OK);
    let book: Codebook = res.json().await.unwrap();
    assert_eq!(book.version, 2);
}
