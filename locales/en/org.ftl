# Org structure: office details, units, employees, locations.

org-title = Organisation
org-years-from = from { $from }
org-years-range = { $from }–{ $to }

## Office details

org-office-title = Office details
org-office-edit = Edit the office details
org-office-edit-title = Office details
org-office-group-name = Name
org-office-name = Full name of the office
org-office-short-name = Short name
org-office-short-name-hint = E.g. UM Borowiec. Used where the full name does not fit.
org-office-group-address = Address
org-address-street = Street and number
org-address-street-hint = E.g. ul. Poznańska 120 or Rynek 1.
org-address-postal-code = Postal code
org-address-postal-code-hint = As NN-NNN, e.g. 62-300.
org-address-city = Town
org-office-group-identifiers = Identification numbers
org-office-nip = NIP (tax number)
org-office-nip-hint = 10 digits; hyphens and a PL prefix are accepted.
org-office-regon = REGON (statistical number)
org-office-regon-hint = 9 digits (14 digits for a local unit).
org-office-group-contact = Contact
org-office-bip-url = BIP website address
org-office-bip-url-hint = The full address starting with https://, e.g. https://bip.borowiec.pl.
org-office-email = Office e-mail address
org-office-phone = Phone
org-office-epuap = ePUAP inbox address
org-office-epuap-hint = E.g. /umborowiec/SkrytkaESP.

org-nip-checksum = This NIP has a wrong check digit. Check it for typos.
org-nip-length = A NIP has 10 digits.
org-nip-invalid-character = A NIP may contain only digits (and hyphens, spaces and a PL prefix).
org-regon-checksum = This REGON has a wrong check digit. Check it for typos.
org-regon-length = A REGON has 9 or 14 digits.
org-regon-invalid-character = A REGON may contain only digits.
org-postal-code-format = Enter the postal code as NN-NNN, e.g. 62-300.
org-bip-url-invalid = Enter the full web address starting with https:// or http://.
org-epuap-invalid = An ePUAP inbox address starts with a slash and has no spaces, e.g. /umborowiec/SkrytkaESP.

## Org units

org-units-title = Org units
org-units-none = There are no org units yet.
org-units-scope-note = The units you head and the units below them are marked “in your scope”.
org-unit-add = Add a unit
org-unit-new-title = New org unit
org-unit-edit-title = Unit { $symbol }
org-unit-in-scope = in your scope
org-unit-not-current = not valid this year
org-unit-staff-count = { $count ->
    [one] { $count } employee
   *[other] { $count } employees
}
org-unit-symbol = Symbol
org-unit-symbol-hint = Capital letters and digits, e.g. SA; a section's symbol after a hyphen, e.g. WO-II. The symbol is part of case numbers.
org-unit-name = Name
org-unit-parent = Parent unit
org-unit-parent-none = — none (top level) —
org-unit-validity = Years the symbol is valid
org-unit-valid-from = From year
org-unit-valid-from-hint = A four-digit year, e.g. 2026.
org-unit-valid-to = To year
org-unit-valid-to-hint = Leave empty while the unit exists.

org-symbol-unit-empty = A unit symbol cannot start with a hyphen.
org-symbol-unit-too-long = The symbol is too long: at most 12 characters before the hyphen and 12 after it.
org-symbol-unit-start = A unit symbol must start with a capital letter.
org-symbol-unit-character = A symbol may contain only capital letters and digits, with a hyphen before a section's symbol.
org-symbol-subunit-empty = Enter the section's symbol after the hyphen, or remove the hyphen.
org-symbol-too-many-subunits = A symbol may contain only one hyphen (unit and section).
org-unit-symbol-taken = Another unit has this symbol in the same years. Choose another symbol or other years.
org-unit-parent-unknown = Choose the parent unit from the list.
org-unit-parent-cycle = A unit cannot be placed under itself or under any unit below it.
org-year-invalid = Enter a four-digit year, e.g. 2026.
org-unit-years-reversed = The end year cannot be before the start year.

## Employees

org-employees-title = Employees
org-employees-none = No employees to show.
org-employees-scope-note = You see the employees of the units in your scope and of the units below them.
org-employees-caption = Employees of the office
org-employees-caption-scoped = Employees of the units in your scope
org-employee-add = Add an employee
org-employee-new-title = New employee
org-employee-edit-title = Employee: { $name }
org-employee-group-person = Employee
org-employee-group-work = Unit and contact
org-employee-group-account = System account
org-employee-name = Name
org-employee-first-name = First name
org-employee-last-name = Last name
org-employee-position = Position
org-employee-initials = Initials
org-employee-initials-hint = 2 to 4 capital letters, e.g. JK. Initials are part of case numbers.
org-employee-unit = Org unit
org-employee-unit-choose = — choose a unit —
org-employee-email = Work e-mail address
org-employee-phone = Work phone
org-employee-contact = Contact
org-employee-account = Linked account
org-employee-account-hint = The account the employee signs in with. Only accounts not linked to another employee are listed.
org-employee-account-none = — no account —
org-employee-account-none-short = no account
org-employee-account-disabled = account disabled
org-employee-active = The employee works here (active)
org-employee-status = Status
org-employee-status-active = Active
org-employee-status-inactive = Inactive

org-employee-initials-invalid = Initials are 2 to 4 capital letters, without dots or digits, e.g. JK.
org-employee-unit-unknown = Choose the org unit from the list.
org-employee-unit-out-of-scope = You can assign an employee only to a unit in your scope.
org-employee-account-unavailable = This account does not exist or is already linked to another employee.

## Locations

org-locations-title = Locations
org-locations-none = There are no locations yet.
org-locations-caption = Office buildings and residents' service points
org-location-add = Add a location
org-location-new-title = New location
org-location-group-details = Location
org-location-kind = Kind
org-location-name = Name
org-location-name-hint = As residents will see it, e.g. Residents' Service Point in Galeria Borowiec.
org-location-directions = How to get there
org-location-directions-hint = Entrance, floor, room numbers — what a visitor looks for on site.
org-location-accessibility = Accessibility
org-location-accessibility-hint = E.g. step-free entrance, lift, induction loop, disabled parking.
org-location-active = The location is open
org-location-active-hint = Open locations and their hours are shown on the office's home page.
org-location-status = Status
org-location-status-active = Open
org-location-status-inactive = Closed
org-location-kind-unknown = Choose the kind of location from the list.

org-hours-title = Opening hours
org-hours-hint = For each day give the opening and closing time (HH:MM). Leave both empty when the location is closed that day.
org-hours-opens = Opens
org-hours-closes = Closes
org-hours-day-opens = { $day }, opens
org-hours-day-closes = { $day }, closes
org-hours-time-invalid = Enter the time as HH:MM, e.g. 07:30.
org-hours-order = The closing time must be later than the opening time.
org-hours-opens-missing = Give the opening time too, or remove the closing time.
org-hours-closes-missing = Give the closing time too, or remove the opening time.

org-closures-title = Closing days
org-closures-lead = Days the location is closed although it would normally be open, e.g. a day off for a holiday falling on a Saturday. Public holidays are known to the system already.
org-closures-none = No closing days are planned.
org-closures-caption = Closing days: { $name }
org-closures-actions = Actions
org-closure-day = Day
org-closure-reason = Reason
org-closure-reason-hint = Residents will see it with the closing notice.
org-closure-add-title = Add a closing day
org-closure-add = Add the closing day
org-closure-remove = Remove the closing day { $day }
org-closure-duplicate = This day is already a closing day of this location.

## Messages after saving

flash-org-office-saved = The office details have been saved.
flash-org-unit-created = The org unit has been added.
flash-org-unit-saved = The org unit has been saved.
flash-org-employee-created = The employee has been added.
flash-org-employee-saved = The employee has been saved.
flash-org-location-created = The location has been added. You can now add its closing days.
flash-org-location-saved = The location has been saved.
flash-org-closure-added = The closing day has been added.
flash-org-closure-removed = The closing day has been removed.
org-office-fee-account = Account for the stamp duty
org-office-fee-account-hint = The office's bank account (NRB, 26 digits) given with the stamp duty on cases and in summonses to pay (art. 8 of the Stamp Duty Act).
