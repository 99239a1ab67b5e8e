// Keyboard only (WCAG 2.1.1, 2.4.1, 2.4.3, 2.4.7): from the top of the login page the
// first Tab reaches the skip link, which moves focus to the content; then the login,
// the password and the button, in that order, each with a visible focus indicator; Enter
// signs in. Signed in, Tab reaches sign-out and every staff menu entry. On the
// e-service form (SA-2) Tab reaches every field in order, then the submit button.

import assert from 'node:assert/strict';
import {
  ACCOUNTS, ESERVICE_CARD, ESERVICE_FIELD_ORDER, PASSWORD, flow, screenshot, t, variantName, visit,
} from '../lib/index.mjs';

/** What has focus: tag, id, name, text, and whether a focus indicator is drawn. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name'),
      type: el.getAttribute('type'),
      text: (el.innerText || el.value || '').trim(),
      href: el.getAttribute('href'),
      indicator: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
      onScreen: rect.bottom > 0 && rect.right > 0 && rect.top < innerHeight && rect.left < innerWidth,
    };
  });
}

async function tab(page, shift = false) {
  await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  return focused(page);
}

flow('the login form works with the keyboard alone', async ({ page, lang }) => {
  await visit(page, '/login');

  let f = await tab(page);
  assert.equal(f.tag, 'a', 'first Tab lands on a link');
  assert.equal(f.text, t(lang, 'skip-to-content'), 'the first stop is the skip link');
  assert.ok(f.onScreen, 'the skip link shows when focused');
  assert.ok(f.indicator, 'the skip link has a visible focus indicator');

  await page.keyboard.press('Enter');
  f = await focused(page);
  assert.equal(f.id, 'main', 'the skip link moves focus to <main>');

  f = await tab(page);
  assert.equal(f.name, 'login', 'after the skip link, Tab reaches the login field');
  assert.ok(f.indicator, 'the login field shows focus');
  await page.keyboard.type(ACCOUNTS.manager);

  f = await tab(page);
  assert.equal(f.name, 'password', 'then the password field');
  assert.ok(f.indicator, 'the password field shows focus');
  await page.keyboard.type(PASSWORD);

  f = await tab(page);
  assert.equal(f.tag, 'button');
  assert.equal(f.text, t(lang, 'login-submit'), 'then the sign-in button');
  assert.ok(f.indicator, 'the button shows focus');

  const loaded = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await loaded;
  assert.equal(new URL(page.url()).pathname, '/staff', 'Enter on the button signs in');

  // Signed in: Tab from the top reaches sign-out and every staff menu entry, in order.
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  await page.keyboard.press('Tab'); // skip link
  const stops = [];
  for (let i = 0; i < 12; i++) {
    const stop = await tab(page);
    if (stop.tag === 'body') break; // past the last stop
    stops.push(stop);
  }
  const texts = stops.map((s) => s.text);
  const logoutAt = texts.indexOf(t(lang, 'nav-logout'));
  assert.ok(logoutAt >= 0, `Tab reaches the sign-out button (stops: ${texts.join(' | ')})`);
  const menu = [t(lang, 'nav-staff-home')];
  for (const label of menu) assert.ok(texts.includes(label), `Tab reaches the menu entry "${label}"`);
  for (const s of stops) assert.ok(s.indicator, `every stop shows focus (missing on "${s.text}")`);
});

flow('the login form can be sent with Enter from the password field', async ({ page }) => {
  await visit(page, '/login');
  await page.locator('input[name="login"]').focus();
  await page.keyboard.type(ACCOUNTS.manager);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  const loaded = page.waitForEvent('load');
  await page.keyboard.press('Enter');
  await loaded;
  assert.equal(new URL(page.url()).pathname, '/staff');
});

flow('the e-service form works with the keyboard alone', async ({ page, lang, variant }) => {
  await visit(page, `/services/${ESERVICE_CARD}/apply`);

  let f = await tab(page);
  assert.equal(f.text, t(lang, 'skip-to-content'), 'the first stop is the skip link');
  await page.keyboard.press('Enter');
  f = await focused(page);
  assert.equal(f.id, 'main', 'the skip link moves focus to <main>');

  // From <main>: the breadcrumb links, then every field of the form in order, then the
  // submit button; each stop shows where focus is.
  const stops = [];
  for (let i = 0; i < 30; i++) {
    f = await tab(page);
    if (f.tag === 'body') break;
    stops.push(f);
    assert.ok(f.indicator, `focus is visible on ${f.tag} ${f.name || f.text}`);
    assert.ok(f.onScreen, `the focused ${f.tag} ${f.name || f.text} is scrolled into view`);
    if (f.tag === 'button') break;
  }
  const fields = stops.filter((s) => ['input', 'select', 'textarea'].includes(s.tag)).map((s) => s.name);
  assert.deepEqual(fields, ESERVICE_FIELD_ORDER, `Tab reaches the fields in order (stops: ${stops.map((s) => s.name || s.text).join(' | ')})`);
  const last = stops.at(-1);
  assert.equal(last.tag, 'button');
  assert.equal(last.text, t(lang, 'app-submit'), 'after the last field, the submit button');
  // Nothing but the breadcrumbs comes between <main> and the first field.
  const before = stops.slice(0, stops.findIndex((s) => s.name === ESERVICE_FIELD_ORDER[0]));
  assert.ok(before.every((s) => s.tag === 'a'), `only links before the first field: ${before.map((s) => s.text).join(' | ')}`);
  await screenshot(page, `flows/${variantName(variant)}/eservice-keyboard-submit`);
});
