//! Roles and permissions: who may do what. Pure: no I/O. Every route asks for one
//! [`Permission`]; roles grant permissions, optionally only within an org unit and the
//! units below it (a head of unit manages their own department, not the whole office).

use std::fmt;
use std::str::FromStr;

/// A staff role. Stored by its code (`as_str`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Administrator,
    Manager,
    CaseOfficial,
    FrontDeskOfficial,
    BipEditor,
    QualityOfficer,
    SecurityOfficer,
    Hr,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Administrator,
        Role::Manager,
        Role::CaseOfficial,
        Role::FrontDeskOfficial,
        Role::BipEditor,
        Role::QualityOfficer,
        Role::SecurityOfficer,
        Role::Hr,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Manager => "manager",
            Role::CaseOfficial => "case_official",
            Role::FrontDeskOfficial => "front_desk_official",
            Role::BipEditor => "bip_editor",
            Role::QualityOfficer => "quality_officer",
            Role::SecurityOfficer => "security_officer",
            Role::Hr => "hr",
        }
    }

    /// The Fluent id of the role's name.
    pub fn label_key(self) -> String {
        format!("role-{}", self.as_str().replace('_', "-"))
    }

    /// What the role may do. Kept as one table so the whole policy reads at a glance.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Administrator => &[
                StaffArea,
                ManageUsers,
                ManageOrg,
                ViewOrg,
                ManageEmployees,
                ViewAudit,
                ManageServiceCards,
                ManageJrwa,
                ManageLetterTemplates,
                ManageAuthorisations,
                ManageServicePoints,
                ConfigureBip,
                ManageApiKeys,
                KeepArchive,
                ViewServicePointStats,
                KeepDataProtection,
            ],
            // A head of unit: their unit's cases, cards and people (scoped by grant).
            Role::Manager => &[
                StaffArea,
                ViewOrg,
                ManageServiceCards,
                ViewCases,
                RegisterCases,
                HandleCases,
                AssignCases,
                SignLetters,
                ViewWorkload,
                ViewCorrespondence,
                RegisterCorrespondence,
                ServeDesk,
                ViewUnitRatings,
                HandleReports,
                KeepRegisters,
                ViewServicePointStats,
            ],
            Role::CaseOfficial => &[
                StaffArea,
                ViewCases,
                RegisterCases,
                HandleCases,
                ViewCorrespondence,
                RegisterCorrespondence,
                HandleReports,
            ],
            // The front desk (kancelaria) registers what comes in and goes out, and
            // serves residents at the service point's desks.
            Role::FrontDeskOfficial => &[
                StaffArea,
                ViewCorrespondence,
                RegisterCorrespondence,
                ServeDesk,
            ],
            Role::BipEditor => &[StaffArea, EditBip],
            Role::QualityOfficer => &[
                StaffArea,
                ViewOrg,
                ViewWorkload,
                ViewUnitRatings,
                ModerateRatings,
                ViewServicePointStats,
                RunSurveys,
            ],
            // The inspektor ochrony danych (RODO art. 37–39) reads the audit trail and
            // keeps the information clause, the register of processing activities and
            // sees the retention job's runs.
            Role::SecurityOfficer => &[StaffArea, ViewAudit, KeepDataProtection],
            // Kadry keep the register of authorisations (KPA art. 268a) with the
            // personnel files.
            Role::Hr => &[StaffArea, ViewOrg, ManageEmployees, ManageAuthorisations],
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role `{0}`")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// Something a route or an action needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Enter the staff area at all.
    StaffArea,
    /// Create accounts, grant roles, reset passwords, disable accounts.
    ManageUsers,
    /// Edit the office, org units and locations.
    ManageOrg,
    /// Read the org structure and the staff list.
    ViewOrg,
    /// Add and edit employees and link them to accounts.
    ManageEmployees,
    /// Read the audit trail.
    ViewAudit,
    /// Edit service cards (karty usług) and their e-service forms.
    ManageServiceCards,
    /// Import and edit the JRWA classification.
    ManageJrwa,
    /// Read cases and the case register (spis spraw).
    ViewCases,
    /// Register a new case.
    RegisterCases,
    /// Work on a case: start, suspend, settle, close, transfer, forward.
    HandleCases,
    /// Assign a case to an official.
    AssignCases,
    /// See a unit's workload, cases due soon and overdue.
    ViewWorkload,
    /// Read the correspondence register.
    ViewCorrespondence,
    /// Register incoming and outgoing correspondence.
    RegisterCorrespondence,
    /// Accept and sign a case's letters as the head of the unit (others sign under an
    /// authorisation in the register, KPA art. 268a).
    SignLetters,
    /// Edit the office's letter templates (wzory pism).
    ManageLetterTemplates,
    /// Keep the register of authorisations to sign (KPA art. 268a).
    ManageAuthorisations,
    /// Set up the residents' service points: ticket categories, quotas, desks.
    ManageServicePoints,
    /// Work at a service point's desk: open, pause, close it; call, serve, transfer.
    ServeDesk,
    /// Draft, publish, change and remove BIP publications; record information not
    /// made available (UDIP art. 8).
    EditBip,
    /// Set the BIP's four-eyes rule, editorial address and accessibility declaration.
    ConfigureBip,
    /// Read the residents' ratings of a unit and of each of its officials (a head of
    /// unit evaluates their officials: art. 27 of the act on local-government
    /// employees); everyone sees the ratings of their own service.
    ViewUnitRatings,
    /// Approve or reject residents' comments before anyone else reads them.
    ModerateRatings,
    /// Create, scope and revoke integrators' API keys (Open311 clients).
    ManageApiKeys,
    /// Take residents' problem reports (zgłoszenia): assign, comment publicly, close.
    HandleReports,
    /// Close a unit's spis spraw for a year and hand its closed files to the archiwum
    /// zakładowe with a spis zdawczo-odbiorczy (the head of the unit).
    KeepRegisters,
    /// Keep the archiwum zakładowe: its files, the state archive's consents and the
    /// destruction of files due (the office's archivist; until the office has that role,
    /// the administrator).
    KeepArchive,
    /// Read a service point's statistics (waits and service times per category, desk,
    /// official, hour and day): whoever sets the points up, the heads of units and the
    /// quality officer; not the desks themselves (the figures per official are the
    /// superior's evaluation, art. 27 of the act on local-government employees).
    ViewServicePointStats,
    /// Build and run survey campaigns: questionnaires, posters, invitations, paper
    /// forms keyed in, and their results (the quality officer).
    RunSurveys,
    /// Keep the office's information clause (RODO art. 13) and the register of
    /// processing activities (RODO art. 30), and see the retention job's runs: the
    /// inspektor ochrony danych and the administrator.
    KeepDataProtection,
}

/// A role held by a user, optionally limited to an org unit subtree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub org_unit_id: Option<i64>,
}

/// Where a permission applies for a user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Nowhere: the permission is not held.
    None,
    /// In the whole office.
    Office,
    /// Only in these units and the units below them.
    Units(Vec<i64>),
}

impl Scope {
    pub fn is_granted(&self) -> bool {
        !matches!(self, Scope::None)
    }
}

/// The scope in which `grants` give `permission`. An office-wide grant wins over unit
/// grants.
pub fn scope_of(grants: &[Grant], permission: Permission) -> Scope {
    let mut units = Vec::new();
    for grant in grants
        .iter()
        .filter(|g| g.role.permissions().contains(&permission))
    {
        match grant.org_unit_id {
            None => return Scope::Office,
            Some(unit) => units.push(unit),
        }
    }
    if units.is_empty() {
        Scope::None
    } else {
        units.sort_unstable();
        units.dedup();
        Scope::Units(units)
    }
}

/// Whether `unit` lies in `scope`, given a way to walk up the unit tree.
pub fn unit_in_scope(scope: &Scope, unit: i64, parent_of: impl Fn(i64) -> Option<i64>) -> bool {
    match scope {
        Scope::None => false,
        Scope::Office => true,
        Scope::Units(roots) => {
            let mut current = Some(unit);
            // The depth bound guards against a cycle in corrupted data.
            for _ in 0..64 {
                match current {
                    Some(u) if roots.contains(&u) => return true,
                    Some(u) => current = parent_of(u),
                    None => return false,
                }
            }
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, unit: Option<i64>) -> Grant {
        Grant {
            role,
            org_unit_id: unit,
        }
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().ok(), Some(role));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn every_role_enters_the_staff_area() {
        for role in Role::ALL {
            assert!(
                role.permissions().contains(&Permission::StaffArea),
                "{role}"
            );
        }
    }

    #[test]
    fn scopes() {
        let admin = [grant(Role::Administrator, None)];
        assert_eq!(scope_of(&admin, Permission::ManageUsers), Scope::Office);
        let head = [grant(Role::Manager, Some(7)), grant(Role::Manager, Some(3))];
        assert_eq!(
            scope_of(&head, Permission::ViewOrg),
            Scope::Units(vec![3, 7])
        );
        assert_eq!(scope_of(&head, Permission::ManageUsers), Scope::None);
        let both = [grant(Role::Manager, Some(7)), grant(Role::Hr, None)];
        assert_eq!(scope_of(&both, Permission::ViewOrg), Scope::Office);
        assert_eq!(scope_of(&[], Permission::StaffArea), Scope::None);
    }

    #[test]
    fn unit_subtrees() {
        // 1 ← 2 ← 3, and 4 apart.
        let parent = |u| match u {
            2 => Some(1),
            3 => Some(2),
            _ => None,
        };
        let scope = Scope::Units(vec![2]);
        assert!(unit_in_scope(&scope, 3, parent));
        assert!(unit_in_scope(&scope, 2, parent));
        assert!(!unit_in_scope(&scope, 1, parent));
        assert!(!unit_in_scope(&scope, 4, parent));
        assert!(unit_in_scope(&Scope::Office, 4, parent));
        // A cycle does not hang.
        assert!(!unit_in_scope(&Scope::Units(vec![9]), 5, Some));
    }
}
