//! The fictional geography of the demo region: its PDUs, towns, postcodes, streets, courts,
//! prisons and unpaid-work projects.
//!
//! The region and its towns are invented so the demo never appears to describe a real PDU's
//! caseload. Postcode areas (MF, FH, SV) are ones Royal Mail does not use, in the real shape
//! (outward code, space, digit and two letters), so they pass validation and cannot be mistaken
//! for a real address.

use crate::random::DemoRng;

/// The region every generated PDU belongs to.
pub(crate) struct RegionPlace {
    pub code: &'static str,
    pub name: &'static str,
    /// The first letter of every CRN issued in the region.
    pub crn_letter: char,
}

pub(crate) static REGION: RegionPlace = RegionPlace {
    code: "MSF",
    name: "Midshire and Fens",
    crn_letter: 'M',
};

/// A town in a PDU, with the postcode districts and neighbourhoods used for its addresses.
pub(crate) struct Town {
    pub name: &'static str,
    pub districts: &'static [&'static str],
    pub localities: &'static [&'static str],
    /// Share of the PDU's population living here.
    pub weight: u32,
    pub has_magistrates_court: bool,
}

/// A probation delivery unit's patch. The first town is the main one: it has the Crown Court
/// and the main probation office.
pub(crate) struct PduPlace {
    pub code: &'static str,
    pub name: &'static str,
    pub towns: &'static [Town],
    pub team_names: &'static [&'static str],
    pub approved_premises: &'static str,
    pub unpaid_work_projects: &'static [&'static str],
}

/// The three PDUs, calibrated one first.
pub(crate) static PDUS: [PduPlace; 3] = [
    PduPlace {
        code: "MIDW",
        name: "Midchester and the Wolds",
        towns: &[
            Town {
                name: "Midchester",
                districts: &["MF1", "MF2", "MF3", "MF4", "MF5", "MF6"],
                localities: &[
                    "Northgate",
                    "Abbey Fields",
                    "St Giles",
                    "Castle Hill",
                    "Westbrook",
                ],
                weight: 60,
                has_magistrates_court: true,
            },
            Town {
                name: "Wolderby",
                districts: &["MF10", "MF11"],
                localities: &["Market Side", "Priory Green"],
                weight: 20,
                has_magistrates_court: true,
            },
            Town {
                name: "Hebthorpe",
                districts: &["MF14"],
                localities: &["Hebthorpe Moor"],
                weight: 10,
                has_magistrates_court: false,
            },
            Town {
                name: "Kirkwold",
                districts: &["MF17"],
                localities: &["Low Kirkwold"],
                weight: 10,
                has_magistrates_court: false,
            },
        ],
        team_names: &[
            "Midchester North",
            "Midchester South",
            "Midchester Central",
            "Wolderby",
            "Hebthorpe and Kirkwold",
            "Wolds Rural",
        ],
        approved_premises: "Ashdown House Approved Premises",
        unpaid_work_projects: &[
            "Midchester canal towpath clearance",
            "Abbey Fields community allotments",
            "Wolderby food bank warehouse",
            "St Giles church grounds maintenance",
        ],
    },
    PduPlace {
        code: "FENH",
        name: "Fenmarsh and Holmfleet",
        towns: &[
            Town {
                name: "Fenmarsh",
                districts: &["FH1", "FH2", "FH3", "FH4"],
                localities: &["Riverside", "Eastgate", "Fenside"],
                weight: 55,
                has_magistrates_court: true,
            },
            Town {
                name: "Holmfleet",
                districts: &["FH8", "FH9"],
                localities: &["Holmfleet Marsh", "Church End"],
                weight: 30,
                has_magistrates_court: true,
            },
            Town {
                name: "Drayfen",
                districts: &["FH12"],
                localities: &["Drayfen Common"],
                weight: 15,
                has_magistrates_court: false,
            },
        ],
        team_names: &[
            "Fenmarsh North",
            "Fenmarsh South",
            "Holmfleet",
            "Drayfen and the Marsh",
        ],
        approved_premises: "Fenview House Approved Premises",
        unpaid_work_projects: &[
            "Fenmarsh riverside path",
            "Holmfleet community garden",
            "Fenmarsh furniture reuse project",
        ],
    },
    PduPlace {
        code: "SALT",
        name: "Saltmere and the Coast",
        towns: &[
            Town {
                name: "Saltmere",
                districts: &["SV1", "SV2", "SV3"],
                localities: &["Harbourside", "Northcliffe"],
                weight: 55,
                has_magistrates_court: true,
            },
            Town {
                name: "Mablesea",
                districts: &["SV6", "SV7"],
                localities: &["Seafront", "Sandhills"],
                weight: 30,
                has_magistrates_court: true,
            },
            Town {
                name: "Skerby Haven",
                districts: &["SV9"],
                localities: &["Old Haven"],
                weight: 15,
                has_magistrates_court: false,
            },
        ],
        team_names: &["Saltmere", "Mablesea", "Coast Rural"],
        approved_premises: "Seaholme Approved Premises",
        unpaid_work_projects: &[
            "Mablesea seafront litter picking",
            "Saltmere dunes conservation",
            "Saltmere community centre decorating",
        ],
    },
];

/// Prisons that hold the region's men, and the women's prison that serves it.
pub(crate) static MENS_PRISONS: [&str; 3] = ["HMP Marshgate", "HMP Wold Hill", "HMP Saltmoor"];
pub(crate) static WOMENS_PRISON: &str = "HMP Eastwold";

static STREET_NAMES: [&str; 40] = [
    "Orchard",
    "Mill",
    "Church",
    "Station",
    "Victoria",
    "Chapel",
    "Willow",
    "Beacon",
    "Fen",
    "Marsh",
    "Abbey",
    "Priory",
    "Holly",
    "Elm",
    "Kingfisher",
    "Saxon",
    "Hawthorn",
    "Meadow",
    "Brook",
    "Castle",
    "Market",
    "Wold",
    "Heron",
    "Lark",
    "Coronation",
    "Jubilee",
    "Ashby",
    "Sandpiper",
    "Mallard",
    "Osier",
    "Carr",
    "Dyke",
    "Windmill",
    "Tithe",
    "Granary",
    "Barley",
    "Rookery",
    "Gate",
    "Vicarage",
    "Poplar",
];

static STREET_KINDS: [&str; 12] = [
    "Street", "Road", "Lane", "Close", "Avenue", "Way", "Drive", "Crescent", "Gardens", "Grove",
    "Terrace", "Walk",
];

/// Royal Mail's inward-code letters: C, I, K, M, O and V are never used there.
const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

impl PduPlace {
    pub(crate) fn main_town(&self) -> &'static Town {
        &self.towns[0]
    }

    pub(crate) fn pick_town(&self, rng: &mut DemoRng) -> &'static Town {
        let weights: Vec<(usize, u32)> = self
            .towns
            .iter()
            .enumerate()
            .map(|(index, town)| (index, town.weight))
            .collect();
        &self.towns[rng.weighted(&weights)]
    }

    pub(crate) fn magistrates_court(&self, rng: &mut DemoRng) -> String {
        let courts: Vec<&Town> = self
            .towns
            .iter()
            .filter(|town| town.has_magistrates_court)
            .collect();
        format!("{} Magistrates' Court", rng.pick(&courts).name)
    }

    pub(crate) fn crown_court(&self) -> String {
        format!("{} Crown Court", self.main_town().name)
    }

    pub(crate) fn probation_office(&self) -> String {
        format!("{} probation office", self.main_town().name)
    }
}

/// A street address line such as "14 Kingfisher Close" or "Flat 3, 27 Mill Road".
pub(crate) fn street_address(rng: &mut DemoRng) -> String {
    let street = street_name(rng);
    let number = rng.range(1..=180);
    if rng.chance(0.12) {
        format!("Flat {}, {number} {street}", rng.range(1..=12))
    } else {
        format!("{number} {street}")
    }
}

pub(crate) fn street_name(rng: &mut DemoRng) -> String {
    format!("{} {}", rng.pick(&STREET_NAMES), rng.pick(&STREET_KINDS))
}

/// A postcode in one of the town's districts, such as "MF3 4QT".
pub(crate) fn postcode(rng: &mut DemoRng, town: &Town) -> String {
    let district = rng.pick(town.districts);
    let sector = rng.range(0..=9);
    let unit: String = (0..2)
        .map(|_| char::from(rng.choose(INWARD_LETTERS)))
        .collect();
    format!("{district} {sector}{unit}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use keepsafe_domain::address::Postcode;
    use keepsafe_domain::organisation::OrgCode;

    #[test]
    fn generated_postcodes_parse_unchanged() {
        let mut rng = DemoRng::from_seed(2);
        for place in &PDUS {
            for town in place.towns {
                for _ in 0..50 {
                    let postcode = postcode(&mut rng, town);
                    assert_eq!(Postcode::parse(&postcode).unwrap().as_str(), postcode);
                }
            }
        }
    }

    #[test]
    fn every_pdu_has_a_magistrates_court_and_a_valid_code() {
        assert!(OrgCode::parse(REGION.code).is_ok());
        for place in &PDUS {
            assert!(OrgCode::parse(place.code).is_ok());
            assert!(place.main_town().has_magistrates_court);
            assert!(!place.unpaid_work_projects.is_empty());
        }
    }
}
