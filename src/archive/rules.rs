//! The archive's forms read into their values with the form kit: the files picked for
//! a transfer, the state archive's consent, the day of a destruction. Pure.

use jiff::civil::Date;

use super::store::{NewConsent, Pick};
use crate::platform::form::{FormErrors, FormReader, parse};

/// The key of a file in forms: `SYMBOL/YEAR`.
pub fn file_key(symbol: &str, year: i32) -> String {
    format!("{symbol}/{year}")
}

/// The transfer form: `file` once per ticked file (its key), and `other-{key}` ticked
/// when the unit is not the class's leading unit. Only files offered may be picked.
pub struct TransferForm<'a> {
    pub pairs: &'a [(String, String)],
    /// The keys of the files offered for transfer.
    pub offered: &'a [(String, i32)],
}

impl TryFrom<TransferForm<'_>> for Vec<Pick> {
    type Error = FormErrors;

    fn try_from(form: TransferForm<'_>) -> Result<Self, FormErrors> {
        let mut picks = Vec::new();
        for (name, value) in form.pairs {
            if name != "file" {
                continue;
            }
            let Some((symbol, year)) = form.offered.iter().find(|(s, y)| file_key(s, *y) == *value)
            else {
                return Err(FormErrors::one("file", "archive-transfer-unknown"));
            };
            if picks
                .iter()
                .any(|p: &Pick| p.jrwa_symbol == *symbol && p.year == *year)
            {
                continue;
            }
            let other = parse::checked(form.pairs, &format!("other-{value}"));
            picks.push(Pick {
                jrwa_symbol: symbol.clone(),
                year: *year,
                leading_unit: !other,
            });
        }
        if picks.is_empty() {
            return Err(FormErrors::one("file", "archive-transfer-none"));
        }
        Ok(picks)
    }
}

/// The consent form: the state archive, the znak of its letter, the date, and the files
/// it covers (ids of files due).
pub struct ConsentForm<'a> {
    pub pairs: &'a [(String, String)],
    pub due: &'a [i64],
    pub today: Date,
}

impl TryFrom<ConsentForm<'_>> for NewConsent {
    type Error = FormErrors;

    fn try_from(form: ConsentForm<'_>) -> Result<Self, FormErrors> {
        let mut f = FormReader::new(form.pairs);
        let archive_name = f.text("archive_name", 200);
        let reference = f.text("reference", 100);
        let granted_on = f.required("granted_on", |v| {
            parse::date(v).map_err(|_| "archive-date-invalid")
        });
        if granted_on.is_some_and(|d| d > form.today) {
            f.error("granted_on", "archive-date-future");
        }
        let mut file_ids = Vec::new();
        for (name, value) in form.pairs {
            if name == "file" {
                match value.parse::<i64>() {
                    Ok(id) if form.due.contains(&id) => {
                        if !file_ids.contains(&id) {
                            file_ids.push(id);
                        }
                    }
                    _ => f.error("file", "archive-consent-not-due"),
                }
            }
        }
        if file_ids.is_empty() && !f.has_error("file") {
            f.error("file", "archive-consent-no-files");
        }
        f.finish(granted_on.map(|granted_on| NewConsent {
            archive_name,
            reference,
            granted_on,
            file_ids,
        }))
    }
}

/// The day a file was destroyed (by the protocol of destruction): not in the future.
pub fn destroyed_on(pairs: &[(String, String)], today: Date) -> Result<Date, FormErrors> {
    let mut f = FormReader::new(pairs);
    let on = f.required("destroyed_on", |v| {
        parse::date(v).map_err(|_| "archive-date-invalid")
    });
    if on.is_some_and(|d| d > today) {
        f.error("destroyed_on", "archive-date-future");
    }
    f.finish(on)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn transfer_picks_only_offered_files() {
        let offered = [("5310".to_owned(), 2025), ("0052".to_owned(), 2025)];
        let p = pairs(&[
            ("file", "5310/2025"),
            ("file", "0052/2025"),
            ("other-0052/2025", "on"),
        ]);
        let picks = Vec::<Pick>::try_from(TransferForm {
            pairs: &p,
            offered: &offered,
        })
        .unwrap();
        assert_eq!(picks.len(), 2);
        assert!(picks[0].leading_unit && !picks[1].leading_unit);
        let p = pairs(&[("file", "9999/2025")]);
        let e = Vec::<Pick>::try_from(TransferForm {
            pairs: &p,
            offered: &offered,
        })
        .unwrap_err();
        assert_eq!(e.get("file"), Some("archive-transfer-unknown"));
        let e = Vec::<Pick>::try_from(TransferForm {
            pairs: &[],
            offered: &offered,
        })
        .unwrap_err();
        assert_eq!(e.get("file"), Some("archive-transfer-none"));
    }

    #[test]
    fn consent_needs_its_archive_reference_date_and_due_files() {
        let today = date(2026, 12, 4);
        let p = pairs(&[
            ("archive_name", "Archiwum Państwowe w Łodzi"),
            ("reference", "OZN.4232.12.2026"),
            ("granted_on", "2026-11-30"),
            ("file", "7"),
        ]);
        let c = NewConsent::try_from(ConsentForm {
            pairs: &p,
            due: &[7],
            today,
        })
        .unwrap();
        assert_eq!(c.file_ids, [7]);
        let p = pairs(&[("granted_on", "2026-12-05"), ("file", "8")]);
        let e = NewConsent::try_from(ConsentForm {
            pairs: &p,
            due: &[7],
            today,
        })
        .unwrap_err();
        assert_eq!(e.get("granted_on"), Some("archive-date-future"));
        assert_eq!(e.get("file"), Some("archive-consent-not-due"));
        assert!(e.get("archive_name").is_some() && e.get("reference").is_some());
    }

    #[test]
    fn a_destruction_is_not_dated_in_the_future() {
        let today = date(2026, 12, 4);
        assert_eq!(
            destroyed_on(&pairs(&[("destroyed_on", "2026-12-04")]), today).unwrap(),
            today
        );
        let e = destroyed_on(&pairs(&[("destroyed_on", "2026-12-05")]), today).unwrap_err();
        assert_eq!(e.get("destroyed_on"), Some("archive-date-future"));
    }
}
