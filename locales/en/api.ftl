# Public API: the reference page.

api-docs-title = API reference
api-docs-lead = The programming interface answers in JSON and needs no sign-in. The OpenAPI document:
api-docs-operations = Operations
api-docs-parameters = Parameters
api-docs-responses = Responses
api-docs-schemas = Data schemas
api-docs-name = Name
api-docs-in = In
api-docs-type = Type
api-docs-required = Required
api-docs-description = Description
api-docs-status = Status
api-docs-body = Body
api-docs-yes = yes
api-docs-no = no

# Errors of the API.
error-invalid-json = The body is not valid JSON of the documented shape.
error-invalid-parameters = A parameter is out of its allowed range; see the fields.
api-per-page-range = Between 1 and { $max }.
api-page-range = Between 1 and { $max }.

# The residents' app API (src/api/resident.rs).
error-invalid-token = Sign in first: the bearer token is missing, unknown, expired or signed out.
error-invalid-email = The e-mail address is not valid; see the fields.
error-invalid-code = The sign-in code does not work; see the fields.
error-invalid-report = The report does not meet the rules; see the fields.
resident-api-link-sent = If the address is correct, a sign-in link is on its way to it. Open it in the app, or give the app the link from the letter.
resident-api-code-invalid = This code is unknown, used already or expired. Ask for a new link.
