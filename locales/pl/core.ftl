# Wspólne: układ strony, nawigacja, formularze, błędy.
skip-to-content = Przejdź do treści
footer-powered-by = System Magistrat
nav-staff-login = Logowanie pracowników
nav-logout = Wyloguj
nav-more = Więcej
nav-staff-label = Menu pracownika
nav-staff-home = Pulpit
nav-org = Struktura organizacyjna
nav-employees = Pracownicy
nav-locations = Lokalizacje
nav-users = Konta użytkowników
nav-audit = Dziennik zdarzeń

form-required = To pole jest wymagane.
form-too-long = Tekst jest za długi.
form-email-invalid = Podaj adres e-mail w formacie nazwa@domena.pl.
form-date-invalid = Podaj datę w formacie RRRR-MM-DD.
form-number-invalid = Podaj liczbę całkowitą.
form-time-invalid = Podaj godzinę w postaci GG:MM, np. 9:30.
form-number-range = Ta liczba jest poza dozwolonym zakresem.
form-choice-unknown = Wybierz jedną z podanych możliwości.
form-error-summary = Formularz zawiera błędy
form-save = Zapisz
form-cancel = Anuluj

weekday-1 = Poniedziałek
weekday-2 = Wtorek
weekday-3 = Środa
weekday-4 = Czwartek
weekday-5 = Piątek
weekday-6 = Sobota
weekday-7 = Niedziela

error-title-400 = Nieprawidłowe żądanie
error-title-401 = Wymagane logowanie
error-title-403 = Brak dostępu
error-title-404 = Nie znaleziono strony
error-title-405 = Niedozwolona metoda
error-title-408 = Przekroczono czas
error-title-409 = Konflikt
error-title-413 = Za duże dane
error-title-415 = Nieobsługiwany format
error-title-422 = Nieprawidłowe dane
error-title-429 = Za dużo prób
error-title-500 = Błąd serwera
error-title-other = Błąd { $status }
error-status = Kod błędu: { $status }
error-go-home = Przejdź do strony głównej
error-bad-request = Żądanie jest nieprawidłowe. Sprawdź dane i spróbuj ponownie.
error-login-required = Zaloguj się, aby zobaczyć tę stronę.
error-session-expired = Sesja wygasła. Zaloguj się ponownie.
error-forbidden = Nie masz uprawnień do tej strony lub czynności. Próba została odnotowana.
error-csrf = Formularz wygasł lub nie pochodzi z tej strony. Wróć, odśwież stronę i wyślij go ponownie.
error-not-found = Nie ma takiej strony. Sprawdź adres lub przejdź do strony głównej.
error-method-not-allowed = Ta strona nie obsługuje takiego żądania.
error-payload-too-large = Przesłane dane są za duże.
error-unsupported-media-type = Nieobsługiwany format przesłanych danych.
error-too-many-requests = Za dużo prób w krótkim czasie. Odczekaj chwilę i spróbuj ponownie.
error-too-many-requests-wait = Za dużo prób w krótkim czasie. Spróbuj ponownie za { $seconds } s.
error-timeout = Serwer nie zdążył odpowiedzieć. Spróbuj ponownie.
error-internal = Wystąpił błąd po naszej stronie. Spróbuj ponownie za chwilę; jeśli błąd się powtórzy, skontaktuj się z urzędem.
error-conflict = Tej zmiany nie można wykonać.
error-control-characters = Przesłane dane zawierają niedozwolone znaki sterujące (np. znak NUL). Usuń je i spróbuj ponownie.
error-control-characters-field = Pole zawiera niedozwolone znaki sterujące (dozwolone są tylko tabulator i znaki nowego wiersza).

flash-signed-out = Wylogowano.
flash-saved = Zapisano zmiany.
flash-user-created = Utworzono konto.
flash-user-saved = Zapisano zmiany konta.
flash-user-disabled = Konto zostało wyłączone, a jego sesje zakończone.
flash-user-enabled = Konto zostało włączone.

# Używane w teście odmiany liczebników.
test-plural-events = { $count ->
    [one] { $count } zdarzenie
    [few] { $count } zdarzenia
   *[many] { $count } zdarzeń
}

# How a letter or a case reached the office (src/platform/channel.rs), one list for
# the correspondence register and the case register.
channel-counter = Osobiście w urzędzie (kancelaria, do protokołu)
channel-post = Poczta
channel-email = Poczta elektroniczna
channel-epuap = ePUAP
channel-edoreczenia = e-Doręczenia
channel-eservice = E-usługa urzędu
# The start of the title of a page sent back with errors („Błąd: Nowa sprawa — …”).
form-error-title = Błąd

# On English pages, before the office's own content (WCAG 3.1.2).
content-in-polish = Treść poniżej jest w języku polskim.

# Odnośniki do udostępnienia publikacji BIP i aktualności (bez skryptów zewnętrznych).
share-label = Udostępnij tę stronę
share-heading = Udostępnij
share-email = Wyślij odnośnik e-mailem
share-mastodon = Udostępnij na Mastodonie ({ $host })
