//! Skipped must not look like passed. Without PostgreSQL (and without
//! `MAGISTRAT_REQUIRE_POSTGRES`), the PostgreSQL half of every integration test returns
//! early and counts as a pass, and the runner swallows each test's notice. This test
//! says it once, at the end of the run (`.config/nextest.toml` shows its output after
//! the summary): how many PostgreSQL tests did not run, and why. With the variable set
//! it fails instead, as every PostgreSQL test then does.

use magistrat::db::Db;

use crate::helpers::{pg_admin_url, pg_required};

#[tokio::test]
async fn postgres_tests_not_run() {
    let url = pg_admin_url();
    let count = postgres_tests_in_this_binary();
    match Db::connect(&url, 1).await {
        Ok(db) => {
            db.close().await;
            println!("PostgreSQL at {url} reachable: its {count} tests ran.");
        }
        Err(e) if !pg_required() => {
            println!(
                "NOTICE: {count} PostgreSQL tests DID NOT RUN (they count as passed): \
                 PostgreSQL at {url} is not reachable ({e}). Start it, or point \
                 MAGISTRAT_TEST_PG at one; MAGISTRAT_REQUIRE_POSTGRES=1 makes this a failure."
            );
        }
        Err(e) => panic!("PostgreSQL is required but not reachable at {url}: {e}"),
    }
}

/// The `…::postgres` tests of this test binary, as its own `--list` names them.
fn postgres_tests_in_this_binary() -> usize {
    let exe = std::env::current_exe().expect("the test binary's path");
    let output = std::process::Command::new(exe)
        .args(["--list", "--format", "terse"])
        .output()
        .expect("the test binary lists its tests");
    let listing = String::from_utf8_lossy(&output.stdout);
    let count = listing
        .lines()
        .filter(|line| line.ends_with("::postgres: test"))
        .count();
    assert!(count > 0, "no PostgreSQL test found in:\n{listing}");
    count
}
