// Cross-site request forgery: a state-changing post whose `_csrf` token is forged or
// missing, or that comes from another site, is refused with 403 and a translated page,
// and changes nothing.

import assert from 'node:assert/strict';
import { ACCOUNTS, BASE_URL, assertVisible, byLabel, escapeRegExp, flow, login, mainText, submit, t, visit } from '../lib/index.mjs';

async function expectCsrfPage(page, lang, response) {
  assert.equal(response.status(), 403, `expected 403, got ${response.status()}`);
  await assertVisible(page.getByRole('heading', { level: 1, name: t(lang, 'error-title-403') }), '403 heading');
  assert.match(await mainText(page), new RegExp(escapeRegExp(t(lang, 'error-csrf'))));
}

flow('a form with a forged or missing CSRF token is refused', async ({ page, lang }) => {
  // Anonymous: the login form itself carries a token tied to a cookie.
  await visit(page, '/login');
  await page.evaluate(() => {
    document.querySelector('form[action="/login"] input[name="_csrf"]').value = 'f'.repeat(64);
  });
  await byLabel(page, t(lang, 'login-field-login')).fill(ACCOUNTS.caseOfficial);
  await byLabel(page, t(lang, 'login-field-password')).fill('whatever-it-is-1');
  await expectCsrfPage(page, lang, await submit(page, page.getByRole('button', { name: t(lang, 'login-submit'), exact: true })));

  // Signed in: sign-out with a forged token, then with none, must leave the session alone.
  await login(page, ACCOUNTS.caseOfficial);
  const logoutButton = () => page.getByRole('button', { name: t(lang, 'nav-logout'), exact: true });
  await page.evaluate(() => {
    document.querySelector('form[action="/logout"] input[name="_csrf"]').value = 'forged';
  });
  await expectCsrfPage(page, lang, await submit(page, logoutButton()));
  await visit(page, '/staff');
  await page.evaluate(() => document.querySelector('form[action="/logout"] input[name="_csrf"]').remove());
  await expectCsrfPage(page, lang, await submit(page, logoutButton()));
  await visit(page, '/staff'); // still signed in
  assert.equal(new URL(page.url()).pathname, '/staff');
});

flow('a script post without the token, or from another site, is refused', async ({ page, lang }) => {
  await login(page, ACCOUNTS.admin);
  await visit(page, '/staff/users/new');
  const token = await page.locator('input[name="_csrf"]').first().inputValue();
  const forged = `csrf-${Date.now().toString(36)}`;
  const body = { login: forged, display_name: 'Ktoś Podrobiony', email: '', password: 'Dlugie-haslo-2026!', role: 'hr' };

  // fetch() from the page: same origin, but no token or a wrong one in the header.
  const answers = await page.evaluate(async (body) => {
    const form = new URLSearchParams(body);
    const noToken = await fetch('/staff/users', { method: 'POST', body: form, redirect: 'manual' });
    const wrongHeader = await fetch('/staff/users', {
      method: 'POST', body: form, redirect: 'manual', headers: { 'X-CSRF-Token': '0'.repeat(64) },
    });
    return [
      { status: noToken.status, text: await noToken.text() },
      { status: wrongHeader.status, text: await wrongHeader.text() },
    ];
  }, body);
  for (const answer of answers) {
    assert.equal(answer.status, 403);
    assert.ok(answer.text.includes(t(lang, 'error-csrf')), 'the 403 page explains in the visitor\'s language');
  }

  // Another site posting with the right token (a stolen one) is still refused: the
  // browser's Origin / Sec-Fetch-Site headers give it away.
  const crossSite = await page.request.post(`${BASE_URL}/staff/users`, {
    form: { ...body, _csrf: token },
    headers: { Origin: 'https://zly.example', 'Sec-Fetch-Site': 'cross-site' },
    maxRedirects: 0,
  });
  assert.equal(crossSite.status(), 403);
  assert.ok((await crossSite.text()).includes(t(lang, 'error-csrf')));

  // Nothing was created.
  await visit(page, '/staff/users');
  assert.equal(await page.getByRole('link', { name: forged, exact: true }).count(), 0);
});
