// E-service, end to end: a resident (not signed in) finds the card „Zaświadczenie
// o zameldowaniu” (SA-2) in the catalogue, files its application form with a PDF,
// gets the znak sprawy, the tracking code and the confirmation of filing as a PDF, and
// sees the case registered on the public status page. The head of unit SA then finds
// the case, assigns it, has it worked on and settles it; the status page follows.

import assert from 'node:assert/strict';
import {
  ACCOUNTS, applicantData, assertVisible, byLabel, checkA11y, fact, fillApplication, flow, login, logout, screenshot,
  submit, t, takeStep, variantName,
} from '../lib/index.mjs';

/** The case's status on the public status page (after its <dt>). */
async function publicStatus(page, lang, code) {
  await page.goto(`/case-status?code=${encodeURIComponent(code)}`);
  return fact(page, t(lang, 'case-status'));
}

flow('a resident files an e-service application and the office settles it', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;

  // The catalogue: search, then the card.
  await page.goto('/services');
  await byLabel(page, t(lang, 'sc-search-label')).fill('zameldowaniu');
  await submit(page, page.getByRole('button', { name: t(lang, 'sc-search'), exact: true }));
  await submit(page, page.getByRole('link', { name: /^SA-2\s+Zaświadczenie o zameldowaniu$/ }));
  assert.equal(new URL(page.url()).pathname, '/services/SA-2');
  await submit(page, page.getByRole('link', { name: t(lang, 'app-apply-title'), exact: true }));
  assert.equal(new URL(page.url()).pathname, '/services/SA-2/apply');
  await assertVisible(page.getByRole('heading', { level: 1, name: new RegExp(`^${t(lang, 'app-apply-title')}: `) }), 'apply heading');

  // The form, filled in as a resident does, with the proof of payment as a PDF.
  const applicant = applicantData(`Anna-${variantName(variant)}`);
  await fillApplication(page, lang, applicant);
  await screenshot(page, `${shots}/eservice-form-filled`);
  const response = await submit(page, page.getByRole('button', { name: t(lang, 'app-submit'), exact: true }));
  assert.equal(response.status(), 200, `filing answered ${response.status()}`);
  assert.match(new URL(page.url()).pathname, /^\/applications\//);

  // The confirmation: znak sprawy, tracking code, the PDF.
  await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'app-confirmation-title') }), 'confirmation heading');
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'app-filed') }), 'filed message');
  const znak = await fact(page, t(lang, 'app-znak'));
  assert.match(znak, /^SA\.5311\.\d+\.\d{4}$/, `znak sprawy: ${znak}`);
  const code = await fact(page, t(lang, 'app-tracking-code'));
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, `tracking code: ${code}`);
  assert.equal(new URL(page.url()).pathname, `/applications/${code}`);
  const pdfLink = page.getByRole('link', { name: t(lang, 'app-download-pdf'), exact: true });
  const pdf = await page.request.get(await pdfLink.getAttribute('href'));
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.ok((await pdf.body()).subarray(0, 5).equals(Buffer.from('%PDF-')), 'the confirmation is a PDF');
  await checkA11y(page, 'confirmation of filing');
  await screenshot(page, `${shots}/eservice-confirmation`);

  // The public status page: registered.
  await submit(page, page.getByRole('link', { name: t(lang, 'app-check-status'), exact: true }));
  assert.equal(await fact(page, t(lang, 'case-status')), t(lang, 'case-status-registered'));
  await assertVisible(page.getByRole('heading', { level: 2, name: znak }), 'the znak on the status page');
  await screenshot(page, `${shots}/eservice-status-registered`);

  // The head of unit SA finds the case among the unit's cases.
  await login(page, ACCOUNTS.manager);
  await page.goto('/staff/cases');
  await byLabel(page, t(lang, 'case-filter-view')).selectOption('unit');
  await byLabel(page, t(lang, 'case-search')).fill(znak);
  await submit(page, page.getByRole('button', { name: t(lang, 'case-filter-apply'), exact: true }));
  await submit(page, page.getByRole('link', { name: znak, exact: true }));
  await assertVisible(page.getByRole('heading', { level: 1, name: `${t(lang, 'case-znak')}: ${znak}` }), 'case heading');
  assert.equal(await fact(page, t(lang, 'case-status')), t(lang, 'case-status-registered'));
  assert.match(await fact(page, t(lang, 'case-party-name')), new RegExp(applicant.first_name));

  // Assign to the case official of SA, start, settle.
  await takeStep(page, lang, 'assign', async (form) => {
    await byLabel(form, t(lang, 'case-official')).selectOption({ label: 'Jan Kowalski' });
  });
  assert.equal(await fact(page, t(lang, 'case-status')), t(lang, 'case-status-assigned'));
  assert.equal(await fact(page, t(lang, 'case-official')), 'Jan Kowalski');
  await takeStep(page, lang, 'start');
  assert.equal(await fact(page, t(lang, 'case-status')), t(lang, 'case-status-in-progress'));
  await takeStep(page, lang, 'settle', async (form) => {
    await byLabel(form, t(lang, 'case-outcome')).fill('Wydano zaświadczenie o zameldowaniu.');
  });
  assert.equal(await fact(page, t(lang, 'case-status')), t(lang, 'case-status-settled'));
  await checkA11y(page, 'settled case');
  await screenshot(page, `${shots}/eservice-case-settled`);
  await logout(page);

  // The resident sees it settled.
  assert.equal(await publicStatus(page, lang, code), t(lang, 'case-status-settled'));
  await screenshot(page, `${shots}/eservice-status-settled`);
});
