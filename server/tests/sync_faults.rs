//! Exactly-once under a hostile network: requests and answers are dropped, duplicated, delayed
//! and replayed out of order, and the service is killed and restarted mid-sync. Afterwards the
//! service must hold exactly what the phones hold, in every randomized run.

mod support;

use chrono::{Days, NaiveDate};
use peerpulse_core::bucket::{BucketKey, Measure, Tally, changes};
use peerpulse_core::codebook::{CodeList, Codebook};
use peerpulse_core::encounter::{
    EditWindow, Encounter, EncounterDraft, EncounterId, EncounterKind, MAX_EDIT_WINDOW_DAYS,
    Quantity, Reach, TimeBand,
};
use peerpulse_core::protocol::{
    BucketUpdate, MAX_BATCH, SyncRequest, SyncResponse, whole_versions,
};
use std::collections::BTreeMap;
use support::{TestServer, today};

const RUNS: u64 = 24;
const STEPS: usize = 120;

/// A small deterministic generator, so a failing run can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The phone as its IndexedDB store behaves: entries, versioned tallies, and the acked version.
struct Phone {
    token: String,
    device_id: String,
    clock: u64,
    acked: u64,
    entries: Vec<Encounter>,
    tallies: BTreeMap<BucketKey, Tally>,
}

impl Phone {
    fn save(&mut self, encounter: Encounter) {
        self.apply(None, Some(&encounter));
        self.entries.push(encounter);
    }

    fn delete(&mut self, index: usize) {
        let encounter = self.entries.swap_remove(index);
        self.apply(Some(&encounter), None);
    }

    /// Moves the tallies as the phone's store does: one clock tick per save or delete.
    fn apply(&mut self, before: Option<&Encounter>, after: Option<&Encounter>) {
        self.clock += 1;
        for (key, change) in changes(before, after) {
            let tally = self.tallies.entry(key.clone()).or_default();
            *tally = tally
                .changed(&key, change, self.clock)
                .expect("never below zero");
        }
    }

    fn next_batch(&self, limit: usize) -> SyncRequest {
        let mut changed: Vec<BucketUpdate> = self
            .tallies
            .iter()
            .filter(|(_, t)| t.version > self.acked)
            .map(|(k, t)| BucketUpdate {
                day: k.day,
                site: k.site.clone(),
                measure: k.measure.clone(),
                count: t.count,
                version: t.version,
            })
            .collect();
        changed.sort_by_key(|u| u.version);
        changed.truncate(limit);
        SyncRequest {
            buckets: whole_versions(changed, limit),
            codebook_version: 1,
        }
    }
}

fn random_encounter(rng: &mut Rng, book: &Codebook, n: u64) -> Encounter {
    let pick = |rng: &mut Rng, list| {
        let entries = book.entries(list);
        entries[rng.below(entries.len() as u64) as usize]
            .code
            .clone()
    };
    let mut draft = EncounterDraft {
        site: Some(pick(rng, CodeList::Site)),
        kind: Some(EncounterKind::ALL[rng.below(5) as usize]),
        reach: Some(Reach::ALL[rng.below(4) as usize]),
        ..EncounterDraft::new(today() - Days::new(rng.below(10)), TimeBand::Evening)
    };
    for _ in 0..rng.below(3) {
        draft.needs.insert(pick(rng, CodeList::Need));
    }
    if rng.chance(50) {
        draft.topics.insert(pick(rng, CodeList::Topic));
    }
    if rng.chance(50) {
        let units = u32::try_from(1 + rng.below(30)).expect("small");
        draft.supplies.insert(
            pick(rng, CodeList::Supply),
            Quantity::new(units).expect("1 to 30 units"),
        );
    }
    if rng.chance(25) {
        draft.referrals.insert(pick(rng, CodeList::Referral));
    }
    draft
        .validate(
            EncounterId::new(&format!("e{n}")).expect("valid id"),
            today(),
            EditWindow::new(MAX_EDIT_WINDOW_DAYS).expect("the longest window"),
            book,
        )
        .expect("valid encounter")
}

#[derive(Default, Debug)]
struct Faults {
    requests: u64,
    lost_requests: u64,
    lost_answers: u64,
    duplicated: u64,
    replayed_late: u64,
    restarts: u64,
}

async fn post(server: &TestServer, token: &str, request: &SyncRequest) -> Option<SyncResponse> {
    let res = server
        .client
        .post(server.at("/api/v1/sync"))
        .bearer_auth(token)
        .json(request)
        .send()
        .await
        .ok()?;
    assert!(res.status().is_success(), "status {}", res.status());
    res.json().await.ok()
}

/// One sync attempt of `phone` through the faulty link; `held` keeps requests to replay later.
async fn sync_through_faults(
    server: &TestServer,
    phone: &mut Phone,
    rng: &mut Rng,
    faults: &mut Faults,
    held: &mut Vec<(String, SyncRequest)>,
) {
    // Small batches split a backlog across requests; each still exceeds what one save touches
    // (at most 9 buckets here: total, kind, reach, two needs, a topic, a supply's two, a referral).
    let limit = [12, 20, MAX_BATCH][rng.below(3) as usize];
    let request = phone.next_batch(limit);
    faults.requests += 1;
    if rng.chance(15) {
        faults.lost_requests += 1;
        return;
    }
    if rng.chance(15) {
        // Delayed in the network: it arrives after later requests.
        faults.replayed_late += 1;
        held.push((phone.token.clone(), request.clone()));
    }
    let answer = post(server, &phone.token, &request).await;
    if rng.chance(15) {
        faults.duplicated += 1;
        post(server, &phone.token, &request).await;
    }
    match answer {
        Some(answer) if !rng.chance(15) => phone.acked = phone.acked.max(answer.acked_through),
        _ => faults.lost_answers += 1,
    }
}

async fn stored_counts(server: &TestServer, device_id: &str) -> BTreeMap<BucketKey, u32> {
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT day, site, dimension, value, count FROM device_buckets WHERE device_id = $1",
    )
    .bind(device_id)
    .fetch_all(&server.state.db)
    .await
    .expect("read stored buckets");
    rows.into_iter()
        .filter(|r| r.4 > 0)
        .map(|(day, site, dimension, value, count)| {
            let dimension = dimension.parse().expect("stored dimension");
            let key = BucketKey {
                day: day.parse().expect("stored day"),
                site: site.parse().expect("stored site"),
                measure: Measure::from_parts(dimension, &value).expect("stored measure"),
            };
            (key, u32::try_from(count).expect("count fits"))
        })
        .collect()
}

fn phone_counts(phone: &Phone) -> BTreeMap<BucketKey, u32> {
    phone
        .tallies
        .iter()
        .filter(|(_, t)| t.count > 0)
        .map(|(k, t)| (k.clone(), t.count))
        .collect()
}

#[tokio::test]
async fn org_totals_equal_what_the_phones_hold_after_drops_duplicates_reordering_and_restarts() {
    let book = Codebook::harm_reduction_default();
    let mut faults = Faults::default();
    let mut mismatches = 0;
    for run in 1..=RUNS {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ run);
        let mut server = TestServer::start(None).await;
        let org = server.org("Org").await;
        let mut phones = Vec::new();
        for _ in 0..2 {
            let enrolled = server.enrol(org).await;
            phones.push(Phone {
                token: enrolled.token,
                device_id: enrolled.device_id,
                clock: 0,
                acked: 0,
                entries: Vec::new(),
                tallies: BTreeMap::new(),
            });
        }
        let mut held: Vec<(String, SyncRequest)> = Vec::new();
        let mut made = 0;
        for step in 0..STEPS {
            let phone = &mut phones[rng.below(2) as usize];
            match rng.below(10) {
                0..=4 => {
                    made += 1;
                    phone.save(random_encounter(&mut rng, &book, made));
                }
                5 if !phone.entries.is_empty() => {
                    let index = rng.below(phone.entries.len() as u64) as usize;
                    phone.delete(index);
                }
                _ => sync_through_faults(&server, phone, &mut rng, &mut faults, &mut held).await,
            }
            if !held.is_empty() && rng.chance(20) {
                let (token, late) = held.remove(rng.below(held.len() as u64) as usize);
                post(&server, &token, &late).await;
            }
            if step == STEPS / 2 {
                // Kill the service with a sync in flight, then start it again on the same file.
                let phone = &phones[rng.below(2) as usize];
                let request = phone.next_batch(MAX_BATCH);
                let in_flight = server
                    .client
                    .post(server.at("/api/v1/sync"))
                    .bearer_auth(&phone.token)
                    .json(&request)
                    .send();
                let killed = tokio::time::timeout(std::time::Duration::from_millis(1), in_flight);
                let _ = killed.await;
                server = server.restart().await;
                faults.restarts += 1;
            }
        }
        // Late copies of old requests still arrive after everything else.
        for (token, late) in held.drain(..) {
            post(&server, &token, &late).await;
        }
        // Then the network heals and each phone syncs until nothing is waiting.
        for phone in &mut phones {
            loop {
                let request = phone.next_batch(MAX_BATCH);
                if request.buckets.is_empty() {
                    break;
                }
                let answer = post(&server, &phone.token, &request)
                    .await
                    .expect("a clean sync succeeds");
                phone.acked = answer.acked_through;
            }
        }
        for phone in &phones {
            let (stored, held_by_phone) = (
                stored_counts(&server, &phone.device_id).await,
                phone_counts(phone),
            );
            if stored != held_by_phone {
                mismatches += 1;
                eprintln!("run {run}: device {} differs", phone.device_id);
            }
        }
        let since = today() - Days::new(30);
        let totals = peerpulse_server::db::buckets::org_totals(&server.state.db, org, since)
            .await
            .expect("org totals");
        let mut expected: BTreeMap<(NaiveDate, Measure), u32> = BTreeMap::new();
        for phone in &phones {
            for (key, count) in phone_counts(phone) {
                *expected.entry((key.day, key.measure)).or_default() += count;
            }
        }
        let got: BTreeMap<(NaiveDate, Measure), u32> = totals
            .into_iter()
            .map(|t| ((t.day, t.measure), t.count))
            .collect();
        if got != expected {
            mismatches += 1;
            eprintln!("run {run}: org totals differ");
        }
    }
    println!(
        "fault runs: {RUNS}, sync requests: {}, lost requests: {}, lost answers: {}, duplicated: {}, replayed late: {}, restarts mid-sync: {}, mismatches: {mismatches}",
        faults.requests,
        faults.lost_requests,
        faults.lost_answers,
        faults.duplicated,
        faults.replayed_late,
        faults.restarts
    );
    assert_eq!(mismatches, 0, "{faults:?}");
    assert!(faults.lost_answers > 0 && faults.duplicated > 0 && faults.replayed_late > 0);
}
