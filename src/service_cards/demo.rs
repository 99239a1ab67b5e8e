//! The demo office's service cards: real matters of a Polish town office with their
//! real legal bases and fees (opłata skarbowa by the ustawa z 16 listopada 2006 r.
//! o opłacie skarbowej and its annex), paid to the office's account.

use magistrat_domain::deadline::CaseKind;
use serde_json::{Value, json};

use super::form_definition::FormDefinition;
use super::rules::{CardData, Channels, DocumentKind, Fee, RequiredDocument};
use super::store;
use crate::db::Tx;
use crate::db::audit::Actor;

/// The office's account for fees (fictional, with valid check digits).
pub const OFFICE_ACCOUNT: &str = "10102040270000190212345678";

const KPA_APPEAL: &str = "Odwołanie do Samorządowego Kolegium Odwoławczego w Borowcu za pośrednictwem Burmistrza Borowca w terminie 14 dni od dnia doręczenia decyzji (KPA art. 127–129).";
const CERT_APPEAL: &str = "Na postanowienie o odmowie wydania zaświadczenia służy zażalenie do Samorządowego Kolegium Odwoławczego w Borowcu w terminie 7 dni od doręczenia (KPA art. 219).";
const OPLATA: &str = "Ustawa z dnia 16 listopada 2006 r. o opłacie skarbowej";
/// What the demo cards with a stamp duty say of exemptions (ustawa o opłacie skarbowej
/// art. 2 ust. 1 and art. 7).
const FEE_EXEMPTIONS: &str = "Nie podlega opłacie skarbowej m.in. dokonanie czynności urzędowej i wydanie \
     zaświadczenia w sprawach alimentacyjnych, opieki, pomocy społecznej czy świadczeń rodzinnych \
     (art. 2 ust. 1 pkt 1 ustawy o opłacie skarbowej). Zwolnione są m.in. Skarb Państwa, jednostki \
     samorządu terytorialnego i organizacje pożytku publicznego w zakresie ich działalności pożytku \
     publicznego (art. 7). Pełnomocnictwo udzielone małżonkowi, wstępnemu, zstępnemu lub rodzeństwu \
     jest zwolnione (załącznik, część IV, kolumna zwolnień).";

/// The tariff position of a demo fee, by its description (załącznik do ustawy o
/// opłacie skarbowej).
fn tariff_of(description: &str) -> &'static str {
    if description.contains("zaświadczeni") {
        "część II"
    } else if description.contains("warunkach zabudowy") {
        "część I ust. 48"
    } else if description.contains("aktu małżeństwa") {
        "część I ust. 2"
    } else if description.contains("pełnomocnictw") {
        "część IV"
    } else {
        "część I ust. 53"
    }
}

const KPA: &str = "Ustawa z dnia 14 czerwca 1960 r. – Kodeks postępowania administracyjnego";

struct Demo {
    code: &'static str,
    unit: &'static str,
    name: &'static str,
    description: &'static str,
    legal: &'static [&'static str],
    room: &'static str,
    docs: &'static [(&'static str, DocumentKind)],
    fees: &'static [(&'static str, i64)],
    deadline: &'static str,
    kind: CaseKind,
    appeal: &'static str,
    remarks: &'static str,
    email: bool,
    form: Option<fn() -> Value>,
    published: bool,
}

fn f(name: &str, kind: &str, pl: &str, en: &str, required: bool) -> Value {
    json!({"name": name, "type": kind, "label": {"pl": pl, "en": en}, "required": required})
}

fn with_help(mut v: Value, pl: &str, en: &str) -> Value {
    v["help"] = json!({"pl": pl, "en": en});
    v
}

fn select(name: &str, pl: &str, en: &str, options: &[(&str, &str, &str)]) -> Value {
    let mut v = f(name, "select", pl, en, true);
    v["options"] = options
        .iter()
        .map(|(value, pl, en)| json!({"value": value, "label": {"pl": pl, "en": en}}))
        .collect();
    v
}

fn person() -> Vec<Value> {
    vec![
        f("first_name", "text", "Imię", "First name", true),
        f("last_name", "text", "Nazwisko", "Last name", true),
        with_help(
            f("pesel", "pesel", "Numer PESEL", "PESEL number", true),
            "11 cyfr",
            "11 digits",
        ),
        f(
            "street",
            "text",
            "Ulica i numer domu",
            "Street and number",
            true,
        ),
        with_help(
            f(
                "postal_code",
                "postal_code",
                "Kod pocztowy",
                "Postal code",
                true,
            ),
            "W postaci NN-NNN",
            "As NN-NNN",
        ),
        f("city", "text", "Miejscowość", "Town", true),
        f(
            "email",
            "email",
            "Adres e-mail do odpowiedzi",
            "E-mail for the reply",
            true,
        ),
        f("phone", "phone", "Telefon", "Phone", false),
    ]
}

fn pdf_scans(max_files: u32) -> Value {
    json!({"max_files": max_files, "max_size_bytes": 5_242_880, "allowed_types": ["pdf", "jpg", "png"]})
}

fn form_residence_certificate() -> Value {
    let mut fields = person();
    fields.push(select(
        "purpose",
        "Cel wydania zaświadczenia",
        "Purpose of the certificate",
        &[
            ("employer", "dla pracodawcy", "for an employer"),
            (
                "school",
                "dla szkoły lub uczelni",
                "for a school or university",
            ),
            ("bank", "dla banku", "for a bank"),
            ("other", "inny", "other"),
        ],
    ));
    fields.push(f(
        "fee_proof",
        "file",
        "Potwierdzenie zapłaty opłaty skarbowej",
        "Proof of the stamp duty payment",
        true,
    ));
    json!({"fields": fields, "attachments": pdf_scans(1)})
}

fn form_civil_record() -> Value {
    let mut fields = person();
    fields.push(select(
        "record",
        "Rodzaj aktu",
        "Kind of record",
        &[
            ("birth", "akt urodzenia", "birth"),
            ("marriage", "akt małżeństwa", "marriage"),
            ("death", "akt zgonu", "death"),
        ],
    ));
    fields.push(select(
        "copy",
        "Rodzaj odpisu",
        "Kind of copy",
        &[
            ("short", "odpis skrócony (22 zł)", "short copy (22 zł)"),
            ("full", "odpis zupełny (33 zł)", "full copy (33 zł)"),
            (
                "multilingual",
                "odpis wielojęzyczny (22 zł)",
                "multilingual copy (22 zł)",
            ),
        ],
    ));
    fields.push(f(
        "event_date",
        "date",
        "Data zdarzenia",
        "Date of the event",
        true,
    ));
    fields.push(f(
        "event_person",
        "text",
        "Osoba, której dotyczy akt",
        "Person the record is about",
        true,
    ));
    fields.push(f(
        "relationship",
        "text",
        "Pokrewieństwo (interes prawny)",
        "Relationship (legal interest)",
        false,
    ));
    json!({"fields": fields})
}

fn form_ceidg() -> Value {
    let mut fields = person();
    fields.push(with_help(
        f(
            "nip",
            "nip",
            "NIP (jeśli nadany)",
            "Tax number NIP (if any)",
            false,
        ),
        "10 cyfr",
        "10 digits",
    ));
    fields.push(f(
        "company_name",
        "text",
        "Firma przedsiębiorcy",
        "Business name",
        true,
    ));
    fields.push(f(
        "start_date",
        "date",
        "Data rozpoczęcia działalności",
        "Start date",
        true,
    ));
    fields.push(f(
        "pkd",
        "text",
        "Przeważający rodzaj działalności (kod PKD)",
        "Main activity (PKD code)",
        true,
    ));
    fields.push(select(
        "tax_form",
        "Forma opodatkowania",
        "Form of taxation",
        &[
            ("scale", "skala podatkowa", "tax scale"),
            ("linear", "podatek liniowy", "flat tax"),
            (
                "lump",
                "ryczałt od przychodów ewidencjonowanych",
                "lump sum",
            ),
        ],
    ));
    json!({"fields": fields})
}

fn form_tax_certificate() -> Value {
    let mut fields = person();
    fields.push(select(
        "taxpayer",
        "Wnioskodawca",
        "Applicant",
        &[
            ("person", "osoba fizyczna", "individual"),
            ("business", "przedsiębiorca", "business"),
        ],
    ));
    fields.push(f(
        "nip",
        "nip",
        "NIP (przedsiębiorcy)",
        "Tax number NIP (businesses)",
        false,
    ));
    fields.push(f(
        "regon",
        "regon",
        "REGON (przedsiębiorcy)",
        "REGON (businesses)",
        false,
    ));
    fields.push(f(
        "purpose",
        "textarea",
        "Cel wydania zaświadczenia",
        "Purpose of the certificate",
        true,
    ));
    fields.push(f(
        "fee_proof",
        "file",
        "Potwierdzenie zapłaty opłaty skarbowej",
        "Proof of the stamp duty payment",
        true,
    ));
    json!({"fields": fields, "attachments": pdf_scans(1)})
}

fn form_trees() -> Value {
    let mut fields = person();
    fields.push(f(
        "plot",
        "text",
        "Numer działki i obręb",
        "Plot number and precinct",
        true,
    ));
    fields.push(f(
        "count",
        "number",
        "Liczba drzew",
        "Number of trees",
        true,
    ));
    fields.push(select(
        "reason",
        "Przyczyna usunięcia",
        "Reason for removal",
        &[
            ("danger", "zagrożenie bezpieczeństwa", "safety hazard"),
            ("building", "realizacja inwestycji", "construction"),
            ("disease", "choroba drzewa", "tree disease"),
        ],
    ));
    fields.push(f(
        "owner_consent",
        "checkbox",
        "Jestem właścicielem nieruchomości albo mam zgodę właściciela",
        "I own the property or have the owner's consent",
        true,
    ));
    fields.push(f(
        "map",
        "file",
        "Rysunek lub mapa z lokalizacją drzew",
        "Drawing or map showing the trees",
        true,
    ));
    json!({"fields": fields, "attachments": pdf_scans(3)})
}

fn form_housing_allowance() -> Value {
    let mut fields = person();
    fields.push(f(
        "household",
        "number",
        "Liczba osób w gospodarstwie domowym",
        "Household members",
        true,
    ));
    fields.push(f(
        "area",
        "number",
        "Powierzchnia użytkowa lokalu (m²)",
        "Floor area (m²)",
        true,
    ));
    fields.push(f(
        "tenancy_since",
        "date",
        "Data zawarcia umowy najmu lub nabycia lokalu",
        "Date of the tenancy or purchase",
        true,
    ));
    fields.push(f(
        "income",
        "file",
        "Deklaracja o dochodach gospodarstwa domowego",
        "Household income declaration",
        true,
    ));
    json!({"fields": fields, "attachments": pdf_scans(5)})
}

fn form_public_information() -> Value {
    json!({"fields": [
        f("name", "text", "Imię i nazwisko lub nazwa (nieobowiązkowe)", "Name (optional)", false),
        f("email", "email", "Adres e-mail do odpowiedzi", "E-mail for the reply", true),
        with_help(f("request", "textarea", "Jakiej informacji dotyczy wniosek", "What information you ask for", true), "Wniosek nie wymaga uzasadnienia (art. 2 ust. 2 UDIP).", "No reason is needed (UDIP art. 2(2))."),
        select("delivery", "Sposób udostępnienia", "How to provide it", &[("email", "e-mailem", "by e-mail"), ("post", "pocztą", "by post"), ("view", "wgląd w urzędzie", "to view at the office")]),
    ]})
}

/// The demand for architectural or information-and-communication accessibility: what
/// ustawa z 19 lipca 2019 r. o zapewnianiu dostępności osobom ze szczególnymi
/// potrzebami, art. 30 ust. 3 requires the demand to hold.
fn form_accessibility_demand() -> Value {
    json!({"fields": [
        f("name", "text", "Imię i nazwisko", "Name", true),
        f("email", "email", "Adres e-mail do kontaktu", "E-mail for contact", true),
        f("phone", "phone", "Telefon", "Phone", false),
        select("scope", "Czego dotyczy żądanie", "What the demand is about", &[("architectural", "dostępności architektonicznej (budynek, wejście, toaleta, parking)", "architectural accessibility (building, entrance, toilet, parking)"), ("communication", "dostępności informacyjno-komunikacyjnej (np. tłumacz PJM, pętla indukcyjna, tekst łatwy do czytania)", "information and communication accessibility (e.g. sign language, induction loop, easy-to-read text)")]),
        with_help(f("barrier", "textarea", "Bariera, która utrudnia lub uniemożliwia dostęp", "The barrier that hinders or prevents access", true), "Wskaż miejsce lub usługę, np. „brak poręczy przy schodach do pokoju 14”.", "Name the place or service, e.g. \"no handrail on the stairs to room 14\"."),
        with_help(f("preferred", "textarea", "Preferowany sposób zapewnienia dostępności (nieobowiązkowe)", "How you would like access to be provided (optional)", false), "Art. 30 ust. 3 pkt 4 ustawy o zapewnianiu dostępności.", "Art. 30(3)(4) of the special-needs accessibility act."),
        select("contact", "Preferowany sposób kontaktu", "How to contact you", &[("email", "e-mailem", "by e-mail"), ("phone", "telefonicznie", "by phone"), ("post", "pocztą", "by post")]),
    ]})
}

/// The demand for digital accessibility of the website or an application: ustawa z
/// 4 kwietnia 2019 r. o dostępności cyfrowej, art. 18.
fn form_digital_accessibility_demand() -> Value {
    json!({"fields": [
        f("name", "text", "Imię i nazwisko", "Name", true),
        f("email", "email", "Adres e-mail do kontaktu", "E-mail for contact", true),
        f("phone", "phone", "Telefon", "Phone", false),
        with_help(f("element", "textarea", "Strona, dokument lub element, który jest niedostępny", "The page, document or element that is not accessible", true), "Podaj adres strony i opisz problem, np. „plik PDF z uchwałą jest skanem bez tekstu”.", "Give the page's address and describe the problem, e.g. \"the resolution's PDF is a scan without text\"."),
        with_help(f("alternative", "textarea", "Alternatywny sposób dostępu do informacji (nieobowiązkowe)", "Another way to receive the information (optional)", false), "Np. odczytanie treści przez telefon, plik tekstowy, duży druk.", "E.g. read out by phone, a text file, large print."),
        select("contact", "Preferowany sposób kontaktu", "How to contact you", &[("email", "e-mailem", "by e-mail"), ("phone", "telefonicznie", "by phone"), ("post", "pocztą", "by post")]),
    ]})
}

const CARDS: &[Demo] = &[
    Demo {
        code: "SA-1",
        unit: "SA",
        name: "Zameldowanie na pobyt stały lub czasowy",
        description: "Zgłoszenie pobytu stałego albo czasowego obywatela polskiego w lokalu na terenie gminy Borowiec.",
        legal: &["Ustawa z dnia 24 września 2010 r. o ewidencji ludności, art. 24–36"],
        room: "Ratusz, parter, pokój 4 (BOM)",
        docs: &[
            (
                "Formularz zgłoszenia pobytu stałego lub czasowego",
                DocumentKind::Original,
            ),
            ("Dowód osobisty lub paszport", DocumentKind::ToShow),
            (
                "Tytuł prawny do lokalu (np. umowa najmu, akt notarialny)",
                DocumentKind::ToShow,
            ),
        ],
        fees: &[],
        deadline: "Niezwłocznie, w dniu zgłoszenia",
        kind: CaseKind::AdministrativeImmediate,
        appeal: "",
        remarks: "Zameldowanie można też zgłosić przez usługę na gov.pl z podpisem zaufanym.",
        email: false,
        form: None,
        published: true,
    },
    Demo {
        code: "SA-2",
        unit: "SA",
        name: "Zaświadczenie o zameldowaniu",
        description: "Zaświadczenie potwierdzające zameldowanie na pobyt stały lub czasowy, np. dla pracodawcy lub banku.",
        legal: &[
            "Ustawa z dnia 24 września 2010 r. o ewidencji ludności, art. 46",
            "Ustawa z dnia 14 czerwca 1960 r. – Kodeks postępowania administracyjnego, art. 217–220",
            OPLATA,
        ],
        room: "Ratusz, parter, pokój 4 (BOM)",
        docs: &[
            ("Wniosek o wydanie zaświadczenia", DocumentKind::Original),
            ("Dowód osobisty", DocumentKind::ToShow),
            ("Potwierdzenie zapłaty opłaty skarbowej", DocumentKind::Copy),
        ],
        fees: &[("Opłata skarbowa za wydanie zaświadczenia", 1700)],
        deadline: "Do 7 dni, zwykle od ręki",
        kind: CaseKind::Certificate,
        appeal: CERT_APPEAL,
        remarks: "",
        email: true,
        form: Some(form_residence_certificate),
        published: true,
    },
    Demo {
        code: "SA-3",
        unit: "SA",
        name: "Wymeldowanie z pobytu stałego w drodze decyzji administracyjnej",
        description: "Wymeldowanie osoby, która opuściła lokal i nie wymeldowała się sama.",
        legal: &[
            "Ustawa z dnia 24 września 2010 r. o ewidencji ludności, art. 35",
            KPA,
            OPLATA,
        ],
        room: "Ratusz, I piętro, pokój 12",
        docs: &[
            ("Wniosek o wymeldowanie", DocumentKind::Original),
            (
                "Dokument potwierdzający tytuł prawny do lokalu",
                DocumentKind::Copy,
            ),
        ],
        fees: &[("Opłata skarbowa od decyzji", 1000)],
        deadline: "Do 1 miesiąca, w sprawie szczególnie skomplikowanej do 2 miesięcy",
        kind: CaseKind::AdministrativeSimple,
        appeal: KPA_APPEAL,
        remarks: "",
        email: false,
        form: None,
        published: true,
    },
    Demo {
        code: "SA-4",
        unit: "SA",
        name: "Wydanie dowodu osobistego",
        description: "Wniosek o pierwszy albo kolejny dowód osobisty, także dla dziecka.",
        legal: &["Ustawa z dnia 6 sierpnia 2010 r. o dowodach osobistych, art. 24–29"],
        room: "Ratusz, parter, stanowiska 1–3 (BOM)",
        docs: &[
            ("Aktualna fotografia 35 × 45 mm", DocumentKind::Original),
            ("Dotychczasowy dowód osobisty", DocumentKind::ToShow),
        ],
        fees: &[],
        deadline: "Do 30 dni od złożenia wniosku",
        kind: CaseKind::AdministrativeSimple,
        appeal: KPA_APPEAL,
        remarks: "Wniosek składa się osobiście (pobierane są odciski palców) albo przez gov.pl; odbiór osobisty.",
        email: false,
        form: None,
        published: true,
    },
    Demo {
        code: "SA-5",
        unit: "SA",
        name: "Zgłoszenie utraty lub uszkodzenia dowodu osobistego",
        description: "Unieważnienie utraconego lub uszkodzonego dowodu osobistego.",
        legal: &["Ustawa z dnia 6 sierpnia 2010 r. o dowodach osobistych, art. 47–48"],
        room: "Ratusz, parter, stanowiska 1–3 (BOM)",
        docs: &[("Inny dokument tożsamości, jeśli jest", DocumentKind::ToShow)],
        fees: &[],
        deadline: "Niezwłocznie",
        kind: CaseKind::AdministrativeImmediate,
        appeal: "",
        remarks: "Utratę można zgłosić w każdym urzędzie gminy, na gov.pl lub w placówce konsularnej.",
        email: false,
        form: None,
        published: true,
    },
    Demo {
        code: "SA-6",
        unit: "SA",
        name: "Wpis do Centralnej Ewidencji i Informacji o Działalności Gospodarczej (CEIDG)",
        description: "Założenie jednoosobowej działalności gospodarczej, zmiana wpisu, zawieszenie lub wykreślenie.",
        legal: &[
            "Ustawa z dnia 6 marca 2018 r. o Centralnej Ewidencji i Informacji o Działalności Gospodarczej i Punkcie Informacji dla Przedsiębiorcy",
        ],
        room: "Ratusz, parter, pokój 5",
        docs: &[
            ("Wniosek CEIDG-1", DocumentKind::Original),
            ("Dowód osobisty", DocumentKind::ToShow),
        ],
        fees: &[],
        deadline: "Przekazanie wniosku do CEIDG nie później niż następnego dnia roboczego",
        kind: CaseKind::AdministrativeImmediate,
        appeal: "",
        remarks: "Wpis jest bezpłatny. Wniosek można złożyć też samodzielnie przez biznes.gov.pl.",
        email: false,
        form: Some(form_ceidg),
        published: true,
    },
    Demo {
        code: "SA-7",
        unit: "SA",
        name: "Zezwolenie na sprzedaż napojów alkoholowych",
        description: "Zezwolenie na sprzedaż detaliczną napojów alkoholowych w sklepie albo w lokalu gastronomicznym.",
        legal: &[
            "Ustawa z dnia 26 października 1982 r. o wychowaniu w trzeźwości i przeciwdziałaniu alkoholizmowi, art. 18 i 18¹",
            "Uchwała Rady Miejskiej w Borowcu w sprawie liczby zezwoleń i zasad usytuowania punktów sprzedaży",
            KPA,
        ],
        room: "Ratusz, I piętro, pokój 14",
        docs: &[
            ("Wniosek o wydanie zezwolenia", DocumentKind::Original),
            ("Tytuł prawny do lokalu", DocumentKind::Copy),
            (
                "Zgoda właściciela budynku, jeśli punkt jest w budynku wielolokalowym",
                DocumentKind::Original,
            ),
            (
                "Decyzja Państwowego Powiatowego Inspektora Sanitarnego",
                DocumentKind::CertifiedCopy,
            ),
        ],
        fees: &[
            (
                "Opłata za korzystanie z zezwolenia na napoje do 4,5% alkoholu i piwo (za rok)",
                52500,
            ),
            (
                "Opłata za korzystanie z zezwolenia na napoje od 4,5% do 18% alkoholu (za rok)",
                52500,
            ),
            (
                "Opłata za korzystanie z zezwolenia na napoje powyżej 18% alkoholu (za rok)",
                210000,
            ),
        ],
        deadline: "Do 1 miesiąca, w sprawie szczególnie skomplikowanej do 2 miesięcy",
        kind: CaseKind::AdministrativeSimple,
        appeal: KPA_APPEAL,
        remarks: "Wniosek opiniuje Miejska Komisja Rozwiązywania Problemów Alkoholowych.",
        email: false,
        form: None,
        published: true,
    },
    Demo {
        code: "SA-8",
        unit: "SA",
        name: "Wpis do ewidencji innych obiektów, w których są świadczone usługi hotelarskie",
        description: "Wpis kwater prywatnych, pokoi gościnnych i innych obiektów noclegowych, które nie są hotelami.",
        legal: &[
            "Ustawa z dnia 29 sierpnia 1997 r. o usługach hotelarskich oraz usługach pilotów wycieczek i przewodników turystycznych, art. 38 ust. 3",
        ],
        room: "Ratusz, I piętro, pokój 14",
        docs: &[("Zgłoszenie obiektu do ewidencji", DocumentKind::Original)],
        fees: &[],
        deadline: "Do 1 miesiąca",
        kind: CaseKind::AdministrativeSimple,
        appeal: "",
        remarks: "",
        email: true,
        form: None,
        published: true,
    },
    Demo {
        code: "USC-1",
        unit: "USC",
        name: "Wydanie odpisu aktu stanu cywilnego",
        description: "Odpis skrócony, zupełny albo wielojęzyczny aktu urodzenia, małżeństwa lub zgonu.",
        legal: &[
            "Ustawa z dnia 28 listopada 2014 r. – Prawo o aktach stanu cywilnego, art. 44–47",
            OPLATA,
        ],
        room: "Ratusz, II piętro, pokój 21 (USC)",
        docs: &[
            ("Wniosek o wydanie odpisu", DocumentKind::Original),
            ("Dokument tożsamości", DocumentKind::ToShow),
        ],
        fees: &[
            ("Opłata skarbowa za odpis skrócony lub wielojęzyczny", 2200),
            ("Opłata skarbowa za odpis zupełny", 3300),
        ],
        deadline: "Niezwłocznie, najpóźniej w 7 dni",
        kind: CaseKind::Certificate,
        appeal: CERT_APPEAL,
        remarks: "Odpis wydaje się osobie, której akt dotyczy, jej małżonkowi, wstępnym, zstępnym, rodzeństwu, przedstawicielowi ustawowemu oraz osobie mającej interes prawny.",
        email: false,
        form: Some(form_civil_record),
        published: true,
    },
    Demo {
        code: "USC-2",
        unit: "USC",
        name: "Rejestracja urodzenia dziecka",
        description: "Sporządzenie aktu urodzenia na podstawie zgłoszenia rodziców, nadanie numeru PESEL i zameldowanie dziecka.",
        legal: &["Ustawa z dnia 28 listopada 2014 r. – Prawo o aktach stanu cywilnego, art. 52–64"],
        room: "Ratusz, II piętro, pokój 21 (USC)",
        docs: &[("Dokumenty tożsamości rodziców", DocumentKind::ToShow)],
        fees: &[],
        deadline: "Niezwłocznie",
        kind: CaseKind::AdministrativeImmediate,
        appeal: "",
        remarks: "Urodzenie zgłasza się w ciągu 21 dni od sporządzenia karty urodzenia.",
        email: false,
        form: None,
        published: true,
    },
    Demo {
        code: "USC-3",
        unit: "USC",
        name: "Zawarcie małżeństwa",
        description: "Złożenie zapewnienia o braku okoliczności wyłączających zawarcie małżeństwa i ustalenie terminu ślubu.",
        legal: &[
            "Ustawa z dnia 25 lutego 1964 r. – Kodeks rodzinny i opiekuńczy, art. 1–9",
            "Ustawa z dnia 28 listopada 2014 r. – Prawo o aktach stanu cywilnego, art. 76–88",
            OPLATA,
        ],
        room: "Ratusz, II piętro, pokój 21 (USC)",
        docs: &[(
            "Dokumenty tożsamości przyszłych małżonków",
            DocumentKind::ToShow,
        )],
        fees: &[("Opłata skarbowa za sporządzenie aktu małżeństwa", 8400)],
        deadline: "Ślub nie wcześniej niż po miesiącu od złożenia zapewnienia",
        kind: CaseKind::AdministrativeImmediate,
        appeal: "",
        remarks: "",
        email: false,
        form: None,
        published: true,
    },
    Demo {
        code: "FN-I-1",
        unit: "FN-I",
        name: "Zaświadczenie o niezaleganiu w podatkach lub stwierdzające stan zaległości",
        description: "Zaświadczenie o niezaleganiu w podatkach lokalnych (od nieruchomości, rolnym, leśnym, od środków transportowych).",
        legal: &[
            "Ustawa z dnia 29 sierpnia 1997 r. – Ordynacja podatkowa, art. 306a–306e i 306g",
            OPLATA,
        ],
        room: "Ratusz, I piętro, pokój 16",
        docs: &[
            ("Wniosek o wydanie zaświadczenia", DocumentKind::Original),
            ("Potwierdzenie zapłaty opłaty skarbowej", DocumentKind::Copy),
        ],
        fees: &[("Opłata skarbowa za zaświadczenie o niezaleganiu", 2100)],
        deadline: "Do 7 dni",
        kind: CaseKind::Certificate,
        appeal: "Na postanowienie o odmowie wydania zaświadczenia służy zażalenie do Samorządowego Kolegium Odwoławczego w Borowcu w terminie 7 dni (Ordynacja podatkowa art. 306h).",
        remarks: "",
        email: true,
        form: Some(form_tax_certificate),
        published: true,
    },
    Demo {
        code: "FN-I-2",
        unit: "FN-I",
        name: "Podatek od nieruchomości – informacja i deklaracja",
        description: "Złożenie informacji o nieruchomościach (IN-1) przez osobę fizyczną albo deklaracji (DN-1) przez firmę.",
        legal: &[
            "Ustawa z dnia 12 stycznia 1991 r. o podatkach i opłatach lokalnych, art. 6",
            "Uchwała Rady Miejskiej w Borowcu w sprawie stawek podatku od nieruchomości",
        ],
        room: "Ratusz, I piętro, pokój 16",
        docs: &[
            (
                "Informacja IN-1 albo deklaracja DN-1 z załącznikami",
                DocumentKind::Original,
            ),
            (
                "Akt notarialny lub inny dokument nabycia",
                DocumentKind::Copy,
            ),
        ],
        fees: &[],
        deadline: "Informację składa się w ciągu 14 dni od powstania obowiązku podatkowego; decyzja wymiarowa do 1 miesiąca",
        kind: CaseKind::AdministrativeSimple,
        appeal: KPA_APPEAL,
        remarks: "Podatek płaci się na rachunek urzędu albo u inkasenta.",
        email: true,
        form: None,
        published: true,
    },
    Demo {
        code: "FN-I-3",
        unit: "FN-I",
        name: "Ulga w spłacie zobowiązań podatkowych",
        description: "Odroczenie terminu płatności, rozłożenie na raty albo umorzenie zaległości podatkowej.",
        legal: &["Ustawa z dnia 29 sierpnia 1997 r. – Ordynacja podatkowa, art. 67a"],
        room: "Ratusz, I piętro, pokój 16",
        docs: &[
            ("Wniosek z uzasadnieniem", DocumentKind::Original),
            ("Oświadczenie o sytuacji majątkowej", DocumentKind::Original),
        ],
        fees: &[],
        deadline: "Do 1 miesiąca, w sprawie szczególnie skomplikowanej do 2 miesięcy",
        kind: CaseKind::AdministrativeSimple,
        appeal: KPA_APPEAL,
        remarks: "",
        email: false,
        form: None,
        published: false,
    },
    Demo {
        code: "GK-1",
        unit: "GK",
        name: "Zezwolenie na usunięcie drzew lub krzewów",
        description: "Zezwolenie na wycięcie drzew lub krzewów rosnących na nieruchomości, także zgłoszenie zamiaru usunięcia drzewa przez osobę fizyczną.",
        legal: &["Ustawa z dnia 16 kwietnia 2004 r. o ochronie przyrody, art. 83–87"],
        room: "Ratusz, II piętro, pokój 25",
        docs: &[
            ("Wniosek o wydanie zezwolenia", DocumentKind::Original),
            (
                "Zgoda właściciela nieruchomości, jeśli wnioskodawca nim nie jest",
                DocumentKind::Original,
            ),
            (
                "Rysunek lub mapa z lokalizacją drzew",
                DocumentKind::Original,
            ),
        ],
        fees: &[],
        deadline: "Do 1 miesiąca, w sprawie szczególnie skomplikowanej do 2 miesięcy",
        kind: CaseKind::AdministrativeSimple,
        appeal: KPA_APPEAL,
        remarks: "Zezwolenie dla osoby fizycznej na cele niezwiązane z działalnością gospodarczą jest bezpłatne.",
        email: false,
        form: Some(form_trees),
        published: true,
    },
    Demo {
        code: "GK-2",
        unit: "GK",
        name: "Deklaracja o wysokości opłaty za gospodarowanie odpadami komunalnymi",
        description: "Pierwsza deklaracja albo zmiana danych, np. liczby mieszkańców nieruchomości.",
        legal: &[
            "Ustawa z dnia 13 września 1996 r. o utrzymaniu czystości i porządku w gminach, art. 6m",
            "Uchwała Rady Miejskiej w Borowcu w sprawie wzoru deklaracji",
        ],
        room: "Ratusz, II piętro, pokój 24",
        docs: &[("Deklaracja DO-1", DocumentKind::Original)],
        fees: &[],
        deadline: "Deklarację składa się w ciągu 14 dni od zamieszkania pierwszego mieszkańca lub od zmiany",
        kind: CaseKind::AdministrativeImmediate,
        appeal: "",
        remarks: "Opłatę wnosi się na indywidualny rachunek podany w zawiadomieniu.",
        email: true,
        form: None,
        published: true,
    },
    Demo {
        code: "GK-3",
        unit: "GK",
        name: "Zezwolenie na zajęcie pasa drogowego",
        description: "Zajęcie pasa drogi gminnej na roboty, umieszczenie urządzenia, reklamy albo na inny cel.",
        legal: &[
            "Ustawa z dnia 21 marca 1985 r. o drogach publicznych, art. 40",
            "Uchwała Rady Miejskiej w Borowcu w sprawie stawek opłat za zajęcie pasa drogowego",
        ],
        room: "Ratusz, II piętro, pokój 26",
        docs: &[
            ("Wniosek o zezwolenie", DocumentKind::Original),
            (
                "Plan sytuacyjny z zaznaczeniem zajmowanej powierzchni",
                DocumentKind::Original,
            ),
            ("Projekt organizacji ruchu", DocumentKind::Copy),
        ],
        fees: &[],
        deadline: "Do 1 miesiąca",
        kind: CaseKind::AdministrativeSimple,
        appeal: KPA_APPEAL,
        remarks: "Opłatę za zajęcie pasa ustala decyzja według stawek uchwały.",
        email: false,
        form: None,
        published: true,
    },
    Demo {
        code: "GN-1",
        unit: "GN",
        name: "Ustalenie numeru porządkowego nieruchomości",
        description: "Nadanie numeru porządkowego budynkowi albo działce przeznaczonej pod zabudowę.",
        legal: &["Ustawa z dnia 17 maja 1989 r. – Prawo geodezyjne i kartograficzne, art. 47a"],
        room: "Ratusz, III piętro, pokój 31",
        docs: &[
            ("Wniosek o ustalenie numeru", DocumentKind::Original),
            ("Mapa z lokalizacją budynku", DocumentKind::Copy),
        ],
        fees: &[],
        deadline: "Do 1 miesiąca",
        kind: CaseKind::AdministrativeSimple,
        appeal: "",
        remarks: "Właściciel umieszcza tabliczkę z numerem na własny koszt.",
        email: true,
        form: None,
        published: true,
    },
    Demo {
        code: "AB-1",
        unit: "AB",
        name: "Decyzja o warunkach zabudowy",
        description: "Ustalenie warunków zabudowy dla terenu, który nie ma miejscowego planu zagospodarowania przestrzennego.",
        legal: &[
            "Ustawa z dnia 27 marca 2003 r. o planowaniu i zagospodarowaniu przestrzennym, art. 59–66",
            OPLATA,
        ],
        room: "Ratusz, III piętro, pokój 33",
        docs: &[
            (
                "Wniosek o ustalenie warunków zabudowy",
                DocumentKind::Original,
            ),
            (
                "Kopia mapy zasadniczej lub ewidencyjnej",
                DocumentKind::Copy,
            ),
            ("Zapewnienie dostępu do mediów", DocumentKind::Copy),
        ],
        fees: &[("Opłata skarbowa od decyzji o warunkach zabudowy", 59800)],
        deadline: "Do 2 miesięcy (sprawa szczególnie skomplikowana)",
        kind: CaseKind::AdministrativeComplex,
        appeal: KPA_APPEAL,
        remarks: "",
        email: false,
        form: None,
        published: true,
    },
    Demo {
        code: "WO-II-1",
        unit: "WO-II",
        name: "Dodatek mieszkaniowy",
        description: "Dofinansowanie do wydatków na mieszkanie dla gospodarstw domowych o niskich dochodach.",
        legal: &[
            "Ustawa z dnia 21 czerwca 2001 r. o dodatkach mieszkaniowych",
            "Rozporządzenie Ministra Rozwoju i Technologii w sprawie wzoru wniosku o przyznanie dodatku mieszkaniowego",
        ],
        room: "Ratusz, parter, pokój 8",
        docs: &[
            ("Wniosek o dodatek mieszkaniowy", DocumentKind::Original),
            (
                "Deklaracja o dochodach gospodarstwa domowego",
                DocumentKind::Original,
            ),
            (
                "Zaświadczenie zarządcy o wydatkach na lokal",
                DocumentKind::Original,
            ),
        ],
        fees: &[],
        deadline: "Do 1 miesiąca",
        kind: CaseKind::AdministrativeSimple,
        appeal: KPA_APPEAL,
        remarks: "Dodatek przyznaje się na 6 miesięcy.",
        email: false,
        form: Some(form_housing_allowance),
        published: true,
    },
    Demo {
        code: "WO-II-2",
        unit: "WO-II",
        name: "Karta Dużej Rodziny",
        description: "Karta uprawniająca rodziny z co najmniej trojgiem dzieci do zniżek i ulg.",
        legal: &["Ustawa z dnia 5 grudnia 2014 r. o Karcie Dużej Rodziny"],
        room: "Ratusz, parter, pokój 8",
        docs: &[
            ("Wniosek o przyznanie Karty", DocumentKind::Original),
            (
                "Dokumenty tożsamości członków rodziny",
                DocumentKind::ToShow,
            ),
        ],
        fees: &[],
        deadline: "Do 1 miesiąca",
        kind: CaseKind::AdministrativeSimple,
        appeal: "",
        remarks: "Karta jest bezpłatna; wydanie duplikatu jest płatne.",
        email: false,
        form: None,
        published: true,
    },
    Demo {
        code: "OR-1",
        unit: "OR",
        name: "Wniosek o udostępnienie informacji publicznej",
        description: "Dostęp do informacji o sprawach publicznych, której nie ma w Biuletynie Informacji Publicznej.",
        legal: &[
            "Ustawa z dnia 6 września 2001 r. o dostępie do informacji publicznej, art. 10–16",
        ],
        room: "Ratusz, parter, pokój 2 (kancelaria)",
        docs: &[],
        fees: &[],
        deadline: "Bez zbędnej zwłoki, nie później niż w 14 dni; do 2 miesięcy po zawiadomieniu o przyczynie opóźnienia",
        kind: CaseKind::PublicInformation,
        appeal: "Na decyzję o odmowie udostępnienia służy odwołanie do Samorządowego Kolegium Odwoławczego w Borowcu w terminie 14 dni (UDIP art. 16 i 17).",
        remarks: "Wniosek nie wymaga uzasadnienia ani podania danych osobowych poza adresem do odpowiedzi.",
        email: true,
        form: Some(form_public_information),
        published: true,
    },
    Demo {
        code: "OR-2",
        unit: "OR",
        name: "Skarga lub wniosek",
        description: "Skarga na działanie urzędu lub pracownika albo wniosek dotyczący poprawy pracy urzędu.",
        legal: &[
            "Ustawa z dnia 14 czerwca 1960 r. – Kodeks postępowania administracyjnego, art. 221–256",
            "Rozporządzenie Rady Ministrów z dnia 8 stycznia 2002 r. w sprawie organizacji przyjmowania i rozpatrywania skarg i wniosków",
        ],
        room: "Ratusz, parter, pokój 2 (kancelaria)",
        docs: &[],
        fees: &[],
        deadline: "Bez zbędnej zwłoki, nie później niż w ciągu miesiąca",
        kind: CaseKind::ComplaintOrMotion,
        appeal: "",
        remarks: "Burmistrz przyjmuje w sprawach skarg i wniosków w poniedziałki 12:00–16:00.",
        email: true,
        form: None,
        published: true,
    },
    Demo {
        code: "OR-3",
        unit: "OR",
        name: "Petycja",
        description: "Petycja w interesie publicznym, podmiotu wnoszącego albo osoby trzeciej, kierowana do Burmistrza lub Rady Miejskiej.",
        legal: &["Ustawa z dnia 11 lipca 2014 r. o petycjach"],
        room: "Ratusz, parter, pokój 2 (kancelaria)",
        docs: &[],
        fees: &[],
        deadline: "Bez zbędnej zwłoki, nie później niż w ciągu 3 miesięcy",
        kind: CaseKind::Petition,
        appeal: "",
        remarks: "Petycję publikuje się w BIP.",
        email: true,
        form: None,
        published: true,
    },
    Demo {
        code: "OR-4",
        unit: "OR",
        name: "Żądanie zapewnienia dostępności architektonicznej lub informacyjno-komunikacyjnej",
        description: "Osoba ze szczególnymi potrzebami albo jej przedstawiciel ustawowy może żądać zapewnienia dostępności budynku urzędu lub informacji i komunikacji (np. tłumacza polskiego języka migowego, pętli indukcyjnej, tekstu łatwego do czytania), bez wykazywania interesu prawnego.",
        legal: &[
            "Ustawa z dnia 19 lipca 2019 r. o zapewnianiu dostępności osobom ze szczególnymi potrzebami, art. 30–32",
        ],
        room: "Ratusz, parter, pokój 2 (kancelaria); koordynator do spraw dostępności",
        docs: &[],
        fees: &[],
        deadline: "Niezwłocznie, nie później niż w ciągu 14 dni od dnia wystąpienia z żądaniem; jeżeli to niemożliwe, urząd niezwłocznie powiadamia o przyczynach i wskazuje nowy termin, nie dłuższy niż 2 miesiące od dnia wystąpienia z żądaniem (art. 31 ust. 1–2)",
        kind: CaseKind::SpecialNeedsAccessibilityDemand,
        appeal: "Jeżeli urząd nie zapewni dostępności ani dostępu alternatywnego, przysługuje skarga na brak dostępności do Prezesa Zarządu PFRON w terminie 30 dni od upływu terminu lub od odmowy (art. 32).",
        remarks: "Gdy zapewnienie dostępności nie jest możliwe albo wiązałoby się z nadmiernymi kosztami, urząd proponuje dostęp alternatywny (art. 31 ust. 3). Żądanie jest bezpłatne.",
        email: true,
        form: Some(form_accessibility_demand),
        published: true,
    },
    Demo {
        code: "OR-5",
        unit: "OR",
        name: "Żądanie zapewnienia dostępności cyfrowej strony internetowej lub jej elementu",
        description: "Każdy może żądać, aby strona internetowa urzędu, Biuletyn Informacji Publicznej, dokument na nich opublikowany albo aplikacja były dostępne cyfrowo, albo aby udostępniono ich treść w inny sposób.",
        legal: &[
            "Ustawa z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych, art. 18–19",
        ],
        room: "Ratusz, parter, pokój 2 (kancelaria); koordynator do spraw dostępności",
        docs: &[],
        fees: &[],
        deadline: "Niezwłocznie, nie później niż w ciągu 7 dni od dnia wystąpienia z żądaniem; jeżeli to niemożliwe, urząd niezwłocznie powiadamia, kiedy będzie to możliwe, nie później niż w ciągu 2 miesięcy od dnia wystąpienia z żądaniem (art. 18)",
        kind: CaseKind::AccessibilityDemand,
        appeal: "Po odmowie zapewnienia dostępności lub dostępu alternatywnego przysługuje skarga (art. 18–19), a po jej wyczerpaniu wniosek do Rzecznika Praw Obywatelskich.",
        remarks: "Żądanie jest bezpłatne. Procedurę opisuje deklaracja dostępności urzędu.",
        email: true,
        form: Some(form_digital_accessibility_demand),
        published: true,
    },
];

/// The JRWA class (gmina wykaz, data/jrwa/gmina-2026.csv) each demo card's cases are
/// registered under: e-service applications need it to take a case number.
const CLASSES: &[(&str, &str)] = &[
    ("SA-1", "5310"),
    ("SA-2", "5311"),
    ("SA-3", "5310"),
    ("SA-4", "5340"),
    ("SA-5", "5341"),
    ("SA-6", "5370"),
    ("SA-7", "7810"),
    ("SA-8", "5370"),
    ("USC-1", "5360"),
    ("USC-2", "5360"),
    ("USC-3", "5360"),
    ("FN-I-1", "3130"),
    ("FN-I-2", "3100"),
    ("FN-I-3", "3110"),
    ("GK-1", "6131"),
    ("GK-2", "3121"),
    ("GK-3", "7021"),
    ("GN-1", "7022"),
    ("AB-1", "6730"),
    ("WO-II-1", "7821"),
    ("WO-II-2", "7821"),
    ("OR-1", "1431"),
    ("OR-2", "1510"),
    ("OR-3", "1520"),
    // Demands for accessibility: no JRWA class of their own in the gmina wykaz; they
    // are registered as requests decided by the organ.
    ("OR-4", "1510"),
    ("OR-5", "1510"),
];

/// The everyday words residents search the demo cards by (issue 15).
const KEYWORDS: &[(&str, &str)] = &[
    (
        "SA-1",
        "meldunek, zameldowanie, meldowanie, przemeldowanie, pobyt stały, pobyt czasowy, adres",
    ),
    (
        "SA-2",
        "meldunek, zaświadczenie o meldunku, potwierdzenie zameldowania, adres",
    ),
    (
        "SA-3",
        "wymeldowanie, wymeldować lokatora, wymeldowanie z urzędu",
    ),
    (
        "SA-4",
        "dowód, dowód osobisty, nowy dowód, wymiana dowodu, e-dowód",
    ),
    (
        "SA-5",
        "dowód, zgubiony dowód, kradzież dowodu, zastrzeżenie dowodu",
    ),
    (
        "SA-6",
        "firma, działalność gospodarcza, własna firma, CEIDG, zawieszenie działalności",
    ),
    ("SA-7", "alkohol, koncesja, sklep, lokal"),
    (
        "USC-1",
        "akt urodzenia, akt małżeństwa, akt zgonu, odpis aktu, metryka, USC",
    ),
    (
        "USC-2",
        "urodzenie dziecka, zgłoszenie urodzenia, narodziny, PESEL dziecka, becikowe",
    ),
    ("USC-3", "ślub, ślub cywilny, małżeństwo, USC"),
    (
        "FN-I-1",
        "podatki, zaświadczenie o niezaleganiu, zaległości podatkowe",
    ),
    (
        "FN-I-2",
        "podatki, podatek od nieruchomości, podatek od domu, podatek od mieszkania, działka",
    ),
    (
        "FN-I-3",
        "podatki, ulga podatkowa, rozłożenie na raty, umorzenie, odroczenie",
    ),
    (
        "GK-1",
        "wycinka, wycinka drzew, ścięcie drzewa, drzewo, krzewy",
    ),
    (
        "GK-2",
        "odpady, śmieci, wywóz śmieci, opłata za śmieci, segregacja",
    ),
    (
        "GK-3",
        "pas drogowy, zajęcie drogi, remont, rusztowanie, kontener",
    ),
    ("GN-1", "numer domu, numer budynku, adres"),
    ("AB-1", "budowa, WZ, warunki zabudowy, dom, działka"),
    ("WO-II-1", "dodatek mieszkaniowy, czynsz, mieszkanie, pomoc"),
    ("WO-II-2", "KDR, rodzina wielodzietna, duża rodzina, zniżki"),
    (
        "OR-1",
        "informacja publiczna, dostęp do informacji publicznej",
    ),
    (
        "OR-2",
        "skarga, wniosek, reklamacja, zażalenie na urzędnika",
    ),
    ("OR-3", "petycja, inicjatywa mieszkańców"),
    (
        "OR-4",
        "dostępność, niepełnosprawność, bariera, wózek, tłumacz języka migowego, PJM, pętla indukcyjna, koordynator dostępności",
    ),
    (
        "OR-5",
        "dostępność cyfrowa, strona internetowa, niedostępny dokument, WCAG, deklaracja dostępności",
    ),
];

fn keywords_of(code: &str) -> String {
    KEYWORDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, k)| (*k).to_owned())
        .unwrap_or_default()
}

fn class_of(code: &str) -> Option<String> {
    CLASSES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, class)| (*class).to_owned())
}

/// Seeds the demo cards; `unit` finds a unit's id by symbol.
pub async fn seed(
    tx: &mut Tx,
    actor: &Actor,
    unit: impl Fn(&str) -> Option<i64>,
    town_hall: i64,
) -> anyhow::Result<usize> {
    for card in CARDS {
        let form_definition = match card.form {
            Some(make) => Some(
                FormDefinition::parse(&make().to_string())
                    .map_err(|e| anyhow::anyhow!("demo form of {}: {e:?}", card.code))?
                    .to_json(),
            ),
            None => None,
        };
        let data = CardData {
            code: card.code.to_owned(),
            org_unit_id: unit(card.unit)
                .ok_or_else(|| anyhow::anyhow!("demo unit {}", card.unit))?,
            name: card.name.to_owned(),
            description: card.description.to_owned(),
            keywords: keywords_of(card.code),
            legal_basis: card.legal.iter().map(|s| (*s).to_owned()).collect(),
            location_id: Some(town_hall),
            room: card.room.to_owned(),
            hours_note: String::new(),
            phone: "+48 61 555 01 00".to_owned(),
            email: "urzad@borowiec.example.pl".to_owned(),
            documents: card
                .docs
                .iter()
                .map(|(name, kind)| RequiredDocument {
                    name: (*name).to_owned(),
                    kind: kind.as_str().to_owned(),
                })
                .collect(),
            fees: card
                .fees
                .iter()
                .map(|(description, grosze)| Fee {
                    description: (*description).to_owned(),
                    amount_grosze: *grosze,
                    account: OFFICE_ACCOUNT.to_owned(),
                    tariff: tariff_of(description).to_owned(),
                })
                .collect(),
            deadline: card.deadline.to_owned(),
            case_kind: card.kind,
            appeal: card.appeal.to_owned(),
            remarks: card.remarks.to_owned(),
            fee_exemptions: if card.fees.is_empty() {
                String::new()
            } else {
                FEE_EXEMPTIONS.to_owned()
            },
            channels: Channels {
                counter: true,
                post: true,
                email: card.email,
                eservice: form_definition.is_some(),
            },
            form_definition,
            jrwa_symbol: class_of(card.code),
            published: card.published,
        };
        store::create_card(tx, actor, &data).await?;
    }
    Ok(CARDS.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use magistrat_domain::identifiers::Nrb;

    #[test]
    fn demo_cards_are_valid() {
        assert!(Nrb::parse(OFFICE_ACCOUNT).is_ok());
        assert!(CARDS.len() >= 20);
        let mut forms = 0;
        for card in CARDS {
            if let Some(make) = card.form {
                forms += 1;
                let def = FormDefinition::parse(&make().to_string());
                assert!(def.is_ok(), "{}: {def:?}", card.code);
            }
            assert!(
                super::super::rules::code_fits_unit(card.code, card.unit),
                "{}",
                card.code
            );
        }
        assert!(forms >= 4);
    }
}
