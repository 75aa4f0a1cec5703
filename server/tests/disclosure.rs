//! The disclosure rule against a determined reader, over real HTTP on a real database: each
//! attack that recovered hidden counts from the earlier small-cell suppression, done again,
//! and an inference check (`support::adversary`) that fails if anything a reader can read
//! pins a hidden count down to one value, over trends and over indicator reports and their
//! DHIS2 exports together.

mod support;

use chrono::{Days, NaiveDate};
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::Code;
use peerpulse_core::dhis2::{DataValueSet, Dhis2Mapping, Dhis2Settings, PeriodType, Uid};
use peerpulse_core::encounter::{EncounterKind, Reach};
use peerpulse_core::indicator::{Counted, Indicator, Report, report_csv};
use peerpulse_core::oversight::OversightResponse;
use peerpulse_core::people::Role;
use peerpulse_core::period::{Granularity, Period};
use peerpulse_core::protocol::{AlertsResponse, BucketUpdate, TrendsResponse};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use support::adversary::Reader;
use support::people::Session;
use support::{THRESHOLD, TestServer, code, day_at, today};

/// The kinds and reaches every reader knows exist, and the encounters total.
fn shape() -> Vec<Measure> {
    let mut measures = vec![Measure::Encounters];
    measures.extend(EncounterKind::ALL.map(Measure::Kind));
    measures.extend(Reach::ALL.map(Measure::Reach));
    measures
}

fn need(c: &str) -> Measure {
    Measure::Need(code(c))
}

/// One phone's counts of `day` at `site`: encounters by kind (all walk-in), and codes.
fn counts(
    day: NaiveDate,
    site: &str,
    kinds: &[(EncounterKind, u32)],
    codes: &[(Measure, u32)],
    version: u64,
) -> Vec<BucketUpdate> {
    let n: u32 = kinds.iter().map(|(_, k)| k).sum();
    let mut state = day_at(day, site, n, version, codes);
    state.retain(|u| !matches!(u.measure, Measure::Kind(_)));
    state.extend(kinds.iter().map(|&(kind, k)| BucketUpdate {
        day,
        site: code(site),
        measure: Measure::Kind(kind),
        count: k,
        version,
    }));
    state
}

/// Trends as a signed-in person reads them.
async fn read(server: &TestServer, who: &Session, query: &str) -> TrendsResponse {
    let res = server
        .call(
            Method::GET,
            &format!("/api/v1/trends?{query}"),
            Some(who),
            None,
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{query}");
    res.json().await.unwrap()
}

/// Reads every period that holds one of `days` (the day, its week, month and quarter), at
/// every site and all sites together, and tells `reader` all of it.
async fn read_everything(
    server: &TestServer,
    who: &Session,
    reader: &mut Reader,
    days: &[NaiveDate],
    sites: &[&str],
) -> Vec<TrendsResponse> {
    let mut periods: Vec<Period> = days
        .iter()
        .flat_map(|d| {
            [
                Granularity::Day,
                Granularity::Week,
                Granularity::Month,
                Granularity::Quarter,
            ]
            .map(|g| Period::containing(g, *d))
        })
        .collect();
    periods.sort();
    periods.dedup();
    let mut answers = Vec::new();
    for period in periods {
        for site in std::iter::once(None).chain(sites.iter().map(Some)) {
            let query = match site {
                Some(site) => format!("period={period}&site={site}"),
                None => format!("period={period}"),
            };
            let trends = read(server, who, &query).await;
            reader.read(&trends, None);
            answers.push(trends);
        }
    }
    answers
}

/// Asserts the reader cannot pin `target` down, and that its true value `truth` is among
/// what it is left with (the reasoning is sound). Returns the range.
fn assert_not_pinned(reader: &Reader, target: &[usize], truth: i64, what: &str) -> (i64, i64) {
    let (lo, hi) = reader.range(target);
    assert!(
        lo <= truth && truth <= hi,
        "{what}: the truth {truth} is outside {lo}..={hi}: the rule published something false"
    );
    assert!(hi > lo, "{what} is pinned to {lo} by what was published");
    (lo, hi)
}

/// A manager of a new organization with four phones.
async fn org_with_phones(phones: usize) -> (TestServer, i64, Session, Vec<String>) {
    let server = TestServer::start(None).await;
    let org = server.org("Harbour").await;
    let manager = server.person(org, Role::Manager, "mia").await;
    let mut tokens = Vec::new();
    for _ in 0..phones {
        tokens.push(server.device(org).await);
    }
    (server, org, manager, tokens)
}

#[tokio::test]
async fn a_site_set_against_every_site_gives_no_hidden_count_away() {
    // The case: every site shows 21 encounters and 12 outreach, the van 6 fixed-site,
    // so "phone" was 21 - 12 - 6 = 3.
    let (server, _, manager, phones) = org_with_phones(4).await;
    let day = today();
    use EncounterKind::{FixedSite, Outreach, Phone};
    server
        .sync(&phones[0], counts(day, "van", &[(FixedSite, 6)], &[], 1))
        .await;
    server
        .sync(&phones[1], counts(day, "street", &[(Outreach, 12)], &[], 1))
        .await;
    server
        .sync(&phones[2], counts(day, "street", &[(Phone, 3)], &[], 1))
        .await;
    let sites = ["van", "street", "drop-in"];
    let mut reader = Reader::new(THRESHOLD, &[day], &sites, &shape());
    let answers = read_everything(&server, &manager, &mut reader, &[day], &sites).await;
    for answer in &answers {
        assert!(
            answer.total(&Measure::Kind(Phone)).is_none(),
            "3 phone encounters are never published: {answer:?}"
        );
    }
    let phone_everywhere = reader.select(Period::Day(day), None, &Measure::Kind(Phone));
    assert_not_pinned(&reader, &phone_everywhere, 3, "phone encounters");
}

#[tokio::test]
async fn cells_that_add_up_within_one_answer_and_across_dimensions_give_nothing_away() {
    // Kinds and reaches both add up to 20; two small kinds must sum to 8, so both were 4.
    let (server, _, manager, phones) = org_with_phones(1).await;
    let day = today();
    use EncounterKind::{FixedSite, Outreach, Phone};
    let mut state = counts(
        day,
        "van",
        &[(Outreach, 12), (FixedSite, 4), (Phone, 4)],
        &[],
        1,
    );
    state.retain(|u| !matches!(u.measure, Measure::Reach(_)));
    for (reach, n) in [(Reach::WalkIn, 16), (Reach::Returning, 4)] {
        state.push(BucketUpdate {
            day,
            site: code("van"),
            measure: Measure::Reach(reach),
            count: n,
            version: 1,
        });
    }
    server.sync(&phones[0], state).await;
    let mut reader = Reader::new(THRESHOLD, &[day], &["van"], &shape());
    let answer = read(&server, &manager, &format!("period={day}")).await;
    reader.read(&answer, None);
    for (kind, truth) in [(FixedSite, 4), (Phone, 4)] {
        let cell = reader.cell(day, "van", &Measure::Kind(kind));
        assert_not_pinned(&reader, &[cell], truth, kind.as_str());
    }
    let returning = reader.cell(day, "van", &Measure::Reach(Reach::Returning));
    assert_not_pinned(&reader, &[returning], 4, "returning contacts");
}

#[tokio::test]
async fn merging_a_small_need_into_a_big_one_and_restoring_it_gives_nothing_away() {
    let (server, _, manager, phones) = org_with_phones(2).await;
    let day = today();
    let edit = |base: u32, edit: serde_json::Value| {
        let (server, manager) = (&server, &manager);
        async move {
            let res = server
                .edit_codebook(manager, json!({"base_version": base, "edit": edit}))
                .await;
            (res.status(), res.text().await.unwrap())
        }
    };
    let added = edit(
        1,
        json!({"edit": "add", "list": "need", "label": "Shelter"}),
    )
    .await;
    assert_eq!(added.0, StatusCode::OK);
    use EncounterKind::Outreach;
    server
        .sync(
            &phones[0],
            counts(
                day,
                "van",
                &[(Outreach, 30)],
                &[(need("housing"), 20), (need("shelter"), 3)],
                1,
            ),
        )
        .await;
    let measures: Vec<Measure> = shape()
        .into_iter()
        .chain([need("housing"), need("shelter")])
        .collect();
    let mut reader = Reader::new(THRESHOLD, &[day], &["van"], &measures);
    let query = format!("period={day}&dimension=need");
    let before = read(&server, &manager, &query).await;
    reader.read(&before, Some(Dimension::Need));
    let merge = json!({"edit": "merge", "list": "need", "code": "shelter", "into": "housing"});
    assert_eq!(edit(2, merge).await.0, StatusCode::OK);
    let merged = read(&server, &manager, &query).await;
    // Merged, housing counts both: the reader learns the sum of the two cells.
    let both = [
        reader.cell(day, "van", &need("housing")),
        reader.cell(day, "van", &need("shelter")),
    ];
    match merged.total(&need("housing")) {
        Some(p) => reader.published(both.to_vec(), p),
        None => reader.hidden(both.to_vec()),
    }
    let restore = json!({"edit": "restore", "list": "need", "code": "shelter"});
    assert_eq!(edit(3, restore).await.0, StatusCode::OK);
    let restored = read(&server, &manager, &query).await;
    assert_eq!(
        restored.totals, before.totals,
        "the same cells, the same values"
    );
    assert_not_pinned(&reader, &[both[1]], 3, "shelter");

    // Promote as a word oracle: a guessed word one phone typed, and one nobody typed, are
    // refused alike.
    server
        .sync(
            &phones[1],
            counts(
                day,
                "street",
                &[(Outreach, 12)],
                &[(Measure::FreeTag(code("dental-pain")), 9)],
                1,
            ),
        )
        .await;
    let typed = edit(4, json!({"edit": "promote", "tag": "dental-pain"})).await;
    let never = edit(4, json!({"edit": "promote", "tag": "lottery-win"})).await;
    assert_eq!(typed.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        typed, never,
        "the answer does not tell a typed word from an untyped one"
    );
    let tags = read(
        &server,
        &manager,
        &format!("period={day}&dimension=free-tag"),
    )
    .await;
    assert!(
        tags.totals.is_empty(),
        "one phone's word is not named: {tags:?}"
    );
}

#[tokio::test]
async fn an_alert_baseline_does_not_give_a_hidden_day_away() {
    // 7 times the baseline mean was the week's exact sum, so the hidden day fell out.
    let (server, _, manager, phones) = org_with_phones(2).await;
    let detox = need("detox");
    let days: Vec<NaiveDate> = (0..12u64).rev().map(|b| today() - Days::new(b)).collect();
    let daily = |back: usize| -> u32 {
        match back {
            0 => 20,
            _ => [0, 3, 9, 2, 8, 7, 1, 9, 6, 2, 8, 4][back],
        }
    };
    for (p, token) in phones.iter().enumerate() {
        let mut history = Vec::new();
        for (i, day) in days.iter().enumerate() {
            let back = days.len() - 1 - i;
            // The second phone only logs today.
            if p == 1 && back > 0 {
                continue;
            }
            let n = daily(back);
            history.extend(counts(
                *day,
                "van",
                &[(EncounterKind::Outreach, n.max(1))],
                &[(detox.clone(), n)],
                1,
            ));
        }
        server.sync(token, history).await;
    }
    let res = server
        .call(Method::GET, "/api/v1/alerts", Some(&manager), None)
        .await;
    let alerts: AlertsResponse = res.json().await.unwrap();
    let alert = alerts
        .alerts
        .iter()
        .find(|a| a.measure == detox)
        .unwrap_or_else(|| panic!("detox rose from about 5 a day to 40: {alerts:?}"));
    let measures: Vec<Measure> = shape().into_iter().chain([detox.clone()]).collect();
    let mut reader = Reader::new(THRESHOLD, &days, &["van"], &measures);
    for day in &days {
        let answer = read(&server, &manager, &format!("period={day}&dimension=need")).await;
        reader.read(&answer, Some(Dimension::Need));
    }
    // The baseline (days t-9 to t-3): "about N a day" from perturbed counts, each within the
    // noise of the truth.
    let baseline: Vec<usize> = days[2..9]
        .iter()
        .map(|d| reader.cell(*d, "van", &detox))
        .collect();
    let usual = i64::from(alert.usual_per_day);
    let noise = i64::from(THRESHOLD);
    reader.know(
        baseline.clone(),
        (7 * usual - 4 - 7 * noise).max(0),
        7 * usual + 3 + 7 * noise,
    );
    for (i, day) in days[2..9].iter().enumerate() {
        let back = days.len() - 1 - (i + 2);
        let truth = daily(back);
        if truth < THRESHOLD {
            assert_not_pinned(
                &reader,
                &[baseline[i]],
                i64::from(truth),
                &format!("detox on {day}"),
            );
        }
    }
}

#[tokio::test]
async fn oversight_with_trends_is_no_key_to_one_contact() {
    // On a day one phone logged exactly one encounter, every small cell was that contact.
    let (server, _, manager, phones) = org_with_phones(3).await;
    let lone_day = today() - Days::new(1);
    use EncounterKind::{Outreach, Phone};
    server
        .sync(
            &phones[0],
            counts(
                lone_day,
                "drop-in",
                &[(Phone, 1)],
                &[(need("housing"), 1)],
                1,
            ),
        )
        .await;
    for token in &phones[1..] {
        server
            .sync(
                token,
                counts(
                    today(),
                    "van",
                    &[(Outreach, 20)],
                    &[(need("housing"), 9)],
                    1,
                ),
            )
            .await;
    }
    let grid: OversightResponse = server
        .call(Method::GET, "/api/v1/oversight", Some(&manager), None)
        .await
        .json()
        .await
        .unwrap();
    // Weeks, not days, and a week of one encounter shows as "fewer than".
    assert!(
        grid.weeks
            .iter()
            .all(|w| w.granularity() == Granularity::Week)
    );
    let lone = grid
        .devices
        .iter()
        .find(|d| {
            d.weeks
                .iter()
                .any(|w| w.days_active == 1 && w.encounters.is_none())
        })
        .expect("the phone with one encounter");
    assert!(lone.weeks.iter().all(|w| w.encounters.is_none()));
    let day = read(&server, &manager, &format!("period={lone_day}")).await;
    assert!(
        day.totals.is_empty(),
        "nothing of that day is published: {day:?}"
    );
    let measures: Vec<Measure> = shape().into_iter().chain([need("housing")]).collect();
    let sites = ["van", "drop-in"];
    let mut reader = Reader::new(THRESHOLD, &[lone_day, today()], &sites, &measures);
    read_everything(&server, &manager, &mut reader, &[lone_day, today()], &sites).await;
    let housing = reader.select(Period::Day(lone_day), None, &need("housing"));
    assert_not_pinned(&reader, &housing, 1, "housing on the lone day");
}

#[tokio::test]
async fn a_read_before_and_after_one_sync_does_not_isolate_it() {
    let (server, _, manager, phones) = org_with_phones(2).await;
    let day = today();
    use EncounterKind::Outreach;
    server
        .sync(
            &phones[0],
            counts(day, "van", &[(Outreach, 20)], &[(need("housing"), 12)], 1),
        )
        .await;
    let query = format!("period={day}");
    let before = read(&server, &manager, &query).await;
    // One encounter from another phone: housing and, new today, food.
    server
        .sync(
            &phones[1],
            counts(
                day,
                "van",
                &[(Outreach, 1)],
                &[(need("housing"), 1), (need("food"), 1)],
                1,
            ),
        )
        .await;
    let after = read(&server, &manager, &query).await;
    let noise = i64::from(THRESHOLD);
    for measure in [
        Measure::Encounters,
        Measure::Kind(Outreach),
        need("housing"),
    ] {
        let (Some(p1), Some(p2)) = (before.total(&measure), after.total(&measure)) else {
            continue;
        };
        // What the change can have been, from the two published values alone.
        let (lo, hi) = (
            (i64::from(p2) - i64::from(p1) - 2 * noise).max(0),
            i64::from(p2) - i64::from(p1) + 2 * noise,
        );
        assert!(lo <= 1 && 1 <= hi && hi > lo, "{measure:?}: {p1} then {p2}");
    }
    // A count going from none to one is not listed before or after.
    assert_eq!(before.total(&need("food")), None);
    assert_eq!(after.total(&need("food")), None);
    // Repeating the read changes nothing: no noise to average.
    for _ in 0..5 {
        assert_eq!(read(&server, &manager, &query).await, after);
    }
}

#[tokio::test]
async fn a_phone_probing_with_its_own_counts_learns_no_hidden_count() {
    let (server, _, _, phones) = org_with_phones(2).await;
    let day = today();
    let week = Period::containing(Granularity::Week, day);
    use EncounterKind::Outreach;
    let (others, probe) = (&phones[0], &phones[1]);
    server
        .sync(
            others,
            counts(day, "van", &[(Outreach, 20)], &[(need("housing"), 3)], 1),
        )
        .await;
    let read_as_phone = |query: String| {
        let server = &server;
        async move {
            server
                .client
                .get(server.at(&format!("/api/v1/trends?{query}")))
                .bearer_auth(probe)
                .send()
                .await
                .unwrap()
        }
    };
    // A phone reads weeks at the finest.
    assert_eq!(
        read_as_phone(format!("period={day}")).await.status(),
        StatusCode::BAD_REQUEST
    );
    let weekly = |res: reqwest::Response| async move {
        assert_eq!(res.status(), StatusCode::OK);
        res.json::<TrendsResponse>().await.unwrap()
    };
    let untouched = weekly(read_as_phone(format!("period={week}")).await).await;
    assert_eq!(untouched.total(&need("housing")), None);
    // An impossible probe (housing in more encounters than logged) is refused whole.
    let (status, answer) = server
        .sync_raw(
            probe,
            &serde_json::to_value(peerpulse_core::protocol::SyncRequest {
                buckets: counts(day, "van", &[(Outreach, 1)], &[(need("housing"), 5)], 1),
                codebook_version: 1,
            })
            .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"], "inconsistent_counts");
    assert_eq!(
        weekly(read_as_phone(format!("period={week}")).await).await,
        untouched
    );
    // A possible one: ten encounters with housing, so the total is published whatever its
    // noise. The phone knows its 10.
    server
        .sync(
            probe,
            counts(day, "van", &[(Outreach, 10)], &[(need("housing"), 10)], 2),
        )
        .await;
    let probed = weekly(read_as_phone(format!("period={week}")).await).await;
    let measures: Vec<Measure> = shape().into_iter().chain([need("housing")]).collect();
    let mut reader = Reader::new(THRESHOLD, &[day], &["van"], &measures);
    reader.read(&untouched, Some(Dimension::Need));
    // The others' housing is the published total less the phone's own 10.
    let housing = reader.cell(day, "van", &need("housing"));
    let published = probed
        .total(&need("housing"))
        .expect("13 is always published");
    let noise = i64::from(THRESHOLD);
    let p = i64::from(published);
    reader.know(
        vec![housing],
        i64::from(THRESHOLD).max(p - noise) - 10,
        p + noise - 10,
    );
    assert_not_pinned(&reader, &[housing], 3, "the others' housing");
    // Resetting its counts gives back the very values it read before: no new draw of noise.
    server
        .sync(
            probe,
            counts(day, "van", &[(Outreach, 0)], &[(need("housing"), 0)], 3),
        )
        .await;
    assert_eq!(
        weekly(read_as_phone(format!("period={week}")).await).await,
        untouched
    );
}

#[tokio::test]
async fn overlapping_periods_are_not_published_and_calendar_periods_give_nothing_away() {
    let (server, _, manager, phones) = org_with_phones(2).await;
    let days: Vec<NaiveDate> = (0..4u64).map(|b| today() - Days::new(b)).collect();
    use EncounterKind::Outreach;
    for (i, day) in days.iter().enumerate() {
        let housing = [12u32, 2, 15, 9][i];
        server
            .sync(
                &phones[0],
                counts(
                    *day,
                    "van",
                    &[(Outreach, 20)],
                    &[(need("housing"), housing)],
                    1 + i as u64,
                ),
            )
            .await;
    }
    // The day-long ranges [1..30] and [2..30] that differenced to a hidden day.
    for query in [
        "days=30",
        "from=2026-11-01&to=2026-11-30",
        "period=2026-11-01..2026-11-30",
    ] {
        let res = server
            .call(
                Method::GET,
                &format!("/api/v1/trends?{query}"),
                Some(&manager),
                None,
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{query}");
    }
    let measures: Vec<Measure> = shape().into_iter().chain([need("housing")]).collect();
    let mut reader = Reader::new(THRESHOLD, &days, &["van"], &measures);
    read_everything(&server, &manager, &mut reader, &days, &["van"]).await;
    let small_day = reader.cell(days[1], "van", &need("housing"));
    assert_not_pinned(&reader, &[small_day], 2, "housing on the small day");
}

#[tokio::test]
async fn everything_a_reader_can_read_pins_no_hidden_count() {
    // Four phones, three sites, ten days of small and large counts; the reader reads every
    // period holding them at every site, and is given every day's true zeros for free.
    let (server, _, manager, phones) = org_with_phones(4).await;
    let days: Vec<NaiveDate> = (0..10u64).map(|b| today() - Days::new(b)).collect();
    let sites = ["van", "street", "drop-in"];
    let needs = [need("housing"), need("food")];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = |below: u32| -> u32 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        u32::try_from(seed % u64::from(below)).unwrap()
    };
    let mut truth: std::collections::BTreeMap<(NaiveDate, &str, Measure), u32> = Default::default();
    for (p, token) in phones.iter().enumerate() {
        let mut state = Vec::new();
        for day in &days {
            for site in sites {
                if next(3) == 0 {
                    continue;
                }
                let outreach = next(if p == 0 { 12 } else { 4 });
                let phone = next(3);
                let n = outreach + phone;
                let codes: Vec<(Measure, u32)> =
                    needs.iter().map(|m| (m.clone(), next(n + 1))).collect();
                for (m, k) in [
                    (Measure::Encounters, n),
                    (Measure::Kind(EncounterKind::Outreach), outreach),
                    (Measure::Kind(EncounterKind::Phone), phone),
                ]
                .into_iter()
                .chain(codes.iter().cloned())
                {
                    *truth.entry((*day, site, m)).or_default() += k;
                }
                state.extend(counts(
                    *day,
                    site,
                    &[
                        (EncounterKind::Outreach, outreach),
                        (EncounterKind::Phone, phone),
                    ],
                    &codes,
                    1,
                ));
            }
        }
        server.sync(token, state).await;
    }
    let measures: Vec<Measure> = [
        Measure::Encounters,
        Measure::Kind(EncounterKind::Outreach),
        Measure::Kind(EncounterKind::Phone),
    ]
    .into_iter()
    .chain(needs.iter().cloned())
    .collect();
    let mut reader = Reader::new(THRESHOLD, &days, &sites, &measures);
    let answers = read_everything(&server, &manager, &mut reader, &days, &sites).await;
    // Every count published is within the noise of the truth and never below the threshold.
    for answer in &answers {
        for c in &answer.totals {
            assert!(c.count >= THRESHOLD);
        }
    }
    let mut checked = 0;
    let mut full_range = 0;
    for day in &days {
        for site in sites {
            for measure in &measures {
                let n = truth
                    .get(&(*day, site, measure.clone()))
                    .copied()
                    .unwrap_or(0);
                if n == 0 || n >= THRESHOLD {
                    continue;
                }
                let cell = reader.cell(*day, site, measure);
                let (lo, hi) = assert_not_pinned(
                    &reader,
                    &[cell],
                    i64::from(n),
                    &format!("{measure:?} at {site} on {day}"),
                );
                checked += 1;
                if lo == 0 && hi >= i64::from(THRESHOLD) - 1 {
                    full_range += 1;
                }
            }
        }
    }
    println!(
        "{checked} hidden counts checked against {} observations: none pinned, {full_range} left anywhere in 0..{}",
        answers.len(),
        THRESHOLD - 1
    );
    assert!(
        checked > 20,
        "the scenario has small counts to protect: {checked}"
    );
}

#[tokio::test]
async fn the_same_cell_reads_the_same_however_it_is_asked_for() {
    let (server, _, manager, phones) = org_with_phones(1).await;
    let day = today();
    server
        .sync(
            &phones[0],
            counts(
                day,
                "van",
                &[(EncounterKind::Outreach, 40)],
                &[(need("housing"), 25)],
                1,
            ),
        )
        .await;
    let everywhere = read(&server, &manager, &format!("period={day}")).await;
    let van = read(&server, &manager, &format!("period={day}&site=van")).await;
    let needs = read(&server, &manager, &format!("period={day}&dimension=need")).await;
    assert_eq!(
        everywhere.totals, van.totals,
        "only the van counted: the same cells"
    );
    assert_eq!(
        needs.total(&need("housing")),
        everywhere.total(&need("housing"))
    );
    // Its week holds only this day too.
    let week = read(
        &server,
        &manager,
        &format!("period={}", Period::containing(Granularity::Week, day)),
    )
    .await;
    assert_eq!(
        week.total(&need("housing")),
        everywhere.total(&need("housing"))
    );
}

#[tokio::test]
async fn a_new_threshold_applies_to_every_view_at_once() {
    let (server, org, manager, phones) = org_with_phones(1).await;
    let day = today();
    server
        .sync(
            &phones[0],
            counts(
                day,
                "van",
                &[(EncounterKind::Outreach, 40)],
                &[(need("housing"), 13)],
                1,
            ),
        )
        .await;
    let query = format!("period={day}");
    assert!(
        read(&server, &manager, &query)
            .await
            .total(&need("housing"))
            .is_some()
    );
    let eleven = peerpulse_core::privacy::SuppressionThreshold::new(11).unwrap();
    peerpulse_server::db::orgs::set_threshold(&server.state.db, org, eleven)
        .await
        .unwrap();
    let after = read(&server, &manager, &query).await;
    assert_eq!(after.threshold, 11);
    if let Some(housing) = after.total(&need("housing")) {
        assert!(housing >= 11, "{housing}");
    }
    assert!(after.totals.iter().all(|c| c.count >= 11), "{after:?}");
    assert!(peerpulse_core::privacy::SuppressionThreshold::new(2).is_err());
}

/// The cells `indicator`'s value at `sites` (all when empty) in `period` sums, if the reader
/// models what it counts.
fn indicator_cells(
    reader: &Reader,
    indicator: &Indicator,
    period: Period,
    sites: &BTreeSet<Code>,
) -> Option<Vec<usize>> {
    let measure = match &indicator.counted {
        Counted::Encounters => Measure::Encounters,
        Counted::EncountersWith { measure } => measure.clone(),
        Counted::SupplyUnits { .. } | Counted::PhonesActive => return None,
    };
    if sites.is_empty() {
        return Some(reader.select(period, None, &measure));
    }
    Some(
        sites
            .iter()
            .flat_map(|site| reader.select(period, Some(site), &measure))
            .collect(),
    )
}

/// Tells `reader` every value of `report`, this period's and the one before, in total and
/// by site, published or not.
fn read_report(reader: &mut Reader, report: &Report) {
    for row in &report.indicators {
        // An indicator over several sites is no cell of its own: it totals what its sites
        // publish, so it tells the reader nothing the sites' values do not (and a hidden site
        // adds nothing to it).
        let over_a_set = row.indicator.sites.len() > 1;
        if over_a_set {
            let sum = |of: fn(&peerpulse_core::indicator::Value) -> Option<u32>| {
                row.by_site
                    .iter()
                    .filter_map(|(_, v)| of(v))
                    .reduce(|a, b| a + b)
            };
            assert_eq!(
                (row.total.value, row.total.previous),
                (sum(|v| v.value), sum(|v| v.previous)),
                "{}: a set of sites totals what its sites publish",
                row.indicator.name
            );
        }
        let total = (!over_a_set).then(|| (row.indicator.sites.clone(), row.total));
        let places = total.into_iter().chain(
            row.by_site
                .iter()
                .map(|(site, value)| (BTreeSet::from([site.clone()]), *value)),
        );
        for (sites, value) in places {
            for (period, shown) in [
                (report.period, value.value),
                (report.previous, value.previous),
            ] {
                let Some(cells) = indicator_cells(reader, &row.indicator, period, &sites) else {
                    continue;
                };
                match shown {
                    Some(n) => reader.published(cells, n),
                    None => reader.hidden(cells),
                }
            }
        }
    }
}

/// The indicators the combining reader reads: contacts and housing needs, everywhere and at
/// some sites, mapped to DHIS2 by week, month and quarter.
fn reader_indicators() -> (Vec<Indicator>, Dhis2Settings) {
    let indicator =
        |id: &str, counted: Counted, sites: &[&str], element: &str, period_type| Indicator {
            id: code(id),
            name: id.replace('-', " "),
            counted,
            sites: sites.iter().map(|s| code(s)).collect(),
            denominator: None,
            dhis2: Some(Dhis2Mapping {
                data_element: Uid::new(element).unwrap(),
                category_option_combo: None,
                period_type,
            }),
        };
    let housing = || Counted::EncountersWith {
        measure: need("housing"),
    };
    let indicators = vec![
        indicator(
            "contacts",
            Counted::Encounters,
            &[],
            "dEContacts1",
            PeriodType::Monthly,
        ),
        indicator(
            "van-contacts",
            Counted::Encounters,
            &["van"],
            "dEContactV1",
            PeriodType::Quarterly,
        ),
        indicator("housing", housing(), &[], "dEHousing01", PeriodType::Weekly),
        indicator(
            "housing-on-foot",
            housing(),
            &["street", "drop-in"],
            "dEHousing02",
            PeriodType::Monthly,
        ),
        indicator(
            "phone-contacts",
            Counted::EncountersWith {
                measure: Measure::Kind(EncounterKind::Phone),
            },
            &[],
            "dEPhoneCon1",
            PeriodType::Quarterly,
        ),
    ];
    let settings = Dhis2Settings {
        org_unit: Some(Uid::new("OrgUnitAll1").unwrap()),
        site_org_units: [
            ("van", "OrgUnitVan1"),
            ("street", "OrgUnitStr1"),
            ("drop-in", "OrgUnitDro1"),
        ]
        .into_iter()
        .map(|(site, unit)| (code(site), Uid::new(unit).unwrap()))
        .collect(),
        data_set: None,
    };
    (indicators, settings)
}

#[tokio::test]
async fn a_reader_combining_reports_indicators_dhis2_exports_and_trends_pins_no_hidden_count() {
    // Small and large counts on days of this week, last month and last quarter, at three
    // sites. The reader reads every trend (day, week, month, quarter, each site and all),
    // every report of every week, month and quarter holding those days (each with the period
    // before), every indicator in total and by site, and both DHIS2 exports, and tries every
    // difference at once: a total minus the other sites, a period minus its sub-periods, a
    // code's encounters minus an indicator with a site filter, this quarter minus the last. The
    // report CSV, made in the browser from the report, is checked to hold the same values.
    let (server, _, manager, phones) = org_with_phones(3).await;
    let today = today();
    let month_before = Period::containing(Granularity::Month, today).previous();
    let quarter_before = Period::containing(Granularity::Quarter, today).previous();
    let mut days: Vec<NaiveDate> = [
        today,
        today - Days::new(1),
        today - Days::new(2),
        month_before.last_day(),
        month_before.last_day() - Days::new(1),
        quarter_before.last_day(),
        quarter_before.last_day() - Days::new(1),
    ]
    .into();
    days.sort();
    days.dedup();
    let sites = ["van", "street", "drop-in"];
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |below: u32| -> u32 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        u32::try_from(seed % u64::from(below)).unwrap()
    };
    let measures = [
        Measure::Encounters,
        Measure::Kind(EncounterKind::Outreach),
        Measure::Kind(EncounterKind::Phone),
        need("housing"),
    ];
    let mut truth: BTreeMap<(NaiveDate, &str, Measure), u32> = BTreeMap::new();
    for (p, token) in phones.iter().enumerate() {
        let mut state = Vec::new();
        for day in &days {
            for site in sites {
                if next(3) == 0 {
                    continue;
                }
                // The van is busy; on foot, counts are small.
                let outreach = next(if site == "van" && p == 0 { 14 } else { 4 });
                let phone = next(3);
                let n = outreach + phone;
                let housing = next(n + 1);
                for (m, k) in [
                    (Measure::Encounters, n),
                    (Measure::Kind(EncounterKind::Outreach), outreach),
                    (Measure::Kind(EncounterKind::Phone), phone),
                    (need("housing"), housing),
                ] {
                    *truth.entry((*day, site, m)).or_default() += k;
                }
                state.extend(counts(
                    *day,
                    site,
                    &[
                        (EncounterKind::Outreach, outreach),
                        (EncounterKind::Phone, phone),
                    ],
                    &[(need("housing"), housing)],
                    1,
                ));
            }
        }
        server.sync(token, state).await;
    }
    let (indicators, settings) = reader_indicators();
    let res = server
        .edit_indicators(
            &manager,
            json!({"base_version": 0, "indicators": indicators, "dhis2": settings}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    let mut reader = Reader::new(THRESHOLD, &days, &sites, &measures);
    let trends = read_everything(&server, &manager, &mut reader, &days, &sites).await;
    let mut periods: Vec<Period> = days
        .iter()
        .flat_map(|d| {
            [Granularity::Week, Granularity::Month, Granularity::Quarter]
                .map(|g| Period::containing(g, *d))
        })
        .collect();
    periods.sort();
    periods.dedup();
    // What trends published of each period, site and measure: a report's value of the same
    // cell must read the same (a value computed another way, say exactly, would not).
    let mut by_trends: BTreeMap<(Period, Option<Code>, Measure), Option<u32>> = BTreeMap::new();
    for answer in &trends {
        for measure in &measures {
            let shown = answer
                .totals
                .iter()
                .find(|c| &c.measure == measure)
                .map(|c| c.count);
            by_trends.insert((answer.period, answer.site.clone(), measure.clone()), shown);
        }
    }
    let mut compared = 0;
    let mut exported = 0;
    for period in &periods {
        let get = |path: String| {
            let (server, manager) = (&server, &manager);
            async move {
                let res = server.call(Method::GET, &path, Some(manager), None).await;
                assert_eq!(res.status(), StatusCode::OK, "{path}");
                res
            }
        };
        let report: Report = get(format!("/api/v1/reports?period={period}"))
            .await
            .json()
            .await
            .unwrap();
        read_report(&mut reader, &report);
        for row in &report.indicators {
            let measure = match &row.indicator.counted {
                Counted::Encounters => Measure::Encounters,
                Counted::EncountersWith { measure } => measure.clone(),
                _ => continue,
            };
            let places = std::iter::once((row.indicator.sites.clone(), row.total)).chain(
                row.by_site
                    .iter()
                    .map(|(site, v)| (BTreeSet::from([site.clone()]), *v)),
            );
            for (sites, value) in places {
                if sites.len() > 1 {
                    continue;
                }
                let site = sites.into_iter().next();
                for (p, shown) in [
                    (report.period, value.value),
                    (report.previous, value.previous),
                ] {
                    if let Some(trend) = by_trends.get(&(p, site.clone(), measure.clone())) {
                        assert_eq!(
                            shown, *trend,
                            "{} at {site:?} in {p}: the report and trends disagree",
                            row.indicator.name
                        );
                        compared += 1;
                    }
                }
            }
        }
        // The CSV the browser makes of it holds its published values, in their places, and
        // leaves a hidden one blank.
        let csv = report_csv(
            &report,
            |site| site.map_or_else(|| "all sites".to_owned(), ToString::to_string),
            |column| column.name().to_owned(),
        );
        let mut expected = vec![];
        for row in &report.indicators {
            let places = std::iter::once(("all".to_owned(), row.total))
                .chain(row.by_site.iter().map(|(site, v)| (site.to_string(), *v)));
            for (place, v) in places {
                let cell = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
                expected.push((
                    row.indicator.name.clone(),
                    place,
                    cell(v.value),
                    cell(v.previous),
                ));
            }
        }
        let rows: Vec<(String, String, String, String)> = csv
            .lines()
            .skip(1)
            .map(|line| {
                let cols: Vec<&str> = line.split(',').collect();
                (
                    cols[0].into(),
                    cols[1].into(),
                    cols[4].into(),
                    cols[6].into(),
                )
            })
            .collect();
        assert_eq!(
            rows, expected,
            "{period}: the CSV holds the published values only"
        );
        // The exports hold published values of the report and nothing else.
        let published: BTreeMap<(String, String), String> = report
            .indicators
            .iter()
            .filter(|row| {
                row.indicator
                    .dhis2
                    .as_ref()
                    .unwrap()
                    .period_type
                    .granularity()
                    == period.granularity()
            })
            .flat_map(|row| {
                let element = row.indicator.dhis2.as_ref().unwrap().data_element.as_str();
                let total = settings.org_unit.as_ref().map(|u| (u, row.total));
                let by_site = row
                    .by_site
                    .iter()
                    .filter_map(|(site, v)| settings.site_org_units.get(site).map(|u| (u, *v)));
                total
                    .into_iter()
                    .chain(by_site)
                    .filter_map(move |(unit, v)| {
                        v.value.map(|n| {
                            (
                                (element.to_owned(), unit.as_str().to_owned()),
                                n.to_string(),
                            )
                        })
                    })
            })
            .collect();
        let set: DataValueSet = get(format!("/api/v1/reports/dhis2?period={period}&format=json"))
            .await
            .json()
            .await
            .unwrap();
        let json_values: BTreeMap<(String, String), String> = set
            .data_values
            .iter()
            .map(|v| {
                (
                    (v.data_element.clone(), v.org_unit.clone()),
                    v.value.clone(),
                )
            })
            .collect();
        assert_eq!(
            json_values, published,
            "{period}: JSON export = published values"
        );
        let adx = get(format!("/api/v1/reports/dhis2?period={period}&format=adx"))
            .await
            .text()
            .await
            .unwrap();
        let mut adx_values: Vec<&str> = adx
            .split("value=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .collect();
        let mut json_list: Vec<&str> = published.values().map(String::as_str).collect();
        adx_values.sort();
        json_list.sort();
        assert_eq!(
            adx_values, json_list,
            "{period}: ADX export = published values"
        );
        exported += set.data_values.len();
    }

    // Every hidden sum — a day, a week, a month or a quarter; a site, the sites on foot or
    // all — stays hidden.
    let site_sets: Vec<Vec<&str>> = vec![
        vec![],
        vec!["van"],
        vec!["street"],
        vec!["drop-in"],
        vec!["street", "drop-in"],
    ];
    let all_periods: Vec<Period> = days
        .iter()
        .map(|d| Period::Day(*d))
        .chain(periods.iter().copied())
        .collect();
    let mut checked = 0;
    for period in &all_periods {
        for at in &site_sets {
            for measure in &measures {
                let n: u32 = truth
                    .iter()
                    .filter(|((day, site, m), _)| {
                        period.contains(*day)
                            && (at.is_empty() || at.contains(site))
                            && m == measure
                    })
                    .map(|(_, k)| k)
                    .sum();
                if n == 0 || n >= THRESHOLD {
                    continue;
                }
                let cells: Vec<usize> = if at.is_empty() {
                    reader.select(*period, None, measure)
                } else {
                    at.iter()
                        .flat_map(|site| reader.select(*period, Some(&code(site)), measure))
                        .collect()
                };
                assert_not_pinned(
                    &reader,
                    &cells,
                    i64::from(n),
                    &format!("{measure:?} at {at:?} in {period}"),
                );
                checked += 1;
            }
        }
    }
    println!(
        "{checked} hidden sums checked against {} trend answers, {} reports ({compared} values the same as trends) and {exported} exported values: none pinned",
        trends.len(),
        periods.len()
    );
    assert!(
        compared > 50,
        "reports were compared with trends: {compared}"
    );
    assert!(
        checked > 15,
        "the scenario has small counts to protect: {checked}"
    );
    assert!(exported > 10, "the scenario exports values: {exported}");
}
