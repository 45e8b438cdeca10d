//! Serious further offences (reference §8; the rules are in `keepsafe_domain::sfo`): the charges
//! recorded and the reviews that follow (`cases`), and the lists of them by whose they are
//! (`list`). Completing a review adds its actions to the PDU's quality improvement plan
//! (`crate::quality::plans`) in the same transaction.

pub mod cases;
pub mod list;
