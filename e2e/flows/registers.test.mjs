// The correspondence registers as the front desk uses them (issue 15, "Lists"): a
// column header sorts the register (aria-sort says which, the rows follow, the filters
// stay), the next page continues the same order, and the CSV download holds the rows
// in that order (BOM, `;`). An official of SA picking a JRWA class sees their unit's
// classes first.

import assert from 'node:assert/strict';
import { ACCOUNTS, assertVisible, checkA11y, flow, login, screenshot, submit, t, variantName } from '../lib/index.mjs';

/** The text of a download. */
async function downloaded(download) {
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

flow('the front desk sorts the incoming register, pages it and downloads it as CSV', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  await login(page, ACCOUNTS.frontDesk);
  await page.goto('/staff/correspondence');
  const table = page.getByRole('table', { name: t(lang, 'corr-incoming-caption') });
  await assertVisible(table, 'the register');
  await assertVisible(page.locator('th[aria-sort="descending"]', { hasText: t(lang, 'corr-register-number') }), 'newest first by default');

  // Sort by the sender: the header says so, the rows follow (the server's order).
  await submit(page, page.getByRole('columnheader', { name: new RegExp(t(lang, 'corr-sender')) }).getByRole('link'));
  assert.equal(new URL(page.url()).searchParams.get('sort'), 'sender');
  await assertVisible(page.locator('th[aria-sort="ascending"]', { hasText: t(lang, 'corr-sender') }), 'the sorted column');
  const senders = await table.locator('tbody tr td:nth-child(4)').allInnerTexts();
  assert.ok(senders.length > 1, 'several items listed');
  await checkA11y(page, 'the register sorted by sender');
  await screenshot(page, `${shots}/register-sorted`);

  // A filter keeps the order.
  await page.getByLabel(t(lang, 'corr-channel')).selectOption('post');
  await submit(page, page.getByRole('button', { name: t(lang, 'corr-filter-submit'), exact: true }));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('sort'), 'sender');
  assert.equal(url.searchParams.get('channel'), 'post');
  await assertVisible(page.locator('th[aria-sort="ascending"]', { hasText: t(lang, 'corr-sender') }), 'still sorted after filtering');
  const shown = await table.locator('tbody tr td:nth-child(4)').allInnerTexts();

  // The CSV holds the rows shown, in the same order.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: t(lang, 'list-export-csv') }).click(),
  ]);
  const text = await downloaded(download);
  assert.ok(text.startsWith('\uFEFF'), 'the CSV starts with a byte-order mark');
  const lines = text.slice(1).split('\r\n').filter((l) => l !== '');
  assert.ok(lines[0].startsWith(`${t(lang, 'corr-register-number')};`), lines[0]);
  const csvSenders = lines.slice(1).map((l) => l.split(';')[3]);
  assert.deepEqual(csvSenders, shown.map((s) => s.trim()), 'the file in the order of the page');
});

flow('an official picks a JRWA class among their unit’s first', async ({ page, lang }) => {
  await login(page, ACCOUNTS.caseOfficial);
  await page.goto('/staff/cases/new');
  const own = page.locator(`select[name="jrwa_symbol"] optgroup[label="${t(lang, 'jrwa-group-own')}"] option`);
  assert.ok((await own.count()) > 0, 'the unit’s classes offered as a group');
  const first = await page.locator('select[name="jrwa_symbol"] optgroup').first().getAttribute('label');
  assert.equal(first, t(lang, 'jrwa-group-own'), 'the unit’s group comes first');
  await checkA11y(page, 'the case form with grouped classes');
});
