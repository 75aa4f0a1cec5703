//! The privacy guard as the phone runs it: compiled to wasm, inside Chromium.
#![cfg(target_arch = "wasm32")]

use peerpulse_core::encounter::Note;
use peerpulse_core::privacy::guard::{self, Identifier};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn identifying_text_is_flagged_with_its_span_in_the_browser_build() {
    let text = "from a guy named Tony at 12 Hill Street, or call 0412 345 678";
    let findings = guard::scan(text);
    let kinds: Vec<Identifier> = findings.iter().map(|f| f.identifier).collect();
    assert!(kinds.contains(&Identifier::Name), "{kinds:?}");
    assert!(kinds.contains(&Identifier::StreetAddress), "{kinds:?}");
    assert!(kinds.contains(&Identifier::PhoneNumber), "{kinds:?}");
    let phone = findings
        .iter()
        .find(|f| f.identifier == Identifier::PhoneNumber)
        .unwrap();
    assert_eq!(&text[phone.span.clone()], "0412 345 678");
    assert!(Note::parse(text).is_err());
}

#[wasm_bindgen_test]
fn plain_descriptions_pass_unchanged_in_the_browser_build() {
    let text = "new pink pills going round, stronger than usual";
    assert!(guard::scan(text).is_empty());
    assert_eq!(Note::parse(text).unwrap().unwrap().as_str(), text);
}
