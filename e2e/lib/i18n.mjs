// The application's own translations (locales/{pl,en}/*.ftl), so a test asserts the
// text a person reads in their language without copying it: when a message changes in
// the .ftl file the test follows. Only plain messages are read (a selector such as
// plural forms is left out); `{ $name }` arguments are filled in.

import fs from 'node:fs';
import path from 'node:path';
import { REPO_DIR } from './env.mjs';

export const LANGS = ['pl', 'en'];

const cache = new Map();

function load(lang) {
  if (cache.has(lang)) return cache.get(lang);
  const dir = path.join(REPO_DIR, 'locales', lang);
  const messages = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ftl')).sort()) {
    let key = null;
    for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const m = /^([a-zA-Z][\w-]*)\s*=\s*(.*)$/.exec(line);
      if (m) {
        key = m[1];
        messages.set(key, m[2].trim());
      } else if (key && /^\s+\S/.test(line) && !/^\s*[[*.]/.test(line)) {
        // A continuation line of a multi-line message.
        messages.set(key, `${messages.get(key)} ${line.trim()}`.trim());
      } else if (!/^\s/.test(line)) {
        key = null;
      }
    }
  }
  cache.set(lang, messages);
  return messages;
}

/** The message `key` in `lang` with `args` filled in; throws when it does not exist. */
export function t(lang, key, args = {}) {
  const message = load(lang).get(key);
  if (message === undefined || message === '') {
    throw new Error(`no message ${key} in locales/${lang}`);
  }
  return message.replace(/\{\s*\$(\w+)\s*\}/g, (_, name) => {
    if (!(name in args)) throw new Error(`message ${key} needs argument $${name}`);
    return String(args[name]);
  });
}

/** Every message id of `lang`: an id showing on a page means a missing translation. */
export function messageIds(lang) {
  return [...load(lang).keys()];
}
