// Staff sign-in and sign-out (capability 1, platform): the way in, the generic refusal
// that tells nothing about accounts, and the return to the page asked for.

import assert from 'node:assert/strict';
import {
  ACCOUNTS, PASSWORD, assertVisible, flow, login, loginForm, logout, mainText, screenshot, submitLogin, t, variantName, visit,
} from '../lib/index.mjs';

flow('staff member signs in and out', async ({ page, lang, variant }) => {
  await visit(page, '/');
  // The public header offers the staff sign-in.
  await page.getByRole('link', { name: t(lang, 'nav-staff-login'), exact: true }).click();
  await page.waitForURL('**/login');
  await screenshot(page, `flows/${variantName(variant)}/login`);

  await login(page, ACCOUNTS.caseOfficial);
  assert.equal(new URL(page.url()).pathname, '/staff');
  await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'staff-home-welcome', { name: 'Jan Kowalski' }) }), 'welcome heading');
  assert.match(await mainText(page), new RegExp(t(lang, 'role-case-official')));
  // A case official sees the staff menu without the administration entries.
  const nav = page.getByRole('navigation', { name: t(lang, 'nav-staff-label') });
  await assertVisible(nav.getByRole('link', { name: t(lang, 'nav-staff-home'), exact: true }), 'dashboard link');
  assert.equal(await nav.getByRole('link', { name: t(lang, 'nav-users'), exact: true }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: t(lang, 'nav-audit'), exact: true }).count(), 0);
  await screenshot(page, `flows/${variantName(variant)}/staff-home`);

  await logout(page);
  // Signed out for real: the staff area asks for a login again.
  await visit(page, '/staff');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.getByRole('button', { name: t(lang, 'nav-logout') }).count(), 0);
});

flow('a wrong password gets the generic message, an unknown login the same', async ({ page, lang, variant }) => {
  // `redaktor` is this flow's own account: its failure counter must not reach the
  // free failures through other flows (a successful sign-in at the end resets them).
  const generic = t(lang, 'login-failed');
  for (const [who, password] of [
    [ACCOUNTS.bipEditor, 'Zle-haslo-wpisane-1'],
    // An unknown login of its own per variant: failures count per login and address.
    [`nie-ma-takiego-konta-${variantName(variant)}`, 'Zle-haslo-wpisane-1'],
  ]) {
    const response = await submitLogin(page, who, { password });
    assert.equal(response.status(), 422, `failed login as ${who} answered ${response.status()}`);
    assert.equal(new URL(page.url()).pathname, '/login');
    const alert = page.getByRole('alert');
    await assertVisible(alert, 'login error');
    assert.equal((await alert.innerText()).trim(), generic);
    // The login stays filled in, the password never comes back.
    const form = loginForm(page, lang);
    assert.equal(await form.login.inputValue(), who);
    assert.equal(await form.password.inputValue(), '');
  }
  // One mistake costs no delay: the right password still works at once.
  await login(page, ACCOUNTS.bipEditor);
});

flow('signing in returns to the page that asked for it', async ({ page, lang }) => {
  await visit(page, '/staff/audit');
  const url = new URL(page.url());
  assert.equal(url.pathname, '/login');
  assert.equal(url.searchParams.get('next'), '/staff/audit');
  // Not an expiry: no "session expired" notice for a visitor who never signed in.
  assert.equal(await page.getByText(t(lang, 'login-session-expired')).count(), 0);
  const form = loginForm(page, lang);
  await form.login.fill(ACCOUNTS.security);
  await form.password.fill(PASSWORD);
  await form.submit.click();
  await page.waitForURL('**/staff/audit');
  await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'audit-title') }), 'audit heading');
});
