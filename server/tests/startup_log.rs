//! What start-up logs, checked in a test binary of its own: tracing caches
//! per call site whether anyone listens, and another test's thread in the
//! same process can settle that as "no" while this test's subscriber is
//! being set up, so the line would go missing. Alone here, it cannot.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

#[path = "api/helpers.rs"]
#[allow(dead_code, reason = "the shared helpers; this binary uses a few")]
mod helpers;

use helpers::*;
use std::io::Write;

async fn start_error(data_dir: &std::path::Path) -> String {
    match spawn_app_configured(data_dir, |_| {}).await {
        Ok(_) => panic!("start-up was not refused"),
        Err(error) => error.to_string(),
    }
}

/// Log lines written while a future runs.
#[derive(Clone, Default)]
struct CapturedLog(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn an_empty_database_gets_a_new_key_with_a_warning() {
    use tracing::instrument::WithSubscriber;
    let dir = tempfile::tempdir().unwrap();
    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
    let dispatch = tracing::Dispatch::new(subscriber);
    let app = spawn_app_configured(dir.path(), |_| {}).with_subscriber(dispatch).await.unwrap();
    let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    let key_path = dir.path().join("certificate-signing.key");
    assert!(key_path.exists());
    let warning = log.lines().find(|l| l.contains("generated a new certificate signing key")).unwrap_or_default();
    assert!(warning.contains("WARN"), "logged at WARN: {log}");
    assert!(warning.contains(&key_path.display().to_string()), "says where: {warning}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    drop(app);
    // The key is now recorded: losing it is refused even before any
    // certificate exists.
    std::fs::remove_file(&key_path).unwrap();
    let error = start_error(dir.path()).await;
    assert!(error.contains("missing"), "{error}");
}
