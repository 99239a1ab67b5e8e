// Pictures of pages as a person sees them, for people to look at (gitignored).

import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS_DIR } from './env.mjs';

/** Saves a full-page PNG as artifacts/<name>.png (name may contain folders). */
export async function screenshot(page, name) {
  const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^\w./-]+/g, '_')}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
