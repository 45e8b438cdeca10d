//! The needs assessment: the criminogenic needs — the parts of a person's life linked to their
//! offending — that supervision sets out to change (reference §10 and the sections OASys uses).
//!
//! Every area that reads needs names them with [`Section`]: the needs assessment records a
//! severity per section, a sentence plan's objectives link to sections, and the legacy tier's
//! change level weighs them.

pub mod assessment;
pub mod rules;

pub use assessment::{
    assess_completion, missing, parse_answer, parse_link, parse_severity, AnswerKind,
    AssessmentStatus, CompletedNeeds, Missing, NeedsContent, NeedsInputError, Question,
    SectionAnswer,
};
pub use rules::{NeedsRules, Validity};

use crate::coded_enum;

pub use crate::tiering::NeedSeverity as Severity;

coded_enum! {
    /// A section of the needs assessment, in the order OASys asks them. The codes are the field
    /// names analysts use in `keepsafe predict tier` input.
    pub enum Section ("need") {
        Accommodation => "accommodation", "Accommodation",
        EducationTrainingEmployability => "education_training_employability", "Education, training and employability",
        Finance => "finance", "Finance",
        Relationships => "relationships", "Relationships",
        Lifestyle => "lifestyle", "Lifestyle and associates",
        DrugMisuse => "drug_misuse", "Drug misuse",
        AlcoholMisuse => "alcohol_misuse", "Alcohol misuse",
        EmotionalWellbeing => "emotional_wellbeing", "Emotional wellbeing",
        ThinkingAndBehaviour => "thinking_and_behaviour", "Thinking and behaviour",
        Attitudes => "attitudes", "Attitudes",
    }
}

impl Section {
    /// How much the section weighs in the legacy tier's change points (reference §10): 2 for
    /// thinking and behaviour and for attitudes, 0 for finance and emotional wellbeing (the
    /// service's tiering does not read them), 1 for the rest.
    pub fn change_weight(self) -> i32 {
        match self {
            Section::ThinkingAndBehaviour | Section::Attitudes => 2,
            Section::Finance | Section::EmotionalWellbeing => 0,
            Section::Accommodation
            | Section::EducationTrainingEmployability
            | Section::Relationships
            | Section::Lifestyle
            | Section::DrugMisuse
            | Section::AlcoholMisuse => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CodedValue;

    #[test]
    fn there_are_ten_sections_and_only_eight_weigh_in_the_change_level() {
        assert_eq!(Section::ALL.len(), 10);
        let weighed = Section::ALL
            .iter()
            .filter(|section| section.change_weight() > 0)
            .count();
        assert_eq!(weighed, 8);
        assert_eq!(Section::parse("drug_misuse"), Ok(Section::DrugMisuse));
    }
}
