# Konta mieszkańców: logowanie linkiem wysłanym e-mailem i lista własnych spraw.

nav-my-cases = Moje sprawy
resident-title = Moje sprawy
resident-intro = Podaj adres e-mail, który wpisujesz we wnioskach elektronicznych. Wyślemy na niego link do logowania: po jego otwarciu zobaczysz wszystkie wnioski złożone z tego adresu. Nie potrzebujesz hasła ani zakładania konta.
resident-email = Adres e-mail
resident-email-hint = Na przykład jan.kowalski@example.pl
resident-email-missing = Podaj adres e-mail.
resident-email-invalid = Podaj poprawny adres e-mail, na przykład jan.kowalski@example.pl.
resident-send = Wyślij link do logowania
resident-send-again = Wyślij link ponownie
resident-sent-heading = Sprawdź skrzynkę pocztową.
resident-sent = Jeżeli adres { $email } jest poprawny, za chwilę dostaniesz na niego wiadomość z linkiem do logowania. Link jest ważny { $minutes } minut i działa jeden raz. Nie widzisz wiadomości? Sprawdź folder spam albo wyślij link ponownie.
resident-no-account = Nie chcesz się logować? Stan każdej sprawy sprawdzisz też kodem z potwierdzenia złożenia wniosku:
resident-track-link = sprawdź stan sprawy
resident-link-title = Logowanie do „Moich spraw”
resident-link-confirm = Zaloguj się jako { $email }, aby zobaczyć swoje sprawy.
resident-link-submit = Zaloguj się
resident-link-gone = Ten link do logowania wygasł, został już użyty albo jest niepełny.
resident-link-again = Poproś o nowy link
resident-cases-title = Moje sprawy
resident-signed-in-as = Zalogowano jako { $email }. Poniżej są wnioski złożone z tego adresu.
resident-sign-out = Wyloguj się
resident-cases-none = Z tego adresu nie złożono jeszcze żadnego wniosku elektronicznego.
resident-services-link = Przejdź do katalogu spraw
resident-cases-caption = Wnioski złożone z Twojego adresu e-mail, od najnowszej
resident-case-service = Usługa
resident-case-filed = Złożono
flash-resident-signed-in = Zalogowano. Oto Twoje sprawy.
flash-resident-signed-out = Wylogowano.

resident-mail-subject = Link do logowania — { $office }
resident-mail-body = Dzień dobry,

    ktoś (zapewne Ty) poprosił o zalogowanie się do „Moich spraw” w serwisie { $office }.
    Aby się zalogować, otwórz ten link w ciągu { $minutes } minut:

    { $link }

    Link działa jeden raz. Jeżeli to nie Ty prosiłeś o logowanie, zignoruj tę wiadomość:
    bez otwarcia linku nikt nie zobaczy Twoich spraw.

    { $office }
