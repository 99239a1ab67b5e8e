## Okresy niewliczane do terminu (art. 35 § 5 KPA) i przedłużenie terminu UDIP (art. 13 ust. 2)

case-do-excluded-period = Zapisz inny okres niewliczany do terminu
case-excluded-period-hint = Do terminu nie wlicza się terminów przewidzianych w przepisach prawa dla dokonania określonych czynności, terminów na przeprowadzenie mediacji ani okresów opóźnień z przyczyn niezależnych od organu (art. 35 § 5 KPA). Termin sprawy zostanie przeliczony.
case-action-excluded-period = Okres niewliczany do terminu
case-period-statutory-act = Termin przewidziany w przepisach dla dokonania czynności
case-period-mediation = Mediacja
case-period-outside-organ = Opóźnienie z przyczyn niezależnych od organu
case-error-period-overlap = Ten okres pokrywa się z okresem już zapisanym — dzień nie może być wyłączony z terminu dwa razy (art. 35 § 5 KPA).
error-case-error-period-overlap = { case-error-period-overlap }
case-error-udip-notice-late = Powiadomienie o przedłużeniu terminu trzeba wysłać w ciągu 14 dni od złożenia wniosku (art. 13 ust. 2 ustawy o dostępie do informacji publicznej).
metryka-act-period-excluded = Okres niewliczany do terminu (art. 35 § 5 KPA)

## Wnoszenie podań (art. 63 § 1 KPA)
case-email-filing-warning = Wniosek w sprawie prowadzonej według KPA wpłynął zwykłym e-mailem, który nie jest jednym ze sposobów wnoszenia podań wymienionych w art. 63 § 1 KPA (pisemnie, przez elektroniczną skrzynkę podawczą, na adres do doręczeń elektronicznych, ustnie do protokołu). Wezwij stronę do usunięcia braku w terminie 7 dni (art. 64 § 2 KPA).
