//! Organization events shared by every service instance on one PostgreSQL: "counts changed"
//! (live dashboards reload) and "someone's access ended" (open streams check theirs now).
//!
//! On PostgreSQL an instance announces an event with `NOTIFY` and every instance, itself
//! included, hears it through `LISTEN` and passes it to its own open streams (the in-process
//! channels of [`crate::AppState`]). On SQLite, where one process owns the database, the
//! in-process channels are used directly.

use crate::db::Db;
use std::time::Duration;
use tokio::sync::broadcast::Sender;

/// The channel of "an organization's counts changed", its id the payload.
pub const CHANGES: &str = "peerpulse_changes";
/// The channel of "someone's access in an organization ended", its id the payload.
pub const ACCESS_ENDED: &str = "peerpulse_access_ended";

/// Tells every instance of `channel`'s event in `org_id`, without waiting: a lost
/// announcement costs a dashboard a reload (streams also check access every few seconds).
pub fn announce(db: &Db, channel: &'static str, org_id: i64) {
    let db = db.clone();
    tokio::spawn(async move {
        // pg_notify in FROM: its void result is never decoded, only the constant.
        let sent = sqlx::query("SELECT 1 FROM pg_notify($1, $2)")
            .bind(channel)
            .bind(org_id.to_string())
            .execute(&db)
            .await;
        if let Err(e) = sent {
            tracing::warn!("cannot tell other instances of {channel}: {e}");
        }
    });
}

/// Hears every instance's announcements on the PostgreSQL at `url` and passes them to this
/// instance's streams, for as long as it runs; a lost connection is made again.
pub async fn listen(url: String, changes: Sender<i64>, access_ended: Sender<i64>) {
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => {
                if let Err(e) = listener.listen_all([CHANGES, ACCESS_ENDED]).await {
                    tracing::warn!("cannot listen for other instances' events: {e}");
                } else {
                    loop {
                        let heard = match listener.recv().await {
                            Ok(heard) => heard,
                            Err(e) => {
                                tracing::warn!("lost other instances' events: {e}");
                                break;
                            }
                        };
                        let Ok(org_id) = heard.payload().parse::<i64>() else {
                            continue;
                        };
                        let local = if heard.channel() == CHANGES {
                            &changes
                        } else {
                            &access_ended
                        };
                        // No stream open is no one to tell.
                        let _ = local.send(org_id);
                        // Events missed while the connection was down: every stream
                        // checks and reloads at once, as after a lag.
                    }
                }
            }
            Err(e) => tracing::warn!("cannot connect to hear other instances' events: {e}"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
