// Signing in and out through the real login form, and small page helpers every flow
// uses: submit a form and get the answer, read the page's language, its main text.

import assert from 'node:assert/strict';
import { PASSWORD } from './env.mjs';
import { t } from './i18n.mjs';

/** The language the page is in (`<html lang>`). */
export async function pageLang(page) {
  return (await page.locator('html').getAttribute('lang')) || 'pl';
}

/**
 * Does `action` (a Locator to click, or a function) and waits for the page it leads
 * to. Returns the final main-frame document response (after redirects), so the caller
 * can check its status.
 */
export async function submit(page, action) {
  let last = null;
  const onResponse = (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) last = response;
  };
  page.on('response', onResponse);
  try {
    const loaded = page.waitForEvent('load');
    if (typeof action === 'function') await action();
    else await action.click();
    await loaded;
  } finally {
    page.off('response', onResponse);
  }
  return last;
}

/** Goes to `path` and checks the answer's status (200 unless told). */
export async function visit(page, path, { status = 200 } = {}) {
  const response = await page.goto(path);
  assert.ok(response, `no response for ${path}`);
  assert.equal(response.status(), status, `GET ${path} answered ${response.status()}, expected ${status}`);
  return response;
}

/** Escapes `text` for use inside a RegExp. */
export const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The form control whose <label> says `label` (a required field's label may end in the
 * " *" marker, hidden from screen readers). `scope` is a page or a locator.
 */
export function byLabel(scope, label) {
  return scope.getByLabel(new RegExp(`^\\s*${escapeRegExp(label)}(\\s*\\*)?\\s*$`));
}

/** The login form's fields and button, found by their labels as a person would. */
export function loginForm(page, lang) {
  return {
    login: byLabel(page, t(lang, 'login-field-login')),
    password: byLabel(page, t(lang, 'login-field-password')),
    submit: page.getByRole('button', { name: t(lang, 'login-submit'), exact: true }),
  };
}

/**
 * Fills and sends the login form (opening /login first unless the page is on it) and
 * returns the response. Does not check the outcome: see `login` for that.
 */
export async function submitLogin(page, login, { password = PASSWORD, next } = {}) {
  const onForm = new URL(page.url()).pathname === '/login' && (await loginForm(page, await pageLang(page)).login.count()) > 0;
  if (!onForm || next) {
    await visit(page, next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  }
  const lang = await pageLang(page);
  const form = loginForm(page, lang);
  await form.login.fill(login);
  await form.password.fill(password);
  return submit(page, form.submit);
}

/** Signs `login` in (demo password unless given) and checks it worked: the staff area
 *  opens and the header names the user. */
export async function login(page, login, { password = PASSWORD, next } = {}) {
  const response = await submitLogin(page, login, { password, next });
  assert.equal(response.status(), 200, `login as ${login} answered ${response.status()} at ${page.url()}`);
  const path = new URL(page.url()).pathname;
  assert.notEqual(path, '/login', `login as ${login} stayed on the login page`);
  const lang = await pageLang(page);
  await assertVisible(page.getByRole('button', { name: t(lang, 'nav-logout'), exact: true }), 'sign-out button after login');
  return response;
}

/** Signs out with the header's button; checks the home page says so. */
export async function logout(page) {
  const lang = await pageLang(page);
  const response = await submit(page, page.getByRole('button', { name: t(lang, 'nav-logout'), exact: true }));
  assert.equal(response.status(), 200);
  assert.equal(new URL(page.url()).pathname, '/');
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-signed-out') }), 'signed-out message');
  return response;
}

/** Fails unless `locator` is visible (with a message naming `what`). */
export async function assertVisible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    assert.fail(`not visible: ${what}`);
  }
}

/** The text of the page's <main>, whitespace collapsed. */
export async function mainText(page) {
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ').trim();
}
