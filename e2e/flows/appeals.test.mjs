// After the decision: the demo's decision in the case "ul. Leśna 9" was delivered today;
// the official registers the party's appeal lodged through the gmina (KPA art. 129 § 1)
// from the case's akta, sees the organ's last day to forward it (art. 133: 7 days) in
// the list of appeals to forward, forwards it with the case file in time, and the
// metryka (art. 66a) lists the appeal's receipt and its forwarding.

import assert from 'node:assert/strict';
import { ACCOUNTS, assertVisible, byLabel, checkA11y, flow, login, screenshot, submit, t, variantName } from '../lib/index.mjs';

/** Today in the office's time zone, as `<input type="date">` writes it. */
function todayInWarsaw() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw' }).format(new Date());
}

flow('an appeal against a delivered decision is registered and forwarded in time', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  await login(page, ACCOUNTS.caseOfficial);
  await page.goto('/staff/appeals?view=mine');
  const row = page.getByRole('row').filter({ hasText: 'Wymeldowanie z pobytu stałego, ul. Leśna 9' });
  assert.equal(await row.count(), 0, 'nothing to forward in that case yet');
  await page.goto('/staff/cases');
  const caseRow = page.getByRole('row').filter({ hasText: 'ul. Leśna 9' });
  await submit(page, caseRow.getByRole('link').first());
  // The flow runs in every language and device against one database: each run adds its
  // own appeal, so the metryka is counted before and after.
  const casePath = new URL(page.url()).pathname;
  const metryka = async () => {
    await page.goto(`${casePath}/metryka`);
    const table = page.getByRole('table', { name: t(lang, 'metryka-caption') });
    const counts = {};
    for (const key of ['metryka-act-appeal-received', 'metryka-act-appeal-forwarded']) {
      counts[key] = await table.locator('tr').filter({ hasText: t(lang, key) }).count();
    }
    return counts;
  };
  const before = await metryka();
  await page.goto(casePath);
  await submit(page, page.getByRole('link', { name: t(lang, 'akta-open'), exact: true }));
  await submit(page, page.getByRole('main').getByRole('link', { name: t(lang, 'appeal-link'), exact: true }));
  assert.match(new URL(page.url()).pathname, /^\/staff\/cases\/\d+\/appeals$/);

  await byLabel(page, t(lang, 'appeal-kind')).selectOption('appeal');
  const decision = byLabel(page, t(lang, 'appeal-decision'));
  await decision.selectOption({ index: 1 });
  await byLabel(page, t(lang, 'appeal-lodged-by')).fill('Zbigniew Adamczyk');
  await byLabel(page, t(lang, 'appeal-received-on')).fill(todayInWarsaw());
  await byLabel(page, t(lang, 'appeal-higher-body')).fill('Samorządowe Kolegium Odwoławcze w Kaliszu');
  await checkA11y(page, 'the case\'s appeals with the form');
  await submit(page, page.getByRole('button', { name: t(lang, 'appeal-register'), exact: true }));
  const appeal = new URL(page.url()).pathname;
  assert.match(appeal, /^\/staff\/appeals\/\d+$/, 'the appeal has its own page');
  await assertVisible(page.getByText(t(lang, 'appeal-in-term'), { exact: true }), 'lodged in the party\'s term');
  await assertVisible(page.getByText(t(lang, 'appeal-disposition-pending'), { exact: true }), 'waiting to be forwarded');
  await checkA11y(page, 'an appeal waiting to be forwarded');
  await screenshot(page, `${shots}/appeal-pending`);

  // In the official's list of what to forward, by the organ's last day.
  await page.goto('/staff/appeals?view=mine');
  const list = page.getByRole('table', { name: t(lang, 'appeal-list-caption') });
  await assertVisible(list.locator(`a[href="${appeal}"]`), 'the appeal in the list to forward');
  await checkA11y(page, 'the list of appeals to forward');

  // Forwarded with the case file today: in time (art. 133).
  await page.goto(appeal);
  await byLabel(page, t(lang, 'appeal-action')).selectOption('forward');
  await submit(page, page.getByRole('button', { name: t(lang, 'appeal-dispose-save'), exact: true }));
  await assertVisible(page.getByText(t(lang, 'appeal-disposition-forwarded'), { exact: false }), 'forwarded');
  assert.equal(await page.getByText(t(lang, 'appeal-disposed-late'), { exact: true }).count(), 0, 'not late');
  await screenshot(page, `${shots}/appeal-forwarded`);

  const after = await metryka();
  for (const key of Object.keys(before)) {
    assert.equal(after[key], before[key] + 1, `the metryka lists "${t(lang, key)}" once more`);
  }
});
