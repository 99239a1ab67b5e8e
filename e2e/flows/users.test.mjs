// Account administration, end to end: the administrator creates an account with a
// role (after a refused weak password), finds it in the list, disables it, the
// disabled account cannot sign in, and both changes show in the audit viewer.

import assert from 'node:assert/strict';
import {
  ACCOUNTS, RUN_TAG, assertVisible, byLabel, flow, login, openPage, screenshot, submit, submitLogin, t, variantName,
} from '../lib/index.mjs';

flow('an administrator creates an account, disables it, and the audit trail shows both', async ({ page, lang, variant }) => {
  const account = `e2e-${RUN_TAG}-${variantName(variant)}`;
  const fullName = `Testowa Użytkowniczka ${variantName(variant)}`;
  const password = 'Zielony-Kasztan-2026!';
  await login(page, ACCOUNTS.admin);
  const nav = page.getByRole('navigation', { name: t(lang, 'nav-staff-label') });
  await submit(page, nav.getByRole('link', { name: t(lang, 'nav-users'), exact: true }));
  await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'users-title') }), 'users heading');
  await submit(page, page.getByRole('link', { name: t(lang, 'users-add'), exact: true }));
  assert.equal(new URL(page.url()).pathname, '/staff/users/new');

  const field = (key) => byLabel(page, t(lang, key));
  await field('user-field-login').fill(account);
  await field('user-field-name').fill(fullName);
  await field('user-field-email').fill(`${account}@borowiec.example.pl`);
  await field('user-field-password').fill('krotkie');
  const role = page.getByRole('checkbox', { name: t(lang, 'role-case-official'), exact: true });
  await role.check();
  // The scope select that belongs to this role (each role has its own).
  const roleBlock = page.locator('.role-choice').filter({ has: role });
  await roleBlock.getByRole('combobox').selectOption({ label: 'SA' });

  // A weak password: the form comes back with an error summary and the field marked.
  let response = await submit(page, page.getByRole('button', { name: t(lang, 'form-save'), exact: true }));
  assert.equal(response.status(), 422);
  await assertVisible(page.getByRole('alert').getByRole('heading', { name: t(lang, 'form-error-summary') }), 'error summary');
  const passwordField = field('user-field-password');
  assert.equal(await passwordField.getAttribute('aria-invalid'), 'true');
  // The message says what is wrong, in the person's language (not a message id).
  const describedBy = (await passwordField.getAttribute('aria-describedby')) || '';
  const errorId = describedBy.split(/\s+/).find((id) => id.endsWith('-error'));
  assert.ok(errorId, `the password field's error is tied to it (aria-describedby="${describedBy}")`);
  // Checked softly: a wrong message is reported at the end, the flow goes on.
  const shown = (await page.locator(`[id="${errorId}"]`).innerText()).trim();
  const later = [];
  if (shown !== t(lang, 'password-too-short')) {
    later.push(`the weak-password message reads "${shown}", expected "${t(lang, 'password-too-short')}"`);
  }
  // What was typed is kept, except the password; the role choice too.
  assert.equal(await field('user-field-login').inputValue(), account);
  assert.ok(await role.isChecked(), 'the role stays checked');
  await screenshot(page, `flows/${variantName(variant)}/user-form-errors`);
  // The summary's link leads to the field.
  await page.getByRole('alert').getByRole('link').first().click();
  assert.equal(await page.evaluate(() => location.hash), '#f-password');

  await passwordField.fill(password);
  response = await submit(page, page.getByRole('button', { name: t(lang, 'form-save'), exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/staff/users');
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-user-created') }), 'created message');

  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: account, exact: true }) });
  await assertVisible(row, `row of ${account}`);
  await assertVisible(row.getByRole('cell', { name: fullName, exact: true }), 'full name');
  await assertVisible(row.getByRole('cell', { name: `${t(lang, 'role-case-official')} (SA)`, exact: true }), 'role with scope');
  await assertVisible(row.getByRole('cell', { name: t(lang, 'users-status-active'), exact: true }), 'active status');
  const href = await row.getByRole('link', { name: account, exact: true }).getAttribute('href');
  const id = /\/staff\/users\/(\d+)$/.exec(href)[1];

  // Disable it: asked once more first (the button is behind the question).
  await row.getByText(t(lang, 'users-disable-ask', { login: account }), { exact: true }).click();
  await assertVisible(row.getByText(t(lang, 'users-disable-warning'), { exact: true }), 'the warning');
  await submit(page, row.getByRole('button', { name: t(lang, 'users-disable', { login: account }), exact: true }));
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-user-disabled') }), 'disabled message');
  await assertVisible(row.getByRole('cell', { name: t(lang, 'users-status-disabled'), exact: true }), 'disabled status');
  await assertVisible(row.getByRole('button', { name: t(lang, 'users-enable', { login: account }), exact: true }), 'enable button');
  await screenshot(page, `flows/${variantName(variant)}/users-after-disable`);

  // The disabled account cannot sign in, and is told nothing more than anyone else.
  const other = await openPage(variant);
  try {
    const refused = await submitLogin(other, account, { password });
    assert.equal(refused.status(), 422);
    assert.equal((await other.getByRole('alert').innerText()).trim(), t(lang, 'login-failed'));
  } finally {
    await other.context().close();
  }

  // The audit viewer, filtered as a person would: entity type and id.
  await submit(page, nav.getByRole('link', { name: t(lang, 'nav-audit'), exact: true }));
  const filters = page.getByRole('search', { name: t(lang, 'audit-filters') });
  await byLabel(filters, t(lang, 'audit-filter-entity-type')).selectOption('user');
  await byLabel(filters, t(lang, 'audit-filter-entity-id')).fill(id);
  await submit(page, filters.getByRole('button', { name: t(lang, 'audit-filter-submit'), exact: true }));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('entity_type'), 'user');
  assert.equal(url.searchParams.get('entity_id'), id);
  const table = page.getByRole('table', { name: t(lang, 'audit-caption') });
  await assertVisible(table, 'audit table');
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.cells, (c) => c.innerText.replace(/\s+/g, ' ').trim())));
  // Actions in words (src/audit/words.rs): „<kind> — <what was done>”.
  const kind = t(lang, 'audit-kind-user');
  const created = `${kind} — ${t(lang, 'audit-verb-create')}`;
  const disabled = `${kind} — ${t(lang, 'audit-verb-disable')}`;
  const actions = rows.map((r) => r[3]);
  const changes = rows.filter((r) => r[3] === created || r[3] === disabled);
  assert.deepEqual(changes.map((r) => r[3]), [disabled, created], `actions shown: ${actions}`);
  for (const r of changes) {
    assert.ok(r[2].startsWith(ACCOUNTS.admin), `done by admin: ${r[2]}`);
    assert.equal(r[4], `${kind} ${id}`);
  }
  // The refused sign-in of the disabled account is there too, by an anonymous visitor.
  const refusal = rows.find((r) => r[3] === `${kind} — ${t(lang, 'audit-verb-login_failed')}`);
  assert.ok(refusal, `login_failed recorded: ${actions}`);
  assert.ok(refusal[2].startsWith(t(lang, 'audit-actor-anonymous')), `refused sign-in recorded as anonymous: ${refusal[2]}`);
  await screenshot(page, `flows/${variantName(variant)}/audit-user`);
  assert.deepEqual(later, [], 'problems found on the way');
});
