//! Accepting connections so that no client can make the service unreachable: a cap on open
//! connections overall and per address, a deadline to send the request head, and a graceful
//! end on shutdown. (Bodies have their own deadline, set in `routes`.)

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::Request;
use axum::http::request::Parts;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

/// Most connections open at once.
pub const MAX_CONNECTIONS: usize = 1024;
/// Most connections open at once from one address. A trusted reverse proxy, which carries
/// every client's connections, is held to [`MAX_CONNECTIONS`] only: it limits its clients.
pub const MAX_PER_ADDRESS: usize = 128;
/// How long a client has to send a request's head once it connected or sent the last one.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The address a request came from: the peer of its connection, or behind a trusted reverse
/// proxy the client the proxy names (see [`crate::forwarded`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<ClientAddress>()
            .copied()
            .unwrap_or(ClientAddress(IpAddr::from([0, 0, 0, 0]))))
    }
}

/// Connections open now, in all and per address.
#[derive(Clone, Default)]
struct Open(Arc<Mutex<(usize, HashMap<IpAddr, usize>)>>);

/// One admitted connection; it leaves the count when dropped.
struct Admitted {
    open: Open,
    address: IpAddr,
}

impl Open {
    /// Admits a connection from `address`, unless a cap is reached (for a `proxy`, the
    /// overall cap only).
    fn admit(&self, address: IpAddr, proxy: bool) -> Option<Admitted> {
        let mut open = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let from_address = open.1.get(&address).copied().unwrap_or(0);
        if open.0 >= MAX_CONNECTIONS || (from_address >= MAX_PER_ADDRESS && !proxy) {
            return None;
        }
        open.0 += 1;
        open.1.insert(address, from_address + 1);
        Some(Admitted {
            open: self.clone(),
            address,
        })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.open.0.lock().unwrap_or_else(|p| p.into_inner());
        open.0 -= 1;
        if let Some(n) = open.1.get_mut(&self.address) {
            *n -= 1;
            if *n == 0 {
                open.1.remove(&self.address);
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets requests in flight end.
/// Connections from a peer `trusted` says is a proxy are held to the overall cap only.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    trusted: impl Fn(IpAddr) -> bool,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let open = Open::default();
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait rather than spin.
                Err(e) => {
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(admitted) = open.admit(peer.ip(), trusted(peer.ip())) else {
            tracing::warn!(address = %peer.ip(), "connection refused: too many open");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let address = ClientAddress(peer.ip());
        let app = tower::ServiceExt::map_request(app.clone(), move |mut request: Request<_>| {
            request.extensions_mut().insert(address);
            request
        });
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _admitted = admitted;
            if let Err(e) = connection.await {
                tracing::debug!("connection ended: {e}");
            }
        });
    }
    drop(listener);
    // Requests in flight get a while to finish; event streams are told to end.
    let _ = tokio::time::timeout(Duration::from_secs(10), graceful.shutdown()).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_capped_per_address_and_counted_out_when_closed() {
        let open = Open::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let held: Vec<Admitted> = (0..MAX_PER_ADDRESS)
            .map(|_| open.admit(a, false).unwrap())
            .collect();
        assert!(
            open.admit(a, false).is_none(),
            "one address cannot take more"
        );
        assert!(open.admit(b, false).is_some(), "another still can");
        assert!(
            open.admit(a, true).is_some(),
            "a trusted proxy carries many clients"
        );
        drop(held);
        assert!(open.admit(a, false).is_some());
        assert_eq!(
            open.0.lock().unwrap().1.len(),
            0,
            "closed connections are forgotten"
        );
    }
}
