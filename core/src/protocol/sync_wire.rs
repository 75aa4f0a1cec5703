//! How a [`SyncRequest`] travels: the buckets of one save together.
//!
//! A save stamps all its buckets with one version, and they share a day and a site, so on the
//! wire each run of buckets with the same version, day and site is one `saves` item, its
//! buckets `[dimension, value, count]` triples:
//!
//! ```json
//! {"codebook_version": 3, "saves": [
//!   {"version": 41, "day": "2026-11-24", "site": "van",
//!    "counts": [["encounters", "", 2], ["need", "housing", 1]]}]}
//! ```
//!
//! A year of one phone is 40 % smaller gzipped this way than as one object per bucket. The
//! flat `buckets` form of earlier app versions is still read, so a phone running an old copy
//! of the app keeps syncing.

use super::{BucketUpdate, SyncRequest};
use crate::bucket::{Dimension, Measure, MeasureError};
use crate::codebook::Code;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = SyncRequest))]
#[serde(deny_unknown_fields)]
pub(super) struct SyncRequestWire {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    saves: Vec<Save>,
    /// The form of app versions before `saves`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    buckets: Vec<BucketUpdate>,
    #[serde(default)]
    codebook_version: u32,
}

/// One save's buckets: they share its version, day and site.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = SyncSave))]
#[serde(deny_unknown_fields)]
struct Save {
    version: u64,
    day: NaiveDate,
    site: Code,
    counts: Vec<Count>,
}

/// `[dimension, value, count]`; the value is "" for the encounters total.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = SyncCount))]
struct Count(Dimension, String, u32);

impl From<SyncRequest> for SyncRequestWire {
    fn from(request: SyncRequest) -> Self {
        let mut saves: Vec<Save> = Vec::new();
        for update in request.buckets {
            let count = Count(
                update.measure.dimension(),
                update.measure.value().to_owned(),
                update.count,
            );
            match saves.last_mut() {
                Some(save)
                    if (save.version, save.day, &save.site)
                        == (update.version, update.day, &update.site) =>
                {
                    save.counts.push(count);
                }
                _ => saves.push(Save {
                    version: update.version,
                    day: update.day,
                    site: update.site,
                    counts: vec![count],
                }),
            }
        }
        Self {
            saves,
            buckets: Vec::new(),
            codebook_version: request.codebook_version,
        }
    }
}

impl TryFrom<SyncRequestWire> for SyncRequest {
    type Error = MeasureError;

    fn try_from(wire: SyncRequestWire) -> Result<Self, MeasureError> {
        let mut buckets = wire.buckets;
        for save in wire.saves {
            for Count(dimension, value, count) in save.counts {
                buckets.push(BucketUpdate {
                    day: save.day,
                    site: save.site.clone(),
                    measure: Measure::from_parts(dimension, &value)?,
                    count,
                    version: save.version,
                });
            }
        }
        Ok(Self {
            buckets,
            codebook_version: wire.codebook_version,
        })
    }
}

/// A sync request's schema is its wire form's.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for SyncRequest {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <SyncRequestWire as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for SyncRequest {
    fn name() -> std::borrow::Cow<'static, str> {
        <SyncRequestWire as utoipa::ToSchema>::name()
    }

    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <SyncRequestWire as utoipa::ToSchema>::schemas(schemas);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn code(s: &str) -> Code {
        Code::new(s).unwrap()
    }

    fn update(day: u32, site: &str, measure: Measure, count: u32, version: u64) -> BucketUpdate {
        BucketUpdate {
            day: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            site: code(site),
            measure,
            count,
            version,
        }
    }

    #[test]
    fn the_buckets_of_a_save_travel_together_and_come_back_in_order() {
        let request = SyncRequest {
            buckets: vec![
                update(24, "van", Measure::Encounters, 2, 41),
                update(24, "van", Measure::Need(code("housing")), 1, 41),
                // A correction moved an entry: one version, two days.
                update(23, "van", Measure::Encounters, 0, 42),
                update(24, "street", Measure::Encounters, 1, 42),
            ],
            codebook_version: 3,
        };
        let sent = serde_json::to_value(&request).unwrap();
        assert_eq!(
            sent,
            json!({"codebook_version": 3, "saves": [
                {"version": 41, "day": "2026-11-24", "site": "van",
                 "counts": [["encounters", "", 2], ["need", "housing", 1]]},
                {"version": 42, "day": "2026-11-23", "site": "van", "counts": [["encounters", "", 0]]},
                {"version": 42, "day": "2026-11-24", "site": "street", "counts": [["encounters", "", 1]]},
            ]})
        );
        assert_eq!(
            serde_json::from_value::<SyncRequest>(sent).unwrap(),
            request
        );
        let empty = SyncRequest::default();
        assert_eq!(
            serde_json::to_value(&empty).unwrap(),
            json!({"codebook_version": 0})
        );
    }

    #[test]
    fn the_flat_form_of_earlier_app_versions_is_still_read() {
        let old = json!({"codebook_version": 1, "buckets": [
            {"day": "2026-11-24", "site": "van", "dimension": "need", "value": "food", "count": 3, "version": 7}
        ]});
        assert_eq!(
            serde_json::from_value::<SyncRequest>(old).unwrap().buckets,
            [update(24, "van", Measure::Need(code("food")), 3, 7)]
        );
    }

    #[test]
    fn a_count_that_is_not_a_measure_refuses_the_request_with_a_reason() {
        for (counts, says) in [
            (json!([["need", "Not A Code", 1]]), "invalid code"),
            (json!([["kind", "teleport", 1]]), "teleport"),
            (json!([["colour", "red", 1]]), "colour"),
            (json!([["need", "housing"]]), "3 elements"),
        ] {
            let body = json!({"saves": [{"version": 1, "day": "2026-11-24", "site": "van", "counts": counts}]});
            let error = serde_json::from_value::<SyncRequest>(body)
                .unwrap_err()
                .to_string();
            assert!(error.contains(says), "{counts}: {error}");
        }
        let extra = json!({"saves": [], "cursor": 4});
        assert!(serde_json::from_value::<SyncRequest>(extra).is_err());
    }
}
