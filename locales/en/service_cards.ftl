# Service cards: the public catalogue, editing, files, e-service forms.

sc-catalogue-title = Service cards
sc-catalogue-lead = How to get a matter done at the office: documents needed, fees, deadlines and forms to download.
sc-search-label = Search for a matter (e.g. certificate, ID card, tax)
sc-search = Search
sc-all-units = All departments
sc-found = { $count ->
    [one] 1 service card found.
   *[other] { $count } service cards found.
}
sc-none-found = No service cards found. Try another word or choose all departments.
sc-none-found-for = We found no matter for “{ $query }”. Try another, shorter word (e.g. “meldunek”, “podatki”, “odpady”), choose all departments or look at the most common matters below.
sc-suggestions = Most common matters
sc-found-some-words = { $count ->
    [one] No card has every word you typed. 1 card with some of them found.
   *[other] No card has every word you typed. { $count } cards with some of them found.
}
sc-online-only = Only matters that can be done online
sc-do-online = Do it online
sc-do-online-hint = Fill in the application on this site, without visiting the office.
sc-badge-online = Online
sc-keywords = Keywords
sc-keywords-hint = Words residents search this matter by that its name does not use, separated by commas, e.g. “meldunek, wycinka drzew, śmieci”.
sc-pages = Result pages
sc-card = Service card
sc-legal-basis = Legal basis
sc-where = Where to go
sc-room = Room
sc-room-hint = E.g. ground floor, room 4.
sc-hours-note = Hours (if different from the office's)
sc-phone = Phone
sc-email = E-mail
sc-documents = Required documents
sc-doc-name = Document
sc-doc-kind = Form
sc-doc-kind-original = original
sc-doc-kind-copy = copy
sc-doc-kind-certified-copy = certified copy
sc-doc-kind-to-show = to show only
sc-fees = Fees
sc-no-fees = There is no fee.
sc-fee-description = Fee
sc-fee-amount = Amount
sc-fee-account = Account number
sc-deadline = Time to settle the matter
sc-deadline-rule = Statutory term
sc-appeal = Appeal procedure
sc-channels = How to apply
sc-channel-counter = in person at the office
sc-channel-post = by post
sc-channel-email = by e-mail
sc-channel-eservice = online through this site's e-service
sc-remarks = Remarks
sc-files = Forms to download
sc-eform = Online form
sc-eform-lead = You can apply online. The form has these fields:
sc-required = required
sc-updated = Card last changed
sc-case-kind-administrative-simple = case needing an investigation (1 month)
sc-case-kind-administrative-complex = particularly complicated case (2 months)
sc-case-kind-administrative-immediate = case settled immediately
sc-case-kind-appeal = appeal (1 month)
sc-case-kind-certificate = certificate (7 days)
sc-case-kind-complaint-or-motion = complaint or motion (1 month)
sc-case-kind-petition = petition (3 months)
sc-case-kind-public-information = access to public information (14 days)
sc-case-kind-public-information-appeal = appeal against a refusal of public information (14 days)
sc-case-kind-accessibility-demand = digital accessibility demand (7 days)

## Staff pages

sc-staff-title = Service cards
sc-staff-caption = Service cards you may edit
sc-new = Add a service card
sc-new-title = New service card
sc-edit-title = Service card { $code }
sc-code = Card code
sc-code-hint = The department's symbol, a dash and a number, e.g. SA-14.
sc-name = Name of the service
sc-description = Short description
sc-unit = Responsible department
sc-location = Building
sc-location-none = (not given)
sc-case-kind = Kind of case for the deadline
sc-case-kind-hint = The system computes the statutory term from it.
sc-deadline-hint = As residents should read it, e.g. "within 7 days".
sc-status = Status
sc-status-published = published
sc-status-draft = draft (not public)
sc-history = Change history
sc-view-public = see the public page
sc-publish = Publish
sc-unpublish = Withdraw
sc-choose = (choose)
sc-rows-hint = One item per row. To add, fill in the empty row; to remove, clear the row.
sc-fees-hint = Amount in złoty, e.g. 17 or 17.00; account as NRB (26 digits) or IBAN with PL. To remove a fee, clear its row.
sc-legal-basis-row = Act { $row }
sc-doc-name-row = Document { $row }
sc-doc-kind-row = Form of document { $row }
sc-fee-description-row = Fee { $row }: name
sc-fee-amount-row = Fee { $row }: amount (zł)
sc-fee-account-row = Fee { $row }: account number
sc-row-label = { $field }, row { $row }
sc-row-legal-basis = Legal basis
sc-row-doc-name = Document
sc-row-doc-kind = Form of document
sc-row-fee-description = Fee name
sc-row-fee-amount = Amount
sc-row-fee-account = Account number
sc-form-definition = Or paste a form definition as JSON (replaces the fields above)
sc-form-definition-hint = Usually leave empty. Keys: name, type (text, textarea, email, phone, date, number, pesel, nip, regon, postal_code, select, checkbox, file), label (pl, en), help, required, max_length, options; attachments: max_files, max_size_bytes, allowed_types.
sc-definition-error-at = Line { $line }: { $message }
sc-preview = E-service form preview
sc-preview-hint = This is how residents will see the form (inputs disabled here).
sc-file = Form file
sc-file-title = Name of the form
sc-file-name = File
sc-file-hint = PDF, ODT, DOCX, DOC or RTF, at most 5 MB.
sc-file-upload = Add file
sc-file-remove = Remove
sc-history-title = Change history of card { $code }
sc-history-changes = Changed fields
sc-history-field = Field
sc-history-before = Before
sc-history-after = After
sc-history-create = card created
sc-history-update = card changed
sc-history-publish = published
sc-history-unpublish = withdrawn
sc-history-file-add = file added
sc-history-file-remove = file removed

## Card form errors

sc-code-format = The code must be the chosen department's symbol, a dash and a number from 1 to 999, e.g. SA-14.
sc-code-taken = A card with this code already exists.
sc-unit-invalid = Choose a department whose cards you may edit.
sc-location-invalid = Choose a building from the list.
sc-phone-invalid = A phone number may contain only digits, spaces, +, - and brackets.
sc-case-kind-invalid = Choose a kind of case from the list.
sc-channel-required = Tick at least one way to apply.
sc-eservice-needs-form = An e-service needs a form definition.
sc-eservice-needs-jrwa = An e-service needs a JRWA class: filed applications are registered under it.
sc-jrwa-invalid = Choose a leaf class of this year's filing plan.
sc-field-jrwa = JRWA class of e-service cases
sc-field-jrwa-hint = Cases from applications filed through the e-service are registered under this class of the filing plan (case reference, archival category).
sc-jrwa-none = — none —
sc-too-many-rows = Too many rows (at most 50 per list).
sc-doc-kind-invalid = Choose the form of the document from the list.
sc-fee-amount-invalid = Enter an amount in złoty, e.g. 17 or 17.50.
sc-account-checksum = This account number has wrong check digits. Check for a typo.
sc-account-format = An account number is 26 digits (NRB), optionally with the PL prefix.
sc-file-title-required = Give the form a name.
file-missing = Choose a file.
file-empty = The file is empty.
file-too-large = The file is too large (at most 5 MB).
file-wrong-type = This file is not a PDF, ODT, DOCX, DOC or RTF document.
file-name-mismatch = The file name's extension does not match its content.

## E-service form definition

eform-def-too-large = The definition is too large.
eform-def-syntax = This is not valid definition JSON (check commas, quotes and key names).
eform-def-no-fields = A form needs at least one field.
eform-def-too-many-fields = A form may have at most 60 fields.
eform-def-bad-name = Field name: lowercase Latin letters, digits and _, starting with a letter, at most 40 characters.
eform-def-duplicate-name = Two fields have the same name.
eform-def-unknown-type = Unknown field type.
eform-def-missing-label = A field needs a Polish label.
eform-def-text-too-long = A field's label or help is too long.
eform-def-bad-max-length = Invalid maximum length of a field.
eform-def-bad-options = A select needs options with non-empty, unique values and labels.
eform-def-options-not-allowed = Only a select field may have options.
eform-def-file-without-attachments = A file field needs attachment rules that allow a file.
eform-def-bad-attachments = Invalid attachment rules (at most 20 files of 20 MB, with a list of types).
eform-def-unknown-file-type = Unknown file type in allowed_types (allowed: pdf, odt, docx, doc, rtf, jpg, png).
eform-preview = Form preview

## Filled-in e-service form errors

eform-required = This field is required.
eform-too-long = The text is too long.
eform-invalid-characters = The text contains characters that are not allowed.
eform-unknown-field = The form has no such field.
eform-email = Enter an e-mail address like name@domain.pl.
eform-phone = Enter a phone number (9–15 digits).
eform-date-format = Enter the date as YYYY-MM-DD.
eform-date-range = The date must be between 1900 and 2100.
eform-number = Enter a number, e.g. 12 or 12.5.
eform-pesel-format = A PESEL is 11 digits.
eform-pesel-checksum = This PESEL has a wrong check digit.
eform-pesel-birth-date = This PESEL encodes a date of birth that does not exist.
eform-nip-format = A NIP is 10 digits.
eform-nip-checksum = This NIP has a wrong check digit.
eform-regon-format = A REGON is 9 or 14 digits.
eform-regon-checksum = This REGON has a wrong check digit.
eform-postal-code-format = Enter the postal code as NN-NNN, e.g. 62-300.
eform-invalid-choice = Choose one of the options given.

flash-sc-created = Service card added.
flash-sc-saved = Service card saved.
flash-sc-published = Service card published.
flash-sc-unpublished = Service card withdrawn.
flash-sc-file-added = File added.
flash-sc-file-removed = File removed.
nav-service-cards = Service cards
home-services = How to get things done
home-services-lead = Service cards: documents, fees, deadlines and forms.
home-services-search = Search for a matter

## E-service form editor

sc-fd-title = E-service form
sc-fd-hint = Each row is one field of the form. To add a field, fill in the empty row; to remove one, clear its name and labels. Without fields the matter cannot be filed online.
sc-fd-row = Field { $row }
sc-fd-name = Name (identifier)
sc-fd-type = Type
sc-fd-label-pl = Polish label
sc-fd-label-en = English label
sc-fd-help-pl = Polish help
sc-fd-help-en = English help
sc-fd-required = Required
sc-fd-max-length = Maximum characters
sc-fd-options = Select options
sc-fd-options-hint = Options (select only): one a line, as "value | Polish label | English label".
sc-fd-type-text = text
sc-fd-type-textarea = multi-line text
sc-fd-type-email = e-mail
sc-fd-type-phone = phone
sc-fd-type-date = date
sc-fd-type-number = number
sc-fd-type-pesel = PESEL
sc-fd-type-nip = NIP
sc-fd-type-regon = REGON
sc-fd-type-postal-code = postal code
sc-fd-type-select = select
sc-fd-type-checkbox = checkbox (consent)
sc-fd-type-file = file
sc-att-title = Attachments
sc-att-max-files = Most files
sc-att-max-size-mb = Largest file (MB)
sc-row-fd-name = Field name
sc-row-fd-type = Field type
sc-row-fd-label-pl = Field label
sc-row-fd-max-length = Maximum characters
sc-row-fd-options = Field options
sc-row-att-max-files = Attachments
