// The one module flows import: everything a test needs to drive Magistrat in a browser.
//   import { flow, login, logout, checkA11y, screenshot, t } from '../lib/index.mjs';

export * from './env.mjs';
export * from './i18n.mjs';
export * from './browser.mjs';
export * from './auth.mjs';
export * from './a11y.mjs';
export * from './artifacts.mjs';
export * from './db.mjs';
export * from './eservice.mjs';
export * from './cases.mjs';
export * from './mail.mjs';
