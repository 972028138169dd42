//! Talking to systemd without a library: `READY=1` once the API listens, and `WATCHDOG=1` pings
//! while the service is healthy — only after the database answered — so a kioskd that hangs is
//! restarted by systemd (`WatchdogSec=` in the unit). Outside systemd (`$NOTIFY_SOCKET` unset)
//! nothing is sent.

use std::os::unix::net::UnixDatagram;
use std::time::Duration;

use crate::Service;

/// Send one notification (`"READY=1"`, `"WATCHDOG=1"`, `"STOPPING=1"`); false outside systemd.
pub fn notify(state: &str) -> bool {
    let Some(path) = std::env::var_os("NOTIFY_SOCKET") else { return false };
    let Ok(socket) = UnixDatagram::unbound() else { return false };
    let bytes = path.as_encoded_bytes();
    let sent = if let Some(abstract_name) = bytes.strip_prefix(b"@") {
        use std::os::linux::net::SocketAddrExt;
        std::os::unix::net::SocketAddr::from_abstract_name(abstract_name)
            .and_then(|addr| socket.send_to_addr(state.as_bytes(), &addr))
            .is_ok()
    } else {
        socket.send_to(state.as_bytes(), &path).is_ok()
    };
    sent
}

/// The watchdog interval systemd asked for (`$WATCHDOG_USEC`), if any.
pub fn watchdog_interval() -> Option<Duration> {
    let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.parse().ok()?;
    Some(Duration::from_micros(usec))
}

/// Ping the watchdog at half its interval while the database answers.
pub async fn watchdog(service: Service) {
    let Some(interval) = watchdog_interval() else { return };
    loop {
        tokio::time::sleep(interval / 2).await;
        if service.database_ok().await {
            notify("WATCHDOG=1");
        } else {
            tracing::error!("database not answering: withholding the watchdog ping");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_reach_the_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let listener = UnixDatagram::bind(&path).unwrap();
        // SAFETY: tests in this module are the only users of NOTIFY_SOCKET.
        unsafe { std::env::set_var("NOTIFY_SOCKET", &path) };
        assert!(notify("READY=1"));
        let mut buf = [0u8; 64];
        let n = listener.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"READY=1");
        unsafe { std::env::remove_var("NOTIFY_SOCKET") };
        assert!(!notify("READY=1"));
    }
}
