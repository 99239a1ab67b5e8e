// Org structure (capability 1): the administrator adds an org unit under SA (after a
// symbol the rules refuse, with a message in their language), sees it in the tree, and
// the creation shows in the audit viewer.

import assert from 'node:assert/strict';
import {
  ACCOUNTS, RUN_TAG, assertVisible, byLabel, flow, login, screenshot, submit, t, variantName,
} from '../lib/index.mjs';

flow('an administrator adds an org unit and it appears in the audit trail', async ({ page, lang, variant }) => {
  // A section of SA with a symbol of this run and variant: SA-T<tag><n>.
  const symbol = `SA-T${RUN_TAG.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 8)}${['pl-desktop', 'en-desktop', 'pl-phone', 'en-phone'].indexOf(variantName(variant))}`;
  const name = `Referat Testowy ${variantName(variant)}`;
  await login(page, ACCOUNTS.admin);
  const nav = page.getByRole('navigation', { name: t(lang, 'nav-staff-label') });
  await submit(page, nav.getByRole('link', { name: t(lang, 'nav-org'), exact: true }));
  await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'org-title') }), 'org heading');
  await submit(page, page.getByRole('link', { name: t(lang, 'org-unit-add'), exact: true }));
  await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'org-unit-new-title') }), 'new unit heading');

  const symbolField = byLabel(page, t(lang, 'org-unit-symbol'));
  await symbolField.fill(symbol.toLowerCase());
  await byLabel(page, t(lang, 'org-unit-name')).fill(name);
  const parent = byLabel(page, t(lang, 'org-unit-parent'));
  const saValue = await parent.locator('option').evaluateAll((options) =>
    options.find((o) => o.textContent.trim().startsWith('SA —'))?.value);
  assert.ok(saValue, 'SA is offered as the parent unit');
  await parent.selectOption(saValue);

  // Lower case is refused, at the field, in words.
  let response = await submit(page, page.getByRole('button', { name: t(lang, 'form-save'), exact: true }));
  assert.equal(response.status(), 422);
  assert.equal(await symbolField.getAttribute('aria-invalid'), 'true');
  await assertVisible(page.getByRole('alert').getByRole('link').filter({ hasText: t(lang, 'org-symbol-unit-character') }), 'symbol error in the summary');
  assert.equal(await parent.inputValue(), saValue, 'the chosen parent is kept');

  await symbolField.fill(symbol);
  response = await submit(page, page.getByRole('button', { name: t(lang, 'form-save'), exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/staff/org');
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-org-unit-created') }), 'created message');
  const link = page.getByRole('link', { name: `${symbol} — ${name}`, exact: true });
  await assertVisible(link, `the new unit ${symbol} in the tree`);
  // It sits under SA in the tree.
  const underSa = page.locator('li', { has: page.getByRole('link', { name: /^SA — / }) }).getByRole('link', { name: `${symbol} — ${name}` });
  assert.equal(await underSa.count(), 1, `${symbol} is listed under SA`);
  const id = /\/staff\/org\/units\/(\d+)$/.exec(await link.getAttribute('href'))[1];
  await screenshot(page, `flows/${variantName(variant)}/org-after-create`);

  // The audit trail, filtered by entity.
  await page.goto(`/staff/audit?entity_type=org_unit&entity_id=${id}`);
  const table = page.getByRole('table', { name: t(lang, 'audit-caption') });
  await assertVisible(table, 'audit table');
  const rows = await table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.cells, (c) => c.innerText.replace(/\s+/g, ' ').trim())));
  assert.equal(rows.length, 1, `one event for the new unit: ${JSON.stringify(rows)}`);
  const [, , who, action, entity] = rows[0];
  // In words (src/audit/words.rs), not the stored codes.
  const kind = t(lang, 'audit-kind-org_unit');
  assert.equal(action, `${kind} — ${t(lang, 'audit-verb-create')}`);
  assert.ok(who.startsWith(ACCOUNTS.admin), `by admin: ${who}`);
  assert.equal(entity, `${kind} ${id}`);
  // The event keeps what was created.
  await table.locator('tbody tr details summary').first().click();
  assert.match(await table.locator('tbody tr pre').first().innerText(), new RegExp(symbol));
});
