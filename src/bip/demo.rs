//! The demo office's BIP: the Urząd Miejski w Borowcu publishes across every subject
//! page — the regulamin organizacyjny by ordinance, resolutions, ordinances, the
//! budget, a procurement notice, a job offer and its result, asset declarations —
//! some changed later (with reasons), one removed, two records of information not
//! made available, and the accessibility declaration's data. Moments are counted back
//! from the office clock, so the register reads naturally on any day.

use jiff::SignedDuration;

use super::store::{self, Draft, EnteredBy, Settings};
use crate::db::audit::Actor;
use crate::db::{Tx, UtcTime};
use crate::with_tx;
use magistrat_domain::bip::{self, PreviousVersion, VersionInput};

const SEKRETARZ: &str = "Jan Kowalski, Sekretarz Miasta";
const SKARBNIK: &str = "Maria Wiśniewska, Skarbnik Miasta";
const BURMISTRZ: &str = "Burmistrz Borowca";
const OR: &str = "Wydział Organizacyjny";
const FN: &str = "Wydział Finansowy";
const ZP: &str = "Referat Zamówień Publicznych";
const RM: &str = "Biuro Rady Miejskiej";
const KADRY: &str = "Referat Kadr";

/// (section, title, body, produced by, responsible, days ago)
type Item = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
);

const ITEMS: &[Item] = &[
    (
        "urzad",
        "Dane teleadresowe Urzędu Miejskiego w Borowcu",
        "<p>Urząd Miejski w Borowcu, Rynek 1, 62-300 Borowiec.</p><ul><li>tel. +48 61 555 01 00</li><li>e-mail: urzad@borowiec.example.pl</li><li>ePUAP: /umborowiec/SkrytkaESP</li></ul><p>Urząd jest czynny od poniedziałku do piątku; godziny pracy stanowisk podano w kartach usług.</p>",
        OR,
        SEKRETARZ,
        400,
    ),
    (
        "urzad",
        "Godziny pracy urzędu i kasy",
        "<p>Poniedziałek 8:00–17:00, wtorek–czwartek 7:30–15:30, piątek 7:30–14:00.</p><p>Kasa urzędu czynna do 30 minut przed zamknięciem.</p>",
        OR,
        SEKRETARZ,
        380,
    ),
    (
        "organy",
        "Burmistrz Borowca — zakres kompetencji",
        "<p>Burmistrz jest organem wykonawczym gminy (art. 26 ustawy o samorządzie gminnym). Wykonuje uchwały Rady Miejskiej i zadania gminy określone przepisami prawa.</p><h2>Przyjęcia interesantów</h2><p>W poniedziałki od 13:00 do 16:00, pokój 12.</p>",
        OR,
        SEKRETARZ,
        395,
    ),
    (
        "organy",
        "Rada Miejska w Borowcu — skład i komisje",
        "<p>Rada Miejska liczy 21 radnych. Przewodniczący Rady: Tomasz Zieliński.</p><table><caption>Komisje stałe</caption><thead><tr><th scope=\"col\">Komisja</th><th scope=\"col\">Przewodniczący</th></tr></thead><tbody><tr><td>Rewizyjna</td><td>Ewa Mazur</td></tr><tr><td>Budżetu i Finansów</td><td>Adam Krawczyk</td></tr><tr><td>Skarg, Wniosków i Petycji</td><td>Irena Pawlak</td></tr></tbody></table>",
        RM,
        "Tomasz Zieliński, Przewodniczący Rady Miejskiej",
        390,
    ),
    (
        "organy",
        "Zastępca Burmistrza i Sekretarz Miasta — podział zadań",
        "<p>Zastępca Burmistrza nadzoruje Wydział Inwestycji i Wydział Gospodarki Komunalnej. Sekretarz Miasta nadzoruje Wydział Organizacyjny i Biuro Obsługi Mieszkańców.</p>",
        OR,
        SEKRETARZ,
        385,
    ),
    (
        "struktura",
        "Schemat organizacyjny Urzędu Miejskiego w Borowcu",
        "<p>Komórki organizacyjne urzędu: Wydział Organizacyjny (OR), Wydział Spraw Obywatelskich (SA), Wydział Finansowy (FN), Wydział Gospodarki Komunalnej (GK), Wydział Inwestycji (IN), Biuro Obsługi Mieszkańców (BOM), Urząd Stanu Cywilnego (USC).</p>",
        OR,
        SEKRETARZ,
        370,
    ),
    (
        "statut-regulamin",
        "Statut Gminy Borowiec",
        "<p>Uchwała nr XII/98/2019 Rady Miejskiej w Borowcu z dnia 28 listopada 2019 r. w sprawie Statutu Gminy Borowiec (Dz. Urz. Woj. Wlkp. z 2019 r. poz. 11234).</p>",
        RM,
        "Tomasz Zieliński, Przewodniczący Rady Miejskiej",
        365,
    ),
    (
        "statut-regulamin",
        "Zarządzenie nr 12/2026 Burmistrza Borowca z dnia 2 marca 2026 r. w sprawie regulaminu organizacyjnego Urzędu Miejskiego w Borowcu",
        "<p>Na podstawie art. 33 ust. 2 ustawy z dnia 8 marca 1990 r. o samorządzie gminnym zarządza się, co następuje:</p><p>§ 1. Nadaje się Urzędowi Miejskiemu w Borowcu regulamin organizacyjny, stanowiący załącznik do zarządzenia.</p><p>§ 2. Traci moc zarządzenie nr 40/2021 Burmistrza Borowca w sprawie regulaminu organizacyjnego Urzędu Miejskiego w Borowcu.</p><p>§ 3. Zarządzenie wchodzi w życie z dniem 1 kwietnia 2026 r.</p><h2>Regulamin organizacyjny — wyciąg</h2><ol><li>Urząd jest jednostką budżetową, przy pomocy której Burmistrz wykonuje zadania.</li><li>Pracą urzędu kieruje Burmistrz przy pomocy Zastępcy, Sekretarza i Skarbnika.</li><li>Sprawy obywateli załatwia się niezwłocznie, w terminach Kodeksu postępowania administracyjnego.</li></ol>",
        OR,
        SEKRETARZ,
        260,
    ),
    (
        "majatek",
        "Informacja o stanie mienia komunalnego Gminy Borowiec za 2025 r.",
        "<p>Wartość mienia komunalnego na 31 grudnia 2025 r.: 412 556 310,22 zł, w tym grunty 96 321 004,00 zł, budynki i lokale 188 004 912,55 zł.</p>",
        FN,
        SKARBNIK,
        240,
    ),
    (
        "majatek",
        "Wykaz nieruchomości przeznaczonych do sprzedaży — ul. Leśna 14",
        "<p>Działka nr 231/4, obręb Borowiec-Północ, pow. 0,0812 ha, KW PO1B/00012345/6. Cena wywoławcza 189 000 zł netto. Termin wywieszenia wykazu: 21 dni.</p>",
        "Wydział Gospodarki Nieruchomościami",
        "Krzysztof Dąbrowski, Naczelnik Wydziału GN",
        45,
    ),
    (
        "budzet",
        "Uchwała budżetowa Gminy Borowiec na 2026 rok",
        "<p>Uchwała nr XXXI/250/2025 Rady Miejskiej w Borowcu z dnia 18 grudnia 2025 r.</p><ul><li>Dochody: 214 580 000 zł</li><li>Wydatki: 229 140 000 zł</li><li>Deficyt: 14 560 000 zł, pokryty kredytem i wolnymi środkami</li></ul>",
        FN,
        SKARBNIK,
        340,
    ),
    (
        "budzet",
        "Sprawozdanie z wykonania budżetu Gminy Borowiec za 2025 rok",
        "<p>Dochody wykonano w 98,7 %, wydatki w 93,2 %. Sprawozdanie Rb-27S i Rb-28S oraz informacja opisowa w załącznikach.</p>",
        FN,
        SKARBNIK,
        240,
    ),
    (
        "budzet",
        "Wieloletnia prognoza finansowa Gminy Borowiec na lata 2026–2035",
        "<p>Prognoza obejmuje dochody i wydatki bieżące i majątkowe, wynik budżetu oraz kwotę długu do 2035 r.</p>",
        FN,
        SKARBNIK,
        338,
    ),
    (
        "budzet",
        "Sprawozdanie finansowe Urzędu Miejskiego w Borowcu za 2025 rok",
        "<p>Bilans, rachunek zysków i strat oraz zestawienie zmian w funduszu jednostki.</p>",
        FN,
        SKARBNIK,
        250,
    ),
    (
        "prawo-miejscowe",
        "Uchwała nr XXXII/261/2026 w sprawie regulaminu utrzymania czystości i porządku na terenie Gminy Borowiec",
        "<p>Na podstawie art. 4 ust. 1 ustawy o utrzymaniu czystości i porządku w gminach Rada Miejska uchwala regulamin stanowiący załącznik.</p>",
        RM,
        "Tomasz Zieliński, Przewodniczący Rady Miejskiej",
        300,
    ),
    (
        "prawo-miejscowe",
        "Uchwała nr XXXII/262/2026 w sprawie stawki opłaty za gospodarowanie odpadami komunalnymi",
        "<p>Ustala się stawkę opłaty w wysokości 33 zł miesięcznie od mieszkańca nieruchomości.</p>",
        RM,
        "Tomasz Zieliński, Przewodniczący Rady Miejskiej",
        299,
    ),
    (
        "prawo-miejscowe",
        "Uchwała nr XXXIV/280/2026 w sprawie miejscowego planu zagospodarowania przestrzennego „Borowiec — Zachód”",
        "<p>Plan obejmuje tereny między ul. Polną, Leśną i obwodnicą. Rysunek planu w załączniku nr 1.</p>",
        RM,
        "Tomasz Zieliński, Przewodniczący Rady Miejskiej",
        210,
    ),
    (
        "prawo-miejscowe",
        "Uchwała nr XXXV/291/2026 w sprawie nadania nazwy ulicy „Jaśminowa”",
        "<p>Nadaje się nazwę „Jaśminowa” drodze wewnętrznej na działkach nr 118/3 i 118/9.</p>",
        RM,
        "Tomasz Zieliński, Przewodniczący Rady Miejskiej",
        150,
    ),
    (
        "prawo-miejscowe",
        "Uchwała nr XXXVI/300/2026 w sprawie zasad udzielania dotacji na wymianę źródeł ciepła",
        "<p>Dotacja wynosi do 50 % kosztów, nie więcej niż 8 000 zł na budynek.</p>",
        RM,
        "Tomasz Zieliński, Przewodniczący Rady Miejskiej",
        120,
    ),
    (
        "zarzadzenia",
        "Zarządzenie nr 3/2026 w sprawie planu finansowego urzędu na 2026 rok",
        "<p>Zatwierdza się plan finansowy Urzędu Miejskiego w Borowcu na 2026 rok.</p>",
        FN,
        SKARBNIK,
        330,
    ),
    (
        "zarzadzenia",
        "Zarządzenie nr 18/2026 w sprawie powołania komisji przetargowej",
        "<p>Powołuje się komisję przetargową do przeprowadzenia postępowania ZP.271.4.2026.</p>",
        ZP,
        SEKRETARZ,
        200,
    ),
    (
        "zarzadzenia",
        "Zarządzenie nr 22/2026 w sprawie ustalenia dnia wolnego od pracy",
        "<p>Ustala się dzień 14 sierpnia 2026 r. dniem wolnym od pracy dla pracowników urzędu w zamian za święto przypadające w sobotę.</p>",
        OR,
        SEKRETARZ,
        170,
    ),
    (
        "zarzadzenia",
        "Zarządzenie nr 27/2026 w sprawie instrukcji kancelaryjnej",
        "<p>Wprowadza się jednolity rzeczowy wykaz akt i instrukcję kancelaryjną w systemie Magistrat.</p>",
        OR,
        SEKRETARZ,
        140,
    ),
    (
        "zarzadzenia",
        "Zarządzenie nr 31/2026 w sprawie konsultacji społecznych projektu programu rewitalizacji",
        "<p>Konsultacje trwają 30 dni; uwagi na formularzu przez ePUAP lub w Biurze Obsługi Mieszkańców.</p>",
        OR,
        SEKRETARZ,
        95,
    ),
    (
        "zarzadzenia",
        "Zarządzenie nr 35/2026 w sprawie zmian w budżecie gminy",
        "<p>Zwiększa się plan wydatków działu 801 o 120 000 zł.</p>",
        FN,
        SKARBNIK,
        60,
    ),
    (
        "zamowienia",
        "Ogłoszenie o zamówieniu: Przebudowa ul. Kościelnej w Borowcu (ZP.271.4.2026)",
        "<p>Tryb podstawowy bez negocjacji (art. 275 pkt 1 Pzp). Termin składania ofert: 21 dni od publikacji w Biuletynie Zamówień Publicznych.</p><p>Dokumentacja na platformie zakupowej.</p>",
        ZP,
        "Barbara Lis, Kierownik Referatu ZP",
        190,
    ),
    (
        "zamowienia",
        "Informacja o wyborze najkorzystniejszej oferty — ZP.271.4.2026",
        "<p>Wybrano ofertę firmy Drogbud sp. z o.o., cena 2 348 120,00 zł brutto. Kryteria: cena 60 %, okres gwarancji 40 %.</p>",
        ZP,
        "Barbara Lis, Kierownik Referatu ZP",
        150,
    ),
    (
        "zamowienia",
        "Plan postępowań o udzielenie zamówień na 2026 rok",
        "<p>Plan obejmuje 14 postępowań; aktualizacje publikowane w Biuletynie Zamówień Publicznych.</p>",
        ZP,
        "Barbara Lis, Kierownik Referatu ZP",
        335,
    ),
    (
        "zamowienia",
        "Zapytanie ofertowe: dostawa sprzętu komputerowego dla urzędu",
        "<p>Zamówienie poniżej 130 000 zł. Oferty do 10 dni od publikacji, e-mailem na zamowienia@borowiec.example.pl.</p>",
        ZP,
        "Barbara Lis, Kierownik Referatu ZP",
        20,
    ),
    (
        "ogloszenia",
        "Obwieszczenie o wszczęciu postępowania w sprawie decyzji o środowiskowych uwarunkowaniach — farma fotowoltaiczna Borowiec II",
        "<p>Zawiadamia się strony o wszczęciu postępowania (art. 49 KPA). Z aktami można zapoznać się w Wydziale Gospodarki Komunalnej, pokój 21.</p>",
        "Wydział Gospodarki Komunalnej",
        "Zofia Kamińska, Naczelnik Wydziału GK",
        75,
    ),
    (
        "ogloszenia",
        "Ogłoszenie o otwartym konkursie ofert na realizację zadań publicznych w 2026 r.",
        "<p>Konkurs dla organizacji pozarządowych: sport, kultura, pomoc społeczna. Oferty przez generator do 21 dni.</p>",
        OR,
        SEKRETARZ,
        330,
    ),
    (
        "ogloszenia",
        "Informacja o wyłożeniu projektu planu miejscowego do publicznego wglądu",
        "<p>Projekt planu „Borowiec — Zachód” wyłożono w urzędzie; dyskusja publiczna w sali sesyjnej.</p>",
        "Wydział Planowania Przestrzennego",
        "Ryszard Nowicki, Naczelnik Wydziału PP",
        260,
    ),
    (
        "ogloszenia",
        "Komunikat w sprawie harmonogramu odbioru odpadów na 2027 rok",
        "<p>Harmonogram odbioru odpadów komunalnych na 2027 r. dostępny w załączniku i w Biurze Obsługi Mieszkańców.</p>",
        "Wydział Gospodarki Komunalnej",
        "Zofia Kamińska, Naczelnik Wydziału GK",
        5,
    ),
    (
        "ogloszenia",
        "Obwieszczenie o sesji Rady Miejskiej w Borowcu",
        "<p>Zwołuje się XXXVIII sesję Rady Miejskiej na czwartek, godz. 10:00, sala sesyjna ratusza. Porządek obrad w załączniku.</p>",
        RM,
        "Tomasz Zieliński, Przewodniczący Rady Miejskiej",
        3,
    ),
    (
        "oferty-pracy",
        "Nabór na wolne stanowisko urzędnicze: inspektor ds. zamówień publicznych (nr KA.2110.3.2026)",
        "<h2>Wymagania niezbędne</h2><ul><li>wykształcenie wyższe</li><li>2 lata doświadczenia w zamówieniach publicznych</li><li>obywatelstwo polskie, pełna zdolność do czynności prawnych</li></ul><h2>Zakres zadań</h2><p>Przygotowanie i prowadzenie postępowań, sprawozdawczość.</p><p>Wskaźnik zatrudnienia osób niepełnosprawnych w urzędzie w poprzednim miesiącu był niższy niż 6 %.</p><p>Dokumenty do 14 dni od publikacji, Biuro Obsługi Mieszkańców lub ePUAP.</p>",
        KADRY,
        SEKRETARZ,
        110,
    ),
    (
        "oferty-pracy",
        "Nabór na wolne stanowisko: podinspektor w Urzędzie Stanu Cywilnego (nr KA.2110.4.2026)",
        "<p>Wymagania: wykształcenie wyższe administracyjne lub prawnicze. Dokumenty do 14 dni od publikacji.</p>",
        KADRY,
        SEKRETARZ,
        12,
    ),
    (
        "wyniki-naborow",
        "Informacja o wyniku naboru na stanowisko inspektora ds. zamówień publicznych (nr KA.2110.3.2026)",
        "<p>W wyniku naboru wybrana została Pani Joanna Szymańska, zam. Borowiec.</p><p>Uzasadnienie: kandydatka spełniła wymagania niezbędne i dodatkowe, wykazała się najlepszą znajomością ustawy Prawo zamówień publicznych.</p>",
        KADRY,
        SEKRETARZ,
        80,
    ),
    (
        "oswiadczenia",
        "Oświadczenia majątkowe Burmistrza, Zastępcy, Sekretarza i Skarbnika za 2025 rok",
        "<p>Oświadczenia złożone do 30 kwietnia 2026 r. (art. 24h ust. 4 ustawy o samorządzie gminnym). Część B nie podlega ujawnieniu.</p>",
        OR,
        SEKRETARZ,
        215,
    ),
    (
        "oswiadczenia",
        "Oświadczenia majątkowe radnych Rady Miejskiej w Borowcu za 2025 rok",
        "<p>Oświadczenia 21 radnych, złożone Przewodniczącemu Rady.</p>",
        RM,
        "Tomasz Zieliński, Przewodniczący Rady Miejskiej",
        214,
    ),
    (
        "dostep",
        "Procedura udostępniania informacji publicznej",
        "<p>Informację publiczną nieudostępnioną w BIP udostępnia się na wniosek (art. 10 ustawy o dostępie do informacji publicznej), bez zbędnej zwłoki, nie później niż w terminie 14 dni (art. 13 ust. 1).</p><p>Wniosek można złożyć pisemnie, e-mailem na urzad@borowiec.example.pl lub przez ePUAP. Wnioskodawca nie musi wykazywać interesu prawnego ani faktycznego.</p>",
        OR,
        SEKRETARZ,
        398,
    ),
    (
        "dostep",
        "Wzór wniosku o udostępnienie informacji publicznej",
        "<p>Wzór wniosku do pobrania w Biurze Obsługi Mieszkańców i w karcie usługi w katalogu spraw.</p>",
        OR,
        SEKRETARZ,
        397,
    ),
    (
        "ponowne-wykorzystywanie",
        "Warunki ponownego wykorzystywania informacji sektora publicznego",
        "<p>Informacje udostępnione w BIP można ponownie wykorzystywać bez ograniczeń, z podaniem źródła i daty wytworzenia (ustawa z 11 sierpnia 2021 r. o otwartych danych i ponownym wykorzystywaniu informacji sektora publicznego).</p>",
        OR,
        SEKRETARZ,
        396,
    ),
    (
        "ogloszenia",
        "Ogłoszenie o przerwie w pracy Biura Obsługi Mieszkańców",
        "<p>W piątek Biuro Obsługi Mieszkańców będzie nieczynne z powodu awarii sieci.</p>",
        OR,
        SEKRETARZ,
        30,
    ),
];

/// Later changes: (title, days after the first version, reason, text added).
const CHANGES: &[(&str, i64, &str, &str)] = &[
    (
        "Godziny pracy urzędu i kasy",
        200,
        "Zmiana godzin pracy w poniedziałki od 1 czerwca",
        "<p>Od 1 czerwca w poniedziałki urząd jest czynny do 17:30.</p>",
    ),
    (
        "Schemat organizacyjny Urzędu Miejskiego w Borowcu",
        110,
        "Aktualizacja po zmianie regulaminu organizacyjnego (zarządzenie nr 12/2026)",
        "<p>Od 1 kwietnia 2026 r. Referat Zamówień Publicznych jest samodzielną komórką.</p>",
    ),
    (
        "Zarządzenie nr 12/2026 Burmistrza Borowca z dnia 2 marca 2026 r. w sprawie regulaminu organizacyjnego Urzędu Miejskiego w Borowcu",
        3,
        "Dodanie tekstu jednolitego załącznika — omyłka pisarska w § 2",
        "<p>Sprostowanie: w § 2 powinno być „zarządzenie nr 40/2021”.</p>",
    ),
    (
        "Ogłoszenie o zamówieniu: Przebudowa ul. Kościelnej w Borowcu (ZP.271.4.2026)",
        7,
        "Zmiana terminu składania ofert na wniosek wykonawców",
        "<p>Termin składania ofert przedłużono o 7 dni.</p>",
    ),
];

/// The publication removed from the BIP, and why.
const REMOVED: (&str, &str) = (
    "Ogłoszenie o przerwie w pracy Biura Obsługi Mieszkańców",
    "Ogłoszenie nieaktualne — awarię usunięto przed terminem",
);

pub async fn seed(tx: &mut Tx, actor: &Actor) -> anyhow::Result<()> {
    let now = tx.now();
    let editor_id: Option<i64> = with_tx!(tx, |c| {
        sqlx::query_scalar("SELECT id FROM app_user WHERE login_lower = 'redaktor'")
            .fetch_optional(c)
            .await
    })?;
    let editor_name = "Piotr Lewandowski";
    let at = |days: i64, hour: i64| {
        let day_start = now.in_warsaw().date().at(0, 0, 0, 0);
        let z = day_start
            .to_zoned(crate::WARSAW.clone())
            .map(|z| z.timestamp())
            .unwrap_or(now.0);
        let moment =
            UtcTime::from_timestamp(z).checked_add(SignedDuration::from_hours(hour - 24 * days));
        // Never later than now: a demo seeded early in the morning shows it all.
        moment.min(now)
    };
    let entered = EnteredBy {
        name: editor_name,
        user_id: editor_id,
        approved_by: None,
    };
    let mut ids = Vec::new();
    for (section, title, body, produced_by, responsible, days) in ITEMS {
        let available = at(*days, 10);
        let input = VersionInput {
            title: (*title).to_owned(),
            body_html: (*body).to_owned(),
            produced_by: (*produced_by).to_owned(),
            produced_on: Some(at(*days + 2, 9).in_warsaw().date()),
            responsible: (*responsible).to_owned(),
            reason: String::new(),
        };
        let draft = Draft {
            title: input.title.clone(),
            body_html: input.body_html.clone(),
            produced_by: input.produced_by.clone(),
            produced_on: input.produced_on,
            responsible: input.responsible.clone(),
            reason: String::new(),
            submitted_by: None,
        };
        let id = store::create(tx, actor, section, &draft).await?;
        let publication = store::lock_publication(tx, id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo publication {id} vanished"))?;
        let checked = bip::check_version(&input, None, available.0, available.in_warsaw().date())
            .map_err(|e| anyhow::anyhow!("demo version {title}: {e:?}"))?;
        store::publish(tx, actor, &publication, &checked, &entered).await?;
        ids.push((*title, id, *days, input));
    }
    for (title, after, reason, added) in CHANGES {
        let Some((_, id, days, first)) = ids.iter().find(|(t, ..)| t == title) else {
            continue;
        };
        let publication = store::lock_publication(tx, *id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo publication {id} vanished"))?;
        let previous = store::last_version_in(tx, *id).await?;
        let available = at(days - after, 12);
        let input = VersionInput {
            body_html: format!("{}{added}", first.body_html),
            reason: (*reason).to_owned(),
            ..first.clone()
        };
        let checked = bip::check_version(
            &input,
            previous.map(|v| PreviousVersion {
                number: v.number,
                made_available_at: v.made_available_at.0,
            }),
            available.0,
            available.in_warsaw().date(),
        )
        .map_err(|e| anyhow::anyhow!("demo change {title}: {e:?}"))?;
        store::publish(tx, actor, &publication, &checked, &entered).await?;
    }
    if let Some((title, id, ..)) = ids.iter().find(|(t, ..)| *t == REMOVED.0)
        && let Some(publication) = store::lock_publication(tx, *id).await?
    {
        store::remove(tx, actor, &publication, title, editor_name, REMOVED.1).await?;
    }
    let today = now.in_warsaw().date();
    seed_withheld(tx, actor, today, editor_name).await?;
    store::save_settings(tx, actor, &Settings::default(), &demo_settings(today)).await?;
    Ok(())
}

/// Two records of information not made available (UDIP art. 5), with their bases.
async fn seed_withheld(
    tx: &mut Tx,
    actor: &Actor,
    today: jiff::civil::Date,
    editor_name: &str,
) -> anyhow::Result<()> {
    store::add_withheld(
        tx,
        actor,
        "Dane osobowe kandydatów niewybranych w naborze KA.2110.3.2026",
        "art. 5 ust. 2 ustawy o dostępie do informacji publicznej (prywatność osoby fizycznej)",
        BURMISTRZ,
        "kandydaci niewybrani w naborze",
        today.saturating_sub(jiff::Span::new().days(78)),
        editor_name,
    )
    .await?;
    store::add_withheld(
        tx,
        actor,
        "Kosztorys inwestorski przebudowy ul. Kościelnej do dnia otwarcia ofert",
        "art. 5 ust. 1 ustawy o dostępie do informacji publicznej w zw. z art. 18 ustawy Prawo zamówień publicznych",
        BURMISTRZ,
        "",
        today.saturating_sub(jiff::Span::new().days(190)),
        editor_name,
    )
    .await?;
    Ok(())
}

/// The BIP's settings and the accessibility declaration's data of the demo office.
fn demo_settings(today: jiff::civil::Date) -> Settings {
    Settings {
        review_required: false,
        editorial_address: "Urząd Miejski w Borowcu, Wydział Organizacyjny, Rynek 1, pokój 8, \
                            62-300 Borowiec"
            .into(),
        a11y_status: "czesciowo".into(),
        a11y_published_on: Some(jiff::civil::date(2019, 9, 23)),
        a11y_updated_on: Some(today.saturating_sub(jiff::Span::new().days(30))),
        a11y_prepared_on: Some(jiff::civil::date(2020, 3, 30)),
        a11y_reviewed_on: Some(jiff::civil::date(today.year(), 3, 28)),
        a11y_not_accessible: "Część skanów uchwał sprzed 2020 r. nie ma warstwy tekstowej.\n\
                              Nagrania sesji Rady Miejskiej sprzed 2021 r. nie mają napisów."
            .into(),
        a11y_contact_person: "Piotr Lewandowski".into(),
        a11y_email: "dostepnosc@borowiec.example.pl".into(),
        a11y_phone: "+48 61 555 01 08".into(),
        a11y_apps: String::new(),
    }
}
