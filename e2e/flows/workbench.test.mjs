// A head of unit's morning (issue 15): the workbench counts today's work and each count
// opens the list it counted; the list sorts by a column header (aria-sort says which,
// and the order is the server's), downloads as CSV for a spreadsheet (BOM, `;`), and
// several cases are assigned to one official at once. A form sent back with errors is
// titled „Błąd: …” and its error summary has the focus.

import assert from 'node:assert/strict';
import { ACCOUNTS, assertVisible, byLabel, checkA11y, flow, login, screenshot, submit, t, variantName } from '../lib/index.mjs';

flow('a head works from the workbench: counts, sorting, CSV and bulk assignment', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  await login(page, ACCOUNTS.manager);
  await page.goto('/staff');
  await assertVisible(page.getByRole('heading', { level: 2, name: t(lang, 'workbench-today') }), 'the workbench');
  await checkA11y(page, 'workbench');
  await screenshot(page, `${shots}/workbench`);

  // The unassigned count opens the list of exactly those cases.
  const count = page.locator('.count a', { hasText: t(lang, 'workbench-unassigned') });
  const n = Number((await count.locator('.count-n').innerText()).trim());
  await submit(page, count);
  assert.equal(new URL(page.url()).searchParams.get('view'), 'unassigned');
  const table = page.getByRole('table', { name: t(lang, 'case-list-caption') });
  if (n > 0) assert.equal(await table.locator('tbody tr').count(), Math.min(n, 50), 'the list holds what the count counted');

  // Sorting by the subject: the header says so, and the rows follow.
  await page.goto('/staff/cases?view=unit&status=open');
  const subject = page.getByRole('columnheader', { name: new RegExp(t(lang, 'case-column-title')) });
  await submit(page, subject.getByRole('link'));
  await assertVisible(page.locator('th[aria-sort="ascending"]', { hasText: t(lang, 'case-column-title') }), 'the sorted column');
  const titles = await page.locator('tbody tr td:nth-child(3)').allInnerTexts();
  assert.ok(titles.length > 1, 'several cases listed');
  await submit(page, page.getByRole('columnheader', { name: new RegExp(t(lang, 'case-column-title')) }).getByRole('link'));
  await assertVisible(page.locator('th[aria-sort="descending"]'), 'sorted the other way');

  // The CSV download.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: t(lang, 'list-export-csv') }).click(),
  ]);
  const stream = await download.createReadStream();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  assert.ok(text.startsWith('\uFEFF'), 'the CSV starts with a byte-order mark');
  assert.ok(text.split('\r\n')[0].includes(`${t(lang, 'case-column-znak')};${t(lang, 'case-column-title')}`), 'semicolons between the headers');

  // Nothing ticked: the form comes back titled as an error, the summary focused.
  const official = byLabel(page, t(lang, 'case-bulk-official'));
  await official.selectOption({ index: 1 });
  const assign = page.getByRole('button', { name: t(lang, 'case-bulk-submit'), exact: true });
  const refused = await submit(page, assign);
  assert.equal(refused.status(), 422);
  assert.ok((await page.title()).startsWith(`${t(lang, 'form-error-title')}: `), await page.title());
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary');
  await checkA11y(page, 'bulk assignment with its error');

  // Two cases ticked and assigned to the official.
  const boxes = page.locator('tbody input[type="checkbox"]');
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await byLabel(page, t(lang, 'case-bulk-official')).selectOption({ label: 'Jan Kowalski' });
  const done = await submit(page, page.getByRole('button', { name: t(lang, 'case-bulk-submit'), exact: true }));
  assert.equal(done.status(), 200);
  await assertVisible(page.getByText(t(lang, 'flash-case-bulk-assigned')), 'the assignment confirmed');
  await screenshot(page, `${shots}/cases-bulk-assigned`);
});
