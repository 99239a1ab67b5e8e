## The installable site and its offline page (src/pwa)
pwa-description = Sprawy urzędowe, bilety do kolejki i Biuletyn Informacji Publicznej urzędu.
pwa-offline-title = Brak połączenia z internetem
pwa-offline-lead = Tej strony nie ma w pamięci urządzenia, a połączenie z urzędem jest teraz niedostępne.
pwa-offline-kept = Bez połączenia działają strony, które były już otwierane na tym urządzeniu:
pwa-offline-home = strona główna urzędu
pwa-offline-services = katalog spraw (karty usług, które były otwierane)
pwa-offline-tickets = Twój e-bilet do kolejki otworzysz tym samym linkiem co wcześniej; pokaże stan z chwili ostatniego połączenia. Gdy połączenie wróci, odśwież stronę.
