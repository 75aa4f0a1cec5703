//! Codebook labels in several languages, over real HTTP on either database: a manager's
//! translation is stored with the codebook and reaches the organization's phones on sync; a
//! bad language tag or a translation that names someone is refused with the reason and changes
//! nothing; another organization neither reads nor writes them.

mod support;

use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::language::LanguageTag;
use peerpulse_core::people::Role;
use peerpulse_core::protocol::SyncRequest;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::TestServer;
use support::people::Session;

const CODEBOOK: &str = "/api/v1/codebook";

/// `session` asks for `edit` on codebook version `base`.
async fn edit(server: &TestServer, session: &Session, base: u32, edit: Value) -> reqwest::Response {
    server
        .call(
            Method::POST,
            CODEBOOK,
            Some(session),
            Some(json!({"base_version": base, "edit": edit})),
        )
        .await
}

async fn codebook(server: &TestServer, session: &Session) -> Codebook {
    let res = server
        .call(Method::GET, CODEBOOK, Some(session), None)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

/// The codebook a phone holding version `has` is sent on sync.
async fn synced_codebook(server: &TestServer, token: &str, has: u32) -> Option<Codebook> {
    let body = serde_json::to_value(SyncRequest {
        buckets: Vec::new(),
        codebook_version: has,
    })
    .unwrap();
    let (status, answer) = server.sync_raw(token, &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    serde_json::from_value(answer["codebook"].clone()).unwrap()
}

fn tag(raw: &str) -> LanguageTag {
    LanguageTag::new(raw).unwrap()
}

#[tokio::test]
async fn a_translation_travels_to_the_phones_of_its_organization_only() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let phone = server.device(org).await;
    let housing = Code::new("housing").unwrap();

    let res = edit(
        &server,
        &manager,
        1,
        json!({"edit": "translate", "list": "need", "code": "housing", "language": "es", "label": "Vivienda"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = edit(
        &server,
        &manager,
        2,
        json!({"edit": "translate", "list": "need", "code": "housing", "language": "ar", "label": "سكن"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);

    // The phone gets both, and shows them in its languages; the code stays the code.
    let sent = synced_codebook(&server, &phone, 1)
        .await
        .expect("the newer codebook is sent");
    assert_eq!(sent.version, 3);
    assert_eq!(
        sent.label_for(CodeList::Need, &housing, &[tag("es-MX")]),
        "Vivienda"
    );
    assert_eq!(
        sent.label_for(CodeList::Need, &housing, &[tag("ar")]),
        "سكن"
    );
    assert_eq!(
        sent.label_for(CodeList::Need, &housing, &[tag("fr")]),
        "Housing"
    );
    assert_eq!(sent, codebook(&server, &manager).await);

    // Another organization reads its own codebook, and its edits touch only that.
    let other = server.org("Elsewhere").await;
    let stranger = server.person(other, Role::Manager, "sam").await;
    let theirs = codebook(&server, &stranger).await;
    assert_eq!(theirs.version, 1);
    assert!(theirs.needs.iter().all(|e| e.translations.is_empty()));
    let res = edit(
        &server,
        &stranger,
        1,
        json!({"edit": "translate", "list": "need", "code": "housing", "language": "es", "label": "Techo"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let other_phone = server.device(other).await;
    let their_sent = synced_codebook(&server, &other_phone, 1).await.unwrap();
    assert_eq!(
        their_sent.label_for(CodeList::Need, &housing, &[tag("es")]),
        "Techo"
    );
    let ours = codebook(&server, &manager).await;
    assert_eq!(
        (
            ours.version,
            ours.label_for(CodeList::Need, &housing, &[tag("es")])
        ),
        (3, "Vivienda")
    );

    // A viewer cannot translate.
    let viewer = server.person(org, Role::Viewer, "vic").await;
    let res = edit(
        &server,
        &viewer,
        3,
        json!({"edit": "translate", "list": "need", "code": "housing", "language": "fr", "label": "Logement"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(codebook(&server, &manager).await.version, 3);
}

#[tokio::test]
async fn bad_language_tags_and_identifying_translations_are_refused_and_change_nothing() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    for (edit_body, says) in [
        (
            json!({"edit": "translate", "list": "need", "code": "housing", "language": "spanish", "label": "Vivienda"}),
            "is not a language",
        ),
        (
            json!({"edit": "translate", "list": "need", "code": "housing", "language": "es-Mexico", "label": "Vivienda"}),
            "is not a region",
        ),
        (
            json!({"edit": "set-language", "language": ""}),
            "cannot be empty",
        ),
        (
            json!({"edit": "translate", "list": "need", "code": "housing", "language": "es", "label": "se llama Lupita"}),
            "looks like a name",
        ),
        (
            json!({"edit": "translate", "list": "need", "code": "housing", "language": "ar", "label": "اسمه يوسف"}),
            "looks like a name",
        ),
        (
            json!({"edit": "translate", "list": "need", "code": "housing", "language": "fr", "label": "appeler le 06 12 34 56 78"}),
            "looks like a phone number",
        ),
        (
            json!({"edit": "translate", "list": "need", "code": "housing", "language": "es", "label": "Vivi\u{200B}enda"}),
            "hidden character",
        ),
        (
            json!({"edit": "translate", "list": "need", "code": "housing", "language": "en", "label": "Homes"}),
            "rename the code",
        ),
        (
            json!({"edit": "translate", "list": "need", "code": "nowhere", "language": "es", "label": "Nada"}),
            "has no code nowhere",
        ),
    ] {
        let res = edit(&server, &manager, 1, edit_body.clone()).await;
        let status = res.status();
        assert!(status.is_client_error(), "{edit_body}: {status}");
        let body: Value = res.json().await.unwrap();
        let message = body["message"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{edit_body}: {message}");
        assert!(!message.ends_with(".."), "{message}");
    }
    let book = codebook(&server, &manager).await;
    assert_eq!(book.version, 1);
    assert!(book.needs.iter().all(|e| e.translations.is_empty()));
}

#[tokio::test]
async fn a_new_default_language_reaches_phones_with_the_old_labels_kept_as_translations() {
    let server = TestServer::start(None).await;
    let org = server.org("Puerto").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let phone = server.device(org).await;
    let res = edit(
        &server,
        &manager,
        1,
        json!({"edit": "translate", "list": "site", "code": "van", "language": "es", "label": "Camioneta"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = edit(
        &server,
        &manager,
        2,
        json!({"edit": "set-language", "language": "ES"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    // Two managers on version 2: the second change is refused, not lost over the first.
    let res = edit(
        &server,
        &manager,
        2,
        json!({"edit": "set-language", "language": "fr"}),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);

    let sent = synced_codebook(&server, &phone, 1).await.unwrap();
    let van = Code::new("van").unwrap();
    assert_eq!(sent.language, tag("es"));
    assert_eq!(sent.label(CodeList::Site, &van), "Camioneta");
    assert_eq!(
        sent.label_for(CodeList::Site, &van, &[tag("en-US")]),
        "Outreach van"
    );
}
