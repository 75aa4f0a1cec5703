//! Insight notes a phone offers, reviewed by managers and read in the brief, over real HTTP.

mod support;

use chrono::{Datelike, Days};
use peerpulse_core::field_notes::{NoteOfferAnswer, OfferedNote, week_of};
use peerpulse_core::people::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{TestServer, today};

impl TestServer {
    /// `token`'s phone withdraws the note of its entry `id`.
    async fn withdraw(&self, token: &str, id: &str) -> reqwest::Response {
        self.client
            .delete(self.at(&format!("/api/v1/notes/of-entry/{id}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }
}

fn texts(notes: &[OfferedNote]) -> Vec<&str> {
    notes.iter().map(|n| n.text.as_str()).collect()
}

#[tokio::test]
async fn an_offered_note_is_stored_once_reviewed_by_a_manager_and_read_by_everyone_once_approved() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let viewer = server.person(org, Role::Viewer, "vic").await;
    let phone = server.device(org).await;
    let this_week = week_of(today()).to_string();
    let last_week = week_of(today() - Days::new(7)).to_string();

    for _ in 0..2 {
        let res = server
            .offer(
                &phone,
                "e1",
                &this_week,
                "pink pills going round, much stronger",
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let again: NoteOfferAnswer = server
        .offer(
            &phone,
            "e1",
            &this_week,
            "pink pills going round, much stronger",
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(!again.stored, "a resend stores nothing new");
    let res = server
        .offer(
            &phone,
            "e2",
            &last_week,
            "the clinic on the hill stopped testing",
        )
        .await;
    assert!(res.json::<NoteOfferAnswer>().await.unwrap().stored);

    let pending = server.notes(&manager, "?status=pending").await;
    assert_eq!(
        texts(&pending),
        [
            "pink pills going round, much stronger",
            "the clinic on the hill stopped testing"
        ]
    );
    assert_eq!(pending[0].week.weekday(), chrono::Weekday::Mon);
    // A viewer reads approved notes only, and none is approved yet.
    assert!(server.notes(&viewer, "").await.is_empty());
    let refused = server
        .call(
            Method::GET,
            "/api/v1/notes?status=pending",
            Some(&viewer),
            None,
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let review = |id, status, who| server.review(id, status, who);
    let viewer_try = review(pending[0].id, "approved", &viewer).await;
    assert_eq!(viewer_try.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        review(pending[0].id, "approved", &manager).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        review(pending[1].id, "rejected", &manager).await.status(),
        StatusCode::NO_CONTENT
    );
    let undecided = review(pending[1].id, "pending", &manager).await;
    assert_eq!(undecided.status(), StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(
        texts(&server.notes(&viewer, "").await),
        ["pink pills going round, much stronger"]
    );
    assert!(server.notes(&manager, "?status=pending").await.is_empty());
    assert_eq!(
        texts(&server.notes(&manager, "?status=rejected").await),
        ["the clinic on the hill stopped testing"]
    );
    // The brief's period picks notes by week.
    let before = today() - Days::new(14);
    assert!(
        server
            .notes(&viewer, &format!("?from={before}&to={before}"))
            .await
            .is_empty()
    );
    assert_eq!(
        server
            .notes(&viewer, &format!("?from={before}&to={}", today()))
            .await
            .len(),
        1
    );

    // Another organization sees none of it and cannot review it.
    let hills = server.org("Hills").await;
    let stranger = server.person(hills, Role::Admin, "hal").await;
    assert!(server.notes(&stranger, "").await.is_empty());
    let theirs = review(pending[1].id, "approved", &stranger).await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        texts(&server.notes(&manager, "?status=rejected").await),
        ["the clinic on the hill stopped testing"]
    );
}

#[tokio::test]
async fn offers_that_could_identify_someone_or_are_misdated_are_refused_with_reasons() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let phone = server.device(org).await;
    let this_week = week_of(today());
    let next_week = (this_week + Days::new(7)).to_string();
    let tuesday = (this_week + Days::new(1)).to_string();
    let this_week = this_week.to_string();
    for (week, text, says) in [
        (
            &this_week,
            "ring 0412 345 678 for more",
            "looks like a phone number",
        ),
        (&next_week, "pink pills", "has not started yet"),
        (&tuesday, "pink pills", "is not a Monday"),
        (&this_week, "   ", "the note is empty"),
    ] {
        let res = server.offer(&phone, "e1", week, text).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        let body: Value = res.json().await.unwrap();
        assert!(
            body["message"].as_str().unwrap().contains(says),
            "{text}: {body}"
        );
    }
    let unsigned = server
        .client
        .post(server.at("/api/v1/notes"))
        .json(&json!({"id": "e1", "week": this_week, "text": "pink pills"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    let extra = server
        .client
        .post(server.at("/api/v1/notes"))
        .bearer_auth(&phone)
        .json(&json!({"id": "e1", "week": this_week, "text": "pink pills", "site": "van"}))
        .send()
        .await
        .unwrap();
    assert_eq!(extra.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(server.notes(&manager, "?status=pending").await.is_empty());
    let backwards = server
        .call(
            Method::GET,
            &format!("/api/v1/notes?from={}&to=2020-01-01", today()),
            Some(&manager),
            None,
        )
        .await;
    assert_eq!(backwards.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn corrected_words_wait_for_review_again_and_a_withdrawn_note_leaves_the_brief() {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let phone = server.device(org).await;
    let other_phone = server.device(org).await;
    let week = week_of(today()).to_string();
    let first = "blue ones going round";
    server.offer(&phone, "e1", &week, first).await;
    server
        .offer(&other_phone, "e1", &week, "a van parks by the river")
        .await;
    let approve_all = || async {
        for note in server.notes(&manager, "?status=pending").await {
            let res = server.review(note.id, "approved", &manager).await;
            assert_eq!(res.status(), StatusCode::NO_CONTENT);
        }
    };
    approve_all().await;
    assert_eq!(server.notes(&manager, "").await.len(), 2);

    // New words for an approved note take it out of the brief until reviewed again.
    let corrected: NoteOfferAnswer = server
        .offer(&phone, "e1", &week, "blue ones, much stronger than before")
        .await
        .json()
        .await
        .unwrap();
    assert!(corrected.stored);
    assert_eq!(
        texts(&server.notes(&manager, "?status=pending").await),
        ["blue ones, much stronger than before"]
    );
    assert_eq!(
        texts(&server.notes(&manager, "").await),
        ["a van parks by the river"]
    );
    approve_all().await;

    // Withdrawn: gone whatever its review, and only the phone's own note of that entry id.
    for _ in 0..2 {
        let res = server.withdraw(&phone, "e1").await;
        assert_eq!(
            res.status(),
            StatusCode::NO_CONTENT,
            "withdrawing twice is harmless"
        );
    }
    assert_eq!(
        texts(&server.notes(&manager, "").await),
        ["a van parks by the river"]
    );
    assert!(server.notes(&manager, "?status=pending").await.is_empty());
    assert_eq!(
        server.withdraw(&phone, "never-offered").await.status(),
        StatusCode::NO_CONTENT
    );

    // Offered again after a withdrawal, it is a new note to review.
    let res = server.offer(&phone, "e1", &week, first).await;
    assert!(res.json::<NoteOfferAnswer>().await.unwrap().stored);
    assert_eq!(
        texts(&server.notes(&manager, "?status=pending").await),
        [first]
    );

    // A bad entry id is refused with the reason; without a phone's token nothing is withdrawn.
    let bad = server.withdraw(&phone, "not%20an%20id").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = bad.json().await.unwrap();
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("is not an entry id"),
        "{body}"
    );
    let anonymous = server
        .client
        .delete(server.at("/api/v1/notes/of-entry/e1"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(server.notes(&manager, "?status=pending").await.len(), 1);
}

#[tokio::test]
async fn a_phone_cannot_pile_up_notes_nor_date_them_long_ago() {
    let (server, org, token) = TestServer::with_device("Org").await;
    let week = week_of(today()).to_string();
    let old = server
        .offer(&token, "e-old", "2001-01-01", "pink pills")
        .await;
    assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(old.text().await.unwrap().contains("more than 400 days ago"));
    assert_eq!(
        server
            .offer(&token, "e0", &week, "pink pills")
            .await
            .status(),
        StatusCode::OK
    );
    let device: String = sqlx::query_scalar("SELECT device_id FROM offered_notes")
        .fetch_one(&server.state.db)
        .await
        .unwrap();
    // As many more waiting as a phone may have.
    for n in 1..peerpulse_server::db::notes::MAX_PENDING_PER_DEVICE {
        sqlx::query(
            "INSERT INTO offered_notes (org_id, device_id, entry_id, week, text, received_at) \
             VALUES ($1, $2, $3, $4, 'strong batch', '2026-01-01T00:00:00Z')",
        )
        .bind(org)
        .bind(&device)
        .bind(format!("e{n}"))
        .bind(&week)
        .execute(&server.state.db)
        .await
        .unwrap();
    }
    let one_more = server.offer(&token, "e-new", &week, "blue pills").await;
    assert_eq!(one_more.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        one_more
            .text()
            .await
            .unwrap()
            .contains("waiting for review")
    );
    // Changing a note already waiting is still fine.
    let changed = server
        .offer(&token, "e0", &week, "pink pills, stronger")
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
}
