// Session expiry: a staff session idle for longer than session_idle_minutes ends; the
// next staff page sends the person to the login page with a "session expired" notice
// and, after signing in again, back where they were. The idle time is simulated by
// moving the session's last_seen_at into the past in the database.

import assert from 'node:assert/strict';
import { ACCOUNTS, ageSession, assertVisible, flow, login, sessionToken, t, visit } from '../lib/index.mjs';

flow('an idle session expires and the login page says so', async ({ page, lang }) => {
  await login(page, ACCOUNTS.hr);
  await visit(page, '/staff');
  await ageSession(page);

  await page.reload();
  const url = new URL(page.url());
  assert.equal(url.pathname, '/login');
  assert.equal(url.searchParams.get('next'), '/staff');
  assert.equal(url.searchParams.get('expired'), '1');
  const notice = page.getByRole('status').filter({ hasText: t(lang, 'login-session-expired') });
  await assertVisible(notice, 'session-expired notice');
  // The ended session's cookie is gone.
  assert.equal(await sessionToken(page), null);

  await login(page, ACCOUNTS.hr);
  assert.equal(new URL(page.url()).pathname, '/staff');
});
