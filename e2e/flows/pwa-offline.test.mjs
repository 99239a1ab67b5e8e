// The installable site (issue 12, "Installable PWA"), in a real Chromium: the page links
// the manifest, the service worker registers and takes control; a resident who has
// opened the home page, the service catalogue, a card and their e-ticket still sees
// them with the connection gone (context.setOffline), and any page never opened shows
// the offline page instead of the browser's error.

import assert from 'node:assert/strict';
import { assertVisible, checkA11y, flow, screenshot, sql, t, variantName } from '../lib/index.mjs';

flow('without a connection, the pages visited stay and others show the offline page', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  const token = sql('SELECT token FROM sp_ticket ORDER BY id DESC LIMIT 1').trim();
  assert.match(token, /^[0-9a-f]{32}$/, 'a demo ticket');

  await page.goto('/');
  const manifest = await page.locator('link[rel="manifest"]').getAttribute('href');
  assert.equal(manifest, '/manifest.webmanifest');
  // The worker installs (precaching the shell) and controls the page after a reload.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.reload();
  assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true, 'controlled by the worker');

  // Visited online: the catalogue, a card, the e-ticket.
  await page.goto('/services');
  await page.goto('/services/SA-2');
  const cardTitle = await page.getByRole('heading', { level: 1 }).innerText();
  await page.goto(`/tickets/${token}`);
  const ticketTitle = await page.getByRole('heading', { level: 1 }).innerText();

  await page.context().setOffline(true);
  try {
    await page.goto('/services/SA-2');
    await assertVisible(page.getByRole('heading', { level: 1, name: cardTitle }), 'the card offline');
    await page.goto(`/tickets/${token}`);
    await assertVisible(page.getByRole('heading', { level: 1, name: ticketTitle }), 'the e-ticket offline');
    await screenshot(page, `${shots}/pwa-ticket-offline`);
    await page.goto('/services');
    await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'sc-catalogue-title') }), 'the catalogue offline');
    // Never opened: the offline page, styled (the stylesheet is kept too).
    await page.goto('/bip/rejestr-zmian');
    await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'pwa-offline-title') }), 'the offline page');
    const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor);
    assert.notEqual(styled, 'rgba(0, 0, 0, 0)', 'styles from the cache');
    await checkA11y(page, 'pwa: offline page');
    await screenshot(page, `${shots}/pwa-offline`);
  } finally {
    await page.context().setOffline(false);
  }
  // Online again: pages come from the network as before.
  await page.goto('/bip/rejestr-zmian');
  await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'bip-changes-title') }), 'online again');
});
