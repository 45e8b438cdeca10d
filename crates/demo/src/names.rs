//! Names for people on probation, their households and staff.
//!
//! Written for the demo: common given names and surnames from the communities that make up
//! England and Wales, combined at random. No list is taken from real people, and staff names are
//! drawn the same way as everyone else's, so no real officer is named.

use crate::random::DemoRng;
use keepsafe_domain::person::Sex;

/// Given names and surnames that go together, so a family's names look like one family's.
pub(crate) struct NamePool {
    weight: u32,
    male: &'static [&'static str],
    female: &'static [&'static str],
    surnames: &'static [&'static str],
}

impl NamePool {
    pub(crate) fn first_name(&self, rng: &mut DemoRng, sex: Sex) -> String {
        let names = match sex {
            Sex::Male => self.male,
            Sex::Female => self.female,
        };
        rng.choose(names).to_owned()
    }

    pub(crate) fn surname(&self, rng: &mut DemoRng) -> String {
        rng.choose(self.surnames).to_owned()
    }
}

/// Roughly the mix of the probation caseload: mostly white British, with South Asian, Black
/// British and Eastern European families; [`full_name`] also mixes pools for mixed heritage.
static POOLS: [NamePool; 4] = [
    NamePool {
        weight: 76,
        male: &[
            "Daniel",
            "James",
            "Thomas",
            "Ryan",
            "Liam",
            "Connor",
            "Jack",
            "Lewis",
            "Callum",
            "Nathan",
            "Adam",
            "Craig",
            "Dean",
            "Lee",
            "Wayne",
            "Darren",
            "Jason",
            "Mark",
            "Paul",
            "Stephen",
            "Gary",
            "Kevin",
            "Shaun",
            "Scott",
            "Jamie",
            "Kyle",
            "Luke",
            "Ben",
            "Joe",
            "Sam",
            "Matthew",
            "Andrew",
            "Christopher",
            "Michael",
            "Richard",
            "Neil",
            "Carl",
            "Stuart",
            "Ashley",
            "Aaron",
            "Jordan",
            "Reece",
            "Bradley",
            "Owen",
            "Rhys",
            "Declan",
            "Ciaran",
            "Robert",
            "Peter",
            "Alan",
            "Keith",
            "Ian",
            "Graham",
            "Philip",
            "Martin",
            "Simon",
            "Harry",
            "Charlie",
            "George",
            "Alfie",
            "Tyler",
            "Mason",
            "Kieran",
            "Gareth",
            "Dale",
            "Elliot",
            "Toby",
            "Dylan",
            "Josh",
            "Brandon",
        ],
        female: &[
            "Emma",
            "Sarah",
            "Laura",
            "Rebecca",
            "Gemma",
            "Kelly",
            "Stacey",
            "Lisa",
            "Claire",
            "Nicola",
            "Amy",
            "Hannah",
            "Jessica",
            "Chloe",
            "Lauren",
            "Danielle",
            "Jade",
            "Leanne",
            "Natalie",
            "Samantha",
            "Kirsty",
            "Michelle",
            "Joanne",
            "Donna",
            "Tracey",
            "Karen",
            "Julie",
            "Hayley",
            "Charlotte",
            "Sophie",
            "Megan",
            "Bethany",
            "Shannon",
            "Courtney",
            "Paige",
            "Katie",
            "Rachel",
            "Louise",
            "Zoe",
            "Siobhan",
            "Niamh",
            "Rhiannon",
            "Carys",
            "Fiona",
            "Shona",
            "Abigail",
            "Holly",
            "Lucy",
            "Ellie",
            "Jodie",
        ],
        surnames: &[
            "Smith",
            "Jones",
            "Taylor",
            "Williams",
            "Brown",
            "Davies",
            "Evans",
            "Wilson",
            "Thomas",
            "Roberts",
            "Robinson",
            "Wright",
            "Thompson",
            "Walker",
            "White",
            "Edwards",
            "Hughes",
            "Green",
            "Hall",
            "Lewis",
            "Harris",
            "Clarke",
            "Jackson",
            "Wood",
            "Turner",
            "Cooper",
            "Hill",
            "Ward",
            "Morris",
            "Moore",
            "Baker",
            "Harrison",
            "Morgan",
            "Allen",
            "Phillips",
            "Watson",
            "Parker",
            "Price",
            "Bennett",
            "Young",
            "Griffiths",
            "Mitchell",
            "Kelly",
            "Cook",
            "Carter",
            "Richardson",
            "Bailey",
            "Collins",
            "Bell",
            "Shaw",
            "Murphy",
            "Miller",
            "Cox",
            "Richards",
            "Marshall",
            "Simpson",
            "Ellis",
            "Wilkinson",
            "Foster",
            "Chapman",
            "Webb",
            "Rogers",
            "Gray",
            "Hunt",
            "Palmer",
            "Holmes",
            "Mills",
            "Barnes",
            "Knight",
            "Lloyd",
            "Butler",
            "Russell",
            "Barker",
            "Fisher",
            "Stevens",
            "Jenkins",
            "Dawson",
            "Pearson",
            "Fletcher",
            "Hudson",
            "Atkinson",
            "Dixon",
            "Gibson",
            "Burton",
            "O'Brien",
            "O'Neill",
            "Byrne",
            "Doyle",
            "Quinn",
            "McDonald",
            "Reid",
            "Fraser",
            "Stewart",
            "Hewitt",
            "Walsh",
            "Nolan",
            "Sutton",
            "Holt",
            "Booth",
            "Pickering",
            "Bradshaw",
            "Rowe",
            "Sharpe",
            "Townsend",
            "Whitehead",
            "Newton",
        ],
    },
    NamePool {
        weight: 9,
        male: &[
            "Mohammed", "Imran", "Asif", "Tariq", "Amir", "Bilal", "Hamza", "Zain", "Arjun",
            "Rajesh", "Sanjay", "Vikram", "Harpreet", "Gurpreet", "Jaspal", "Kamran", "Faisal",
            "Adeel", "Rahul", "Nikhil", "Sunil", "Omar", "Yusuf", "Ayaan",
        ],
        female: &[
            "Aisha", "Fatima", "Ayesha", "Sana", "Zara", "Priya", "Anjali", "Sunita", "Nisha",
            "Simran", "Mandeep", "Rubina", "Shabana", "Nazia", "Hina", "Amira", "Leila", "Ruksana",
        ],
        surnames: &[
            "Khan",
            "Ahmed",
            "Hussain",
            "Ali",
            "Shah",
            "Akhtar",
            "Iqbal",
            "Mahmood",
            "Rashid",
            "Malik",
            "Patel",
            "Sharma",
            "Mistry",
            "Chauhan",
            "Parmar",
            "Gill",
            "Sandhu",
            "Bains",
            "Dhillon",
            "Sidhu",
            "Choudhury",
            "Rahman",
            "Uddin",
            "Miah",
        ],
    },
    NamePool {
        weight: 7,
        male: &[
            "Kwame",
            "Kofi",
            "Tunde",
            "Emeka",
            "Chidi",
            "Femi",
            "Tyrone",
            "Jermaine",
            "Marcus",
            "Andre",
            "Delroy",
            "Leon",
            "Nathaniel",
            "Elijah",
            "Isaiah",
            "Malachi",
            "Joel",
            "Samuel",
            "Ibrahim",
            "Abdi",
            "Mohamed",
            "Kelvin",
        ],
        female: &[
            "Abena", "Ama", "Chioma", "Ngozi", "Funmi", "Shanice", "Tanisha", "Keisha", "Aaliyah",
            "Naomi", "Grace", "Blessing", "Esther", "Hodan", "Amina", "Precious", "Jasmine",
        ],
        surnames: &[
            "Mensah", "Owusu", "Boateng", "Asante", "Okafor", "Okoye", "Adeyemi", "Adebayo",
            "Campbell", "Francis", "Grant", "Samuels", "Osei", "Hassan", "Warsame", "Nwosu",
            "Bello", "Forbes", "Edwards", "Baptiste",
        ],
    },
    NamePool {
        weight: 8,
        male: &[
            "Piotr",
            "Tomasz",
            "Krzysztof",
            "Marcin",
            "Pawel",
            "Lukasz",
            "Michal",
            "Andrei",
            "Ionut",
            "Bogdan",
            "Mihai",
            "Darius",
            "Marius",
            "Tomas",
            "Dmytro",
            "Oleksandr",
            "Ivan",
            "Adrian",
        ],
        female: &[
            "Agnieszka",
            "Katarzyna",
            "Magdalena",
            "Joanna",
            "Ewa",
            "Monika",
            "Alina",
            "Elena",
            "Ioana",
            "Andreea",
            "Kristina",
            "Olena",
            "Natalia",
        ],
        surnames: &[
            "Nowak",
            "Wojcik",
            "Kowalczyk",
            "Mazur",
            "Krawczyk",
            "Kaczmarek",
            "Zajac",
            "Popescu",
            "Ionescu",
            "Popa",
            "Dumitru",
            "Kovalenko",
            "Shevchenko",
            "Bondarenko",
            "Novak",
            "Horvath",
        ],
    },
];

/// A family's name pool, in proportion to the caseload mix.
pub(crate) fn family_pool(rng: &mut DemoRng) -> &'static NamePool {
    let weights: Vec<(usize, u32)> = POOLS
        .iter()
        .enumerate()
        .map(|(index, pool)| (index, pool.weight))
        .collect();
    &POOLS[rng.weighted(&weights)]
}

/// A first and last name for someone of the given sex; about one in twelve combine pools, as
/// mixed-heritage names do.
pub(crate) fn full_name(rng: &mut DemoRng, sex: Sex) -> (String, String) {
    let given = family_pool(rng);
    let family = if rng.chance(0.08) {
        family_pool(rng)
    } else {
        given
    };
    (given.first_name(rng, sex), family.surname(rng))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn no_pool_lists_a_name_twice() {
        for pool in &POOLS {
            for list in [pool.male, pool.female, pool.surnames] {
                let unique: HashSet<_> = list.iter().collect();
                assert_eq!(unique.len(), list.len(), "duplicate in {list:?}");
            }
        }
    }

    #[test]
    fn names_are_drawn_from_every_community() {
        let mut rng = DemoRng::from_seed(11);
        let surnames: HashSet<String> = (0..2000)
            .map(|_| full_name(&mut rng, Sex::Male).1)
            .collect();
        for pool in &POOLS {
            assert!(pool.surnames.iter().any(|name| surnames.contains(*name)));
        }
    }
}
