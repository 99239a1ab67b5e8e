// News (issue 13, the portal): an editor writes a news item, adds a picture — refused
// without its alt text, taken with it — previews and publishes it; the home page shows
// it with the picture's alt text, its page opens from there, and the office's Atom feed
// carries it. Every page passes axe.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  ACCOUNTS, RUN_TAG, assertVisible, byLabel, checkA11y, flow, login, logout, screenshot, submit, t, variantName,
} from '../lib/index.mjs';

// A real picture (480×270 PNG) from the demo's pictures: the upload is checked by its bytes.
const PNG = readFileSync(new URL('../../assets/demo/news-park.png', import.meta.url));

flow('an editor publishes a news item with a picture and its alt text; it reaches the home page and the feed', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  const title = `Festyn w Parku Miejskim ${RUN_TAG} ${variantName(variant)}`;
  const alt = `Plac zabaw w Parku Miejskim z nową huśtawką (${variantName(variant)})`;

  await login(page, ACCOUNTS.bipEditor);
  await page.goto('/staff/news/new');
  await checkA11y(page, 'news: new item');
  await byLabel(page, t(lang, 'news-field-kind')).selectOption('news');
  await byLabel(page, t(lang, 'news-field-title')).fill(title);
  await byLabel(page, t(lang, 'news-field-lead')).fill('W niedzielę zapraszamy na festyn z okazji otwarcia placu zabaw.');
  await byLabel(page, t(lang, 'news-field-body')).fill('<p>Program od <strong>12:00</strong>.</p>');
  let response = await submit(page, page.getByRole('button', { name: t(lang, 'news-staff-save'), exact: true }));
  assert.equal(response.status(), 200);
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-news-saved') }), 'saved');
  const id = /\/staff\/news\/(\d+)$/.exec(new URL(page.url()).pathname)[1];

  // A picture without alt text is refused, with the message on the field.
  await byLabel(page, t(lang, 'news-field-image')).setInputFiles({ name: 'festyn.png', mimeType: 'image/png', buffer: PNG });
  response = await submit(page, page.getByRole('button', { name: t(lang, 'news-staff-image-add'), exact: true }));
  assert.equal(response.status(), 422);
  await assertVisible(page.getByRole('alert').getByRole('link').filter({ hasText: t(lang, 'news-error-alt-missing') }), 'alt text required');
  await checkA11y(page, 'news: picture refused without alt text');
  await screenshot(page, `${shots}/news-alt-missing`);

  // With its alt text it is taken.
  await byLabel(page, t(lang, 'news-field-image')).setInputFiles({ name: 'festyn.png', mimeType: 'image/png', buffer: PNG });
  await byLabel(page, t(lang, 'news-field-alt')).fill(alt);
  response = await submit(page, page.getByRole('button', { name: t(lang, 'news-staff-image-add'), exact: true }));
  assert.equal(response.status(), 200);
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-news-image-added') }), 'picture added');
  await assertVisible(page.getByRole('img', { name: alt }), 'the picture with its alt text');

  // Preview, then publish now.
  await page.goto(`/staff/news/${id}/preview`);
  await assertVisible(page.getByRole('heading', { level: 1, name: title }), 'preview title');
  await page.goto(`/staff/news/${id}`);
  response = await submit(page, page.getByRole('button', { name: t(lang, 'news-staff-publish'), exact: true }));
  assert.equal(response.status(), 200);
  await assertVisible(page.getByRole('status').filter({ hasText: t(lang, 'flash-news-published') }), 'published');
  await logout(page);

  // The home page: the newest items, this one first, with its picture's alt text.
  await page.goto('/');
  const news = page.getByRole('region', { name: t(lang, 'news-home-heading') });
  await assertVisible(news.getByRole('link', { name: title }), 'on the home page');
  await assertVisible(news.getByRole('img', { name: alt }), 'picture on the home page');
  await checkA11y(page, 'news: home page');
  await screenshot(page, `${shots}/news-home`);
  await submit(page, news.getByRole('link', { name: title }));
  await assertVisible(page.getByRole('heading', { level: 1, name: title }), 'the item page');
  await assertVisible(page.getByText('Program od'), 'the body');

  // The office's feed: valid XML with the item, its HTML content escaped.
  const feed = await page.request.get('/feed.atom');
  assert.equal(feed.status(), 200);
  assert.match(feed.headers()['content-type'], /^application\/atom\+xml/);
  const xml = await feed.text();
  assert.ok(xml.includes(`<title>${title}</title>`), 'the title in the feed');
  assert.ok(xml.includes(`alt=&quot;${alt}&quot;`), 'the alt text in the escaped content');
  assert.ok(xml.includes(`/aktualnosci/${id}`), 'the link to the item');
  assert.ok(!xml.includes('<script'), 'no markup outside the escaped content');
});
