// The staff case page as a person uses it: its facts and its step forms, shared by the
// e-service flow and the live case-status flow.

import assert from 'node:assert/strict';
import { assertVisible, submit } from './auth.mjs';
import { t } from './i18n.mjs';

/** The value after the <dt> `label` of the page's first fact list holding it. */
export async function fact(page, label) {
  const dd = page.locator(`dt:text-is("${label}") + dd`).first();
  await assertVisible(dd, `the fact "${label}"`);
  return (await dd.innerText()).trim();
}

/** Sends one of the case page's step forms (a fieldset named by the step); `fill`
 *  fills the form's fields first. Checks the step was recorded. */
export async function takeStep(page, lang, action, fill = async () => {}) {
  const label = t(lang, `case-do-${action}`);
  // Each step is a button (a disclosure) that opens its one form (issue 15).
  // A closed disclosure hides its form from the accessibility tree: found by its summary.
  const step = page.locator('details.step').filter({ has: page.locator('summary').getByText(label, { exact: true }) });
  if (!(await step.evaluate((d) => d.open))) {
    await step.locator('summary').click();
  }
  const form = step.locator('form');
  await assertVisible(form, `the "${label}" form on the case page`);
  await fill(form);
  const confirm = t(lang, 'case-step-confirm', { step: label });
  const response = await submit(page, form.getByRole('button', { name: confirm, exact: true }));
  assert.equal(response.status(), 200, `${action} answered ${response.status()} at ${page.url()}`);
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-case-step-done') }), `${action} recorded`);
}
