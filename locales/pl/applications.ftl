app-apply-title = Wniosek przez internet
app-apply-lead = Wypełnij formularz i dołącz wymagane pliki. Po złożeniu wniosku otrzymasz znak sprawy, kod do sprawdzania jej stanu i potwierdzenie złożenia.
app-breadcrumbs = Ścieżka
app-services = Karty usług
app-required-note = Pola oznaczone gwiazdką (*) są wymagane.
app-choose = — wybierz —
app-attach-again = Ze względów bezpieczeństwa pliki trzeba dołączyć ponownie.
app-files-hint = Pliki: { $types }; najwyżej { $count } { $count ->
    [one] plik
    [few] pliki
   *[other] plików
  } po { $size }.
app-submit = Złóż wniosek
app-file-one-per-field = W tym polu można dołączyć jeden plik.
app-too-many-files = Dołączono za dużo plików.
app-file-empty = Plik jest pusty.
app-file-too-large = Plik jest większy, niż pozwala ten formularz.
app-file-wrong-type = Ten rodzaj pliku nie jest przyjmowany w tym formularzu.
app-file-name-mismatch = Rozszerzenie nazwy pliku nie zgadza się z jego zawartością.
app-confirmation-title = Potwierdzenie złożenia wniosku
app-filed = Wniosek został złożony i zarejestrowany.
app-already-filed = Ten wniosek został już wcześniej złożony — nie utworzono drugiej sprawy. Poniżej jego potwierdzenie.
app-office = Urząd
app-service = Sprawa
app-submitted-at = Data i godzina złożenia
app-znak = Znak sprawy
app-register-number = Numer w dzienniku korespondencji
app-tracking-code = Kod sprawy (do sprawdzania stanu)
app-due = Termin załatwienia
app-document-sha256 = Skrót SHA-256 złożonego wniosku
app-keep-code = Zachowaj kod sprawy: pozwala sprawdzić jej stan bez logowania. Nie udostępniaj go innym.
app-download-pdf = Pobierz potwierdzenie (PDF)
app-check-status = Sprawdź stan sprawy
app-filed-fields = Treść wniosku
app-filed-files = Załączone pliki
app-file-name = Plik
app-file-size = Rozmiar
app-integrity = Integralność
app-integrity-note = Skrót SHA-256 obliczono z treści wniosku, opisu załączników (z ich skrótami) i chwili złożenia; ten sam skrót przechowuje urząd, więc każda zmiana treści byłaby widoczna.
app-no-jrwa = Ta karta nie ma przypisanej klasy JRWA.
error-application-in-progress = Ten wniosek jest właśnie przetwarzany. Spróbuj za chwilę.
error-invalid-submission = Wniosek nie spełnia zasad formularza; szczegóły przy polach.
error-bad-base64 = Zawartość pliku nie jest poprawnym base64.
error-idempotency-key = Nagłówek Idempotency-Key musi mieć 16–64 znaki: litery, cyfry, - i _.
app-my-cases = Wszystkie Twoje sprawy złożone z tego adresu e-mail („Moje sprawy”)
error-idempotency-key-reused = Ten klucz Idempotency-Key został już użyty do innego wniosku; nowy wniosek wymaga nowego klucza.
app-form-sent-before = Ten formularz został już wysłany z innymi odpowiedziami i nie złożono go ponownie. Odpowiedzi są zachowane: wyślij go jeszcze raz, jeśli chcesz złożyć nowy wniosek.
