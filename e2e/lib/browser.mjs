// One headless Chromium per test file (Debian's /usr/bin/chromium through
// playwright-core; never a downloaded browser), a fresh context per test, and the
// matrix every flow runs in: Polish and English, desktop and phone.

import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { chromium } from 'playwright-core';
import { ARTIFACTS_DIR, BASE_URL, CHROMIUM } from './env.mjs';
import { t } from './i18n.mjs';

/** Screen sizes a person uses: an office desktop and a phone (iPhone 12–15 size). */
export const DEVICES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
};

export const variantName = (v) => `${v.lang}-${v.device}`;

const ALL_VARIANTS = [
  { lang: 'pl', device: 'desktop' },
  { lang: 'en', device: 'desktop' },
  { lang: 'pl', device: 'phone' },
  { lang: 'en', device: 'phone' },
];

/** Every flow runs once in each of these; E2E_VARIANTS=pl-phone,en-desktop narrows a
 *  run while you work on something. */
export const VARIANTS = process.env.E2E_VARIANTS
  ? ALL_VARIANTS.filter((v) => process.env.E2E_VARIANTS.split(',').includes(variantName(v)))
  : ALL_VARIANTS;
// A filter matching nothing would run no flow at all and pass: refuse it.
if (VARIANTS.length === 0) {
  throw new Error(`E2E_VARIANTS=${process.env.E2E_VARIANTS} names no variant`);
}

/** How long one click, fill or navigation may take. Generous: on a busy 2-core machine a
 *  page can take seconds; on an idle one everything takes milliseconds. */
export const ACTION_TIMEOUT = 30_000;
export const NAVIGATION_TIMEOUT = 30_000;

// Without these Chromium stalls on this closed network: it keeps trying to reach
// Google's services at start-up. Playwright gives each launch a fresh temporary
// profile (--user-data-dir) of its own, under TMPDIR, which e2e/run points at its
// temporary directory; it refuses a --user-data-dir in `args`.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

let browserPromise = null;

// Registered when this module is first imported, i.e. at the top level of the test
// file, so it runs after the file's last test (an `after` inside a test would close the
// browser after that one test).
after(async () => {
  if (browserPromise) await (await browserPromise).close();
});

/** The file's browser, launched on first use and closed after the file's last test. */
export function browser() {
  if (!browserPromise) {
    browserPromise = chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 60_000 });
  }
  return browserPromise;
}

/**
 * A new page in a fresh context (no cookies) for `variant`, with the language chosen
 * through the site's own switch (GET /lang/{code}), as a person would.
 */
export async function openPage({ lang = 'pl', device = 'desktop' } = {}) {
  const b = await browser();
  const context = await b.newContext({ ...DEVICES[device], baseURL: BASE_URL, locale: lang === 'pl' ? 'pl-PL' : 'en-GB' });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.jsErrors = errors;
  await setLanguage(page, lang);
  return page;
}

/** Chooses the interface language with the language switch link's target. */
export async function setLanguage(page, lang, next = '/') {
  const response = await page.goto(`/lang/${lang}?next=${encodeURIComponent(next)}`);
  if (!response || response.status() !== 200) {
    throw new Error(`language switch to ${lang} answered ${response && response.status()}`);
  }
  const htmlLang = await page.locator('html').getAttribute('lang');
  if (htmlLang !== lang) throw new Error(`after the language switch the page is lang="${htmlLang}", not ${lang}`);
}

function slug(text) {
  return text
    .normalize('NFKD')
    .replace(/[^\w-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/**
 * Registers `name` once per variant: `body({ page, lang, device, variant, t })` gets a
 * fresh signed-out page already in its language. On failure a screenshot of the page
 * goes to artifacts/failures/ and its URL into the error. `todo: 'reason'` marks a flow
 * of a capability still being built: it runs, but its failure does not fail the run.
 */
export function flow(name, body, { variants = VARIANTS, timeout = 180_000, todo } = {}) {
  for (const variant of variants) {
    const options = { timeout, ...(todo ? { todo } : {}) };
    test(`${name} [${variant.lang}, ${variant.device}]`, options, async () => {
      const page = await openPage(variant);
      try {
        await body({
          page,
          lang: variant.lang,
          device: variant.device,
          variant,
          t: (key, args) => t(variant.lang, key, args),
        });
        if (page.jsErrors.length) {
          throw new Error(`JavaScript errors on the page: ${page.jsErrors.map(String).join('; ')}`);
        }
      } catch (error) {
        const dir = path.join(ARTIFACTS_DIR, 'failures');
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${slug(name)}-${variantName(variant)}.png`);
        await page.screenshot({ path: file, fullPage: true }).catch(() => {});
        const where = `\n    page: ${page.url()}\n    screenshot: ${path.relative(process.cwd(), file)}`;
        error.message += where;
        // Node prints the stack, which was written with the message as it was.
        if (typeof error.stack === 'string') {
          const frames = error.stack.split('\n').filter((line) => /^\s+at /.test(line));
          error.stack = [`${error.name}: ${error.message}`, ...frames].join('\n');
        }
        throw error;
      } finally {
        await page.context().close();
      }
    });
  }
}
