// The accessibility sweep: every page of pages.mjs, in Polish and English, on a desktop
// and a phone. Each is checked with axe-core (WCAG 2.1 A and AA) and for structure,
// and photographed. All problems of a page are reported together.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as lib from '../lib/index.mjs';
import { PAGES } from '../pages.mjs';

const {
  ACTION_TIMEOUT, BASE_URL, DEVICES, NAVIGATION_TIMEOUT, VARIANTS, browser, checkA11y, login, messageIds, openPage,
  screenshot, variantName,
} = lib;

// Sign in once per (variant, account) and keep the cookies; every page is then checked
// in a context of its own made from them, so one slow or failed page cannot disturb the
// next (a test that times out keeps running in the background).
const states = new Map();
async function stateFor(variant, account) {
  const key = `${variantName(variant)}/${account ?? 'anonymous'}`;
  if (!states.has(key)) {
    states.set(key, (async () => {
      const page = await openPage(variant);
      try {
        if (account) await login(page, account);
        return await page.context().storageState();
      } finally {
        await page.context().close();
      }
    })());
  }
  return states.get(key);
}

async function pageFor(variant, account) {
  const b = await browser();
  const context = await b.newContext({
    ...DEVICES[variant.device],
    baseURL: BASE_URL,
    storageState: await stateFor(variant, account),
  });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT);
  return context.newPage();
}

/** Structure a person relies on, beyond what axe checks. */
async function structureProblems(page, lang, device) {
  const problems = [];
  const width = DEVICES[device].viewport.width;
  const facts = await page.evaluate(({ ids, width }) => {
    const text = document.body.innerText;
    const words = new Set(text.split(/[^\w-]+/));
    // The innermost elements that stick out past the screen's right edge, outside any
    // scrollable region (a table in a scrolling wrapper is fine).
    const scrolls = (el) => el && el !== document.body && /(auto|scroll)/.test(getComputedStyle(el).overflowX);
    const insideScroller = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p)) return true;
      return false;
    };
    const describe = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') +
      (el.classList.length ? `.${[...el.classList].join('.')}` : '');
    const overflows = document.documentElement.scrollWidth > width + 1;
    const offenders = !overflows ? [] : [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !insideScroller(el))
      .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)))
      .slice(0, 5)
      .map((el) => `${describe(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px: "${(el.innerText || '').trim().slice(0, 40)}")`);
    return {
      lang: document.documentElement.lang,
      title: document.title.trim(),
      h1: document.querySelectorAll('h1').length,
      untranslated: ids.filter((id) => id.includes('-') && words.has(id)),
      scrollWidth: document.documentElement.scrollWidth,
      offenders,
    };
  }, { ids: messageIds(lang), width });
  if (facts.lang !== lang) problems.push(`<html lang="${facts.lang}">, expected "${lang}"`);
  if (!facts.title) problems.push('the page has no <title>');
  if (facts.h1 !== 1) problems.push(`${facts.h1} <h1> elements, expected exactly one`);
  if (facts.untranslated.length) problems.push(`untranslated message ids shown: ${facts.untranslated.join(', ')}`);
  // Against the device's width, not innerWidth: a phone browser zooms out to fit a page
  // that overflows, and innerWidth grows with it.
  if (facts.scrollWidth > width + 1) {
    problems.push(`the page is ${facts.scrollWidth}px wide on a ${width}px ${device} screen and scrolls sideways (WCAG 1.4.10 reflow); sticking out: ${facts.offenders.join('; ') || 'unknown'}`);
  }
  return problems;
}

/** Opens one sweep entry and reports every problem found on it at once. */
async function checkPage(page, variant, entry) {
  const response = entry.open ? await entry.open(page, lib) : await page.goto(entry.path);
  const expected = entry.status ?? 200;
  const problems = [];
  if (!response) problems.push('no response');
  else if (response.status() !== expected) problems.push(`answered ${response.status()}, expected ${expected}`);
  problems.push(...(await structureProblems(page, variant.lang, variant.device)));
  await screenshot(page, `pages/${variantName(variant)}/${entry.name}`);
  if (AXE_VARIANTS.includes(variantName(variant))) {
    try {
      await checkA11y(page, entry.name);
    } catch (e) {
      problems.push(e.message);
    }
  }
  assert.ok(problems.length === 0, `${entry.name} [${variantName(variant)}] at ${page.url()}:\n  ${problems.join('\n  ')}`);
}

// E2E_PAGES=name,name sweeps only those pages (while working on them; CI unsets it).
const ONLY = (process.env.E2E_PAGES || '').split(',').filter(Boolean);
const SWEPT = ONLY.length ? PAGES.filter((p) => ONLY.includes(p.name)) : PAGES;
if (SWEPT.length !== (ONLY.length || PAGES.length)) {
  throw new Error(`E2E_PAGES=${process.env.E2E_PAGES} names a page pages.mjs does not list`);
}

// E2E_AXE_VARIANTS=pl-desktop,en-phone runs axe-core in those variants only; the checks
// above (language, title, one <h1>, untranslated ids, sideways scrolling) still run in
// every variant. axe is most of the sweep's CPU (1.5–3 s a page), and a page's WCAG
// rules do not change with the language: CI asks for one desktop and one phone variant,
// one in each language, so every layout and every language is still checked by axe.
const AXE_VARIANTS = (process.env.E2E_AXE_VARIANTS || VARIANTS.map(variantName).join(',')).split(',').filter(Boolean);
if (AXE_VARIANTS.some((name) => !/^(pl|en)-(desktop|phone)$/.test(name)) ||
    !AXE_VARIANTS.some((name) => VARIANTS.some((v) => variantName(v) === name))) {
  throw new Error(`E2E_AXE_VARIANTS=${process.env.E2E_AXE_VARIANTS} names an unknown variant or none this run has (axe would check less than asked)`);
}

// Variants run side by side (each has its own pages); a variant's pages one after another.
const concurrency = Number(process.env.E2E_SWEEP_CONCURRENCY || 2);
describe('accessibility sweep', { concurrency }, () => {
  for (const variant of VARIANTS) {
    describe(`[${variant.lang}, ${variant.device}]`, () => {
      for (const entry of SWEPT) {
        const options = { timeout: 120_000, ...(entry.todo ? { todo: entry.todo } : {}) };
        test(`${entry.name} (${entry.path ?? 'after an action'}, ${entry.as ?? 'signed out'})`, options, async () => {
          const page = await pageFor(variant, entry.as);
          try {
            await checkPage(page, variant, entry);
          } finally {
            await page.context().close();
          }
        });
      }
    });
  }
});
