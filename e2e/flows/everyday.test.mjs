// What residents meet every day (issue 15): the catalogue finds the matter by the
// words people use — inflected, begun, or only in the card's keywords — best match
// first, with one message and suggestions when nothing fits; after filing, the
// confirmation says what happens next in plain words and comes by e-mail (read from
// the server's mail log, as e2e/lib/mail.mjs does for sign-in links).

import assert from 'node:assert/strict';
import {
  applicantData, assertVisible, byLabel, checkA11y, fileApplication, flow, latestMail, screenshot, submit, t,
  variantName,
} from '../lib/index.mjs';

/** Searches the catalogue for `words` and returns the found cards' link texts. */
async function search(page, lang, words) {
  await page.goto('/services');
  await byLabel(page, t(lang, 'sc-search-label')).fill(words);
  await submit(page, page.getByRole('button', { name: t(lang, 'sc-search'), exact: true }));
  return page.locator('#results a').allInnerTexts();
}

flow('a resident finds the matter by everyday words', async ({ page, lang, variant }) => {
  for (const [words, first] of [
    ['meldunek', 'SA-1'],
    ['zameldowanie', 'SA-1'],
    ['odpady', 'GK-2'],
    ['podatki', 'FN-I-2'],
    ['wycinka', 'GK-1'],
    ['akt urodzenia', 'USC-1'],
  ]) {
    const found = await search(page, lang, words);
    assert.ok(found.length > 0, `"${words}" finds nothing`);
    assert.match(found[0].trim(), new RegExp(`^${first}\\s`), `"${words}" first: ${found[0]}`);
  }
  await checkA11y(page, 'catalogue search results');

  // Nothing found: one message naming the words, and the most used matters.
  const none = await search(page, lang, 'xyzzy');
  assert.equal(none.length, 0);
  await assertVisible(page.getByRole('status').filter({ hasText: 'xyzzy' }), 'the one empty-result message');
  assert.equal(await page.getByRole('status').count(), 1, 'one message, not two');
  await assertVisible(page.getByRole('heading', { level: 2, name: t(lang, 'sc-suggestions') }), 'suggestions');
  assert.equal(await page.locator('#suggestions a').count(), 5);
  await checkA11y(page, 'catalogue with nothing found');
  await screenshot(page, `flows/${variantName(variant)}/catalogue-nothing-found`);

  // Only matters that can be done online.
  await page.goto('/services');
  await byLabel(page, t(lang, 'sc-online-only')).check();
  await submit(page, page.getByRole('button', { name: t(lang, 'sc-search'), exact: true }));
  const online = await page.locator('#results li').count();
  assert.equal(await page.locator('#results li .badge-online').count(), online, 'every card shown has the badge');
});

flow('the confirmation of filing says what happens next and comes by e-mail', async ({ page, lang, variant }) => {
  const email = `potwierdzenie-${variantName(variant)}@example.pl`;
  await fileApplication(page, { ...applicantData(`Ewa-${variantName(variant)}`), email });
  const purpose = lang === 'pl' ? 'dla pracodawcy' : 'for an employer';
  await assertVisible(page.locator(`dd:text-is("${purpose}")`), 'the option as chosen, not its value');
  await assertVisible(page.getByRole('heading', { level: 2, name: t(lang, 'app-next-title') }), 'what happens next');
  await assertVisible(page.getByRole('heading', { level: 2, name: t(lang, 'app-for-the-record') }), 'for the record');
  const when = (await page.locator(`dt:text-is("${t(lang, 'app-submitted-at')}") + dd`).innerText()).trim();
  assert.match(when, lang === 'pl' ? /^\d{1,2} \p{L}+ \d{4} r\., godz\. \d{1,2}:\d{2}$/u : /^\d{1,2} \p{L}+ \d{4}, \d{2}:\d{2}$/u, when);
  const code = new URL(page.url()).pathname.split('/').pop();
  await checkA11y(page, 'confirmation of filing');
  await screenshot(page, `flows/${variantName(variant)}/confirmation-next-steps`);

  const mail = await latestMail(email, lang === 'pl' ? 'Potwierdzenie złożenia wniosku' : 'Confirmation of your application');
  assert.ok(mail.body.includes(purpose), mail.body);
  assert.ok(mail.body.includes(when), `the mail gives the time as the page: ${when}`);
  assert.ok(mail.body.includes(code), 'the tracking code');
  assert.ok(mail.body.includes(t(lang, 'app-next-title')), 'what happens next');
  assert.ok(mail.htmlBytes > 0, 'an HTML version');
  assert.ok(mail.attachments.includes(`potwierdzenie-${code}.pdf`), mail.attachments);
});
