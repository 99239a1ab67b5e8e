// Rating a finished visit from the e-ticket, as a resident does on a phone (the phone
// variants; the desktop ones walk the same path): the resident takes a ticket at the
// kiosk, is served (the desk's acts are the service-point flow's; here the visit is
// finished behind the UI), opens the e-ticket again and follows "Rate the service";
// sending the form with a question left out shows the error summary; answering all of
// it thanks the resident, and the page then says the visit has been rated. Nothing
// stored names the resident: the rating is counted under the point's channel. Every
// page passes axe.

import assert from 'node:assert/strict';
import {
  assertVisible, byLabel, checkA11y, flow, screenshot, sql, submit, t, variantName, openAroundTheClock } from '../lib/index.mjs';

function mallId() {
  return Number(sql("SELECT id FROM location WHERE kind = 'service_point'").trim());
}

flow('a resident rates a finished visit from the e-ticket', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  const mall = mallId();
  // The real clock: the point is made open around the clock (as the service-point flow).
  openAroundTheClock(mall);
  const category = sql(
    `SELECT name FROM sp_category WHERE location_id = ${mall} AND active AND code <> 'U' ORDER BY position, code LIMIT 1`,
  ).trim();

  await page.goto(`/service-points/${mall}/kiosk`);
  await submit(page, page.getByRole('button', { name: new RegExp(category) }).first());
  const token = new URL(page.url()).pathname.split('/').pop();
  assert.match(token, /^[0-9a-f]{32}$/);
  // Before the visit ends there is nothing to rate.
  assert.equal(await page.getByRole('link', { name: t(lang, 'sat-rate-link'), exact: true }).count(), 0);

  // Served and finished at a desk (behind the UI).
  sql(`UPDATE sp_ticket SET state = 'done', finished_at = issued_at WHERE token = '${token}'`);
  await page.goto(`/tickets/${token}`);
  await submit(page, page.getByRole('link', { name: t(lang, 'sat-rate-link'), exact: true }));
  assert.equal(new URL(page.url()).pathname, `/tickets/${token}/rating`);
  await checkA11y(page, 'rating: the form');
  await screenshot(page, `${shots}/rating-form`);

  // A question left out: the summary names it and links to it.
  const question = (key) => page.getByRole('group', { name: t(lang, key) });
  await question('sat-q-service').getByLabel('5', { exact: true }).check();
  await submit(page, page.getByRole('button', { name: t(lang, 'sat-send'), exact: true }));
  const summary = page.locator('#error-summary');
  await assertVisible(summary, 'the error summary');
  assert.ok((await summary.innerText()).includes(t(lang, 'form-required')));
  await checkA11y(page, 'rating: the form with errors');

  await question('sat-q-service').getByLabel('5', { exact: true }).check();
  await question('sat-q-official').getByLabel('4', { exact: true }).check();
  await question('sat-q-nps').getByLabel('9', { exact: true }).check();
  await byLabel(page, t(lang, 'sat-q-comment')).fill(`Sprawnie i miło (${variantName(variant)})`);
  await submit(page, page.getByRole('button', { name: t(lang, 'sat-send'), exact: true }));
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-sat-thanks') }), 'thanks');
  await assertVisible(page.locator('#sat-closed'), 'rated already');
  await checkA11y(page, 'rating: sent');
  await screenshot(page, `${shots}/rating-sent`);

  const ticketId = sql(`SELECT id FROM sp_ticket WHERE token = '${token}'`).trim();
  assert.equal(sql(`SELECT COUNT(*) FROM sat_rated WHERE subject_key = 'visit:${ticketId}'`).trim(), '1');
  assert.equal(
    sql(`SELECT comment_state FROM sat_rating WHERE comment = 'Sprawnie i miło (${variantName(variant)})'`).trim(),
    'pending',
  );
});
