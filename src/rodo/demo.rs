//! The demo office's information clause and its register of processing activities:
//! the e-services, the service point's tickets and bookings, residents' accounts, the
//! correspondence register, survey campaigns and problem reports. One transaction; each
//! write audited as the office's data protection officer would have made it.

use super::store::{self, ActivityData, Clause};
use crate::db::Db;
use crate::db::audit::Actor;

fn clause(office: &crate::org::store::Office) -> Clause {
    Clause {
        controller: format!(
            "Administratorem Pani/Pana danych osobowych jest Burmistrz Miasta, z siedzibą: \
             {}, {}, {} {}; e-mail: {}, tel. {}, adres skrytki ePUAP: {}.",
            office.name,
            office.street,
            office.postal_code,
            office.city,
            office.email,
            office.phone,
            office.epuap
        ),
        dpo_contact: format!(
            "Z inspektorem ochrony danych można się skontaktować pod adresem e-mail \
             iod@{} lub pisemnie na adres siedziby administratora.",
            office.email.split('@').nth(1).unwrap_or("urzad.example.pl")
        ),
        purposes: "Dane przetwarzamy w celu załatwienia sprawy, z którą Pani/Pan się zwraca, \
             oraz wypełnienia obowiązków archiwalnych — na podstawie art. 6 ust. 1 lit. c RODO \
             (obowiązek prawny: Kodeks postępowania administracyjnego i przepisy dotyczące \
             danej sprawy, wskazane na karcie usługi) oraz art. 6 ust. 1 lit. e RODO (zadanie \
             realizowane w interesie publicznym lub w ramach władzy publicznej). Dane podane \
             dobrowolnie ponad wymagane przepisami (np. numer telefonu) — na podstawie zgody, \
             art. 6 ust. 1 lit. a RODO, którą można w każdej chwili wycofać."
            .to_owned(),
        recipients: "Odbiorcami danych mogą być organy i podmioty uprawnione na podstawie \
             przepisów prawa, inne strony postępowania (art. 73 KPA), operator pocztowy \
             doręczający pisma oraz dostawcy usług informatycznych urzędu na podstawie umów \
             powierzenia przetwarzania danych."
            .to_owned(),
        transfers: "Nie przekazujemy danych do państwa trzeciego ani organizacji \
             międzynarodowej."
            .to_owned(),
        retention: "Dokumenty sprawy przechowujemy przez okres wynikający z jednolitego \
             rzeczowego wykazu akt (kategoria archiwalna klasy sprawy), liczony od 1 stycznia \
             roku następującego po zakończeniu sprawy. Konto mieszkańca usuwamy po 2 latach \
             od ostatniego logowania, dane rezerwacji wizyty — 30 dni po wizycie."
            .to_owned(),
        rights: "Ma Pani/Pan prawo dostępu do swoich danych, ich sprostowania, ograniczenia \
             przetwarzania oraz wniesienia sprzeciwu wobec przetwarzania opartego na art. 6 \
             ust. 1 lit. e RODO; prawo do usunięcia danych przysługuje w granicach art. 17 \
             ust. 3 RODO. Realizacja tych praw nie może wpływać na tok i wynik postępowania \
             (art. 2a KPA)."
            .to_owned(),
        complaint: "Przysługuje Pani/Panu prawo wniesienia skargi do Prezesa Urzędu Ochrony \
             Danych Osobowych, ul. Stawki 2, 00-193 Warszawa."
            .to_owned(),
        requirement: "Podanie danych jest wymogiem ustawowym, gdy przepis wymaga ich we \
             wniosku (art. 63 § 2 KPA: co najmniej wskazanie osoby, od której pochodzi, jej \
             adresu i żądania); bez nich wniosek pozostawia się bez rozpoznania po \
             bezskutecznym wezwaniu do uzupełnienia (art. 64 KPA). Podanie danych \
             dodatkowych jest dobrowolne."
            .to_owned(),
        automated: "Dane nie służą do zautomatyzowanego podejmowania decyzji, w tym \
             profilowania."
            .to_owned(),
    }
}

/// (name, purposes, data subjects, data categories, recipients, erasure, security)
type Entry = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const SECURITY: &str = "Dostęp tylko dla upoważnionych pracowników (role i uprawnienia w \
     Magistracie), szyfrowane połączenie (HTTPS), rejestr zdarzeń odporny na zmiany, \
     kopie zapasowe, upoważnienia do przetwarzania danych (art. 29 RODO).";

const ENTRIES: &[Entry] = &[
    (
        "Przyjmowanie wniosków przez e-usługi",
        "Przyjęcie i rozpatrzenie wniosku w sprawie administracyjnej (art. 63 KPA); \
         art. 6 ust. 1 lit. c i e RODO.",
        "Wnioskodawcy, ich pełnomocnicy.",
        "Imię i nazwisko, adres, adres e-mail, dane wymagane przez przepisy danej sprawy \
         (np. PESEL), załączone dokumenty.",
        "Strony postępowania, organy odwoławcze, operator pocztowy, dostawca usług IT.",
        "Jako dokumentacja sprawy: według kategorii archiwalnej klasy JRWA.",
        SECURITY,
    ),
    (
        "Bilety i rezerwacje wizyt w punkcie obsługi",
        "Organizacja obsługi mieszkańców: kolejka, rezerwacje terminów, przypomnienia; \
         art. 6 ust. 1 lit. e RODO.",
        "Mieszkańcy rezerwujący wizytę lub pobierający bilet.",
        "Imię i nazwisko, adres e-mail, numer telefonu, PESEL (opcjonalnie, do \
         potwierdzenia przybycia).",
        "Dostawca usług IT, dostawca poczty elektronicznej.",
        "Dane osobowe rezerwacji: 30 dni po dniu wizyty (zadanie retencji); bilety nie \
         zawierają danych osobowych.",
        SECURITY,
    ),
    (
        "Konta mieszkańców",
        "Dostęp mieszkańca do jego wniosków i zgłoszeń; art. 6 ust. 1 lit. e RODO.",
        "Mieszkańcy, którzy założyli konto.",
        "Adres e-mail, daty logowania, adres IP sesji.",
        "Dostawca usług IT, dostawca poczty elektronicznej.",
        "2 lata od ostatniego logowania; wygasłe linki i sesje — 30 dni po wygaśnięciu.",
        SECURITY,
    ),
    (
        "Rejestr przesyłek wpływających i wychodzących",
        "Ewidencja korespondencji urzędu (instrukcja kancelaryjna); art. 6 ust. 1 lit. c \
         RODO.",
        "Nadawcy i adresaci pism.",
        "Imię i nazwisko lub nazwa, adres, adres e-mail, adres skrytki ePUAP, znak pisma.",
        "Operator pocztowy, dostawca usług IT.",
        "Według kategorii archiwalnej klasy JRWA rejestru.",
        SECURITY,
    ),
    (
        "Badania satysfakcji (ankiety)",
        "Badanie jakości obsługi; art. 6 ust. 1 lit. e RODO.",
        "Respondenci.",
        "Brak danych identyfikujących: odpowiedzi nie są łączone z zaproszeniem.",
        "Brak.",
        "Zaproszenia: jednorazowe skróty tokenów, bez adresów.",
        SECURITY,
    ),
    (
        "Zgłoszenia problemów w przestrzeni publicznej",
        "Przyjęcie i obsługa zgłoszenia, informowanie zgłaszającego; art. 6 ust. 1 lit. e \
         RODO.",
        "Zgłaszający.",
        "Imię i nazwisko, adres e-mail, numer telefonu (dobrowolnie), zdjęcia.",
        "Jednostki utrzymujące infrastrukturę, dostawca usług IT.",
        "Dane kontaktowe zgłaszającego: rok po zamknięciu zgłoszenia.",
        SECURITY,
    ),
];

pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let office = crate::org::store::office(db).await?.unwrap_or_default();
    let actor = Actor::system("demo");
    let mut tx = db.begin().await?;
    store::save_clause(&mut tx, &actor, &clause(&office)).await?;
    for (name, purposes, subjects, categories, recipients, erasure, security) in ENTRIES {
        let data = ActivityData {
            name: (*name).to_owned(),
            purposes: (*purposes).to_owned(),
            data_subjects: (*subjects).to_owned(),
            data_categories: (*categories).to_owned(),
            recipients: (*recipients).to_owned(),
            transfers: "Nie dotyczy.".to_owned(),
            erasure: (*erasure).to_owned(),
            security: (*security).to_owned(),
        };
        store::create_activity(&mut tx, &actor, &data).await?;
    }
    tx.commit().await?;
    Ok(())
}
