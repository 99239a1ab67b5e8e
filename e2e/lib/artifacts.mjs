// Pictures of pages as a person sees them, for people to look at (gitignored).

import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS_DIR } from './env.mjs';

// E2E_SCREENSHOTS=0 takes no pictures of passing pages (CI keeps no artifacts, and a
// full-page PNG of a long page costs about as much CPU as its axe check); a failure is
// still photographed into artifacts/failures/ (lib/browser.mjs).
const TAKE = process.env.E2E_SCREENSHOTS !== '0';

/** Saves a full-page PNG as artifacts/<name>.png (name may contain folders). */
export async function screenshot(page, name) {
  if (!TAKE) return null;
  const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^\w./-]+/g, '_')}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
