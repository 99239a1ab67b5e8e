// BIP (issue 13): the editor drafts a publication, previews it, publishes it; the public
// page shows it with its metadata; the editor changes it with a reason; the
// publication's change register and the whole BIP's register show the change.

import assert from 'node:assert/strict';
import {
  ACCOUNTS, RUN_TAG, assertVisible, byLabel, flow, login, logout, screenshot, submit, t, variantName,
} from '../lib/index.mjs';

flow('a BIP editor publishes, changes with a reason, and the change register shows it', async ({ page, lang, variant }) => {
  const title = `Komunikat testowy ${RUN_TAG} ${variantName(variant)}`;
  await login(page, ACCOUNTS.bipEditor);
  await page.goto('/staff/bip/new');
  await byLabel(page, t(lang, 'bip-field-section')).selectOption('ogloszenia');
  await byLabel(page, t(lang, 'bip-field-title')).fill(title);
  await byLabel(page, t(lang, 'bip-field-body')).fill('<p>Pierwsza wersja komunikatu.</p><script>alert(1)</script>');
  await byLabel(page, t(lang, 'bip-field-produced-by')).fill('Wydział Organizacyjny');
  await byLabel(page, t(lang, 'bip-field-responsible')).fill('Jan Kowalski, Sekretarz Miasta');
  let response = await submit(page, page.getByRole('button', { name: t(lang, 'bip-staff-save-draft'), exact: true }));
  assert.equal(response.status(), 200);
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-bip-draft-saved') }), 'draft saved');
  const id = /\/staff\/bip\/(\d+)$/.exec(new URL(page.url()).pathname)[1];

  // Publish now.
  response = await submit(page, page.getByRole('button', { name: t(lang, 'bip-staff-publish'), exact: true }));
  assert.equal(response.status(), 200);
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-bip-published') }), 'published');

  // Change it: without a reason it is refused, with one it is published.
  await byLabel(page, t(lang, 'bip-field-body')).fill('<p>Druga wersja komunikatu.</p>');
  await submit(page, page.getByRole('button', { name: t(lang, 'bip-staff-save-draft'), exact: true }));
  response = await submit(page, page.getByRole('button', { name: t(lang, 'bip-staff-publish'), exact: true }));
  assert.equal(response.status(), 422);
  await assertVisible(page.getByRole('alert').getByRole('link').filter({ hasText: t(lang, 'bip-error-reason-missing') }), 'reason required');
  await byLabel(page, t(lang, 'bip-field-reason')).fill('Zmiana treści komunikatu');
  await submit(page, page.getByRole('button', { name: t(lang, 'bip-staff-save-draft'), exact: true }));
  response = await submit(page, page.getByRole('button', { name: t(lang, 'bip-staff-publish'), exact: true }));
  assert.equal(response.status(), 200);
  await logout(page);

  // The public page: content, metadata, the publication's register.
  await page.goto(`/bip/publikacje/${id}`);
  await assertVisible(page.getByRole('heading', { level: 1, name: title }), 'title');
  await assertVisible(page.getByText('Druga wersja komunikatu.'), 'current content');
  await assertVisible(page.getByText('Jan Kowalski, Sekretarz Miasta'), 'responsible');
  const register = page.getByRole('table', { name: t(lang, 'bip-register-title') });
  await assertVisible(register.getByText('Zmiana treści komunikatu'), 'reason in the register');
  assert.equal(await register.locator('tbody tr').count(), 2);
  // The publication needs no script: the only one is the site's service-worker
  // registration (static/pwa.js), which every public page carries.
  const scripts = await page.locator('script').evaluateAll((all) => all.map((s) => s.getAttribute('src') || 'inline'));
  assert.deepEqual(scripts, ['/static/pwa.js'], 'no script on the page but the service worker\'s registration');
  await screenshot(page, `flows/${variantName(variant)}/bip-publication`);

  // The whole BIP's register.
  await page.goto('/bip/rejestr-zmian');
  const changes = page.getByRole('table', { name: t(lang, 'bip-changes-title') });
  await assertVisible(changes.locator('tr', { hasText: title }).filter({ hasText: 'Zmiana treści komunikatu' }), 'change in the BIP register');
});
