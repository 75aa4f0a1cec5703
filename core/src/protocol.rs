//! The PeerPulse API, defined once for the phone and the service. Paths carry the version.

use crate::bucket::{BucketKey, Dimension, Measure};
use crate::codebook::{Code, CodeList, Codebook};
use crate::encounter::EditWindow;
use crate::enrolment::EnrolmentCode;
use crate::period::{Granularity, Period};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

mod rejection_wire;
mod sync_wire;

pub use rejection_wire::RejectionFormError;

/// Exchanges a one-time enrolment code for a device token.
pub const ENROL_PATH: &str = "/api/v1/enrol";
/// Sends changed buckets.
pub const SYNC_PATH: &str = "/api/v1/sync";
/// Reads the organization's suppressed trend totals.
pub const TRENDS_PATH: &str = "/api/v1/trends";
/// Reads what is rising today and which free tags are new this week.
pub const ALERTS_PATH: &str = "/api/v1/alerts";
/// Server-sent events: `changed` whenever the organization's counts change.
pub const EVENTS_PATH: &str = "/api/v1/events";

/// Most buckets one sync request may carry; larger backlogs go in several batches.
pub const MAX_BATCH: usize = 1_000;
/// Highest version accepted: phones count in JavaScript numbers, exact up to 2^53 - 1.
pub const MAX_VERSION: u64 = (1 << 53) - 1;
/// How far back a bucket's day may lie.
pub const MAX_AGE_DAYS: u64 = 400;

/// `POST /api/v1/enrol` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The code the manager handed out.
    pub code: EnrolmentCode,
    /// This installation of the app, so a retry after a lost answer gets the same device
    /// and token (phones of earlier versions send none, and cannot retry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation_id: Option<InstallationId>,
}

/// A random id an installation of the app makes once and keeps: 22 to 64 characters of
/// letters, digits, '-' and '_' (128 bits or more, as the phone makes it). It never names a
/// person; the service keeps only its hash.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct InstallationId(String);

/// Why text is not an [`InstallationId`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("an installation id is 22 to 64 letters, digits, '-' or '_'")]
pub struct InvalidInstallationId;

impl InstallationId {
    /// Parses an id as the phone sends it.
    pub fn new(raw: &str) -> Result<Self, InvalidInstallationId> {
        let valid = (22..=64).contains(&raw.len())
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidInstallationId)
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id of 16 random bytes (128 bits), in unpadded base64url: 22 characters.
    pub fn from_random(bytes: [u8; 16]) -> Self {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut text = String::with_capacity(22);
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            // Three bytes give four characters; the last byte alone gives two.
            for i in 0..=chunk.len() {
                text.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            }
        }
        Self(text)
    }
}

impl TryFrom<String> for InstallationId {
    type Error = InvalidInstallationId;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(&value)
    }
}

impl From<InstallationId> for String {
    fn from(id: InstallationId) -> Self {
        id.0
    }
}

/// `POST /api/v1/enrol` answer: the device's credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolResponse {
    /// The device's public id (shown to managers, never linked to a person).
    pub device_id: String,
    /// Bearer token for every later request; the service keeps only its hash.
    pub token: String,
    /// The organization the device now belongs to.
    pub org_name: String,
}

/// One device's current count in one bucket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BucketUpdate {
    /// Day of the bucket.
    #[serde(with = "crate::date_wire::day")]
    pub day: NaiveDate,
    /// Site code of the bucket.
    pub site: crate::codebook::Code,
    /// What it counts.
    #[serde(flatten)]
    pub measure: Measure,
    /// The device's count (a state, not a delta: sending it twice changes nothing).
    pub count: u32,
    /// The device clock at the last change; the service keeps the highest.
    pub version: u64,
}

impl BucketUpdate {
    /// The bucket this update is for.
    pub fn key(&self) -> BucketKey {
        BucketKey {
            day: self.day,
            site: self.site.clone(),
            measure: self.measure.clone(),
        }
    }
}

/// `POST /api/v1/sync` body: buckets changed since the last ack, oldest version first. On
/// the wire the buckets of one save travel together (see [`sync_wire`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "sync_wire::SyncRequestWire",
    into = "sync_wire::SyncRequestWire"
)]
pub struct SyncRequest {
    /// At most [`MAX_BATCH`] bucket states.
    pub buckets: Vec<BucketUpdate>,
    /// The codebook version the phone has (0: only the built-in one).
    pub codebook_version: u32,
}

/// Why the service refused one bucket (the rest of the request still lands). It is read only
/// as part of a [`Rejection`], whose decoding is written out in [`rejection_wire`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum RejectionReason {
    /// The count is beyond what one device can record in one bucket.
    #[error("count {count} is more than {max}, the most one phone can log in a day at one site")]
    AbsurdCount {
        /// The count sent.
        count: u32,
        /// The most this measure accepts.
        max: u32,
    },
    /// The day is in the future or too far in the past.
    #[error("day {day} is outside the accepted range {earliest} to {latest}")]
    DayOutOfRange {
        /// The day sent.
        day: NaiveDate,
        /// Earliest accepted day.
        earliest: NaiveDate,
        /// Latest accepted day.
        latest: NaiveDate,
    },
    /// A site or code the organization's codebook does not have.
    #[error("{code:?} is not a {} in the organization's codebook", list.label())]
    UnknownCode {
        /// The list checked.
        list: CodeList,
        /// The code sent.
        code: String,
    },
    /// A free tag that may identify someone: a name typed as a need, say.
    #[error("{message}")]
    IdentifyingTag {
        /// What looks identifying, in a worker's words.
        message: String,
    },
    /// Version 0 is reserved for "never changed".
    #[error("version must be at least 1")]
    ZeroVersion,
    /// A version no phone's clock can reach.
    #[error("version {version} is beyond {MAX_VERSION}, the largest a phone can count to")]
    AbsurdVersion {
        /// The version sent.
        version: u64,
    },
}

/// One refused bucket: on the wire one object with the bucket's fields and the reason's
/// (see [`rejection_wire`] for how it is read).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rejection {
    /// The bucket.
    #[serde(flatten)]
    pub key: BucketKey,
    /// Why.
    #[serde(flatten)]
    pub reason: RejectionReason,
}

/// `POST /api/v1/sync` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncResponse {
    /// Every change with a version up to this one is settled on the service (stored, already
    /// superseded, or rejected below): the phone need not send it again.
    pub acked_through: u64,
    /// Buckets whose stored count changed.
    pub applied: u32,
    /// Buckets the service already had at this version or newer.
    pub unchanged: u32,
    /// Buckets refused, each with its reason.
    pub rejected: Vec<Rejection>,
    /// Buckets of days the organization has closed (see [`crate::retention`]): the service
    /// keeps the count it had for each before the day closed and changed nothing. They are
    /// settled like the rest (`acked_through` covers them), so the phone does not send them
    /// again. Phones that predate closing ignore the field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed: Vec<BucketKey>,
    /// The last day the organization has closed, if any.
    #[serde(
        default,
        with = "crate::date_wire::optional_day",
        skip_serializing_if = "Option::is_none"
    )]
    pub closed_through: Option<NaiveDate>,
    /// The organization's current codebook version.
    pub codebook_version: u32,
    /// The organization's codebook, when it is newer than the phone's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codebook: Option<Codebook>,
    /// How far back the organization lets workers date, edit or delete entries.
    pub edit_window: EditWindow,
}

/// A request that is wrong as a whole.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SyncRequestError {
    /// More buckets than [`MAX_BATCH`].
    #[error(
        "a sync request carries at most {MAX_BATCH} buckets, this one has {0}: send the rest in another batch"
    )]
    BatchTooLarge(usize),
    /// The same bucket twice in one request.
    #[error("bucket {0:?} appears more than once: send each bucket once with its latest count")]
    DuplicateBucket(BucketKey),
}

impl SyncRequest {
    /// Checks the request as a whole: size and uniqueness.
    pub fn check(&self) -> Result<(), SyncRequestError> {
        if self.buckets.len() > MAX_BATCH {
            return Err(SyncRequestError::BatchTooLarge(self.buckets.len()));
        }
        let mut seen = BTreeSet::new();
        for update in &self.buckets {
            let key = update.key();
            if !seen.insert(key.clone()) {
                return Err(SyncRequestError::DuplicateBucket(key));
            }
        }
        Ok(())
    }

    /// The highest version carried (0 for an empty request).
    pub fn through(&self) -> u64 {
        self.buckets.iter().map(|b| b.version).max().unwrap_or(0)
    }
}

impl BucketUpdate {
    /// Checks one bucket against the codebook and plausible bounds, `today` being the service's date.
    pub fn check(&self, codebook: &Codebook, today: NaiveDate) -> Result<(), RejectionReason> {
        if self.version == 0 {
            return Err(RejectionReason::ZeroVersion);
        }
        if self.version > MAX_VERSION {
            return Err(RejectionReason::AbsurdVersion {
                version: self.version,
            });
        }
        if self.count > self.measure.max_count() {
            return Err(RejectionReason::AbsurdCount {
                count: self.count,
                max: self.measure.max_count(),
            });
        }
        // One day of slack for phones in time zones ahead of the service.
        let latest = today + Days::new(1);
        let earliest = today - Days::new(MAX_AGE_DAYS);
        if self.day < earliest || self.day > latest {
            return Err(RejectionReason::DayOutOfRange {
                day: self.day,
                earliest,
                latest,
            });
        }
        let unknown = |list, code: &crate::codebook::Code| {
            (!codebook.knows(list, code)).then(|| RejectionReason::UnknownCode {
                list,
                code: code.to_string(),
            })
        };
        let found = unknown(CodeList::Site, &self.site).or_else(|| match &self.measure {
            Measure::Topic(c) => unknown(CodeList::Topic, c),
            Measure::Insight(c) => unknown(CodeList::Insight, c),
            Measure::Need(c) => unknown(CodeList::Need, c),
            Measure::Supply(c) | Measure::SupplyUnits(c) => unknown(CodeList::Supply, c),
            Measure::Referral(c) => unknown(CodeList::Referral, c),
            // Free tags are new words by design, but they leave the phone: guarded again here.
            Measure::FreeTag(tag) => crate::privacy::free_tag::check(tag).err().map(|flagged| {
                RejectionReason::IdentifyingTag {
                    message: flagged.to_string(),
                }
            }),
            Measure::Encounters | Measure::Kind(_) | Measure::Reach(_) => None,
        });
        found.map_or(Ok(()), Err)
    }
}

/// Trims a batch read oldest-version-first with `limit` so it ends on a whole version.
///
/// One save stamps all its buckets with the same version. When a batch is full, buckets of its
/// last version may continue past the limit, and acknowledging that version would skip them; so
/// that version is left for the next batch. A full batch of a single version cannot happen:
/// `MAX_CODES_PER_LIST` and `MAX_FREE_TAGS` keep one encounter well under [`MAX_BATCH`] buckets.
pub fn whole_versions(mut batch: Vec<BucketUpdate>, limit: usize) -> Vec<BucketUpdate> {
    if batch.len() < limit {
        return batch;
    }
    if let Some(last) = batch.last().map(|b| b.version) {
        let first_of_last = batch.partition_point(|b| b.version < last);
        if first_of_last > 0 {
            batch.truncate(first_of_last);
        }
    }
    batch
}

/// `GET /api/v1/trends` query: a period (by default the month holding today), and
/// optionally one site and one dimension.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrendsQuery {
    /// A day, an ISO week, a month or a quarter: `2026-11-24`, `2026-W48`, `2026-11`,
    /// `2026-Q4`.
    pub period: Option<Period>,
    /// Only this site.
    pub site: Option<Code>,
    /// Only this dimension.
    pub dimension: Option<Dimension>,
}

/// A trends period that cannot be served.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// The period starts after tomorrow.
    #[error("{0} has not started yet")]
    InFuture(Period),
    /// The period ends longer ago than anything is kept.
    #[error("{0} ended more than {MAX_AGE_DAYS} days ago: nothing that old is kept")]
    TooOld(Period),
    /// Phones read weeks, months and quarters.
    #[error(
        "a phone reads weeks, months and quarters, not single days: ask for a week such as 2026-W48"
    )]
    TooFineForAPhone,
}

impl TrendsQuery {
    /// The period asked for (by default the month holding `today`), checked.
    pub fn period(&self, today: NaiveDate) -> Result<Period, PeriodError> {
        let period = self
            .period
            .unwrap_or_else(|| Period::containing(Granularity::Month, today));
        // A phone a timezone ahead of the service may already be on tomorrow.
        if period.first_day() > today + Days::new(1) {
            return Err(PeriodError::InFuture(period));
        }
        if period.last_day() + Days::new(MAX_AGE_DAYS) < today {
            return Err(PeriodError::TooOld(period));
        }
        Ok(period)
    }

    /// The query string for this query, starting with `?` (codes and periods need no
    /// escaping).
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(period) = self.period {
            parts.push(format!("period={period}"));
        }
        if let Some(site) = &self.site {
            parts.push(format!("site={site}"));
        }
        if let Some(dimension) = self.dimension {
            parts.push(format!("dimension={dimension}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// A count that may be published (see [`crate::privacy::disclosure`]): perturbed, and at or
/// above the organization's threshold. A measure without one counted fewer, or none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedCount {
    /// What is counted.
    #[serde(flatten)]
    pub measure: Measure,
    /// The published count.
    pub count: u32,
}

/// One part of a published period (a day of a week or month, a week of a quarter).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendPart {
    /// The part.
    pub period: Period,
    /// Its published counts.
    pub counts: Vec<PublishedCount>,
}

/// `GET /api/v1/trends` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendsResponse {
    /// The organization's name.
    pub org_name: String,
    /// No count below this is published.
    pub threshold: u32,
    /// The period.
    pub period: Period,
    /// The one site counted, or `None` for every site together.
    pub site: Option<Code>,
    /// The period's published totals, one per measure.
    pub totals: Vec<PublishedCount>,
    /// Its parts, oldest first (days of a week or month, weeks of a quarter; a phone reads
    /// weeks only).
    pub parts: Vec<TrendPart>,
}

impl TrendsResponse {
    /// The published total of `measure`, if it may be shown.
    pub fn total(&self, measure: &Measure) -> Option<u32> {
        self.totals
            .iter()
            .find(|c| c.measure == *measure)
            .map(|c| c.count)
    }
}

/// A free tag several workers started using in a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewFreeTag {
    /// The tag.
    pub tag: crate::codebook::Code,
    /// Its published count over the period.
    pub count: u32,
    /// The first day anyone used it.
    #[serde(with = "crate::date_wire::day")]
    pub first_seen: NaiveDate,
}

/// `GET /api/v1/alerts` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertsResponse {
    /// The period tested.
    pub period: Period,
    /// Needs, insights and free tags rising above their baseline (CDC EARS C1-C3) on a day of
    /// the period, newest day first.
    pub alerts: Vec<crate::aberration::Alert>,
    /// Free tags first used in the period by at least two phones, whose count over the
    /// period may be published.
    pub new_free_tags: Vec<NewFreeTag>,
}

/// `GET /api/v1/alerts` query: the days to test, by default today.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AlertsQuery {
    /// A day, week, month or quarter (default: today).
    pub period: Option<Period>,
}

impl AlertsQuery {
    /// The period tested, checked like a trends period.
    pub fn period(&self, today: NaiveDate) -> Result<Period, PeriodError> {
        TrendsQuery {
            period: Some(self.period.unwrap_or(Period::Day(today))),
            ..TrendsQuery::default()
        }
        .period(today)
    }

    /// The query string for this query, starting with `?` when not empty.
    pub fn to_query_string(&self) -> String {
        TrendsQuery {
            period: self.period,
            ..TrendsQuery::default()
        }
        .to_query_string()
    }
}

/// The JSON body of every error answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// A stable machine-readable code such as `unauthorized`.
    pub error: String,
    /// What is wrong and how to fix it, for a person.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_installation_id_from_random_bytes_is_base64url_and_valid() {
        // RFC 4648 test vectors, extended to 16 bytes: "foobar" + ten bytes.
        let id = InstallationId::from_random(*b"foobar\xfb\xff\xbf\0\0\0\0\0\0\x01");
        assert_eq!(id.as_str(), "Zm9vYmFy-_-_AAAAAAAAAQ");
        assert_eq!(InstallationId::new(id.as_str()), Ok(id));
        for seed in 0..=255u8 {
            let id = InstallationId::from_random([seed; 16]);
            assert_eq!(id.as_str().len(), 22);
            assert!(InstallationId::new(id.as_str()).is_ok());
        }
    }

    #[test]
    fn a_trends_period_is_a_calendar_period_by_default_this_month() {
        let q = TrendsQuery::default();
        assert_eq!(q.period(today()).unwrap().to_string(), "2026-11");
        let week = |w: &str| TrendsQuery {
            period: Some(w.parse().unwrap()),
            ..TrendsQuery::default()
        };
        assert_eq!(
            week("2026-W47").period(today()).unwrap().to_string(),
            "2026-W47"
        );
        assert!(matches!(
            week("2026-12").period(today()),
            Err(PeriodError::InFuture(_))
        ));
        assert!(matches!(
            week("2025-Q1").period(today()),
            Err(PeriodError::TooOld(_))
        ));
        let query: TrendsQuery =
            serde_json::from_value(serde_json::json!({"period": "2026-W48"})).unwrap();
        assert_eq!(query.period.unwrap().to_string(), "2026-W48");
        assert!(
            serde_json::from_value::<TrendsQuery>(serde_json::json!({"from": "2026-11-01"}))
                .is_err(),
            "free ranges are not published"
        );
    }

    #[test]
    fn a_trends_query_writes_its_query_string() {
        assert_eq!(TrendsQuery::default().to_query_string(), "");
        let q = TrendsQuery {
            period: Some("2026-Q4".parse().unwrap()),
            site: Some(Code::new("van").unwrap()),
            dimension: Some(Dimension::FreeTag),
        };
        assert_eq!(
            q.to_query_string(),
            "?period=2026-Q4&site=van&dimension=free-tag"
        );
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn update(measure: Measure) -> BucketUpdate {
        BucketUpdate {
            day: today(),
            site: Code::new("van").unwrap(),
            measure,
            count: 3,
            version: 4,
        }
    }

    #[test]
    fn negative_counts_do_not_parse() {
        let bad = serde_json::json!({"buckets": [{"day": "2026-11-24", "site": "van", "dimension": "encounters", "count": -1, "version": 1}]});
        assert!(serde_json::from_value::<SyncRequest>(bad).is_err());
    }

    #[test]
    fn bucket_checks_refuse_a_free_tag_that_names_someone() {
        let book = Codebook::harm_reduction_default();
        let tag = |t: &str| update(Measure::FreeTag(Code::new(t).unwrap()));
        assert_eq!(tag("dental-care").check(&book, today()), Ok(()));
        for name in ["maria-lopez", "named-dave", "john-smith"] {
            let Err(RejectionReason::IdentifyingTag { message }) = tag(name).check(&book, today())
            else {
                panic!("{name} was accepted");
            };
            assert!(message.contains("looks like a name"), "{message}");
        }
    }

    #[test]
    fn bucket_checks_refuse_absurd_counts_far_days_and_unknown_codes() {
        let book = Codebook::harm_reduction_default();
        assert_eq!(update(Measure::Encounters).check(&book, today()), Ok(()));

        let mut big = update(Measure::Encounters);
        big.count = Measure::Encounters.max_count() + 1;
        assert!(matches!(
            big.check(&book, today()),
            Err(RejectionReason::AbsurdCount { .. })
        ));

        let syringes = Code::new("needles-syringes").unwrap();
        let mut units = update(Measure::SupplyUnits(syringes.clone()));
        units.count = 40_000;
        assert_eq!(units.check(&book, today()), Ok(()));
        let unknown_supply = update(Measure::Supply(Code::new("naloxone").unwrap()));
        assert!(matches!(
            unknown_supply.check(&book, today()),
            Err(RejectionReason::UnknownCode {
                list: CodeList::Supply,
                ..
            })
        ));
        let referral = update(Measure::Referral(Code::new("drug-treatment").unwrap()));
        assert_eq!(referral.check(&book, today()), Ok(()));

        let mut future = update(Measure::Encounters);
        future.day = today() + Days::new(2);
        assert!(matches!(
            future.check(&book, today()),
            Err(RejectionReason::DayOutOfRange { .. })
        ));
        let mut tomorrow = update(Measure::Encounters);
        tomorrow.day = today() + Days::new(1);
        assert_eq!(tomorrow.check(&book, today()), Ok(()));

        let mut old = update(Measure::Encounters);
        old.day = today() - Days::new(MAX_AGE_DAYS + 1);
        assert!(old.check(&book, today()).is_err());

        let alien = update(Measure::Topic(Code::new("astrology").unwrap()));
        assert_eq!(
            alien.check(&book, today()),
            Err(RejectionReason::UnknownCode {
                list: CodeList::Topic,
                code: "astrology".into()
            })
        );
        let mut huge = update(Measure::Encounters);
        huge.version = MAX_VERSION + 1;
        assert!(matches!(
            huge.check(&book, today()),
            Err(RejectionReason::AbsurdVersion { .. })
        ));
        let mut zero = update(Measure::Encounters);
        zero.version = 0;
        assert_eq!(
            zero.check(&book, today()),
            Err(RejectionReason::ZeroVersion)
        );
    }

    #[test]
    fn oversized_and_duplicated_batches_are_refused_whole() {
        let one = update(Measure::Encounters);
        let dup = SyncRequest {
            buckets: vec![one.clone(), one.clone()],
            codebook_version: 0,
        };
        assert!(matches!(
            dup.check(),
            Err(SyncRequestError::DuplicateBucket(_))
        ));
        let many = SyncRequest {
            buckets: (0..=MAX_BATCH as u64)
                .map(|i| {
                    let mut u = one.clone();
                    u.day = today() - Days::new(i % 300);
                    u.site = Code::new(&format!("s{i}")).unwrap();
                    u
                })
                .collect(),
            codebook_version: 0,
        };
        assert_eq!(
            many.check(),
            Err(SyncRequestError::BatchTooLarge(MAX_BATCH + 1))
        );
        assert_eq!(many.through(), 4);
        assert_eq!(SyncRequest::default().through(), 0);
    }

    #[test]
    fn one_encounter_never_touches_a_whole_batch_of_buckets() {
        // Acks are per version; whole_versions relies on one save fitting in a batch.
        use crate::codebook::MAX_CODES_PER_LIST;
        use crate::encounter::MAX_FREE_TAGS;
        // Total, kind, reach; topics, insights, needs; free tags; two per supply; referrals.
        let most = 3 + 3 * MAX_CODES_PER_LIST + MAX_FREE_TAGS + 3 * MAX_CODES_PER_LIST;
        assert!(most < MAX_BATCH, "{most} >= {MAX_BATCH}");
    }

    #[test]
    fn full_batches_end_on_a_whole_version() {
        let with_version = |v| {
            let mut u = update(Measure::Encounters);
            u.version = v;
            u
        };
        let versions = |batch: &[BucketUpdate]| batch.iter().map(|b| b.version).collect::<Vec<_>>();
        let full = vec![
            with_version(1),
            with_version(2),
            with_version(3),
            with_version(3),
        ];
        assert_eq!(versions(&whole_versions(full, 4)), vec![1, 2]);
        let short = vec![with_version(1), with_version(3), with_version(3)];
        assert_eq!(versions(&whole_versions(short, 4)), vec![1, 3, 3]);
        let single = vec![with_version(5), with_version(5)];
        assert_eq!(versions(&whole_versions(single, 2)), vec![5, 5]);
        assert!(whole_versions(Vec::new(), 0).is_empty());
    }

    #[test]
    fn rejections_name_the_bucket_and_reason_in_json() {
        let rejection = Rejection {
            key: update(Measure::Encounters).key(),
            reason: RejectionReason::AbsurdCount {
                count: 9_999,
                max: 5_000,
            },
        };
        let json = serde_json::to_value(&rejection).unwrap();
        assert_eq!(json["reason"], "absurd-count");
        assert_eq!(json["count"], 9_999);
        assert_eq!(json["dimension"], "encounters");
    }
}
