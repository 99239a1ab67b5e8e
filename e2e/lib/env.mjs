// What e2e/run hands to the tests, read once. Every value comes from the environment so
// that a test file can also be run by hand against a server you started yourself:
//   E2E_BASE_URL=http://127.0.0.1:8080 E2E_PASSWORD=... node --test flows/login.test.mjs

import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = path.resolve(E2E_DIR, '..');

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests through e2e/run (see e2e/README.md)`);
  }
  return value;
}

/** The server under test, without a trailing slash. */
export const BASE_URL = required('E2E_BASE_URL').replace(/\/$/, '');

/** The password every demo account shares (MAGISTRAT_DEMO_PASSWORD of the seed). */
export const PASSWORD = required('E2E_PASSWORD');

/** sqlite://PATH or postgres://… — the database the server uses (for the few checks
 *  that must reach behind the UI, such as ageing a session). */
export const DATABASE_URL = required('E2E_DATABASE_URL');

/** The magistrat binary (for CLI set-up steps such as creating a throwaway account). */
export const MAGISTRAT_BIN = process.env.E2E_MAGISTRAT_BIN || path.join(REPO_DIR, 'target/release/magistrat');

/** Screenshots and failure pictures go here (gitignored). */
export const ARTIFACTS_DIR = process.env.E2E_ARTIFACTS || path.join(E2E_DIR, 'artifacts');

/** Debian's Chromium. */
export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

/** Login settings the server was started with (e2e/run sets both sides). */
export const LOGIN_FREE_FAILURES = Number(process.env.E2E_LOGIN_FREE_FAILURES || 3);

/** A short random tag for names a test creates, unique per run and per process. */
export const RUN_TAG = (process.env.E2E_RUN_TAG || Date.now().toString(36)).toLowerCase();

/** The demo accounts (src/demo.rs) and what each one is for in these tests. */
export const ACCOUNTS = {
  admin: 'admin', // administrator: users, audit, org
  manager: 'kierownik', // manager scoped to unit SA
  caseOfficial: 'urzednik', // case_official: staff area, no administration
  frontDesk: 'obsluga',
  bipEditor: 'redaktor', // reserved for the wrong-password flow (its failure counter)
  quality: 'jakosc', // reserved for the throttling flow: do not sign in with it elsewhere
  security: 'bezpieczenstwo', // security officer: reads the audit trail
  hr: 'kadry',
};
