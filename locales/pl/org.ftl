# Struktura organizacyjna: dane urzędu, komórki, pracownicy, lokalizacje.

org-title = Struktura organizacyjna
org-years-from = od { $from }
org-years-range = { $from }–{ $to }

## Dane urzędu

org-office-title = Dane urzędu
org-office-edit = Zmień dane urzędu
org-office-edit-title = Dane urzędu
org-office-group-name = Nazwa
org-office-name = Pełna nazwa urzędu
org-office-short-name = Nazwa skrócona
org-office-short-name-hint = Np. UM Borowiec. Używana tam, gdzie brakuje miejsca na pełną nazwę.
org-office-group-address = Adres
org-address-street = Ulica i numer
org-address-street-hint = Np. ul. Poznańska 120 albo Rynek 1.
org-address-postal-code = Kod pocztowy
org-address-postal-code-hint = W postaci NN-NNN, np. 62-300.
org-address-city = Miejscowość
org-office-group-identifiers = Numery identyfikacyjne
org-office-nip = NIP
org-office-nip-hint = 10 cyfr; można wpisać z łącznikami lub z przedrostkiem PL.
org-office-regon = REGON
org-office-regon-hint = 9 cyfr (14 cyfr dla jednostki lokalnej).
org-office-group-contact = Kontakt
org-office-bip-url = Adres strony BIP
org-office-bip-url-hint = Pełny adres zaczynający się od https://, np. https://bip.borowiec.pl.
org-office-email = Adres e-mail urzędu
org-office-phone = Telefon
org-office-epuap = Adres skrytki ePUAP
org-office-epuap-hint = Np. /umborowiec/SkrytkaESP.

org-nip-checksum = Ten NIP ma błędną cyfrę kontrolną. Sprawdź, czy nie ma literówki.
org-nip-length = NIP musi mieć 10 cyfr.
org-nip-invalid-character = NIP może zawierać tylko cyfry (oraz łączniki, spacje i przedrostek PL).
org-regon-checksum = Ten REGON ma błędną cyfrę kontrolną. Sprawdź, czy nie ma literówki.
org-regon-length = REGON musi mieć 9 albo 14 cyfr.
org-regon-invalid-character = REGON może zawierać tylko cyfry.
org-postal-code-format = Wpisz kod pocztowy w postaci NN-NNN, np. 62-300.
org-bip-url-invalid = Wpisz pełny adres strony zaczynający się od https:// lub http://.
org-epuap-invalid = Adres skrytki ePUAP zaczyna się od ukośnika i nie zawiera spacji, np. /umborowiec/SkrytkaESP.

## Komórki organizacyjne

org-units-title = Komórki organizacyjne
org-units-none = Nie ma jeszcze żadnej komórki organizacyjnej.
org-units-scope-note = Komórki, którymi kierujesz, i komórki im podległe są oznaczone napisem „w Twoim zakresie”.
org-unit-add = Dodaj komórkę
org-unit-new-title = Nowa komórka organizacyjna
org-unit-edit-title = Komórka { $symbol }
org-unit-in-scope = w Twoim zakresie
org-unit-not-current = nieaktualna w tym roku
org-unit-staff-count = { $count ->
    [one] { $count } pracownik
   *[other] { $count } pracowników
}
org-unit-symbol = Symbol
org-unit-symbol-hint = Wielkie litery i cyfry, np. SA; symbol referatu po łączniku, np. WO-II. Symbol wchodzi do znaku sprawy.
org-unit-name = Nazwa
org-unit-parent = Komórka nadrzędna
org-unit-parent-none = — brak (najwyższy poziom) —
org-unit-validity = Okres obowiązywania symbolu
org-unit-valid-from = Od roku
org-unit-valid-from-hint = Rok w postaci czterech cyfr, np. 2026.
org-unit-valid-to = Do roku
org-unit-valid-to-hint = Zostaw puste, jeśli komórka działa nadal.

org-symbol-unit-empty = Symbol komórki nie może zaczynać się od łącznika.
org-symbol-unit-too-long = Symbol jest za długi: najwyżej 12 znaków przed łącznikiem i 12 po nim.
org-symbol-unit-start = Symbol komórki musi zaczynać się wielką literą.
org-symbol-unit-character = Symbol może zawierać tylko wielkie litery i cyfry, a symbol referatu oddziela się łącznikiem.
org-symbol-subunit-empty = Po łączniku wpisz symbol referatu albo usuń łącznik.
org-symbol-too-many-subunits = Symbol może zawierać tylko jeden łącznik (komórka i referat).
org-unit-symbol-taken = Ten symbol ma już inna komórka w tych samych latach. Wybierz inny symbol albo inne lata.
org-unit-parent-unknown = Wybierz komórkę nadrzędną z listy.
org-unit-parent-cycle = Komórka nie może podlegać sobie samej ani żadnej ze swoich komórek podległych.
org-year-invalid = Wpisz rok w postaci czterech cyfr, np. 2026.
org-unit-years-reversed = Rok końcowy nie może być wcześniejszy niż rok początkowy.

## Pracownicy

org-employees-title = Pracownicy
org-employees-none = Brak pracowników do wyświetlenia.
org-employees-scope-note = Widzisz pracowników komórek w Twoim zakresie i komórek im podległych.
org-employees-caption = Pracownicy urzędu
org-employees-caption-scoped = Pracownicy komórek w Twoim zakresie
org-employee-add = Dodaj pracownika
org-employee-new-title = Nowy pracownik
org-employee-edit-title = Pracownik: { $name }
org-employee-group-person = Dane pracownika
org-employee-group-work = Komórka i kontakt
org-employee-group-account = Konto w systemie
org-employee-name = Nazwisko i imię
org-employee-first-name = Imię
org-employee-last-name = Nazwisko
org-employee-position = Stanowisko
org-employee-initials = Inicjały
org-employee-initials-hint = Od 2 do 4 wielkich liter, np. JK. Inicjały trafiają do znaku sprawy.
org-employee-unit = Komórka organizacyjna
org-employee-unit-choose = — wybierz komórkę —
org-employee-email = Służbowy adres e-mail
org-employee-phone = Telefon służbowy
org-employee-contact = Kontakt
org-employee-account = Powiązane konto
org-employee-account-hint = Konto, którym pracownik loguje się do systemu. Lista zawiera tylko konta niepowiązane z innym pracownikiem.
org-employee-account-none = — bez konta —
org-employee-account-none-short = bez konta
org-employee-account-disabled = konto wyłączone
org-employee-active = Pracownik jest zatrudniony (aktywny)
org-employee-status = Stan
org-employee-status-active = Zatrudniony
org-employee-status-inactive = Nieaktywny

org-employee-initials-invalid = Inicjały to od 2 do 4 wielkich liter, bez kropek i cyfr, np. JK.
org-employee-unit-unknown = Wybierz komórkę organizacyjną z listy.
org-employee-unit-out-of-scope = Możesz przypisać pracownika tylko do komórki w Twoim zakresie.
org-employee-account-unavailable = To konto nie istnieje albo jest już powiązane z innym pracownikiem.

## Lokalizacje

org-locations-title = Lokalizacje
org-locations-none = Nie ma jeszcze żadnej lokalizacji.
org-locations-caption = Budynki urzędu i punkty obsługi mieszkańców
org-location-add = Dodaj lokalizację
org-location-new-title = Nowa lokalizacja
org-location-group-details = Lokalizacja
org-location-kind = Rodzaj
org-location-name = Nazwa
org-location-name-hint = Tak, jak ją zobaczą mieszkańcy, np. Punkt Obsługi Mieszkańców w Galerii Borowiec.
org-location-directions = Jak dojść
org-location-directions-hint = Wejście, piętro, numery pokoi — to, czego szuka osoba na miejscu.
org-location-accessibility = Dostępność
org-location-accessibility-hint = Np. wejście bez progów, winda, pętla indukcyjna, miejsca parkingowe dla osób z niepełnosprawnościami.
org-location-active = Lokalizacja jest czynna
org-location-active-hint = Czynne lokalizacje wraz z godzinami otwarcia widać na stronie głównej urzędu.
org-location-status = Stan
org-location-status-active = Czynna
org-location-status-inactive = Nieczynna
org-location-kind-unknown = Wybierz rodzaj lokalizacji z listy.

org-hours-title = Godziny otwarcia
org-hours-hint = Dla każdego dnia podaj godzinę otwarcia i zamknięcia (GG:MM). Zostaw oba pola puste, jeśli w tym dniu lokalizacja jest nieczynna.
org-hours-opens = Otwarcie
org-hours-closes = Zamknięcie
org-hours-day-opens = { $day }, otwarcie
org-hours-day-closes = { $day }, zamknięcie
org-hours-time-invalid = Wpisz godzinę w postaci GG:MM, np. 07:30.
org-hours-order = Godzina zamknięcia musi być późniejsza niż godzina otwarcia.
org-hours-opens-missing = Podaj też godzinę otwarcia albo usuń godzinę zamknięcia.
org-hours-closes-missing = Podaj też godzinę zamknięcia albo usuń godzinę otwarcia.

org-closures-title = Dni zamknięcia
org-closures-lead = Dni, w które lokalizacja jest nieczynna, choć zwykle byłaby otwarta, np. dzień wolny za święto przypadające w sobotę. Święta ustawowe system zna sam.
org-closures-none = Nie ma zaplanowanych dni zamknięcia.
org-closures-caption = Dni zamknięcia: { $name }
org-closures-actions = Działania
org-closure-day = Dzień
org-closure-reason = Powód
org-closure-reason-hint = Mieszkańcy zobaczą go przy informacji o zamknięciu.
org-closure-add-title = Dodaj dzień zamknięcia
org-closure-add = Dodaj dzień zamknięcia
org-closure-remove = Usuń dzień zamknięcia { $day }
org-closure-duplicate = Ten dzień jest już na liście dni zamknięcia tej lokalizacji.

## Komunikaty po zapisaniu

flash-org-office-saved = Zapisano dane urzędu.
flash-org-unit-created = Dodano komórkę organizacyjną.
flash-org-unit-saved = Zapisano zmiany komórki organizacyjnej.
flash-org-employee-created = Dodano pracownika.
flash-org-employee-saved = Zapisano zmiany danych pracownika.
flash-org-location-created = Dodano lokalizację. Możesz teraz dodać jej dni zamknięcia.
flash-org-location-saved = Zapisano zmiany lokalizacji.
flash-org-closure-added = Dodano dzień zamknięcia.
flash-org-closure-removed = Usunięto dzień zamknięcia.
org-office-fee-account = Rachunek do wpłat opłaty skarbowej
org-office-fee-account-hint = Numer rachunku bankowego urzędu (NRB, 26 cyfr) podawany przy opłatach skarbowych w sprawach i w wezwaniach do uiszczenia opłaty (art. 8 ustawy o opłacie skarbowej).
