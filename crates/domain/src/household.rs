//! Household members: the people a person on probation lives with. Partners and children at the
//! address are who domestic-abuse and safeguarding checks exist to protect.

use crate::coded_enum;

coded_enum! {
    /// How a household member is related to the person on probation.
    pub enum Relationship ("relationship") {
        Partner => "partner", "Partner",
        ExPartner => "ex_partner", "Ex-partner",
        Child => "child", "Child",
        Stepchild => "stepchild", "Stepchild",
        PartnersChild => "partners_child", "Partner's child",
        Parent => "parent", "Parent",
        Sibling => "sibling", "Brother or sister",
        Grandparent => "grandparent", "Grandparent",
        OtherRelative => "other_relative", "Other relative",
        Friend => "friend", "Friend",
        Lodger => "lodger", "Lodger or tenant",
    }
}

impl Relationship {
    /// Intimate or former intimate partners: the people domestic-abuse checks are about.
    pub fn is_intimate_partner(self) -> bool {
        matches!(self, Relationship::Partner | Relationship::ExPartner)
    }
}
