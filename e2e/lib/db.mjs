// Reaching behind the UI, for the few set-ups a browser cannot make quickly: ageing a
// session past its idle timeout, creating a throwaway account with the CLI. Works on
// both backends: SQLite through Debian's sqlite3, PostgreSQL through psql.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { DATABASE_URL, MAGISTRAT_BIN, PASSWORD } from './env.mjs';

export const isPostgres = /^postgres(ql)?:\/\//.test(DATABASE_URL);

/** The file of a sqlite:// URL (as src/db/mod.rs reads it). */
function sqlitePath(url) {
  const rest = url.replace(/^sqlite:(\/\/)?/, '');
  return rest.split('?')[0];
}

/** Runs one SQL statement on the server's database; returns its output as text. */
export function sql(statement) {
  if (isPostgres) {
    return execFileSync('psql', [DATABASE_URL, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement], { encoding: 'utf8' });
  }
  return execFileSync('sqlite3', ['-cmd', '.timeout 10000', sqlitePath(DATABASE_URL), statement], { encoding: 'utf8' });
}

/** SHA-256 of a session token: what the `session` table keeps (src/auth/secret.rs). */
export const tokenHash = (token) => createHash('sha256').update(token).digest('hex');

/** The session cookie of the page's context, or null when signed out. */
export async function sessionToken(page) {
  const cookies = await page.context().cookies();
  const cookie = cookies.find((c) => c.name === 'magistrat_session' && c.value);
  return cookie ? cookie.value : null;
}

/**
 * Makes the page's session look idle for a day, as if the person had left the desk:
 * its next request finds the session past `session_idle_minutes`. Only this session
 * is touched (by its token's hash), so tests running beside it are unaffected.
 */
export async function ageSession(page) {
  const token = await sessionToken(page);
  if (!token) throw new Error('the page has no session cookie to age');
  const hash = tokenHash(token);
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error('unexpected token hash');
  const past = isPostgres ? "now() - interval '1 day'" : "'2000-01-01T00:00:00.000000Z'";
  const changed = sql(
    `UPDATE session SET last_seen_at = ${past} WHERE token_hash = '${hash}' RETURNING token_hash;`,
  ).trim();
  if (changed !== hash) throw new Error(`no session row for this cookie (got "${changed}")`);
}

/**
 * Creates a staff account with the CLI (`magistrat user add`), for flows that need an
 * account of their own, e.g. one to lock out. The password is the demo password unless
 * given (the password policy refuses one that contains a word of the login or name).
 * Roles: administrator, manager, case_official, front_desk_official, bip_editor,
 * quality_officer, security_officer, hr.
 */
export function createAccount(login, { name = 'Konto Testowe', roles = ['case_official'], password = PASSWORD } = {}) {
  const args = ['user', 'add', '--database-url', DATABASE_URL, '--login', login, '--name', name];
  for (const role of roles) args.push('--role', role);
  execFileSync(MAGISTRAT_BIN, args, {
    input: `${password}\n`,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, MAGISTRAT_LOG: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return login;
}

/**
 * Opens the location around the clock on every weekday, so flows can take tickets and
 * book whatever the real time. An upsert, not delete-and-insert: the service-point,
 * booking and rating flows run side by side on one database.
 */
export function openAroundTheClock(locationId) {
  for (let day = 1; day <= 7; day += 1) {
    sql(`INSERT INTO location_hours (location_id, weekday, opens, closes) VALUES (${locationId}, ${day}, '00:00', '23:59') `
      + "ON CONFLICT (location_id, weekday) DO UPDATE SET opens = '00:00', closes = '23:59'");
  }
}
