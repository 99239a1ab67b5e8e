# Shared: page layout, navigation, forms, errors.
skip-to-content = Skip to content
footer-powered-by = Magistrat system
nav-staff-login = Staff sign-in
nav-logout = Sign out
nav-more = More
nav-staff-label = Staff menu
nav-staff-home = Dashboard
nav-org = Organisation
nav-employees = Employees
nav-locations = Locations
nav-users = User accounts
nav-audit = Audit trail

form-required = This field is required.
form-too-long = The text is too long.
form-email-invalid = Enter an e-mail address like name@example.com.
form-date-invalid = Enter a date as YYYY-MM-DD.
form-number-invalid = Enter a whole number.
form-time-invalid = Enter a time as HH:MM, for example 9:30.
form-number-range = This number is outside the allowed range.
form-choice-unknown = Choose one of the options given.
form-error-summary = There is a problem with the form
form-save = Save
form-cancel = Cancel

weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday

error-title-400 = Bad request
error-title-401 = Sign-in required
error-title-403 = Access denied
error-title-404 = Page not found
error-title-405 = Method not allowed
error-title-408 = Request timed out
error-title-409 = Conflict
error-title-413 = Too much data
error-title-415 = Unsupported format
error-title-422 = Invalid data
error-title-429 = Too many attempts
error-title-500 = Server error
error-title-other = Error { $status }
error-status = Error code: { $status }
error-go-home = Go to the home page
error-bad-request = The request is not valid. Check the data and try again.
error-login-required = Sign in to see this page.
error-session-expired = Your session has expired. Please sign in again.
error-forbidden = You are not allowed to open this page or do this. The attempt has been recorded.
error-csrf = The form has expired or did not come from this site. Go back, reload the page and send it again.
error-not-found = There is no such page. Check the address or go to the home page.
error-method-not-allowed = This page does not accept that kind of request.
error-payload-too-large = The data sent is too large.
error-unsupported-media-type = The data sent is in a format we do not accept.
error-too-many-requests = Too many attempts in a short time. Wait a moment and try again.
error-too-many-requests-wait = Too many attempts in a short time. Try again in { $seconds } s.
error-timeout = The server did not answer in time. Please try again.
error-internal = Something went wrong on our side. Try again in a moment; if it happens again, contact the office.
error-conflict = This change cannot be made.
error-control-characters = The data sent contains control characters that are not allowed (such as NUL). Remove them and try again.
error-control-characters-field = This field contains control characters that are not allowed (only tab and line breaks are).

flash-signed-out = You have signed out.
flash-saved = Changes saved.
flash-user-created = Account created.
flash-user-saved = Account changes saved.
flash-user-disabled = The account has been disabled and its sessions ended.
flash-user-enabled = The account has been enabled.

# Used by the plural test.
test-plural-events = { $count ->
    [one] { $count } event
   *[other] { $count } events
}

# How a letter or a case reached the office (src/platform/channel.rs), one list for
# the correspondence register and the case register.
channel-counter = In person at the office (front desk, to the record)
channel-post = Post
channel-email = E-mail
channel-epuap = ePUAP
channel-edoreczenia = e-Doręczenia
channel-eservice = The office's e-service
# The start of the title of a page sent back with errors ("Error: New case — …").
form-error-title = Error

# On English pages, before the office's own content (WCAG 3.1.2).
content-in-polish = The content below is in Polish, as the office publishes it.

# Share links of a BIP publication and a news item (no third-party scripts).
share-label = Share this page
share-heading = Share
share-email = Send the link by e-mail
share-mastodon = Share on Mastodon ({ $host })
