// The residents' service point, as people use it: an administrator adds a ticket
// category and a desk to the shopping-centre point; a resident takes a ticket at the
// kiosk (the e-ticket page with its QR code); a display board is open on a TV; the
// official opens the desk and calls the next ticket — and the board shows the number
// and the desk at once, over Server-Sent Events, without a reload. The head of unit then
// opens the point's statistics (the wait just ended is there) and downloads their CSV.
// Every page passes axe.
//
// The server runs on the real clock, so the point is made open around the clock first
// (its hours, behind the UI: the location form is covered by the org flow). Each
// variant has its own category letter and desk, so variants run side by side.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  assertVisible, byLabel, checkA11y, flow, login, logout, openPage, screenshot, sql, submit, t, variantName, openAroundTheClock } from '../lib/index.mjs';

const LETTERS = { 'pl-desktop': 'W', 'pl-phone': 'X', 'en-desktop': 'Y', 'en-phone': 'Z' };

function mallId() {
  return Number(sql("SELECT id FROM location WHERE kind = 'service_point'").trim());
}

flow('a kiosk ticket is called at a desk and shown on the board', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  const letter = LETTERS[variantName(variant)] || 'V';
  const name = `E2E ${variantName(variant)}`;
  const mall = mallId();
  openAroundTheClock(mall);

  // Setup: a category and a desk serving it.
  await login(page, 'admin');
  await page.goto(`/staff/service-points/${mall}/categories/new`);
  await byLabel(page, t(lang, 'sp-category-code')).fill(letter);
  await byLabel(page, t(lang, 'sp-category-name')).fill(name);
  await byLabel(page, t(lang, 'sp-category-minutes')).fill('5');
  await checkA11y(page, 'service point: new category');
  await submit(page, page.getByRole('button', { name: t(lang, 'form-save'), exact: true }));
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-sp-category-saved') }), 'category saved');
  await page.goto(`/staff/service-points/${mall}/desks/new`);
  await byLabel(page, t(lang, 'sp-desk-name')).fill(name);
  await page.getByLabel(new RegExp(`^${letter} — `)).check();
  await submit(page, page.getByRole('button', { name: t(lang, 'form-save'), exact: true }));
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-sp-desk-saved') }), 'desk saved');
  await checkA11y(page, 'service point: setup');
  await logout(page);

  // The kiosk: one touch, the ticket.
  await page.goto(`/service-points/${mall}/kiosk`);
  await checkA11y(page, 'service point: kiosk');
  await screenshot(page, `${shots}/sp-kiosk`);
  await submit(page, page.getByRole('button', { name: new RegExp(name) }));
  assert.match(new URL(page.url()).pathname, /^\/tickets\/[0-9a-f]{32}$/);
  const number = `${letter}001`;
  await assertVisible(page.locator('.sp-ticket-number', { hasText: number }), `ticket ${number}`);
  await assertVisible(page.locator('.sp-ticket-qr svg'), 'the QR code');
  await checkA11y(page, 'service point: e-ticket');
  await screenshot(page, `${shots}/sp-ticket`);

  // The board, open on a TV.
  const board = await openPage(variant);
  try {
    await board.goto(`/service-points/${mall}/board`);
    await assertVisible(board.getByRole('heading', { level: 2, name: t(lang, 'sp-board-now') }), 'board');
    await checkA11y(board, 'service point: board');

    // The official opens the desk and calls.
    const official = await openPage(variant);
    try {
      await login(official, 'obsluga');
      await official.goto('/staff/service-points');
      await submit(official, official.getByRole('link', { name, exact: true }));
      await submit(official, official.getByRole('button', { name: t(lang, 'sp-act-open'), exact: true }));
      await submit(official, official.getByRole('button', { name: t(lang, 'sp-act-call'), exact: true }));
      await assertVisible(official.getByRole('heading', { level: 2, name: new RegExp(number) }), 'the called ticket at the desk');
      await checkA11y(official, 'service point: desk console');
      await screenshot(official, `${shots}/sp-console`);
    } finally {
      await official.context().close();
    }

    // The board shows it, live.
    const line = board.locator('[data-list="called"] li').filter({ hasText: number });
    await assertVisible(line, `the board shows ${number}`);
    assert.match(await line.innerText(), new RegExp(name));
    await screenshot(board, `${shots}/sp-board`);
    assert.deepEqual(board.jsErrors, [], 'no script errors on the board');
  } finally {
    await board.context().close();
  }
  // And the resident's e-ticket follows.
  await assertVisible(page.locator('[data-field="status"]', { hasText: name }), 'the e-ticket says where to go');

  // The head of unit reads the point's statistics and downloads them.
  await login(page, 'kierownik');
  await page.goto('/staff/service-points');
  await submit(page, page.locator(`a[href="/staff/service-points/${mall}/statistics"]`));
  await assertVisible(page.getByRole('heading', { level: 2, name: t(lang, 'sp-stats-by-category') }), 'statistics');
  assert.ok((await page.locator('svg[role="img"] title').count()) >= 5, 'a chart per grouping');
  await assertVisible(page.getByRole('rowheader', { name: new RegExp(name) }).first(), 'the category in a table');
  await checkA11y(page, 'service point: statistics');
  await screenshot(page, `${shots}/sp-statistics`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: t(lang, 'sp-stats-csv'), exact: true }).click(),
  ]);
  const csv = await readFile(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\ufeff'), 'the BOM for Excel');
  assert.ok(csv.split('\r\n')[0].includes(';'), 'cells split by semicolons');
  assert.ok(csv.includes(`;${letter} — ${name};`), `the category ${letter} in the CSV`);
  await logout(page);
});
