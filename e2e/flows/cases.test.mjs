// An official's working day: their own open cases, soonest deadline first (the demo
// office has cases overdue, due today and later), and the deadline calculator, which
// counts a month per KPA art. 57 and moves an end on a holiday (24 December from 2025,
// Christmas) and the weekend after it to the next working day.

import assert from 'node:assert/strict';
import { ACCOUNTS, assertVisible, byLabel, checkA11y, flow, login, screenshot, sql, submit, t, takeStep, variantName } from '../lib/index.mjs';

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
    // Written as offices write it, „3.12.2026”; compared as year-month-day.
    const date = /^(\d{1,2})\.(\d{1,2})\.(\d{4})/.exec(cell);
    assert.ok(date, `row ${i + 1} shows its due date (${cell})`);
    dues.push(`${date[3]}-${date[2].padStart(2, '0')}-${date[1].padStart(2, '0')}`);
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

// The parties of a case (KPA art. 28–33, art. 40 § 2): the official adds a party acting
// through a pełnomocnik on the demo request with several parties, sees that its letters
// go to the pełnomocnik, opens the party's edit form, and removes the party again (four
// variants share one database: each leaves the case as it found it).
flow('an official adds a party with a pełnomocnik and removes it', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  await login(page, ACCOUNTS.caseOfficial);
  const id = sql("SELECT id FROM case_file WHERE title LIKE 'Wymeldowanie z pobytu stałego na wniosek właściciela%' ORDER BY id LIMIT 1").trim();
  await page.goto(`/staff/cases/${id}`);
  const parties = page.getByRole('table', { name: t(lang, 'case-parties-caption') });
  await assertVisible(parties, 'the table of parties');
  const name = `Ewa Testowa ${variantName(variant)}`;
  await takeStep(page, lang, 'party-add', async (form) => {
    await byLabel(form, t(lang, 'case-party-kind')).selectOption('person');
    await byLabel(form, t(lang, 'case-party-form-name')).fill(name);
    await byLabel(form, t(lang, 'case-party-form-address')).fill('ul. Krótka 1\n62-300 Borowiec');
    await byLabel(form, t(lang, 'case-party-rep-name')).fill('Adam Pełnomocny');
    await byLabel(form, t(lang, 'case-party-rep-address')).fill('ul. Długa 7\n62-300 Borowiec');
    await byLabel(form, t(lang, 'case-party-rep-scope')).selectOption('special');
    await byLabel(form, t(lang, 'case-party-rep-capacity')).selectOption('yes');
    await byLabel(form, t(lang, 'case-party-rep-document')).fill('Pełnomocnictwo szczególne, oryginał w aktach');
  });
  const row = parties.locator('tr').filter({ hasText: name });
  await assertVisible(row, 'the new party in the table');
  await assertVisible(row.getByText('Adam Pełnomocny').first(), 'its pełnomocnik');
  await checkA11y(page, 'case page with several parties');
  await screenshot(page, `${shots}/case-parties`);

  // The edit form of the new party, filled with its data.
  await submit(page, row.getByRole('link', { name: new RegExp(t(lang, 'case-party-edit')) }));
  const edit = page.locator('form').filter({ has: page.getByRole('group', { name: t(lang, 'case-do-party-edit'), exact: true }) });
  assert.equal(await byLabel(edit, t(lang, 'case-party-form-name')).inputValue(), name);

  // Removed again: the button beside it, asked once more.
  const after = page.getByRole('table', { name: t(lang, 'case-parties-caption') }).locator('tr').filter({ hasText: name });
  await after.locator('details.confirm summary').click();
  await submit(page, after.getByRole('button', { name: new RegExp(t(lang, 'case-party-remove-confirm')) }));
  assert.equal(await page.getByRole('table', { name: t(lang, 'case-parties-caption') }).locator('tr').filter({ hasText: name }).count(), 0, 'the party is gone');
});
