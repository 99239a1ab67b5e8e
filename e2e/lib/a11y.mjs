// Accessibility: axe-core on the page as rendered, against WCAG 2.0/2.1 A and AA (the
// legal duty of a Polish public body). Any violation fails the test, with each rule's
// id, help text and the selectors of the offending elements.

import { AxeBuilder } from '@axe-core/playwright';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Formats axe violations for a person reading the test output. */
export function describeViolations(violations) {
  return violations
    .map((v) => {
      const targets = v.nodes
        .slice(0, 10)
        .map((n) => `      - ${n.target.join(' ')}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, '\n        ')}` : ''}`)
        .join('\n');
      const more = v.nodes.length > 10 ? `\n      … and ${v.nodes.length - 10} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${targets}${more}`;
    })
    .join('\n');
}

/** Runs axe on `page`; throws listing every violation. `name` says which page it was. */
export async function checkA11y(page, name, { exclude = [], disableRules = [] } = {}) {
  // Only violations are read: asking axe for nothing else spares it collecting every
  // passing and inapplicable node (a large share of its time on long pages). `options`
  // replaces the builder's options, so it comes before `withTags` (which adds runOnly).
  let builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).withTags(WCAG_TAGS);
  for (const selector of exclude) builder = builder.exclude(selector);
  if (disableRules.length) builder = builder.disableRules(disableRules);
  const results = await builder.analyze();
  if (results.violations.length) {
    const count = results.violations.reduce((n, v) => n + v.nodes.length, 0);
    throw new Error(
      `${name}: ${results.violations.length} accessibility rule(s) violated on ${count} element(s) at ${page.url()}\n${describeViolations(results.violations)}`,
    );
  }
  return results;
}
