// Lockout: after LOGIN_MAX_FAILURES wrong passwords in a row an account is locked, and
// then even the right password is refused with the same generic message. Each variant
// locks an account of its own so the others (and every other flow) are unaffected: the
// first uses the demo account `jakosc`, reserved for this, the rest accounts made with
// the CLI.

import assert from 'node:assert/strict';
import {
  ACCOUNTS, LOGIN_MAX_FAILURES, RUN_TAG, assertVisible, createAccount, flow, login, openPage, submitLogin,
  t, variantName, visit,
} from '../lib/index.mjs';

function accountFor(variant) {
  if (variantName(variant) === 'pl-desktop') return ACCOUNTS.quality;
  return createAccount(`blokada-${RUN_TAG}-${variantName(variant)}`, { roles: ['quality_officer'] });
}

flow('an account is locked after repeated wrong passwords, then the right one fails too', async ({ page, lang, variant }) => {
  const account = accountFor(variant);
  const generic = t(lang, 'login-failed');
  for (let attempt = 1; attempt <= LOGIN_MAX_FAILURES; attempt++) {
    const response = await submitLogin(page, account, { password: `Zle-haslo-nr-${attempt}-x` });
    assert.equal(response.status(), 422, `wrong password #${attempt}`);
    assert.equal((await page.getByRole('alert').innerText()).trim(), generic);
  }
  // Locked: the right password is refused, with the very same words.
  const response = await submitLogin(page, account);
  assert.equal(response.status(), 422, 'the right password must be refused while the account is locked');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal((await page.getByRole('alert').innerText()).trim(), generic);

  // The administrator sees the lock in the account list.
  const admin = await openPage(variant);
  try {
    await login(admin, ACCOUNTS.admin);
    await visit(admin, '/staff/users');
    const row = admin.getByRole('row').filter({ has: admin.getByRole('link', { name: account, exact: true }) });
    await assertVisible(row.getByRole('cell', { name: t(lang, 'users-status-locked'), exact: true }), `locked status of ${account}`);
  } finally {
    await admin.context().close();
  }
});
