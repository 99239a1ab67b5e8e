// Booking a visit and checking in, as a resident does it (decision 0033): on the public
// pages the resident chooses the matter and the day, then a free time, gives a name, an
// e-mail address and a phone number, and gets the booking's page with its 6-digit code.
// On the day, at the kiosk, the phone number brings the "U" ticket. Every page passes axe.
//
// The server runs on the real clock: the shopping-centre point is made open around the
// clock (behind the UI, as the service-point flow does), and the booking is moved to
// a few minutes from now (a visit can only be booked from tomorrow). Each variant books
// its own time and phone number, so variants run side by side.

import assert from 'node:assert/strict';
import {
  assertVisible, byLabel, checkA11y, flow, screenshot, sql, submit, t, variantName, openAroundTheClock } from '../lib/index.mjs';

const VARIANTS = ['pl-desktop', 'pl-phone', 'en-desktop', 'en-phone'];

function mallId() {
  return Number(sql("SELECT id FROM location WHERE kind = 'service_point'").trim());
}

/** Today's date in Warsaw, `YYYY-MM-DD`. */
function warsawToday() {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Warsaw' }).format(new Date());
}

flow('a visit booked on the phone is checked in at the kiosk', async ({ page, lang, variant }) => {
  const name = variantName(variant);
  const index = Math.max(0, VARIANTS.indexOf(name));
  const shots = `flows/${name}`;
  const phone = `60055500${index}`;
  const mall = mallId();
  openAroundTheClock(mall);

  // The first step: the matter and the day.
  await page.goto(`/service-points/${mall}/book`);
  await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'booking-title') }), 'the booking form');
  await checkA11y(page, 'booking: matter and day');
  await screenshot(page, `${shots}/booking-start`);
  const matter = byLabel(page, t(lang, 'booking-matter'));
  const matterValue = await matter.locator('option').nth(1).getAttribute('value');
  await matter.selectOption(matterValue);
  const day = byLabel(page, t(lang, 'booking-day'));
  await day.selectOption(await day.locator('option').nth(1).getAttribute('value'));
  await submit(page, page.getByRole('button', { name: t(lang, 'booking-next'), exact: true }));

  // The second: a free time and who is coming.
  await assertVisible(page.getByRole('heading', { level: 2, name: t(lang, 'booking-step-slot') }), 'the slots');
  await checkA11y(page, 'booking: slots and contact');
  const free = page.locator('input[name="slot"]:not([disabled])');
  await free.nth(index * 3).check();
  await byLabel(page, t(lang, 'booking-name')).fill(`Mieszkanka ${name}`);
  await byLabel(page, t(lang, 'booking-email')).fill(`mieszkanka-${name}@example.pl`);
  await byLabel(page, t(lang, 'booking-phone')).fill(phone);
  await screenshot(page, `${shots}/booking-form`);
  await submit(page, page.getByRole('button', { name: t(lang, 'booking-submit'), exact: true }));

  // The booking's page: the code, the time, what to bring, cancel.
  assert.match(new URL(page.url()).pathname, /^\/bookings\/[0-9a-f]{32}$/);
  const code = (await page.getByTestId('booking-code').innerText()).trim();
  assert.match(code, /^[1-9]\d{5}$/);
  await assertVisible(page.getByRole('button', { name: t(lang, 'booking-cancel'), exact: true }), 'the cancel button');
  await checkA11y(page, 'booking: the booking page');
  await screenshot(page, `${shots}/booking-page`);

  // The day comes: the visit is moved to five minutes from now.
  const start = new Date(Math.ceil((Date.now() + 5 * 60_000) / 60_000) * 60_000)
    .toISOString().replace(/\.\d{3}Z$/, '.000000Z');
  sql(`UPDATE sp_booking SET day = '${warsawToday()}', starts_at = '${start}' `
    + `WHERE location_id = ${mall} AND code = '${code}' AND phone = '${phone}'`);

  // At the kiosk, by phone number: the "U" ticket.
  await page.goto(`/service-points/${mall}/kiosk`);
  await checkA11y(page, 'booking: kiosk check-in');
  await byLabel(page, t(lang, 'sp-checkin-key')).fill(phone);
  await submit(page, page.getByRole('button', { name: t(lang, 'sp-checkin-submit'), exact: true }));
  assert.match(new URL(page.url()).pathname, /^\/tickets\/[0-9a-f]{32}$/);
  await assertVisible(page.locator('.sp-ticket-number', { hasText: /U\d{3}/ }), 'a U ticket');
  await screenshot(page, `${shots}/booking-ticket`);

  // The same booking again: a clear message at the kiosk.
  await page.goto(`/service-points/${mall}/kiosk`);
  await byLabel(page, t(lang, 'sp-checkin-key')).fill(code);
  await submit(page, page.getByRole('button', { name: t(lang, 'sp-checkin-submit'), exact: true }));
  await assertVisible(page.getByRole('alert').filter({ hasText: t(lang, 'sp-checkin-twice') }), 'checked in already');
  await checkA11y(page, 'booking: kiosk refusal');
});
