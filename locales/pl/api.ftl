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

# API aplikacji mieszkańca (src/api/resident.rs).
error-invalid-token = Najpierw się zaloguj: brak tokenu, token jest nieznany, wygasł albo nastąpiło wylogowanie.
error-invalid-email = Adres e-mail jest nieprawidłowy; szczegóły przy polach.
error-invalid-code = Kod logowania nie działa; szczegóły przy polach.
error-invalid-report = Zgłoszenie nie spełnia zasad; szczegóły przy polach.
resident-api-link-sent = Jeśli adres jest poprawny, wysłaliśmy na niego link do logowania. Otwórz go w aplikacji albo przekaż aplikacji link z listu.
resident-api-code-invalid = Ten kod jest nieznany, został już użyty albo wygasł. Poproś o nowy link.
