// The public case status, live: a resident files the SA-2 form and keeps the case's
// status page (/case-status) open; in another browser context the head of unit SA
// assigns the case and has it started. The resident's page follows each step without
// a reload — the status in its aria-live region and a new row of its history — through
// Server-Sent Events (static/case-status.js, GET /api/v1/cases/{code}/events).

import assert from 'node:assert/strict';
import {
  ACCOUNTS, applicantData, assertVisible, byLabel, checkA11y, fact, fileApplication, flow, login, openPage, screenshot,
  submit, t, takeStep, variantName,
} from '../lib/index.mjs';

/** The value after the <dt> `label` of the page's fact list, as a locator (it changes). */
function factLocator(page, label) {
  return page.locator(`dt:text-is("${label}") + dd`).first();
}

flow('the public case status follows the office live', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;

  // The resident files the form and opens the case's status page.
  await fileApplication(page, applicantData(`Ewa-live-${variantName(variant)}`));
  const znak = await fact(page, t(lang, 'app-znak'));
  await submit(page, page.getByRole('link', { name: t(lang, 'app-check-status'), exact: true }));
  assert.equal(new URL(page.url()).pathname, '/case-status');
  const status = factLocator(page, t(lang, 'case-status'));
  assert.equal(await status.getAttribute('aria-live'), 'polite', 'the status is a live region');
  assert.equal((await status.innerText()).trim(), t(lang, 'case-status-registered'));
  // Its entries: the rows of the history (a table's rows or a timeline's items).
  const history = page.locator('#case-history-rows > *');
  const rowsBefore = await history.count();
  // Set on this document only: still there after the steps means the page was not
  // reloaded (a reload or navigation would start a new document without it).
  await page.evaluate(() => { window.notReloaded = true; });

  // The head of unit SA, in a browser context of their own, takes two steps.
  const staff = await openPage(variant);
  try {
    await login(staff, ACCOUNTS.manager);
    await staff.goto('/staff/cases?view=unit');
    await byLabel(staff, t(lang, 'case-search')).fill(znak);
    await submit(staff, staff.getByRole('button', { name: t(lang, 'case-filter-apply'), exact: true }));
    await submit(staff, staff.getByRole('link', { name: znak, exact: true }));
    await takeStep(staff, lang, 'assign', async (form) => {
      await byLabel(form, t(lang, 'case-official')).selectOption({ label: 'Jan Kowalski' });
    });

    // The resident's page shows the new status by itself.
    await assertVisible(
      status.filter({ hasText: t(lang, 'case-status-assigned') }),
      'the assigned status on the open status page',
    );
    await assertVisible(history.nth(rowsBefore), 'a new row of the history');
    assert.ok(
      (await history.nth(rowsBefore).innerText()).includes(t(lang, 'case-status-assigned')),
      'the new history entry names the status',
    );

    await takeStep(staff, lang, 'start');
    await assertVisible(
      status.filter({ hasText: t(lang, 'case-status-in-progress') }),
      'the in-progress status on the open status page',
    );
    assert.equal(await history.count(), rowsBefore + 2, 'one history row per step');
  } finally {
    await staff.context().close();
  }
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the status page was not reloaded');
  assert.equal(new URL(page.url()).pathname, '/case-status');
  await checkA11y(page, 'case status after live updates');
  await screenshot(page, `${shots}/case-status-live`);
});
