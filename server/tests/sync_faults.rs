//! Exactly-once under a hostile network: phones sync through an HTTP proxy on its own port that
//! loses requests and answers, duplicates requests, and holds some back to deliver them late,
//! out of order; the service is killed and restarted mid-sync. Phones enrol through the same
//! network, which loses half the enrolment answers after the service acted: each phone asks again
//! with its code and installation id until an answer arrives. Afterwards each phone has one
//! device, the service holds exactly what the phones hold, in every randomized run, and the used
//! codes are worth nothing to another installation.

mod support;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header::AUTHORIZATION};
use axum::response::{IntoResponse, Response};
use chrono::{Days, NaiveDate};
use peerpulse_core::bucket::{BucketKey, Measure, Tally, changes};
use peerpulse_core::codebook::{Code, CodeList, Codebook};
use peerpulse_core::encounter::{
    EditWindow, Encounter, EncounterDraft, EncounterId, EncounterKind, MAX_EDIT_WINDOW_DAYS,
    Quantity, Reach, TimeBand,
};
use peerpulse_core::protocol::{
    BucketUpdate, EnrolResponse, MAX_BATCH, SyncRequest, SyncResponse, whole_versions,
};
use std::collections::BTreeMap;
use std::sync::Arc;
use support::{TestServer, today};
use tokio::sync::Mutex;

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

#[derive(Default, Debug, Clone, Copy)]
struct Faults {
    requests: u64,
    /// Enrolment answers lost after the service had acted on them.
    lost_enrolment_answers: u64,
    lost_requests: u64,
    lost_answers: u64,
    duplicated: u64,
    replayed_late: u64,
    restarts: u64,
}

/// Sends a sync request to `base`; the answer, or `None` when the network lost it. The
/// service itself must never refuse these requests.
async fn post(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    request: &SyncRequest,
) -> Option<SyncResponse> {
    let res = client
        .post(format!("{base}/api/v1/sync"))
        .bearer_auth(token)
        .json(request)
        .send()
        .await
        .ok()?;
    if res.status() == StatusCode::BAD_GATEWAY {
        return None;
    }
    assert!(res.status().is_success(), "status {}", res.status());
    res.json().await.ok()
}

/// Enrols through `base` with `code` as the installation `installation`, asking again after
/// every lost request or answer (as the phone's backoff does) until the service answers.
async fn enrol_until_answered(
    client: &reqwest::Client,
    base: &str,
    code: &str,
    installation: &str,
) -> EnrolResponse {
    let body = serde_json::json!({ "code": code, "installation_id": installation });
    for _ in 0..100 {
        let Ok(res) = client
            .post(format!("{base}/api/v1/enrol"))
            .json(&body)
            .send()
            .await
        else {
            continue;
        };
        if res.status() == StatusCode::BAD_GATEWAY {
            continue;
        }
        assert_eq!(
            res.status(),
            StatusCode::CREATED,
            "a retry is never refused"
        );
        return res.json().await.expect("an enrolment answer");
    }
    panic!("100 enrolment attempts, no answer")
}

/// A request the network holds back, to deliver after later ones.
struct Held {
    path: String,
    auth: HeaderValue,
    body: Bytes,
}

/// What the proxy decides with, and what it did.
struct Network {
    rng: Rng,
    faults: Faults,
    held: Vec<Held>,
    /// Where the service listens now (it moves when restarted).
    upstream: String,
    /// No more faults: the final syncs go straight through.
    healed: bool,
    client: reqwest::Client,
}

impl Network {
    /// Delivers a request to the service; the answer, or nothing if the service is down.
    async fn deliver(
        &self,
        path: &str,
        auth: &HeaderValue,
        body: &Bytes,
    ) -> Option<(StatusCode, Bytes)> {
        let answer = self
            .client
            .post(format!("{}{path}", self.upstream))
            .header(AUTHORIZATION, auth)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .ok()?;
        let status = answer.status();
        Some((status, answer.bytes().await.ok()?))
    }

    /// Delivers every held request, in a random order.
    async fn release_held(&mut self) {
        while !self.held.is_empty() {
            let late = self
                .held
                .remove(self.rng.below(self.held.len() as u64) as usize);
            self.deliver(&late.path, &late.auth, &late.body).await;
        }
    }
}

/// What a phone sees when the network lost its request or the answer: no answer at all.
fn no_answer() -> Response {
    (StatusCode::BAD_GATEWAY, "lost in the network").into_response()
}

/// The proxy's one route: every sync and enrolment request passes through the faulty network.
async fn through_the_network(
    State(network): State<Arc<Mutex<Network>>>,
    request: Request,
) -> Response {
    let path = request.uri().path().to_owned();
    let auth = request
        .headers()
        .get(AUTHORIZATION)
        .cloned()
        .unwrap_or(HeaderValue::from_static(""));
    let Ok(body) = axum::body::to_bytes(request.into_body(), usize::MAX).await else {
        return no_answer();
    };
    let mut guard = network.lock().await;
    let net = &mut *guard;
    if net.healed {
        return match net.deliver(&path, &auth, &body).await {
            Some((status, answer)) => (status, answer).into_response(),
            None => no_answer(),
        };
    }
    net.faults.requests += 1;
    if net.rng.chance(15) {
        net.faults.lost_requests += 1;
        return no_answer();
    }
    if net.rng.chance(15) {
        net.faults.replayed_late += 1;
        net.held.push(Held {
            path: path.clone(),
            auth: auth.clone(),
            body: body.clone(),
        });
    }
    if !net.held.is_empty() && net.rng.chance(20) {
        let index = net.rng.below(net.held.len() as u64) as usize;
        let late = net.held.remove(index);
        net.deliver(&late.path, &late.auth, &late.body).await;
    }
    let answer = net.deliver(&path, &auth, &body).await;
    if net.rng.chance(15) {
        net.faults.duplicated += 1;
        net.deliver(&path, &auth, &body).await;
    }
    match answer {
        // The service made the device and used the code; the phone hears nothing.
        Some(_) if path == "/api/v1/enrol" && net.rng.chance(50) => {
            net.faults.lost_enrolment_answers += 1;
            no_answer()
        }
        Some(_) if net.rng.chance(15) => {
            net.faults.lost_answers += 1;
            no_answer()
        }
        Some((status, answer)) => (status, answer).into_response(),
        None => no_answer(),
    }
}

/// Starts the proxy in front of `upstream`; returns its address and the network it controls.
async fn faulty_proxy(upstream: &str, seed: u64) -> (String, Arc<Mutex<Network>>) {
    let network = Arc::new(Mutex::new(Network {
        rng: Rng(seed),
        faults: Faults::default(),
        held: Vec::new(),
        upstream: upstream.to_owned(),
        healed: false,
        client: reqwest::Client::new(),
    }));
    let app = axum::Router::new()
        .fallback(through_the_network)
        .with_state(network.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the proxy");
    let url = format!("http://{}", listener.local_addr().expect("proxy address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, network)
}

/// One sync attempt of `phone` through the proxy: a batch of a random size.
async fn sync_once(client: &reqwest::Client, proxy: &str, phone: &mut Phone, rng: &mut Rng) {
    // Small batches split a backlog across requests; each still exceeds what one save touches
    // (at most 9 buckets here: total, kind, reach, two needs, a topic, a supply's two, a referral).
    let limit = [12, 20, MAX_BATCH][rng.below(3) as usize];
    let request = phone.next_batch(limit);
    if let Some(answer) = post(client, proxy, &phone.token, &request).await {
        phone.acked = phone.acked.max(answer.acked_through);
    }
}

impl Faults {
    fn absorb(&mut self, run: &Faults) {
        self.requests += run.requests;
        self.lost_enrolment_answers += run.lost_enrolment_answers;
        self.lost_requests += run.lost_requests;
        self.lost_answers += run.lost_answers;
        self.duplicated += run.duplicated;
        self.replayed_late += run.replayed_late;
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
        let (proxy, network) = faulty_proxy(&server.url, 0x2545_F491_4F6C_DD1D ^ run).await;
        let client = reqwest::Client::new();
        let org = server.org("Org").await;
        let mut phones = Vec::new();
        let mut codes = Vec::new();
        for n in 0..2 {
            let code = server.code(org).await;
            let installation = format!("run{run:02}-phone{n}-installation-0001");
            let enrolled = enrol_until_answered(&client, &proxy, &code, &installation).await;
            codes.push(code);
            phones.push(Phone {
                token: enrolled.token,
                device_id: enrolled.device_id,
                clock: 0,
                acked: 0,
                entries: Vec::new(),
                tallies: BTreeMap::new(),
            });
        }
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
                _ => sync_once(&client, &proxy, phone, &mut rng).await,
            }
            if step == STEPS / 2 {
                // Kill the service with a sync in flight, then start it again on the same file.
                let phone = &phones[rng.below(2) as usize];
                let request = phone.next_batch(MAX_BATCH);
                let in_flight = client
                    .post(format!("{}/api/v1/sync", server.url))
                    .bearer_auth(&phone.token)
                    .json(&request)
                    .send();
                let killed = tokio::time::timeout(std::time::Duration::from_millis(1), in_flight);
                let _ = killed.await;
                server = server.restart().await;
                network.lock().await.upstream = server.url.clone();
                faults.restarts += 1;
            }
        }
        // Late copies of old requests still arrive after everything else; then the network heals.
        {
            let mut net = network.lock().await;
            net.release_held().await;
            net.healed = true;
            faults.absorb(&net.faults);
        }
        // Then the network heals and each phone syncs until nothing is waiting.
        for phone in &mut phones {
            loop {
                let request = phone.next_batch(MAX_BATCH);
                if request.buckets.is_empty() {
                    break;
                }
                let answer = post(&client, &proxy, &phone.token, &request)
                    .await
                    .expect("a clean sync succeeds");
                phone.acked = answer.acked_through;
            }
        }
        // One device per phone, however many answers were lost or requests replayed.
        let mut devices: Vec<String> =
            sqlx::query_scalar("SELECT id FROM devices WHERE org_id = $1")
                .bind(org)
                .fetch_all(&server.state.db)
                .await
                .expect("read devices");
        devices.sort();
        let mut enrolled: Vec<String> = phones.iter().map(|p| p.device_id.clone()).collect();
        enrolled.sort();
        if devices != enrolled {
            mismatches += 1;
            eprintln!("run {run}: devices {devices:?}, phones hold {enrolled:?}");
        }
        // A used code is worth nothing to another installation.
        for code in &codes {
            let stolen = client
                .post(format!("{}/api/v1/enrol", server.url))
                .json(&serde_json::json!({ "code": code, "installation_id": format!("run{run:02}-someone-else-000001") }))
                .send()
                .await
                .expect("enrol request");
            assert_eq!(stolen.status(), StatusCode::FORBIDDEN, "run {run}");
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
        let totals =
            peerpulse_server::db::buckets::site_counts(&server.state.db, org, since, today())
                .await
                .expect("org totals");
        let mut expected: BTreeMap<(NaiveDate, Code, Measure), u32> = BTreeMap::new();
        for phone in &phones {
            for (key, count) in phone_counts(phone) {
                *expected
                    .entry((key.day, key.site, key.measure))
                    .or_default() += count;
            }
        }
        let got: BTreeMap<(NaiveDate, Code, Measure), u32> = totals
            .into_iter()
            .map(|t| ((t.day, t.site, t.measure), t.cell.count))
            .collect();
        if got != expected {
            mismatches += 1;
            eprintln!("run {run}: org totals differ");
        }
    }
    println!(
        "fault runs: {RUNS}, requests: {}, lost enrolment answers: {}, lost requests: {}, lost answers: {}, duplicated: {}, replayed late: {}, restarts mid-sync: {}, mismatches: {mismatches}",
        faults.requests,
        faults.lost_enrolment_answers,
        faults.lost_requests,
        faults.lost_answers,
        faults.duplicated,
        faults.replayed_late,
        faults.restarts
    );
    assert_eq!(mismatches, 0, "{faults:?}");
    assert!(faults.lost_answers > 0 && faults.duplicated > 0 && faults.replayed_late > 0);
    assert!(faults.lost_enrolment_answers > 0);
}
