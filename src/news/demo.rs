//! The demo office's news and announcements: what the Urząd Miejski w Borowcu tells
//! its residents in a month — road works, a closed office day, tax instalments, the
//! civic budget vote, a job fair — three with pictures (alt text written for each),
//! one scheduled for later and one draft. Moments are counted back from the office
//! clock, so the list reads naturally on any day.

use jiff::SignedDuration;

use super::service;
use super::store::{self, ItemData};
use crate::attachments::{self, Limits};
use crate::db::Db;
use crate::db::audit::Actor;
use crate::with_db;
use magistrat_domain::news::{Kind, Status};

/// (kind, title, lead, body, hours ago — negative: scheduled ahead, `None`: draft,
/// picture (file, alt))
type Demo = (
    Kind,
    &'static str,
    &'static str,
    &'static str,
    Option<i64>,
    Option<(&'static str, &'static [u8], &'static str)>,
);

const TOWN_HALL: &[u8] = include_bytes!("../../assets/demo/news-town-hall.png");
const PARK: &[u8] = include_bytes!("../../assets/demo/news-park.png");
const ROAD_WORKS: &[u8] = include_bytes!("../../assets/demo/news-road-works.png");

const ITEMS: &[Demo] = &[
    (
        Kind::Announcement,
        "Urząd nieczynny 24 grudnia — dyżur Urzędu Stanu Cywilnego",
        "W środę 24 grudnia (Wigilia, dzień ustawowo wolny od pracy) Urząd Miejski w Borowcu będzie nieczynny. Zgon można zgłosić pod numerem dyżurnym USC.",
        "<p>Zgodnie z ustawą o dniach wolnych od pracy Wigilia Bożego Narodzenia jest dniem wolnym. Dyżur Urzędu Stanu Cywilnego w sprawie rejestracji zgonów: tel. +48 61 555 01 30, w godzinach 9:00–12:00.</p><p>Zapraszamy ponownie w poniedziałek 29 grudnia.</p>",
        Some(6),
        None,
    ),
    (
        Kind::Announcement,
        "Utrudnienia w ruchu na ul. Kościelnej od 8 do 19 grudnia",
        "Trwa wymiana nawierzchni ul. Kościelnej na odcinku od Rynku do ul. Polnej. Objazd prowadzi ul. Polną i Ogrodową.",
        "<p>Wykonawca, Przedsiębiorstwo Drogowe „Borowiec” sp. z o.o., prowadzi roboty w dni robocze od 7:00 do 18:00. Dojazd do posesji i do urzędu od strony Rynku jest zapewniony.</p><ul><li>parking przy ratuszu — czynny,</li><li>przystanek „Kościelna” przeniesiony na ul. Polną 2.</li></ul>",
        Some(30),
        Some((
            "ul-koscielna.png",
            ROAD_WORKS,
            "Ilustracja: zamknięta jezdnia z biało-czerwoną zaporą drogową i trójkątnym znakiem ostrzegawczym „roboty drogowe”",
        )),
    ),
    (
        Kind::News,
        "Budżet obywatelski 2027: głosowanie do 15 grudnia",
        "Mieszkańcy wybierają projekty do realizacji w przyszłym roku. Na liście jest 14 projektów za łącznie 1,2 mln zł.",
        "<p>Głosować może każdy mieszkaniec Borowca, który ukończył 16 lat — przez formularz w urzędzie (Biuro Obsługi Mieszkańców, parter) lub w punkcie obsługi w Galerii Borowiec.</p><p>Wśród projektów są m.in. nowe nasadzenia w Parku Miejskim, siłownia plenerowa na os. Słonecznym i ławki przy ul. Lipowej.</p>",
        Some(50),
        Some((
            "park-miejski.png",
            PARK,
            "Ilustracja: park z drzewami, ścieżką i ławką — jeden z projektów budżetu obywatelskiego",
        )),
    ),
    (
        Kind::News,
        "Nowe godziny kasy urzędu od stycznia",
        "Od 2 stycznia kasa Urzędu Miejskiego będzie czynna do 30 minut przed zamknięciem urzędu. Opłaty można też wnosić przelewem.",
        "<p>Numer rachunku do opłat skarbowych i podatków podano w każdej karcie usługi. Potwierdzenie przelewu wystarczy dołączyć do wniosku.</p>",
        Some(75),
        None,
    ),
    (
        Kind::Announcement,
        "Termin płatności IV raty podatku od nieruchomości — 15 listopada",
        "Przypominamy o terminie płatności ostatniej raty podatku od nieruchomości, rolnego i leśnego.",
        "<p>Wpłaty przyjmuje kasa urzędu oraz rachunek wskazany w decyzji podatkowej. W sprawie ulg w spłacie (rozłożenie na raty, odroczenie) zapraszamy do Wydziału Finansowego, pokój 14.</p>",
        Some(24 * 22),
        None,
    ),
    (
        Kind::News,
        "Ratusz odnowiony: zakończył się remont elewacji",
        "Po pięciu miesiącach prac zakończył się remont elewacji i wieży zegarowej ratusza. Wejście od ul. Kościelnej jest już bez progów.",
        "<p>Remont objął elewację, dach wieży i zegar, a także wejście dostępne dla osób poruszających się na wózkach. W holu działa pętla indukcyjna dla osób słabosłyszących.</p><p>Koszt prac: 2,4 mln zł, w tym 1,1 mln zł z Rządowego Funduszu Polski Ład.</p>",
        Some(24 * 9),
        Some((
            "ratusz.png",
            TOWN_HALL,
            "Ilustracja: ratusz w Borowcu z wieżą zegarową po remoncie elewacji",
        )),
    ),
    (
        Kind::Announcement,
        "Konsultacje projektu uchwały o zasadach utrzymania czystości",
        "Burmistrz Borowca zaprasza mieszkańców do udziału w konsultacjach projektu regulaminu utrzymania czystości i porządku w gminie. Uwagi do 20 grudnia.",
        "<p>Projekt uchwały wraz z formularzem uwag opublikowano w Biuletynie Informacji Publicznej. Uwagi można składać w kancelarii urzędu, pocztą albo na adres urzad@borowiec.example.pl.</p>",
        Some(24 * 4),
        None,
    ),
    (
        Kind::News,
        "Targi pracy w hali sportowej 12 grudnia",
        "Ponad 30 pracodawców z Borowca i okolic przedstawi oferty pracy i staży. Wstęp wolny.",
        "<p>Targi organizują Urząd Miejski i Powiatowy Urząd Pracy. Hala sportowa przy ul. Szkolnej 7, w godzinach 10:00–15:00. Na miejscu doradcy pomogą przygotować CV.</p>",
        Some(24 * 3),
        None,
    ),
    (
        Kind::Announcement,
        "Zbiórka elektroodpadów i gabarytów 13 grudnia",
        "Mobilny punkt zbiórki stanie na parkingu przy Rynku w sobotę w godzinach 9:00–13:00.",
        "<p>Przyjmujemy zużyty sprzęt elektryczny i elektroniczny, meble, opony z samochodów osobowych (do 4 sztuk) i baterie. Nie przyjmujemy odpadów budowlanych.</p>",
        Some(24 * 2),
        None,
    ),
    (
        Kind::News,
        "E-usługi urzędu: wniosek o dowód i meldunek bez wychodzenia z domu",
        "Przez stronę urzędu można złożyć m.in. wniosek o zaświadczenie o zameldowaniu i sprawdzić, na jakim etapie jest sprawa.",
        "<p>Wnioski elektroniczne przyjmujemy całą dobę. Każdy wnioskodawca otrzymuje numer sprawy i kod do śledzenia jej przebiegu na stronie „Status sprawy”.</p>",
        Some(24 * 15),
        None,
    ),
    (
        Kind::News,
        "Mikołajki na Rynku: iluminacja i jarmark",
        "W sobotę na Rynku rozbłyśnie świąteczna iluminacja. Jarmark potrwa do niedzieli.",
        "<p>Program: 16:00 występ chóru Szkoły Podstawowej nr 1, 17:00 zapalenie iluminacji, 17:30 spotkanie ze Świętym Mikołajem. Na jarmarku stoiska lokalnych wytwórców i organizacji pozarządowych.</p>",
        Some(24),
        None,
    ),
    (
        Kind::Announcement,
        "Przerwa w dostawie wody na os. Słonecznym",
        "Z powodu wymiany zasuw sieci wodociągowej zaplanowano przerwę w dostawie wody. Beczkowozy staną przy budynkach 2 i 8.",
        "<p>Prace prowadzi Przedsiębiorstwo Gospodarki Komunalnej w Borowcu. Informacje: tel. +48 61 555 02 00.</p>",
        Some(-48),
        None,
    ),
    (
        Kind::News,
        "Sesja Rady Miejskiej — projekt budżetu na 2027 rok",
        "Projekt budżetu omówią radni na sesji grudniowej.",
        "<p>Szkic zapowiedzi — do uzupełnienia o porządek obrad.</p>",
        None,
        None,
    ),
];

/// Seeds the demo news as the BIP editor (`redaktor`), every step audited.
pub async fn seed(db: &Db, editor_login: &str) -> anyhow::Result<()> {
    let user_id: Option<i64> = with_db!(db, |c| {
        sqlx::query_scalar("SELECT id FROM app_user WHERE login_lower = $1")
            .bind(editor_login)
            .fetch_optional(c)
            .await
    })?;
    let actor = Actor {
        user_id,
        login: editor_login.to_owned(),
        ip: None,
    };
    let mut tx = db.begin().await?;
    let now = tx.now();
    for (kind, title, lead, body, hours_ago, picture) in ITEMS {
        let data: ItemData = service::cleaned(*kind, title, lead, body);
        let id = store::create(&mut tx, &actor, &data).await?;
        if let Some((name, bytes, alt)) = picture {
            let file = attachments::check(name, Some("image/png"), bytes, &Limits::default())
                .map_err(|e| anyhow::anyhow!("demo picture {name}: {e}"))?;
            let attachment = attachments::store(&mut tx, &actor, &file).await?;
            store::add_image(&mut tx, &actor, id, attachment.0, alt, false).await?;
        }
        if let Some(hours) = hours_ago {
            let at = now.checked_add(SignedDuration::from_hours(-*hours));
            let item = store::item_for_update(&mut tx, id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("demo news item {id}"))?;
            store::set_status(&mut tx, &actor, &item, Status::Published, Some(at)).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// How many demo items are public once seeded (scheduled and draft ones left out).
pub fn published_count() -> usize {
    ITEMS.iter().filter(|i| i.4.is_some_and(|h| h >= 0)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use magistrat_domain::news::{ItemInput, check_alt, check_item};

    #[test]
    fn demo_items_follow_the_rules() {
        assert!((10..=15).contains(&ITEMS.len()));
        for (kind, title, lead, body, _, picture) in ITEMS {
            let data = service::cleaned(*kind, title, lead, body);
            assert!(
                check_item(&ItemInput {
                    title: data.title,
                    lead: data.lead,
                    body_html: data.body_html,
                })
                .is_empty(),
                "{title}"
            );
            if let Some((name, bytes, alt)) = picture {
                assert!(check_alt(alt, false).is_ok(), "{alt}");
                let file = attachments::check(name, None, bytes, &Limits::default());
                assert!(file.as_ref().is_ok_and(service::is_picture), "{name}");
            }
        }
        assert!(published_count() >= 10);
    }
}
