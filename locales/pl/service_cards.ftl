# Karty usług: katalog publiczny, edycja, pliki, formularze e-usług.

sc-catalogue-title = Karty usług
sc-catalogue-lead = Jak załatwić sprawę w urzędzie: potrzebne dokumenty, opłaty, terminy i formularze do pobrania.
sc-search-label = Szukaj sprawy (np. zaświadczenie, dowód, podatek)
sc-search = Szukaj
sc-all-units = Wszystkie komórki
sc-found = { $count ->
    [one] Znaleziono 1 kartę usługi.
    [few] Znaleziono { $count } karty usług.
   *[other] Znaleziono { $count } kart usług.
}
sc-none-found = Nie znaleziono kart usług. Spróbuj innego słowa albo wybierz wszystkie komórki.
sc-none-found-for = Nie znaleziono sprawy pasującej do „{ $query }”. Spróbuj innego, krótszego słowa (np. „meldunek”, „podatki”, „odpady”), wybierz wszystkie komórki albo zajrzyj do spraw załatwianych najczęściej poniżej.
sc-suggestions = Najczęściej załatwiane sprawy
sc-found-some-words = { $count ->
    [one] Żadna karta nie ma wszystkich wpisanych słów. Znaleziono 1 kartę z częścią z nich.
    [few] Żadna karta nie ma wszystkich wpisanych słów. Znaleziono { $count } karty z częścią z nich.
   *[other] Żadna karta nie ma wszystkich wpisanych słów. Znaleziono { $count } kart z częścią z nich.
}
sc-online-only = Tylko sprawy do załatwienia przez internet
sc-do-online = Załatw przez internet
sc-do-online-hint = Wypełnij wniosek na tej stronie, bez wizyty w urzędzie.
sc-badge-online = Przez internet
sc-keywords = Słowa kluczowe
sc-keywords-hint = Słowa, którymi mieszkańcy szukają tej sprawy, a których nie ma w nazwie, oddzielone przecinkami, np. „meldunek, wycinka drzew, śmieci”.
sc-pages = Strony wyników
sc-card = Karta usługi
sc-legal-basis = Podstawa prawna
sc-where = Gdzie załatwić sprawę
sc-room = Pokój
sc-room-hint = Np. parter, pokój 4.
sc-hours-note = Godziny przyjęć (jeśli inne niż urzędu)
sc-phone = Telefon
sc-email = E-mail
sc-documents = Wymagane dokumenty
sc-doc-name = Dokument
sc-doc-kind = Forma
sc-doc-kind-original = oryginał
sc-doc-kind-copy = kopia
sc-doc-kind-certified-copy = kopia poświadczona za zgodność z oryginałem
sc-doc-kind-to-show = do wglądu
sc-fees = Opłaty
sc-no-fees = Sprawa jest wolna od opłat.
sc-fee-description = Opłata
sc-fee-amount = Kwota
sc-fee-account = Numer rachunku
sc-deadline = Termin załatwienia sprawy
sc-deadline-rule = Termin ustawowy
sc-appeal = Tryb odwoławczy
sc-channels = Jak złożyć wniosek
sc-channel-counter = osobiście w urzędzie
sc-channel-post = pocztą
sc-channel-email = e-mailem
sc-channel-eservice = przez e-usługę na tej stronie
sc-remarks = Uwagi
sc-files = Formularze do pobrania
sc-eform = Formularz elektroniczny
sc-eform-lead = Wniosek można złożyć przez internet. Formularz zawiera pola:
sc-required = wymagane
sc-updated = Ostatnia zmiana karty
sc-case-kind-administrative-simple = sprawa wymagająca postępowania wyjaśniającego (1 miesiąc)
sc-case-kind-administrative-complex = sprawa szczególnie skomplikowana (2 miesiące)
sc-case-kind-administrative-immediate = sprawa załatwiana niezwłocznie
sc-case-kind-appeal = odwołanie (1 miesiąc)
sc-case-kind-certificate = zaświadczenie (7 dni)
sc-case-kind-complaint-or-motion = skarga lub wniosek (1 miesiąc)
sc-case-kind-petition = petycja (3 miesiące)
sc-case-kind-public-information = dostęp do informacji publicznej (14 dni)
sc-case-kind-public-information-appeal = odwołanie od odmowy informacji publicznej (14 dni)
sc-case-kind-accessibility-demand = żądanie zapewnienia dostępności cyfrowej (7 dni)
sc-case-kind-special-needs-accessibility-demand = żądanie zapewnienia dostępności architektonicznej lub informacyjno-komunikacyjnej (14 dni)

## Strony pracowników

sc-staff-title = Karty usług
sc-staff-caption = Karty usług, które możesz edytować
sc-new = Dodaj kartę usługi
sc-new-title = Nowa karta usługi
sc-edit-title = Karta usługi { $code }
sc-code = Symbol karty
sc-code-hint = Symbol komórki, łącznik i numer, np. SA-14.
sc-name = Nazwa usługi
sc-description = Krótki opis
sc-unit = Komórka odpowiedzialna
sc-location = Budynek
sc-location-none = (nie podano)
sc-case-kind = Rodzaj sprawy dla terminu
sc-case-kind-hint = Z niego system liczy termin ustawowy sprawy.
sc-deadline-hint = Tak, jak ma zobaczyć mieszkaniec, np. „do 7 dni”.
sc-status = Stan
sc-status-published = opublikowana
sc-status-draft = robocza (niewidoczna publicznie)
sc-history = Historia zmian
sc-yes = tak
sc-no = nie
sc-view-public = zobacz stronę publiczną
sc-publish = Opublikuj
sc-unpublish = Wycofaj z publikacji
sc-choose = (wybierz)
sc-rows-hint = Każdy wiersz to jedna pozycja. Aby dodać, wypełnij pusty wiersz; aby usunąć, wyczyść wiersz.
sc-fees-hint = Kwota w złotych, np. 17 albo 17,00; numer rachunku NRB (26 cyfr) lub IBAN z PL. Aby usunąć opłatę, wyczyść wiersz.
sc-legal-basis-row = Akt prawny { $row }
sc-doc-name-row = Dokument { $row }
sc-doc-kind-row = Forma dokumentu { $row }
sc-fee-description-row = Opłata { $row }: nazwa
sc-fee-amount-row = Opłata { $row }: kwota (zł)
sc-fee-account-row = Opłata { $row }: numer rachunku
sc-row-label = { $field }, wiersz { $row }
sc-row-legal-basis = Podstawa prawna
sc-row-doc-name = Dokument
sc-row-doc-kind = Forma dokumentu
sc-row-fee-description = Nazwa opłaty
sc-row-fee-amount = Kwota
sc-row-fee-account = Numer rachunku
sc-form-definition = Albo wklej definicję formularza w JSON (zastępuje pola powyżej)
sc-form-definition-hint = Zwykle zostaw puste. Klucze: name, type (text, textarea, email, phone, date, number, pesel, nip, regon, postal_code, select, checkbox, file), label (pl, en), help, required, max_length, options; attachments: max_files, max_size_bytes, allowed_types.
sc-definition-error-at = Wiersz { $line }: { $message }
sc-preview = Podgląd formularza e-usługi
sc-preview-hint = Tak zobaczy formularz mieszkaniec (pola są tu nieaktywne).
sc-file = Plik formularza
sc-file-title = Nazwa formularza
sc-file-name = Plik
sc-file-hint = PDF, ODT, DOCX, DOC albo RTF, najwyżej 5 MB.
sc-file-upload = Dodaj plik
sc-file-remove = Usuń
sc-history-title = Historia zmian karty { $code }
sc-history-changes = Zmienione pola
sc-history-field = Pole
sc-history-before = Było
sc-history-after = Jest
sc-history-create = utworzenie karty
sc-history-update = zmiana karty
sc-history-publish = publikacja
sc-history-unpublish = wycofanie z publikacji
sc-history-file-add = dodanie pliku
sc-history-file-remove = usunięcie pliku

## Błędy formularza karty

sc-code-format = Symbol musi składać się z symbolu wybranej komórki, łącznika i numeru od 1 do 999, np. SA-14.
sc-code-taken = Karta o tym symbolu już istnieje.
sc-unit-invalid = Wybierz komórkę, której karty możesz edytować.
sc-location-invalid = Wybierz budynek z listy.
sc-phone-invalid = Numer telefonu może zawierać tylko cyfry, spacje, +, - i nawiasy.
sc-case-kind-invalid = Wybierz rodzaj sprawy z listy.
sc-channel-required = Zaznacz co najmniej jeden sposób złożenia wniosku.
sc-eservice-needs-form = E-usługa wymaga definicji formularza.
sc-eservice-needs-jrwa = E-usługa wymaga klasy JRWA: pod nią rejestrowane są złożone wnioski.
sc-jrwa-invalid = Wybierz klasę końcową z tegorocznego wykazu akt.
sc-field-jrwa = Klasa JRWA spraw z e-usługi
sc-field-jrwa-hint = Pod tą klasą wykazu akt rejestrowane są sprawy z wniosków złożonych przez e-usługę (znak sprawy, kategoria archiwalna).
sc-jrwa-none = — brak —
sc-too-many-rows = Za dużo wierszy (najwyżej 50 na listę).
sc-doc-kind-invalid = Wybierz formę dokumentu z listy.
sc-fee-amount-invalid = Wpisz kwotę w złotych, np. 17 albo 17,50.
sc-account-checksum = Ten numer rachunku ma błędne cyfry kontrolne. Sprawdź, czy nie ma literówki.
sc-account-format = Numer rachunku to 26 cyfr (NRB), można z przedrostkiem PL.
sc-file-title-required = Podaj nazwę formularza.
file-missing = Wybierz plik.
file-empty = Plik jest pusty.
file-too-large = Plik jest za duży (najwyżej 5 MB).
file-wrong-type = Ten plik nie jest dokumentem PDF, ODT, DOCX, DOC ani RTF.
file-name-mismatch = Rozszerzenie nazwy pliku nie zgadza się z jego zawartością.

## Definicja formularza e-usługi

eform-def-too-large = Definicja jest za duża.
eform-def-syntax = To nie jest poprawny JSON definicji (sprawdź przecinki, cudzysłowy i nazwy kluczy).
eform-def-no-fields = Formularz musi mieć co najmniej jedno pole.
eform-def-too-many-fields = Formularz może mieć najwyżej 60 pól.
eform-def-bad-name = Nazwa pola: małe litery łacińskie, cyfry i _, zaczyna się od litery, najwyżej 40 znaków.
eform-def-duplicate-name = Dwa pola mają tę samą nazwę.
eform-def-unknown-type = Nieznany typ pola.
eform-def-missing-label = Pole musi mieć etykietę po polsku.
eform-def-text-too-long = Etykieta lub pomoc pola jest za długa.
eform-def-bad-max-length = Niepoprawna maksymalna długość pola.
eform-def-bad-options = Lista wyboru musi mieć opcje z niepustymi, niepowtarzającymi się wartościami i etykietami.
eform-def-options-not-allowed = Opcje może mieć tylko pole typu select.
eform-def-file-without-attachments = Pole plikowe wymaga reguł załączników (attachments) dopuszczających plik.
eform-def-bad-attachments = Reguły załączników są niepoprawne (najwyżej 20 plików po 20 MB, z listą typów).
eform-def-unknown-file-type = Nieznany typ pliku w allowed_types (dozwolone: pdf, odt, docx, doc, rtf, jpg, png).
eform-preview = Podgląd formularza

## Błędy wypełnionego formularza e-usługi

eform-required = To pole jest wymagane.
eform-too-long = Tekst jest za długi.
eform-invalid-characters = Tekst zawiera niedozwolone znaki.
eform-unknown-field = Formularz nie ma takiego pola.
eform-email = Wpisz adres e-mail w postaci nazwa@domena.pl.
eform-phone = Wpisz numer telefonu (9–15 cyfr).
eform-date-format = Wpisz datę w postaci RRRR-MM-DD.
eform-date-range = Data musi być między 1900 a 2100 rokiem.
eform-number = Wpisz liczbę, np. 12 albo 12,5.
eform-pesel-format = PESEL to 11 cyfr.
eform-pesel-checksum = Ten PESEL ma błędną cyfrę kontrolną.
eform-pesel-birth-date = Ten PESEL zawiera nieistniejącą datę urodzenia.
eform-nip-format = NIP to 10 cyfr.
eform-nip-checksum = Ten NIP ma błędną cyfrę kontrolną.
eform-regon-format = REGON to 9 albo 14 cyfr.
eform-regon-checksum = Ten REGON ma błędną cyfrę kontrolną.
eform-postal-code-format = Wpisz kod pocztowy w postaci NN-NNN, np. 62-300.
eform-invalid-choice = Wybierz jedną z podanych możliwości.

flash-sc-created = Dodano kartę usługi.
flash-sc-saved = Zapisano kartę usługi.
flash-sc-published = Opublikowano kartę usługi.
flash-sc-unpublished = Wycofano kartę usługi z publikacji.
flash-sc-file-added = Dodano plik.
flash-sc-file-removed = Usunięto plik.
nav-service-cards = Karty usług
home-services = Jak załatwić sprawę
home-services-lead = Karty usług: dokumenty, opłaty, terminy i formularze.
home-services-search = Szukaj sprawy

## Edytor formularza e-usługi

sc-fd-title = Formularz e-usługi
sc-fd-hint = Każdy wiersz to jedno pole formularza. Aby dodać pole, wypełnij pusty wiersz; aby usunąć, wyczyść nazwę i etykiety. Bez pól sprawy nie można złożyć przez internet.
sc-fd-row = Pole { $row }
sc-fd-name = Nazwa (identyfikator)
sc-fd-type = Typ
sc-fd-label-pl = Etykieta po polsku
sc-fd-label-en = Etykieta po angielsku
sc-fd-help-pl = Pomoc po polsku
sc-fd-help-en = Pomoc po angielsku
sc-fd-required = Wymagane
sc-fd-max-length = Najwięcej znaków
sc-fd-options = Opcje listy wyboru
sc-fd-options-hint = Opcje (tylko dla listy wyboru): jedna w wierszu, w postaci „wartość | etykieta | English label”.
sc-fd-type-text = tekst
sc-fd-type-textarea = tekst wielowierszowy
sc-fd-type-email = e-mail
sc-fd-type-phone = telefon
sc-fd-type-date = data
sc-fd-type-number = liczba
sc-fd-type-pesel = PESEL
sc-fd-type-nip = NIP
sc-fd-type-regon = REGON
sc-fd-type-postal-code = kod pocztowy
sc-fd-type-select = lista wyboru
sc-fd-type-checkbox = pole wyboru (zgoda)
sc-fd-type-file = plik
sc-att-title = Załączniki
sc-att-max-files = Najwięcej plików
sc-att-max-size-mb = Największy plik (MB)
sc-row-fd-name = Nazwa pola
sc-row-fd-type = Typ pola
sc-row-fd-label-pl = Etykieta pola
sc-row-fd-max-length = Najwięcej znaków
sc-row-fd-options = Opcje pola
sc-row-att-max-files = Załączniki
sc-fee-tariff-row = Opłata { $row }: pozycja taryfy opłaty skarbowej
sc-row-fee-tariff = pozycja taryfy
sc-fee-tariff = Pozycja taryfy
sc-fee-exemptions = Zwolnienia z opłaty skarbowej
sc-fee-exemptions-hint = Kto lub co jest zwolnione (art. 2 i art. 7 ustawy z 16 listopada 2006 r. o opłacie skarbowej) — pokazywane mieszkańcom pod opłatami.
sc-fee-how-to-pay = Opłatę wpłać gotówką w kasie urzędu albo przelewem na podany rachunek, w tytule wpisując „Opłata skarbowa” i nazwę sprawy; dowód zapłaty dołącz do wniosku.
sc-fee-title = Tytuł przelewu: { $title }
