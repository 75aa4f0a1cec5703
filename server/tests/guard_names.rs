//! Names leave the phone in no field, checked again at the service over real HTTP and a real
//! database: an offered note naming someone without a cue word, or with a cue in another
//! language, is refused, and so is a free tag that is a name; plain notes and tags land.

mod support;

use peerpulse_core::bucket::Measure;
use peerpulse_core::field_notes::week_of;
use reqwest::StatusCode;
use serde_json::Value;
use support::{TestServer, code, day_at_van, today};

/// `token`'s phone offers `text` as entry `id`'s note, dated this week.
async fn offer(server: &TestServer, token: &str, id: &str, text: &str) -> (StatusCode, Value) {
    let res = server
        .offer(token, id, &week_of(today()).to_string(), text)
        .await;
    (res.status(), res.json().await.unwrap())
}

#[tokio::test]
async fn an_offered_note_naming_someone_is_refused_and_a_plain_one_lands() {
    let (server, _, phone) = TestServer::with_device("Harbour").await;
    for (text, says) in [
        (
            "Told John Smith about the new site",
            "\"John Smith\" looks like a name",
        ),
        (
            "Met Tyrone and Keisha at the camp",
            "\"Tyrone\" looks like a name",
        ),
        (
            "se llama Lupita, tiene 19 años",
            "\"Lupita\" looks like a name",
        ),
        (
            "find her on insta @lexi.rae",
            "looks like a social-media handle",
        ),
        (
            "instagram.com/dre_the_plug selling",
            "looks like a link to someone's profile",
        ),
        (
            "black truck ABC 1234 circling",
            "looks like a vehicle plate",
        ),
    ] {
        let (status, body) = offer(&server, &phone, "e1", text).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}: {body}");
        let message = body["message"].as_str().unwrap();
        assert!(message.contains(says), "{text}: {message}");
    }
    for (id, text) in [
        ("e2", "Molly going around, some of it is meth"),
        (
            "e3",
            "camp at Victoria Park cleared by council this morning",
        ),
    ] {
        let (status, body) = offer(&server, &phone, id, text).await;
        assert_eq!(status, StatusCode::OK, "{text}: {body}");
    }
}

#[tokio::test]
async fn a_free_tag_that_is_a_name_is_rejected_alone_while_the_rest_land() {
    let (server, org, phone) = TestServer::with_device("Harbour").await;
    let name = Measure::FreeTag(code("maria-lopez"));
    let need = Measure::FreeTag(code("dental-care"));
    let answer = server
        .sync(
            &phone,
            day_at_van(2, 1, &[(name.clone(), 1), (need.clone(), 1)]),
        )
        .await;
    assert_eq!(answer.applied, 4);
    let rejected: Vec<Value> = answer
        .rejected
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect();
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert_eq!(rejected[0]["reason"], "identifying-tag");
    assert_eq!(rejected[0]["value"], "maria-lopez");
    let message = rejected[0]["message"].as_str().unwrap();
    assert!(message.contains("looks like a name"), "{message}");
    assert_eq!(server.stored(org, &name).await, 0);
    assert_eq!(server.stored(org, &need).await, 1);
}
