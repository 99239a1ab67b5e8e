// A letter of a case from draft to dispatch: the official drafts a notice of initiation
// (KPA art. 61 § 4) from the office's template in case 1, the head of unit accepts it,
// signs it by hand and sends it by registered post; the case's metryka (KPA art. 66a)
// then lists each act with the person and the letter's identifier.

import assert from 'node:assert/strict';
import { ACCOUNTS, assertVisible, byLabel, checkA11y, flow, login, logout, screenshot, submit, t, variantName } from '../lib/index.mjs';

flow('a letter is drafted, accepted, signed and sent, and the metryka records it', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  await login(page, ACCOUNTS.caseOfficial);
  await page.goto('/staff/cases/1');
  await submit(page, page.getByRole('link', { name: t(lang, 'akta-open'), exact: true }));
  assert.equal(new URL(page.url()).pathname, '/staff/cases/1/documents');
  await submit(page, page.getByRole('link', { name: t(lang, 'letter-new'), exact: true }));
  const template = byLabel(page, t(lang, 'letter-template'));
  const option = template.locator('option', { hasText: t(lang, 'letter-kind-initiation-notice') });
  await template.selectOption(await option.first().getAttribute('value'));
  await submit(page, page.getByRole('button', { name: t(lang, 'letter-draft'), exact: true }));
  const letter = new URL(page.url()).pathname;
  assert.match(letter, /^\/staff\/letters\/\d+$/, 'the draft has its own page');
  const identifier = (await page.locator('h1 .muted').innerText()).trim();
  assert.match(identifier, /\/\d+$/, `the letter's identifier is the znak and its number (${identifier})`);
  await checkA11y(page, 'the draft of a letter');
  await screenshot(page, `${shots}/letter-draft`);
  // The official is not authorised to accept letters of this class.
  assert.equal(await page.getByRole('button', { name: t(lang, 'letter-accept'), exact: true }).count(), 0);
  await logout(page);

  await login(page, ACCOUNTS.manager);
  await page.goto(letter);
  await submit(page, page.getByRole('button', { name: t(lang, 'letter-accept'), exact: true }));
  await assertVisible(page.getByText(t(lang, 'letter-state-accepted'), { exact: true }), 'the letter accepted');
  await byLabel(page, t(lang, 'letter-signature-method')).selectOption('handwritten');
  await submit(page, page.getByRole('button', { name: t(lang, 'letter-sign'), exact: true }));
  await assertVisible(page.getByText(t(lang, 'letter-state-signed'), { exact: true }), 'the letter signed');
  await byLabel(page, t(lang, 'corr-out-channel')).selectOption('post');
  await submit(page, page.getByRole('button', { name: t(lang, 'letter-dispatch'), exact: true }));
  await assertVisible(page.getByText(t(lang, 'letter-state-dispatched'), { exact: true }), 'the letter sent');
  await checkA11y(page, 'a letter sent');
  await screenshot(page, `${shots}/letter-sent`);

  await page.goto('/staff/cases/1/metryka');
  const table = page.getByRole('table', { name: t(lang, 'metryka-caption') });
  await assertVisible(table, 'the metryka');
  for (const key of [
    'metryka-act-document-drafted',
    'metryka-act-document-accepted',
    'metryka-act-document-signed',
    'metryka-act-document-sent',
  ]) {
    const rows = table.locator('tr', { hasText: identifier }).filter({ hasText: t(lang, key) });
    assert.ok((await rows.count()) === 1, `the metryka lists "${t(lang, key)}" for ${identifier}`);
  }
  assert.ok(
    (await table.locator('tr', { hasText: identifier }).filter({ hasText: 'Zielińska Barbara' }).count()) >= 3,
    'the head is named in the acts she took',
  );
  await checkA11y(page, 'the metryka');
  await screenshot(page, `${shots}/metryka`);
});
