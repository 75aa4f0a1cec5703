//! Passwords too common to accept: the 112,130 of 10 characters or more among the million
//! most common in breach dumps (`data/common-passwords.txt`; its source and licence are in
//! `data/README.md`). An attacker tries these first, at every account, so a new password on
//! the list is refused whatever its case.

use std::sync::LazyLock;

/// The list, lowercased and sorted (`scripts/common-passwords` makes it so).
static LIST: &str = include_str!("../data/common-passwords.txt");

/// The list's lines, ready for a binary search: read once, on the first check.
static SORTED: LazyLock<Vec<&'static str>> = LazyLock::new(|| LIST.lines().collect());

/// Whether `password` is on the list of common breached passwords, ignoring case.
pub fn is_common(password: &str) -> bool {
    let lowered = password.to_lowercase();
    SORTED.binary_search(&lowered.as_str()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_without_repeats_so_a_search_finds_every_entry() {
        assert!(SORTED.len() > 100_000, "{} entries", SORTED.len());
        assert!(SORTED.windows(2).all(|w| w[0] < w[1]));
        assert!(SORTED.iter().all(|p| p.chars().count() >= 10));
    }

    #[test]
    fn common_passwords_are_found_whatever_their_case() {
        for common in [
            "password12",
            "aaaaaaaaaa",
            "1234567890",
            "PassWord12",
            "qwertyuiop",
        ] {
            assert!(is_common(common), "{common}");
        }
    }

    #[test]
    fn an_unusual_passphrase_is_not_on_the_list() {
        for rare in ["harbour lantern tuesday", "van-naloxone-kettle-47"] {
            assert!(!is_common(rare), "{rare}");
        }
    }
}
