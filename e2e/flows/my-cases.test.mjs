// Resident accounts, end to end: a resident files an application, asks at „Moje
// sprawy” for a sign-in link, opens the link from the mail (read from the server log,
// where mail goes without an SMTP server), signs in with the link page's button, finds
// the case in their list and opens its status, and signs out. The pages pass axe.

import assert from 'node:assert/strict';
import {
  RUN_TAG, applicantData, assertVisible, byLabel, checkA11y, fileApplication, flow, latestSignInLink,
  screenshot, submit, t, variantName,
} from '../lib/index.mjs';

flow('a resident signs in by an e-mail link and sees their own cases', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  const email = `ewa.${RUN_TAG}.${variantName(variant)}@example.pl`;

  await fileApplication(page, { ...applicantData('Ewa'), email });
  const znak = (await page.locator(`dt:text-is("${t(lang, 'app-znak')}") + dd`).first().innerText()).trim();
  assert.match(znak, /^SA\.5311\.\d+\.\d{4}$/, `znak sprawy: ${znak}`);

  // From the confirmation to „Moje sprawy”: the sign-in form.
  await submit(page, page.getByRole('link', { name: t(lang, 'app-my-cases'), exact: true }));
  assert.equal(new URL(page.url()).pathname, '/my-cases');
  await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'resident-title') }), 'my cases heading');
  await checkA11y(page, 'my cases: sign-in form');
  await byLabel(page, t(lang, 'resident-email')).fill(email);
  const sent = await submit(page, page.getByRole('button', { name: t(lang, 'resident-send'), exact: true }));
  assert.equal(sent.status(), 200);
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'resident-sent-heading') }), 'link sent');
  await screenshot(page, `${shots}/my-cases-link-sent`);

  // The link from the mail: a page with a button (a mail scanner opening it signs
  // nobody in), then the list.
  const link = await latestSignInLink(email);
  await page.goto(link);
  await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'resident-link-title') }), 'link page');
  await checkA11y(page, 'my cases: link page');
  await submit(page, page.getByRole('button', { name: t(lang, 'resident-link-submit'), exact: true }));
  assert.equal(new URL(page.url()).pathname, '/my-cases');
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-resident-signed-in') }), 'signed in');
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: znak, exact: true }) });
  await assertVisible(row, `the case ${znak} in the list`);
  assert.equal(await page.getByRole('link', { name: /^SA\.5311\./ }).count(), 1, 'only this resident\'s case');
  await checkA11y(page, 'my cases: the list');
  await screenshot(page, `${shots}/my-cases-list`);

  // The case's status page, then back and out.
  await submit(page, page.getByRole('link', { name: znak, exact: true }));
  await assertVisible(page.getByRole('heading', { level: 2, name: znak }), 'the znak on the status page');
  await page.goto('/my-cases');
  await submit(page, page.getByRole('button', { name: t(lang, 'resident-sign-out'), exact: true }));
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-resident-signed-out') }), 'signed out');
  await assertVisible(byLabel(page, t(lang, 'resident-email')), 'the sign-in form again');

  // The link was used: it works no more.
  const again = await page.goto(link);
  assert.equal(again.status(), 410);
  await assertVisible(page.getByText(t(lang, 'resident-link-gone')), 'used link explained');
});
