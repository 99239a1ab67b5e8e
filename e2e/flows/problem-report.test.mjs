// Problem reports (issue 12), as people use them: a resident reports a pothole from the
// phone — the kind of problem, the place, the size the category asks for, a photo —
// and lands on the report's public page; an official finds it in the staff list,
// takes it and closes it with a public note; the resident's page then shows the note.
// Every page passes axe.

import assert from 'node:assert/strict';
import {
  assertVisible, byLabel, checkA11y, flow, login, logout, screenshot, submit, t, variantName,
} from '../lib/index.mjs';

// A 1×1 PNG: the form checks a photo by its bytes.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082',
  'hex',
);

flow('a pothole reported from a phone is closed by an official with a public note', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  const street = `ul. Polna ${variantName(variant)}`;

  // The resident: the kind of problem first, then the form for it.
  await page.goto('/reports/new');
  await checkA11y(page, 'reports: choose a kind');
  await screenshot(page, `${shots}/report-kinds`);
  await submit(page, page.getByRole('link', { name: 'Dziura w jezdni lub chodniku', exact: true }));
  await byLabel(page, t(lang, 'report-address')).fill(street);
  await byLabel(page, t(lang, 'report-lat')).fill('52.1422');
  await byLabel(page, t(lang, 'report-long')).fill('21.2301');
  await page.getByLabel('Wielkość ubytku').selectOption('duza');
  await byLabel(page, t(lang, 'report-description')).fill('Dziura na całą szerokość pasa, woda w środku.');
  await byLabel(page, t(lang, 'report-photos')).setInputFiles({ name: 'dziura.png', mimeType: 'image/png', buffer: PNG });
  await checkA11y(page, 'reports: the form');
  await screenshot(page, `${shots}/report-form`);
  await submit(page, page.getByRole('button', { name: t(lang, 'report-submit'), exact: true }));
  const reportPath = new URL(page.url()).pathname;
  assert.match(reportPath, /^\/reports\/\d+$/);
  const id = reportPath.split('/').pop();
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-report-filed') }), 'report filed');
  await assertVisible(page.getByText(t(lang, 'report-status-open'), { exact: true }).first(), 'status received');
  await assertVisible(page.getByRole('img', { name: t(lang, 'report-photo-alt', { n: 1 }) }), 'the photo');
  await checkA11y(page, 'reports: public page');

  // The official: the list by category and status, the report, the close.
  await login(page, 'urzednik');
  await page.goto('/staff/reports?category=DZIURA&status=open');
  await checkA11y(page, 'reports: staff list');
  await submit(page, page.getByRole('link', { name: id, exact: true }));
  await checkA11y(page, 'reports: staff report');
  await byLabel(page, t(lang, 'report-note')).fill('Ubytek załatano masą na gorąco.');
  await submit(page, page.getByRole('button', { name: t(lang, 'report-close'), exact: true }));
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-report-saved') }), 'closed');
  await logout(page);

  // The resident sees the note.
  await page.goto(reportPath);
  await assertVisible(page.getByText(t(lang, 'report-status-closed'), { exact: true }).first(), 'status closed');
  await assertVisible(page.locator('#closing-note', { hasText: 'Ubytek załatano masą na gorąco.' }), 'the public note');
  await screenshot(page, `${shots}/report-closed`);
});
