// The e-service of the demo card SA-2 „Zaświadczenie o zameldowaniu”: filling in and
// filing its application form the way a resident does, shared by the e-service flow
// and the accessibility sweep (which needs a filed application's confirmation page).

import assert from 'node:assert/strict';
import { byLabel, pageLang, submit } from './auth.mjs';
import { t } from './i18n.mjs';

export const ESERVICE_CARD = 'SA-2';

/** The labels of the SA-2 form's fields: they come from the card's form definition
 *  (src/service_cards/demo.rs), not from locales/, so they are written out here. */
export const ESERVICE_LABELS = {
  pl: {
    first_name: 'Imię',
    last_name: 'Nazwisko',
    pesel: 'Numer PESEL',
    street: 'Ulica i numer domu',
    postal_code: 'Kod pocztowy',
    city: 'Miejscowość',
    email: 'Adres e-mail do odpowiedzi',
    phone: 'Telefon',
    purpose: 'Cel wydania zaświadczenia',
    fee_proof: 'Potwierdzenie zapłaty opłaty skarbowej',
  },
  en: {
    first_name: 'First name',
    last_name: 'Last name',
    pesel: 'PESEL number',
    street: 'Street and number',
    postal_code: 'Postal code',
    city: 'Town',
    email: 'E-mail for the reply',
    phone: 'Phone',
    purpose: 'Purpose of the certificate',
    fee_proof: 'Proof of the stamp duty payment',
  },
};

/** The order of the form's controls, as Tab should reach them. */
export const ESERVICE_FIELD_ORDER = [
  'first_name', 'last_name', 'pesel', 'street', 'postal_code', 'city', 'email', 'phone', 'purpose', 'fee_proof',
];

/** A minimal valid PDF (one empty page): the server checks the `%PDF-` magic bytes. */
export function minimalPdf() {
  const objects = [
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n',
  ];
  let body = '%PDF-1.4\n';
  const offsets = [];
  for (const o of objects) {
    offsets.push(body.length);
    body += o;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** Valid answers for the SA-2 form; `name` tells the applications of one run apart. */
export function applicantData(name = 'Anna') {
  return {
    first_name: name,
    last_name: 'Nowak',
    pesel: '44051401359',
    street: 'ul. Rynek 1',
    postal_code: '62-300',
    city: 'Borowiec',
    email: 'anna.nowak@example.pl',
    phone: '',
    purpose: 'employer',
  };
}

/**
 * Fills the SA-2 application form (the page must be on /services/SA-2/apply) with
 * `data` and a small PDF as the proof of payment, by the fields' labels.
 */
export async function fillApplication(page, lang, data = applicantData()) {
  const labels = ESERVICE_LABELS[lang];
  for (const [name, value] of Object.entries(data)) {
    if (name === 'purpose') continue;
    if (value) await byLabel(page, labels[name]).fill(value);
  }
  await byLabel(page, labels.purpose).selectOption(data.purpose);
  await byLabel(page, labels.fee_proof).setInputFiles({
    name: 'oplata-skarbowa.pdf',
    mimeType: 'application/pdf',
    buffer: minimalPdf(),
  });
}

/**
 * Opens the SA-2 form (in the language the visitor chose), files a valid application and returns the response of the
 * confirmation page it leads to (after the redirect to /applications/{code}).
 */
export async function fileApplication(page, data = applicantData()) {
  const response = await page.goto(`/services/${ESERVICE_CARD}/apply`);
  assert.equal(response.status(), 200, `the apply form answered ${response.status()}`);
  const lang = await pageLang(page);
  await fillApplication(page, lang, data);
  const filed = await submit(page, page.getByRole('button', { name: t(lang, 'app-submit'), exact: true }));
  assert.match(new URL(page.url()).pathname, /^\/applications\/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/,
    `filing leads to the confirmation page (status ${filed.status()})`);
  return filed;
}
