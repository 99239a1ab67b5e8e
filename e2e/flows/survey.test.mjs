// Answering this year's survey from its public link, as a resident does on a phone (the
// desktop variants walk the same path): every scale is a group named by its question,
// answered by keyboard-reachable radio buttons; the follow-up "why?" says when to
// answer it; after sending, the page thanks the resident and the same browser is not
// asked again. The response is stored under the link's channel, the follow-up kept
// because its condition held. Every page passes axe.

import assert from 'node:assert/strict';
import { assertVisible, byLabel, checkA11y, flow, screenshot, sql, submit, t, variantName } from '../lib/index.mjs';

flow('a resident answers the survey from the link', async ({ page, lang, variant }) => {
  const shots = `flows/${variantName(variant)}`;
  const campaign = sql("SELECT id FROM sv_campaign ORDER BY id DESC LIMIT 1").trim();
  const slug = sql(`SELECT slug FROM sv_campaign WHERE id = ${campaign}`).trim();
  const before = Number(sql(`SELECT COUNT(*) FROM sv_response WHERE campaign_id = ${campaign}`).trim());
  const en = lang === 'en';
  const q = (pl, english) => page.getByRole('group', { name: en ? english : pl });

  await page.goto(`/surveys/${slug}`);
  await checkA11y(page, 'survey: the form');
  await screenshot(page, `${shots}/survey-form`);

  await q('Jak ocenia Pan/Pani uprzejmość i życzliwość urzędników?', "How do you rate the officials' courtesy and kindness?")
    .getByLabel('5', { exact: true }).check();
  // By keyboard: focus the first answer of the waiting-time scale and move with arrows.
  const wait = q('Jak ocenia Pan/Pani czas oczekiwania na obsługę?', 'How do you rate the time you waited to be served?');
  await wait.getByLabel('1', { exact: true }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.ok(await wait.getByLabel('3', { exact: true }).isChecked(), 'arrow keys move along the scale');
  await q('Na ile prawdopodobne jest, że poleci Pan/Pani usługi urzędu znajomym?', "How likely are you to recommend the office's services to friends?")
    .getByLabel('9', { exact: true }).check();
  await q('Czy aby załatwić sprawę, musiał(a) Pan/Pani przyjść więcej niż raz?', 'Did you have to come more than once to settle your matter?')
    .getByLabel(en ? 'Yes' : 'Tak', { exact: true }).check();
  const why = `Brak jednego dokumentu (${variantName(variant)})`;
  await byLabel(page, en ? 'Why?' : 'Dlaczego?').fill(why);
  await submit(page, page.getByRole('button', { name: t(lang, 'sv-send'), exact: true }));

  await assertVisible(page.locator('#sv-thanks'), 'thanks');
  await checkA11y(page, 'survey: sent');
  await screenshot(page, `${shots}/survey-sent`);
  // The same browser is not asked again.
  await page.goto(`/surveys/${slug}`);
  await assertVisible(page.locator('#sv-closed'), 'answered already');

  assert.equal(Number(sql(`SELECT COUNT(*) FROM sv_response WHERE campaign_id = ${campaign}`).trim()), before + 1);
  assert.equal(sql(`SELECT COUNT(*) FROM sv_answer WHERE answer_text = '${why}'`).trim(), '1');
  assert.equal(
    sql(`SELECT r.channel FROM sv_answer a JOIN sv_response r ON r.id = a.response_id WHERE a.answer_text = '${why}'`).trim(),
    'link',
  );
});
