// Every page of the application, for the accessibility sweep (flows/a11y-sweep.test.mjs):
// each is opened in Polish and English, on a desktop and a phone, checked with axe-core
// (WCAG 2.1 A and AA), for a sane structure (language, title, one <h1>, no untranslated
// message ids, no sideways scrolling on a phone) and photographed to
// artifacts/pages/<lang>-<device>/<name>.png.
//
// Add a page when you add a route. Fields:
//   name    unique, used in test names and screenshot file names
//   path    the URL to open (GET)
//   as      the demo account signed in (see ACCOUNTS in lib/env.mjs), or null for a
//           signed-out visitor
//   status  the expected HTTP status (default 200)
//   open    instead of `path`: async (page, lib) => response — brings the page into a
//           state only a click or a post reaches (a form shown again with errors); the
//           page is already signed in as `as`
//   todo    a reason: the page is checked but a failure does not fail the run (node:test
//           `todo`); for routes another capability has not delivered yet. Remove it when
//           the page exists.
//
// Do not use `jakosc` here: the login-throttle flow slows its sign-ins.

export const PAGES = [
  // Public, signed out.
  { name: 'home', path: '/', as: null },
  { name: 'login', path: '/login', as: null },
  { name: 'login-expired', path: '/login?expired=1&next=%2Fstaff', as: null },
  {
    name: 'login-failed',
    as: null,
    status: 422,
    // A login of its own each time: failures count per login and client address, and
    // past LOGIN_FREE_FAILURES of them the answer is a wait (429), not this page.
    open: (page, lib) =>
      lib.submitLogin(page, `nie-ma-takiego-konta-${Math.random().toString(36).slice(2, 8)}`, {
        password: 'Zle-haslo-wpisane-1',
      }),
  },
  { name: 'not-found', path: '/nie-ma-takiej-strony', as: null, status: 404 },

  // Staff area.
  { name: 'staff-home-admin', path: '/staff', as: 'admin' },
  { name: 'staff-home-manager', path: '/staff', as: 'kierownik' },
  { name: 'forbidden', path: '/staff/users', as: 'urzednik', status: 403 },
  { name: 'users', path: '/staff/users', as: 'admin' },
  { name: 'user-new', path: '/staff/users/new', as: 'admin' },
  {
    name: 'user-new-errors',
    as: 'admin',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/users/new');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'form-save'), exact: true }));
    },
  },
  {
    name: 'user-edit',
    as: 'admin',
    open: async (page, lib) => {
      await lib.visit(page, '/staff/users');
      return lib.submit(page, page.getByRole('link', { name: 'kierownik', exact: true }));
    },
  },
  { name: 'audit', path: '/staff/audit', as: 'admin' },
  { name: 'audit-users-security-officer', path: '/staff/audit?entity_type=user', as: 'bezpieczenstwo' },
  { name: 'audit-bad-dates', path: '/staff/audit?from=2026-02-30&to=2026-01-01', as: 'admin' },
  { name: 'audit-none', path: '/staff/audit?actor=nikt-taki', as: 'admin' },

  // Cases: lists, registering, the case page, registers, JRWA, the calculator, and
  // the public petition and status pages.
  { name: 'cases-official', path: '/staff/cases', as: 'urzednik' },
  { name: 'cases-head', path: '/staff/cases?view=unit&status=all', as: 'kierownik' },
  { name: 'case-new', path: '/staff/cases/new', as: 'urzednik' },
  {
    name: 'case-new-errors',
    as: 'urzednik',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/cases/new');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'case-register-button'), exact: true }));
    },
  },
  { name: 'case-detail', path: '/staff/cases/1', as: 'kierownik' },
  {
    // A step form sent back with its problems (422): a party's delay starting after
    // today, at the scoped fields of its own form among the page's other step forms.
    name: 'case-detail-step-errors',
    as: 'kierownik',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/cases/1');
      const lang = await lib.pageLang(page);
      const label = lib.t(lang, 'case-do-party-delay');
      // Each step is a button opening its one form (the disclosure's summary).
      const step = page.locator('details.step').filter({ has: page.locator('summary').getByText(label, { exact: true }) });
      await step.locator('summary').click();
      const form = step.locator('form');
      await lib.byLabel(form, lib.t(lang, 'case-from')).fill('2099-01-01');
      await lib.byLabel(form, lib.t(lang, 'case-to')).fill('2099-01-02');
      await lib.byLabel(form, lib.t(lang, 'case-reason')).fill('Braki formalne');
      const confirm = lib.t(lang, 'case-step-confirm', { step: label });
      return lib.submit(page, form.getByRole('button', { name: confirm, exact: true }));
    },
  },
  // The opłata skarbowa of a case (decision 0050): the demo's certificate whose fee was
  // summoned under KPA art. 261 § 1, and its payment sent back without the proof.
  {
    name: 'case-fee-summoned',
    as: 'urzednik',
    open: async (page, lib) => {
      await lib.visit(page, '/staff/cases?q=Kruk');
      return lib.submit(page, page.locator('tbody th[scope=row] a').first());
    },
  },
  {
    name: 'case-fee-step-errors',
    as: 'urzednik',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/cases?q=Kruk');
      await lib.submit(page, page.locator('tbody th[scope=row] a').first());
      const lang = await lib.pageLang(page);
      const label = lib.t(lang, 'case-do-fee-paid');
      const step = page.locator('details.step').filter({ has: page.locator('summary').getByText(label, { exact: true }) });
      await step.locator('summary').click();
      const form = step.locator('form');
      // Every field filled, so the browser sends it; the amount of 0 zł is refused by
      // the server.
      await lib.byLabel(form, lib.t(lang, 'fee-paid-amount')).fill('0');
      await lib.byLabel(form, lib.t(lang, 'fee-method')).selectOption('cash_desk');
      await lib.byLabel(form, lib.t(lang, 'fee-proof')).fill('KP 1/2026');
      const confirm = lib.t(lang, 'case-step-confirm', { step: label });
      return lib.submit(page, form.getByRole('button', { name: confirm, exact: true }));
    },
  },
  // The case's documents (src/case_documents/): the demo's case 3 has a notice sent and
  // delivered (letter 1), a notice sent (2) and a decision in draft (3); case 2 a summons
  // accepted and waiting for the signature (4).
  { name: 'case-documents', path: '/staff/cases/3/documents', as: 'kierownik' },
  { name: 'letter-new', path: '/staff/cases/3/letters/new', as: 'urzednik' },
  { name: 'letter-delivered', path: '/staff/letters/1', as: 'kierownik' },
  { name: 'letter-sent', path: '/staff/letters/2', as: 'urzednik' },
  { name: 'letter-draft', path: '/staff/letters/3', as: 'kierownik' },
  { name: 'letter-accepted', path: '/staff/letters/4', as: 'kierownik' },
  { name: 'case-metryka', path: '/staff/cases/3/metryka', as: 'kierownik' },
  { name: 'letter-templates', path: '/staff/letter-templates', as: 'admin' },
  { name: 'letter-template-new', path: '/staff/letter-templates/new', as: 'admin' },
  { name: 'letter-template-edit', path: '/staff/letter-templates/1', as: 'admin' },
  { name: 'authorisations', path: '/staff/authorisations', as: 'kadry' },
  { name: 'dekretacja', path: '/staff/dekretacja/1', as: 'kierownik' },
  { name: 'case-register', path: '/staff/cases/register', as: 'kierownik' },
  { name: 'case-workload', path: '/staff/cases/workload', as: 'kierownik' },
  { name: 'case-complaints', path: '/staff/cases/complaints', as: 'kierownik' },
  { name: 'case-public-information', path: '/staff/cases/public-information', as: 'kierownik' },
  { name: 'case-public-information-sorted', path: '/staff/cases/public-information?sort=subject&dir=desc', as: 'kierownik' },
  { name: 'jrwa', path: '/staff/jrwa', as: 'admin' },
  { name: 'deadline', path: '/staff/deadline?from=2025-12-23&term=1d', as: 'urzednik' },
  { name: 'deadline-error', path: '/staff/deadline?from=2025-12-23&term=1x', as: 'urzednik', status: 422 },
  { name: 'petitions', path: '/petitions', as: null },
  { name: 'petitions-summary', path: '/petitions/summary/2026', as: null },
  // The archive (src/archive/): the spis spraw of the demo's registrations of two years
  // ago, a unit's archiving, the demo's spis zdawczo-odbiorczy 1 and the archive's files.
  { name: 'spis-spraw-old-year', path: `/staff/cases/register?class=5310&year=${new Date().getFullYear() - 2}`, as: 'kierownik' },
  { name: 'archive', path: '/staff/archive', as: 'kierownik' },
  { name: 'archive-transfer', path: '/staff/archive/transfers/1', as: 'kierownik' },
  { name: 'archive-files', path: '/staff/archive/files', as: 'admin' },
  { name: 'case-status', path: '/case-status', as: null },
  // The residents' service point (demo locations 1 = town hall, 2 = shopping centre).
  { name: 'service-points', path: '/service-points', as: null },
  { name: 'service-point-status', path: '/service-points/1', as: null },
  { name: 'service-point-kiosk', path: '/service-points/2/kiosk', as: null },
  { name: 'service-point-board', path: '/service-points/1/board', as: null },
  { name: 'service-points-staff', path: '/staff/service-points', as: 'obsluga' },
  { name: 'service-point-setup', path: '/staff/service-points/1/setup', as: 'admin' },
  { name: 'service-point-category', path: '/staff/service-points/1/categories/1', as: 'admin' },
  { name: 'service-point-desk-form', path: '/staff/service-points/1/desks/new', as: 'admin' },
  { name: 'service-point-book', path: '/service-points/1/book', as: null },
  { name: 'service-point-console', path: '/staff/desks/1', as: 'obsluga' },
  { name: 'audit-checkpoints', path: '/audit/checkpoints', as: null },
  { name: 'my-cases-sign-in', path: '/my-cases', as: null },
  {
    name: 'my-cases-sign-in-errors',
    as: null,
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/my-cases');
      const lang = await lib.pageLang(page);
      await lib.byLabel(page, lib.t(lang, 'resident-email')).fill('ewa.nowak');
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'resident-send'), exact: true }));
    },
  },
  {
    name: 'my-cases-link-gone',
    path: '/my-cases/link/0000000000000000000000000000000000000000000000000000000000000000',
    as: null,
    status: 410,
  },
  // An unknown code answers 404 (src/cases/registers.rs `track`), with the form again.
  { name: 'case-status-unknown', path: '/case-status?code=AAAA-BBBB-CCCC', as: null, status: 404 },

  // Org structure (capability 1): office, units, employees, locations.
  { name: 'org', path: '/staff/org', as: 'admin' },
  { name: 'org-manager-scope', path: '/staff/org', as: 'kierownik' },
  { name: 'org-office', path: '/staff/org/office', as: 'admin' },
  { name: 'org-unit-new', path: '/staff/org/units/new', as: 'admin' },
  {
    name: 'org-unit-new-errors',
    as: 'admin',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/org/units/new');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'form-save'), exact: true }));
    },
  },
  {
    name: 'org-unit-edit',
    as: 'admin',
    open: async (page, lib) => {
      await lib.visit(page, '/staff/org');
      return lib.submit(page, page.getByRole('link', { name: /^SA — / }));
    },
  },
  { name: 'employees', path: '/staff/employees', as: 'admin' },
  { name: 'employees-hr', path: '/staff/employees', as: 'kadry' },
  { name: 'employee-new', path: '/staff/employees/new', as: 'admin' },
  {
    name: 'employee-new-errors',
    as: 'admin',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/employees/new');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'form-save'), exact: true }));
    },
  },
  {
    name: 'employee-edit',
    as: 'admin',
    open: async (page, lib) => {
      await lib.visit(page, '/staff/employees');
      return lib.submit(page, page.getByRole('link', { name: 'Kowalski Jan', exact: true }));
    },
  },
  { name: 'locations', path: '/staff/locations', as: 'admin' },
  { name: 'location-new', path: '/staff/locations/new', as: 'admin' },
  {
    name: 'location-new-errors',
    as: 'admin',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/locations/new');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'form-save'), exact: true }));
    },
  },
  {
    name: 'location-edit',
    as: 'admin',
    open: async (page, lib) => {
      await lib.visit(page, '/staff/locations');
      return lib.submit(page, page.getByRole('link', { name: 'Ratusz', exact: true }));
    },
  },

  // Correspondence register (incoming and outgoing items, attachments).
  { name: 'correspondence', path: '/staff/correspondence', as: 'obsluga' },
  { name: 'correspondence-manager-scope', path: '/staff/correspondence', as: 'kierownik' },
  { name: 'correspondence-filtered', path: '/staff/correspondence?channel=epuap&q=wniosek', as: 'obsluga' },
  { name: 'correspondence-new', path: '/staff/correspondence/new', as: 'obsluga' },
  {
    name: 'correspondence-new-errors',
    as: 'obsluga',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/correspondence/new');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'corr-register'), exact: true }));
    },
  },
  { name: 'correspondence-item', path: '/staff/correspondence/1', as: 'obsluga' },
  { name: 'correspondence-forbidden', path: '/staff/correspondence/6', as: 'kierownik', status: 403 },
  { name: 'correspondence-outgoing', path: '/staff/correspondence/outgoing', as: 'obsluga' },
  { name: 'correspondence-sorted', path: '/staff/correspondence?sort=sender&dir=asc', as: 'obsluga' },
  { name: 'correspondence-outgoing-sorted', path: '/staff/correspondence/outgoing?sort=delivered&dir=desc', as: 'kierownik' },
  { name: 'correspondence-outgoing-new', path: '/staff/correspondence/outgoing/new', as: 'obsluga' },
  {
    name: 'correspondence-outgoing-new-errors',
    as: 'obsluga',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/correspondence/outgoing/new');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'corr-register'), exact: true }));
    },
  },
  { name: 'correspondence-outgoing-item', path: '/staff/correspondence/outgoing/1', as: 'obsluga' },
  // Service cards (capability 2): the public catalogue and card, the API reference,
  // the staff list, editor (with the e-service form preview) and history.
  // BIP (src/bip).
  { name: 'bip-home', path: '/bip', as: null },
  { name: 'bip-section', path: '/bip/dzial/statut-regulamin', as: null },
  { name: 'bip-publication', path: '/bip/publikacje/8', as: null },
  { name: 'bip-version', path: '/bip/publikacje/8/wersje/1', as: null },
  { name: 'bip-print', path: '/bip/publikacje/8/druk', as: null },
  { name: 'bip-changes', path: '/bip/rejestr-zmian', as: null },
  { name: 'bip-removed', path: '/bip/usuniete', as: null },
  { name: 'bip-withheld', path: '/bip/informacje-nieudostepnione', as: null },
  { name: 'bip-editors', path: '/bip/redakcja', as: null },
  { name: 'bip-instruction', path: '/bip/instrukcja', as: null },
  { name: 'accessibility-declaration', path: '/deklaracja-dostepnosci', as: null },
  { name: 'staff-bip', path: '/staff/bip', as: 'redaktor' },
  { name: 'staff-bip-new', path: '/staff/bip/new', as: 'redaktor' },
  { name: 'staff-bip-edit', path: '/staff/bip/8', as: 'redaktor' },
  { name: 'staff-bip-preview', path: '/staff/bip/8/preview', as: 'redaktor' },
  { name: 'staff-bip-withheld', path: '/staff/bip/withheld', as: 'redaktor' },
  { name: 'staff-bip-settings', path: '/staff/bip/settings', as: 'admin' },
  { name: 'services', path: '/services', as: null },
  { name: 'services-search', path: '/services?q=zaswiadczenie', as: null },
  { name: 'services-everyday-words', path: '/services?q=meldunek&online=1', as: null },
  { name: 'services-nothing-found', path: '/services?q=xyzzy', as: null },
  { name: 'service-card', path: '/services/SA-2', as: null },
  { name: 'api-docs', path: '/api/v1/docs', as: null },
  { name: 'service-cards-staff', path: '/staff/service-cards', as: 'admin' },
  { name: 'service-cards-manager', path: '/staff/service-cards', as: 'kierownik' },
  { name: 'service-card-new', path: '/staff/service-cards/new', as: 'admin' },
  {
    name: 'service-card-new-errors',
    as: 'admin',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/service-cards/new');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'form-save'), exact: true }));
    },
  },
  { name: 'service-card-edit', path: '/staff/service-cards/SA-2', as: 'admin' },
  { name: 'service-card-history', path: '/staff/service-cards/SA-2/history', as: 'admin' },

  // E-service applications: the card's form (empty and with its errors), the
  // confirmation of filing and the status page of the case it registered.
  { name: 'eservice-apply', path: '/services/SA-2/apply', as: null },
  {
    name: 'eservice-apply-errors',
    as: null,
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/services/SA-2/apply');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'app-submit'), exact: true }));
    },
  },
  {
    name: 'eservice-confirmation',
    as: null,
    open: (page, lib) => lib.fileApplication(page),
  },
  {
    name: 'case-status-found',
    as: null,
    open: async (page, lib) => {
      await lib.fileApplication(page);
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('link', { name: lib.t(lang, 'app-check-status'), exact: true }));
    },
  },  // Appeals and ponaglenia (src/appeals/): the demo's ponaglenie 1 waits to be
  // forwarded; case 33 ("ul. Leśna 9") has a delivered decision to appeal against.
  { name: 'appeals', path: '/staff/appeals', as: 'urzednik' },
  { name: 'appeal-ponaglenie', path: '/staff/appeals/1', as: 'urzednik' },
  { name: 'case-appeals', path: '/staff/cases/33/appeals', as: 'urzednik' },
  {
    name: 'case-appeals-errors',
    as: 'urzednik',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/cases/33/appeals');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'appeal-register'), exact: true }));
    },
  },
  {
    name: 'appeal-ponaglenie-errors',
    as: 'urzednik',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/appeals/1');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'appeal-dispose-save'), exact: true }));
    },
  },

  // The officials' workbench and the case list sorted, with its bulk form (issue 15).
  { name: 'staff-home-official', path: '/staff', as: 'urzednik' },
  { name: 'staff-home-front-desk', path: '/staff', as: 'obsluga' },
  { name: 'cases-unassigned', path: '/staff/cases?view=unassigned', as: 'kierownik' },
  { name: 'cases-sorted-by-title', path: '/staff/cases?view=unit&status=all&sort=title&dir=desc', as: 'kierownik' },
  {
    name: 'cases-bulk-errors',
    as: 'kierownik',
    status: 422,
    open: async (page, lib) => {
      await lib.visit(page, '/staff/cases?view=unit');
      const lang = await lib.pageLang(page);
      return lib.submit(page, page.getByRole('button', { name: lib.t(lang, 'case-bulk-submit'), exact: true }));
    },
  },
  // Residents' ratings (src/satisfaction): the public results, the rating form of a
  // settled demo case (or its "rated already" notice once a run has rated it), and a head
  // of unit's figures.
  { name: 'satisfaction', path: '/satisfaction', as: null },
  {
    name: 'satisfaction-rate-case',
    as: null,
    open: (page, lib) => lib.visit(
      page,
      `/case-status/${lib.sql('SELECT tracking_code FROM case_file WHERE settled_on IS NOT NULL ORDER BY id LIMIT 1').trim()}/rating`,
    ),
  },
  { name: 'satisfaction-staff', path: '/staff/satisfaction', as: 'kierownik' },
  // Trends per quarter (decision 0051): the charts and tables of the public page and of
  // a head of unit's page, with the grouped comments.
  { name: 'satisfaction-quarters', path: '/satisfaction?per=quarter', as: null },
  { name: 'satisfaction-staff-trends', path: '/staff/satisfaction?per=quarter', as: 'kierownik' },
  // Problem reports and API keys (issue 12).
  { name: 'report-kinds', path: '/reports/new', as: null },
  { name: 'report-form', path: '/reports/new?service_code=DZIURA', as: null },
  { name: 'report-public', path: '/reports/1', as: null },
  { name: 'reports-staff', path: '/staff/reports?status=closed', as: 'urzednik' },
  { name: 'report-staff', path: '/staff/reports/1', as: 'urzednik' },
  { name: 'api-keys', path: '/staff/api-keys', as: 'admin' },
  // BIP search (src/bip/search_page.rs): results with marked words, nothing found,
  // a refused filter.
  { name: 'bip-search', path: '/bip/szukaj?q=regulamin+organizacyjny', as: null },
  { name: 'bip-search-nothing', path: '/bip/szukaj?q=hipopotam', as: null },
  { name: 'bip-search-bad-date', path: '/bip/szukaj?q=regulamin&from=jutro', as: null, status: 400 },
  // The installable site (src/pwa): the page the service worker shows offline.
  { name: 'pwa-offline', path: '/offline', as: null },
  // Report categories in the staff area (src/problem_reports/categories.rs).
  { name: 'report-categories', path: '/staff/report-categories', as: 'admin' },
  { name: 'report-category-new', path: '/staff/report-categories/new', as: 'admin' },
  { name: 'report-category-edit', path: '/staff/report-categories/1', as: 'admin' },
  // Intake (src/cases/demo.rs): a case with several parties and a pełnomocnik, its
  // party's edit form, one started ex officio, one left without examination.
  {
    name: 'case-parties',
    as: 'urzednik',
    open: (page, lib) => lib.visit(
      page,
      `/staff/cases/${lib.sql("SELECT id FROM case_file WHERE title LIKE 'Wymeldowanie z pobytu stałego na wniosek właściciela%' ORDER BY id LIMIT 1").trim()}`,
    ),
  },
  {
    name: 'case-party-edit',
    as: 'urzednik',
    open: (page, lib) => {
      const [c, p] = lib.sql("SELECT c.id || ',' || p.id FROM case_file c JOIN case_party p ON p.case_id = c.id WHERE c.title LIKE 'Wymeldowanie z pobytu stałego na wniosek właściciela%' AND p.position = 1 ORDER BY c.id LIMIT 1").trim().split(',');
      return lib.visit(page, `/staff/cases/${c}?party=${p}`);
    },
  },
  {
    name: 'case-ex-officio',
    as: 'urzednik',
    open: (page, lib) => lib.visit(
      page,
      `/staff/cases/${lib.sql("SELECT id FROM case_file WHERE ex_officio ORDER BY id LIMIT 1").trim()}`,
    ),
  },
  {
    name: 'case-left-unexamined',
    as: 'urzednik',
    open: (page, lib) => lib.visit(
      page,
      `/staff/cases/${lib.sql("SELECT id FROM case_file WHERE closing_kind = 'left_unexamined' ORDER BY id LIMIT 1").trim()}`,
    ),
  },
  // The service point's statistics (charts beside their tables; a refused range) and a
  // desk's rating tablet waiting for its next visit (decision 0041).
  { name: 'service-point-statistics', path: '/staff/service-points/1/statistics', as: 'kierownik' },
  {
    name: 'service-point-statistics-bad-range',
    path: '/staff/service-points/1/statistics?from=2026-12-08&to=2026-12-01',
    as: 'kierownik',
    status: 422,
  },
  { name: 'desk-tablet', path: '/service-points/1/desks/1/tablet', as: 'obsluga' },
  // News and announcements (src/news): the list and its second page, an item with its
  // picture, the editor's list, a new item, an item with pictures and its preview.
  { name: 'news', path: '/aktualnosci', as: null },
  { name: 'news-page-2', path: '/aktualnosci?strona=2', as: null },
  { name: 'news-item', path: '/aktualnosci/6', as: null },
  { name: 'staff-news', path: '/staff/news', as: 'redaktor' },
  { name: 'staff-news-new', path: '/staff/news/new', as: 'redaktor' },
  { name: 'staff-news-edit', path: '/staff/news/2', as: 'redaktor' },
  { name: 'staff-news-preview', path: '/staff/news/13/preview', as: 'redaktor' },
  // The demand for accessibility (OR-4), linked from the declaration's procedure.
  { name: 'accessibility-demand-card', path: '/services/OR-4', as: null },
  { name: 'accessibility-demand-form', path: '/services/OR-4/apply', as: null },
  // The office on the Fediverse (src/fediverse): the actor's profile page for people.
  { name: 'fediverse-profile', path: '/fediverse', as: null },
  // Survey campaigns (src/surveys): the list and builder, the paper entry and the
  // results of last year's demo survey (1), and this year's public answering page.
  { name: 'surveys', path: '/staff/surveys', as: 'jakosc' },
  { name: 'survey-campaign', path: '/staff/surveys/1', as: 'jakosc' },
  { name: 'survey-results', path: '/staff/surveys/1/results', as: 'jakosc' },
  { name: 'survey-paper', path: '/staff/surveys/2/paper', as: 'jakosc' },
  {
    name: 'survey-answer',
    as: null,
    open: (page, lib) => lib.visit(page, `/surveys/${lib.sql('SELECT slug FROM sv_campaign WHERE id = 2').trim()}`),
  },
  // RODO (src/rodo): the public information clause, and for the data protection
  // officer the overview (register, retention, last run), the clause's editor and an
  // entry of the register of processing activities.
  { name: 'rodo', path: '/rodo', as: null },
  { name: 'staff-rodo', path: '/staff/rodo', as: 'bezpieczenstwo' },
  { name: 'staff-rodo-clause', path: '/staff/rodo/clause', as: 'bezpieczenstwo' },
  { name: 'staff-rodo-activity-new', path: '/staff/rodo/activities/new', as: 'bezpieczenstwo' },
  { name: 'staff-rodo-activity', path: '/staff/rodo/activities/1', as: 'bezpieczenstwo' },
];
