//! The vocabulary of the programme catalogue. The entries themselves (name, description, who each
//! is for) are reference data seeded by the migration and kept in the `programmes` table, so a
//! service can add and close entries without a release.

use crate::coded_enum;

coded_enum! {
    /// Whether an entry is an accredited programme (accredited by the Correctional Services
    /// Advice and Accreditation Panel, and what an accredited programme requirement names) or a
    /// structured intervention (delivered under a rehabilitation activity requirement).
    pub enum ProgrammeKind ("programme kind") {
        Accredited => "accredited", "Accredited programme",
        Structured => "structured", "Structured intervention",
    }
}

coded_enum! {
    /// What a programme works on.
    pub enum Focus ("focus") {
        GeneralOffending => "general", "General offending",
        Violence => "violence", "Violence",
        DomesticAbuse => "domestic_abuse", "Domestic abuse",
        SexualOffending => "sexual", "Sexual offending",
        Substance => "substance", "Substance misuse",
        Emotional => "emotional", "Emotional management",
    }
}

coded_enum! {
    /// How a programme is delivered.
    pub enum Delivery ("delivery") {
        Group => "group", "Group",
        OneToOne => "one_to_one", "One-to-one",
        Either => "either", "Group or one-to-one",
    }
}
