// An official's working day: their own open cases, soonest deadline first (the demo
// office has cases overdue, due today and later), and the deadline calculator, which
// counts a month per KPA art. 57 and moves an end on a holiday (24 December from 2025,
// Christmas) and the weekend after it to the next working day.

import assert from 'node:assert/strict';
import { ACCOUNTS, assertVisible, byLabel, checkA11y, flow, login, screenshot, submit, t, variantName } from '../lib/index.mjs';

flow('an official sees their cases by deadline and computes a deadline', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  await login(page, ACCOUNTS.caseOfficial);
  await page.goto('/staff/cases');
  assert.equal(await byLabel(page, t(lang, 'case-filter-view')).inputValue(), 'mine', 'the official starts on their own cases');

  const table = page.getByRole('table', { name: t(lang, 'case-list-caption') });
  await assertVisible(table, 'the case list');
  const rows = table.locator('tbody tr');
  const count = await rows.count();
  assert.ok(count >= 2, `the demo official has several cases (${count})`);
  const dues = [];
  for (let i = 0; i < count; i += 1) {
    const cell = (await rows.nth(i).locator('td').last().innerText()).trim();
    const date = /^\d{4}-\d{2}-\d{2}/.exec(cell);
    assert.ok(date, `row ${i + 1} shows its due date (${cell})`);
    dues.push(date[0]);
  }
  assert.deepEqual(dues, [...dues].sort(), `soonest deadline first: ${dues.join(', ')}`);
  assert.ok(
    await table.getByText(`(${t(lang, 'case-overdue')})`).count() > 0,
    'an overdue case is marked as such',
  );
  await screenshot(page, `${shots}/cases-mine-by-deadline`);

  // The calculator: from 2025-11-24, one month.
  await submit(page, page.getByRole('link', { name: t(lang, 'nav-deadline'), exact: true }));
  assert.equal(new URL(page.url()).pathname, '/staff/deadline');
  await byLabel(page, t(lang, 'deadline-from')).fill('2025-11-24');
  await byLabel(page, t(lang, 'deadline-term')).fill('1m');
  await submit(page, page.getByRole('button', { name: t(lang, 'deadline-compute'), exact: true }));
  await assertVisible(
    page.getByRole('heading', { level: 2, name: `${t(lang, 'deadline-result')}: 2025-12-29` }),
    'the due date 2025-12-29 (24–26 December and the weekend skipped)',
  );
  await checkA11y(page, 'deadline calculator with a result');
  await screenshot(page, `${shots}/deadline-calculator`);
});
