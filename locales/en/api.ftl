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
