// Throttling without lockout (docs/decisions/0023-throttling-without-lockout.md): after
// LOGIN_FREE_FAILURES wrong passwords for one account from one address, each further
// attempt from there must wait a growing delay, said on the form (429 with
// `Retry-After`); once the wait is over the right password works: no account is ever
// locked. Each variant uses an account of its own so the others (and every other flow)
// are unaffected: the first the demo account `jakosc`, reserved for this, the rest
// accounts made with the CLI.

import assert from 'node:assert/strict';
import {
  ACCOUNTS, LOGIN_FREE_FAILURES, RUN_TAG, assertVisible, createAccount, flow, login, openPage, submitLogin,
  t, variantName, visit,
} from '../lib/index.mjs';

function accountFor(variant) {
  if (variantName(variant) === 'pl-desktop') return ACCOUNTS.quality;
  return createAccount(`blokada-${RUN_TAG}-${variantName(variant)}`, { roles: ['quality_officer'] });
}

flow('repeated wrong passwords slow the guesser with a stated wait, and never lock the account', async ({ page, lang, variant }) => {
  const account = accountFor(variant);
  const generic = t(lang, 'login-failed');
  for (let attempt = 1; attempt <= LOGIN_FREE_FAILURES; attempt++) {
    const response = await submitLogin(page, account, { password: `Zle-haslo-nr-${attempt}-x` });
    assert.equal(response.status(), 422, `wrong password #${attempt}`);
    assert.equal((await page.getByRole('alert').innerText()).trim(), generic);
  }
  // From here each failure doubles the wait (1 s, 2 s, …): keep guessing until a try
  // comes before its wait is over, as a script would.
  let slowed = null;
  for (let attempt = LOGIN_FREE_FAILURES + 1; attempt <= LOGIN_FREE_FAILURES + 12 && !slowed; attempt++) {
    const response = await submitLogin(page, account, { password: `Zle-haslo-nr-${attempt}-x` });
    if (response.status() === 429) slowed = response;
    else assert.equal(response.status(), 422, `wrong password #${attempt}`);
  }
  assert.ok(slowed, 'growing delays must answer 429 to a fast guesser');
  const seconds = Number(slowed.headers()['retry-after']);
  assert.ok(seconds >= 1 && seconds <= 120, `Retry-After ${seconds}`);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal((await page.getByRole('alert').innerText()).trim(), t(lang, 'login-wait', { seconds }));

  // Once the wait is over the right password works: a delay, not a lock.
  await page.waitForTimeout(seconds * 1000 + 300);
  await login(page, account);

  // The administrator's list shows the account as active.
  const admin = await openPage(variant);
  try {
    await login(admin, ACCOUNTS.admin);
    await visit(admin, '/staff/users');
    const row = admin.getByRole('row').filter({ has: admin.getByRole('link', { name: account, exact: true }) });
    await assertVisible(row.getByRole('cell', { name: t(lang, 'users-status-active'), exact: true }), `active status of ${account}`);
  } finally {
    await admin.context().close();
  }
});
