// The office's outgoing mail as a test can read it. e2e/run starts the server without
// `smtp_url`, so every message is written to the server's log (src/mailer/mod.rs,
// `Mailer::Log`) — the same text an SMTP server would have received.

import fs from 'node:fs';

const LOG = process.env.E2E_SERVER_LOG_FILE;

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The path of the latest sign-in link mailed to `email` (`/my-cases/link/<token>`),
 * waiting up to `timeoutMs` for the log line.
 */
export async function latestSignInLink(email, { timeoutMs = 10_000 } = {}) {
  if (!LOG) throw new Error('E2E_SERVER_LOG_FILE is not set: run the tests through e2e/run');
  // The mailer logs the recipient quoted (Debug formatting escapes control characters).
  const to = new RegExp(`to="?${escapeRegExp(email)}\\b`, 'g');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The log may be coloured (ANSI escapes between a field's name and its value).
    const text = fs.readFileSync(LOG, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
    let last = -1;
    for (const m of text.matchAll(to)) last = m.index;
    if (last >= 0) {
      const link = /https?:\/\/[^/\s]+(\/my-cases\/link\/[0-9a-f]{64})/.exec(text.slice(last));
      if (link) return link[1];
    }
    if (Date.now() > deadline) throw new Error(`no sign-in link for ${email} in the server log`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The latest message to `email` whose subject contains `subject`, as the mailer logged
 * it (issue 15: the confirmation of filing): `{ subject, body, htmlBytes, attachments }`,
 * the Debug-escaped strings unescaped; waits up to `timeoutMs` (the confirmation is
 * mailed after the answer, on its own time).
 */
export async function latestMail(email, subject, { timeoutMs = 10_000 } = {}) {
  if (!LOG) throw new Error('E2E_SERVER_LOG_FILE is not set: run the tests through e2e/run');
  const deadline = Date.now() + timeoutMs;
  const unquote = (s) => JSON.parse(s);
  for (;;) {
    const text = fs.readFileSync(LOG, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
    const lines = text.split('\n').filter((l) => l.includes('mail not sent') && l.includes(`to="${email}"`));
    for (const line of lines.reverse()) {
      const field = (name) => {
        const m = new RegExp(`\\b${name}=("(?:[^"\\\\]|\\\\.)*")`).exec(line);
        return m ? unquote(m[1]) : null;
      };
      const s = field('subject');
      if (s && s.includes(subject)) {
        const html = /\bhtml_bytes=(\d+)/.exec(line);
        const attachments = /\battachments=\[(.*?)\]/.exec(line);
        return {
          subject: s,
          body: field('body'),
          htmlBytes: html ? Number(html[1]) : 0,
          attachments: attachments ? attachments[1] : '',
        };
      }
    }
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${email} in the server log`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
