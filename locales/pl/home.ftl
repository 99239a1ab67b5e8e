home-title = Strona główna
home-lead = Załatw sprawę w urzędzie: sprawdź, gdzie i kiedy nas znajdziesz.
home-contact = Dane kontaktowe
home-phone = Telefon
home-email = E-mail
home-bip = Biuletyn Informacji Publicznej
home-locations = Gdzie nas znajdziesz
home-hours = Godziny otwarcia
home-accessibility = Dostępność
hours-closed = nieczynne
location-kind-building = Budynek urzędu
location-kind-service-point = Punkt obsługi mieszkańców
staff-home-title = Pulpit
staff-home-welcome = Dzień dobry, { $name }
staff-home-roles = Twoje role

audit-title = Dziennik zdarzeń
audit-filters = Filtry dziennika
audit-filter-actor = Kto (login)
audit-filter-entity-type = Rodzaj obiektu
audit-filter-entity-id = Identyfikator obiektu
audit-filter-from = Od dnia
audit-filter-to = Do dnia
audit-filter-submit = Filtruj
audit-filter-clear = Wyczyść filtry
audit-range-reversed = Data końcowa jest wcześniejsza niż początkowa.
audit-none = Brak zdarzeń spełniających kryteria.
audit-caption = Zdarzenia od najnowszych
audit-col-time = Czas
audit-col-actor = Kto
audit-col-action = Czynność
audit-col-entity = Obiekt
audit-col-change = Zmiana
audit-before = Przed
audit-after = Po
audit-older = Starsze zdarzenia

## The home page's resident tasks and the officials' workbench (issue 15)
home-tasks = Co chcesz załatwić?
home-task-find = Znajdź sprawę do załatwienia
home-task-online = Złóż wniosek przez internet
home-task-status = Sprawdź stan sprawy
home-task-my-cases = Moje sprawy
home-task-petitions = Petycje
home-task-service-points = Kolejka w punkcie obsługi
home-task-contact = Kontakt z urzędem
workbench-today = Dzisiejsza praca
workbench-my-overdue = moich spraw po terminie
workbench-my-today = moich spraw z terminem dziś
workbench-my-week = moich spraw z terminem w ciągu 7 dni
workbench-my-open = moich otwartych spraw
workbench-unassigned = nieprzydzielonych spraw moich komórek
workbench-unit-overdue = spraw moich komórek po terminie
workbench-letters = pism czekających na dekretację
workbench-my-cases = Moje sprawy według terminu
workbench-my-caption = Moje otwarte sprawy, najbliższy termin najpierw
workbench-my-none = Nie masz otwartych spraw.
workbench-my-all = Wszystkie moje sprawy
workbench-unassigned-heading = Nowe sprawy do przydzielenia
workbench-unassigned-caption = Nieprzydzielone sprawy moich komórek, najbliższy termin najpierw
workbench-unassigned-none = Wszystkie sprawy moich komórek mają prowadzącego.
workbench-unassigned-all = Wszystkie nieprzydzielone sprawy
workbench-letters-heading = Pisma czekające na dekretację
workbench-letters-caption = Pisma bez dekretacji i bez sprawy, najstarsze najpierw
workbench-letters-none = Żadne pismo nie czeka na dekretację.
workbench-register-number = Numer
workbench-received = Wpłynęło
workbench-sender = Nadawca
workbench-subject = Sprawa
workbench-everything = Wszystkie działy
workbench-days-overdue = { $n ->
    [one] { $n } dzień po terminie
   *[other] { $n } dni po terminie
}
workbench-days-left = { $n ->
    [one] jeszcze { $n } dzień
   *[other] jeszcze { $n } dni
}
workbench-take = Biorę
workbench-take-label = Biorę sprawę { $znak }
workbench-action = Działanie

# Kolejki punktów obsługi na stronie głównej.
home-queue = Kolejki w punktach obsługi teraz
home-queue-open-now = Otwarte teraz
home-queue-open-desks = Czynne stanowiska
home-queue-caption = Osoby oczekujące i szacowany czas oczekiwania według spraw
home-queue-category = Sprawa
home-queue-desks = Stanowiska obsługujące
home-queue-waiting = Osoby oczekujące
home-queue-wait = Szacowany czas oczekiwania
home-queue-minutes = około { $minutes } min
home-queue-no-desk = żadne stanowisko teraz nie obsługuje
home-queue-closed = Teraz zamknięte; brak godzin otwarcia na najbliższe tygodnie.
home-queue-closed-opens = Teraz zamknięte. Otwarcie { $day } o { $time }.
home-queue-live = Kolejka na żywo: { $point }
