// The archive (src/archive/): the head of SA closes the spis spraw of two years ago,
// hands its closed file of class 5310 (the demo's finished registrations) to the
// archiwum zakładowe and gets the spis zdawczo-odbiorczy as a page and a CSV file; the
// administrator, keeping the archive, finds the file there with its retention, and the
// demo's file of assemblies (B5, seven years ago) due for destruction.
//
// Closing a year and transferring a file happen once in an office, and the run shares
// one database: the flow runs in the first variant only (the accessibility sweep reads
// the archive's pages in every variant, e2e/pages.mjs).

import assert from 'node:assert/strict';
import { ACCOUNTS, VARIANTS, assertVisible, checkA11y, escapeRegExp, flow, login, logout, screenshot, submit, t, variantName } from '../lib/index.mjs';

flow('a year is closed and its closed file goes to the archive with a spis zdawczo-odbiorczy', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  const year = new Date().getFullYear() - 2;
  await login(page, ACCOUNTS.manager);
  await page.goto('/staff/archive');
  await assertVisible(page.getByRole('table', { name: t(lang, 'archive-years-caption') }), 'the years of the spis spraw');
  await checkA11y(page, 'the archiving page');
  // The file cannot be ticked while its year is open.
  const pick = page.getByRole('checkbox', {
    name: new RegExp(`^${escapeRegExp(t(lang, 'archive-transfer-pick'))}: 5310 .* ${year}$`),
  });
  assert.equal(await pick.count(), 0, 'a file of an open year is not offered');
  // Closing a year cannot be undone: the button asks once more.
  await page.locator('details.confirm summary').filter({ hasText: `${t(lang, 'archive-close')} ${year}` }).click();
  await submit(page, page.getByRole('button', { name: `${t(lang, 'archive-close-confirm')} ${year}`, exact: true }));
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-archive-year-closed') }), 'the year closed');
  await pick.check();
  await submit(page, page.getByRole('button', { name: t(lang, 'archive-transfer'), exact: true }));
  assert.match(new URL(page.url()).pathname, /^\/staff\/archive\/transfers\/\d+$/, 'the spis zdawczo-odbiorczy has its page');
  const spis = page.getByRole('table', { name: new RegExp(`^${escapeRegExp(t(lang, 'archive-spis-zo'))}`) });
  await assertVisible(spis.locator('tr', { hasText: 'SA.5310' }).filter({ hasText: 'B10' }), 'the file in the spis, B10');
  await checkA11y(page, 'a spis zdawczo-odbiorczy');
  await screenshot(page, `${shots}/archive-transfer`);
  const csvLink = page.getByRole('link', { name: t(lang, 'spis-download-csv'), exact: true });
  const csv = await page.request.get(await csvLink.getAttribute('href'));
  assert.equal(csv.status(), 200);
  assert.match(csv.headers()['content-type'], /^text\/csv/);
  const text = await csv.text();
  assert.ok(text.includes('SA.5310') && text.includes(`${year + 11}-01-01`), 'the CSV lists the file and its retention');
  await logout(page);

  await login(page, ACCOUNTS.admin);
  await page.goto('/staff/archive/files');
  const all = page.getByRole('table', { name: t(lang, 'archive-all-caption') });
  await assertVisible(all.locator('tr', { hasText: 'SA.5310' }).filter({ hasText: String(year) }), 'the file in the archive');
  const due = page.getByRole('table', { name: t(lang, 'archive-due-caption') });
  await assertVisible(due.locator('tr', { hasText: 'SA.5500' }), 'the assemblies due for destruction');
  await checkA11y(page, 'the archiwum zakładowe');
  await screenshot(page, `${shots}/archive-files`);
}, { variants: VARIANTS.slice(0, 1) });
