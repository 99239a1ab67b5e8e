# Publiczne API: strona z opisem.

api-docs-title = Opis API
api-docs-lead = Interfejs programistyczny zwraca JSON i nie wymaga logowania. Dokument OpenAPI:
api-docs-operations = Operacje
api-docs-parameters = Parametry
api-docs-responses = Odpowiedzi
api-docs-schemas = Schematy danych
api-docs-name = Nazwa
api-docs-in = Miejsce
api-docs-type = Typ
api-docs-required = Wymagany
api-docs-description = Opis
api-docs-status = Kod
api-docs-body = Treść
api-docs-yes = tak
api-docs-no = nie

# Błędy API.
error-invalid-json = Treść nie jest poprawnym JSON-em w opisanym kształcie.
error-invalid-parameters = Parametr jest poza dozwolonym zakresem; szczegóły przy polach.
api-per-page-range = Od 1 do { $max }.
api-page-range = Od 1 do { $max }.
