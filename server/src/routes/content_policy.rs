//! The Content-Security-Policy of the PWA: what a page of ours may load and run, so that text
//! an attacker slips into a page (a label, a note) cannot become script.
//!
//! Scripts come from our own origin, WebAssembly may be compiled (`'wasm-unsafe-eval'`: the
//! apps are Rust compiled to wasm), and the inline `<script>` blocks of an app's shell run only
//! if their SHA-256 is listed. trunk writes a new inline loader into each build (it names the
//! hashed `.js` and `.wasm` files), so the hashes are read from the shell as it is served, never
//! written down by hand. For example, a shell holding `<script>alert('Hello, world.');</script>`
//! is served with
//!
//! ```text
//! default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'
//! ```
//!
//! `default-src 'self'` also covers what is not named: `fetch` and the live event stream
//! (`connect-src`), icons (`img-src`: the enrolment QR code is an inline `<svg>` element, not an
//! image, so no `data:`), the manifest and the service worker. Style sheets are linked files; a
//! `<style>` element or `style="…"` attribute never applies (the bar chart sets its widths with
//! `style:width`, through the CSSOM, which no policy blocks).

use sha2::{Digest, Sha256};

/// What every page may do, hashes of inline scripts aside.
const BASE: &[(&str, &str)] = &[
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'none'"),
    ("form-action", "'self'"),
    // No other site may frame a page of ours and trick a click out of a signed-in manager.
    ("frame-ancestors", "'none'"),
];

/// The policy for any response that is not an app's shell: scripts, style sheets, icons, the
/// service worker (whose own fetches it governs).
pub fn base() -> String {
    policy(&[])
}

/// The policy for an app's shell `html`: the base policy, and the SHA-256 of each inline
/// script in it, so those scripts and no others run.
pub fn for_shell(html: &str) -> String {
    let hashes: Vec<String> = inline_scripts(html).into_iter().map(script_hash).collect();
    policy(&hashes)
}

fn policy(script_hashes: &[String]) -> String {
    BASE.iter()
        .map(|&(directive, sources)| {
            let mut line = format!("{directive} {sources}");
            if directive == "script-src" {
                for hash in script_hashes {
                    line.push(' ');
                    line.push_str(hash);
                }
            }
            line
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The source expression allowing an inline script whose text is `script`. The browser hashes
/// the text as parsed, and the HTML parser first turns every CR LF and lone CR into LF.
fn script_hash(script: &str) -> String {
    let text = script.replace("\r\n", "\n").replace('\r', "\n");
    format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())))
}

/// The text of each `<script>` element without a `src` attribute, as an HTML parser reads it:
/// tag names in any case, attribute values holding `>`, comments skipped, and the text running
/// to the first `</script` that ends a tag.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
        } else if let Some(tag) = after_tag_name(rest, "<script") {
            let (attributes, text) = start_tag(tag);
            let end = end_tag(text, "</script").unwrap_or(text.len());
            if !attributes
                .iter()
                .any(|name| name.eq_ignore_ascii_case("src"))
            {
                scripts.push(&text[..end]);
            }
            rest = &text[end..];
        } else {
            rest = &rest[1..];
        }
    }
    scripts
}

/// What follows `name` (`<script`, `</script`) at the start of `html`, if a tag of that name
/// starts there: the name in any case, then a space, `/` or `>`.
fn after_tag_name<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let head = html.get(..name.len())?;
    let after = &html[name.len()..];
    let ends_name = after.starts_with(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>');
    (head.eq_ignore_ascii_case(name) && ends_name).then_some(after)
}

/// Where the first `name` end tag starts in `text`.
fn end_tag(text: &str, name: &str) -> Option<usize> {
    text.match_indices('<')
        .map(|(at, _)| at)
        .find(|&at| after_tag_name(&text[at..], name).is_some())
}

/// The attribute names of a start tag whose name has been read, and the text after its `>`.
fn start_tag(tag: &str) -> (Vec<&str>, &str) {
    let mut names = Vec::new();
    let mut rest = tag;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if let Some(after) = rest.strip_prefix('>') {
            return (names, after);
        }
        if rest.is_empty() {
            return (names, rest);
        }
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '/' | '>' | '='))
            // An attribute name starting with `=` is read as a name.
            .map_or(rest.len(), |end| end.max(1));
        names.push(&rest[..name_end]);
        rest = rest[name_end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start_matches(|c: char| c.is_ascii_whitespace());
            rest = match value.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let inside = &value[1..];
                    inside.find(quote).map_or("", |end| &inside[end + 1..])
                }
                _ => {
                    let end = value
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(value.len());
                    &value[end..]
                }
            };
        }
    }
}

/// `bytes` in standard base64 with padding (RFC 4648, section 4), as CSP hashes are written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |group, (i, &b)| {
            group | (u32::from(b) << (16 - 8 * i))
        });
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(
                    ALPHABET[((group >> (18 - 6 * i)) & 63) as usize],
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the CSP specification, and its hash as the specification gives it.
    const HELLO: &str = "alert('Hello, world.');";
    const HELLO_HASH: &str = "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='";

    fn hashes(policy: &str) -> Vec<&str> {
        policy
            .split("; ")
            .find_map(|d| d.strip_prefix("script-src "))
            .expect("a script-src directive")
            .split(' ')
            .filter(|s| s.starts_with("'sha256-"))
            .collect()
    }

    #[test]
    fn base64_matches_the_rfc_4648_test_vectors() {
        for (bytes, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(bytes.as_bytes()), encoded, "{bytes:?}");
        }
        assert_eq!(base64(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn an_inline_script_is_allowed_by_the_hash_the_specification_gives() {
        let policy = for_shell(&format!(
            "<html><head><script>{HELLO}</script></head></html>"
        ));
        assert_eq!(hashes(&policy), [HELLO_HASH]);
        // As the module documentation shows it.
        assert_eq!(
            policy,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' \
             'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='; style-src 'self'; \
             object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        );
    }

    #[test]
    fn the_policy_keeps_every_page_to_its_own_origin_and_out_of_frames() {
        let policy = base();
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(
                policy.split("; ").any(|d| d == directive),
                "{directive} in {policy}"
            );
        }
        assert_eq!(policy, for_shell("<html><body>no scripts</body></html>"));
    }

    #[test]
    fn every_inline_script_is_hashed_and_scripts_with_a_src_are_not() {
        let html = "<script type=\"module\">one()</script>\n\
                    <script src=\"/app.js\"></script>\n\
                    <SCRIPT data-src=x>two()</SCRIPT >\n\
                    <script defer src=/other.js>ignored()</script>\n\
                    <script\n>three()</script/>";
        let expected: Vec<String> = ["one()", "two()", "three()"]
            .into_iter()
            .map(script_hash)
            .collect();
        assert_eq!(hashes(&for_shell(html)), expected);
    }

    #[test]
    fn a_script_runs_to_the_first_end_tag_and_no_further() {
        // Text that merely looks like a tag stays in the script; `</scripts` ends nothing.
        let inside = "if (a <b) { s = '</scripts>'; t = \"<script>\"; }";
        let html = format!("<script data-note=\"x > y\">{inside}</script><p>after</p>");
        assert_eq!(inline_scripts(&html), [inside]);
    }

    #[test]
    fn scripts_in_comments_and_tags_that_only_start_alike_are_not_scripts() {
        let html = "<!-- <script>old()</script> --><scripted>x</scripted><noscript>no</noscript>\
                    <script>real()</script><!-- unterminated <script>gone()</script>";
        assert_eq!(inline_scripts(html), ["real()"]);
    }

    #[test]
    fn line_ends_are_hashed_as_the_parser_reads_them() {
        assert_eq!(script_hash("a\r\nb\rc"), script_hash("a\nb\nc"));
        assert_ne!(script_hash("a\nb"), script_hash("a\n\nb"));
    }

    #[test]
    fn any_script_text_in_a_shell_is_found_whole() {
        let texts = [
            "",
            " ",
            HELLO,
            "\n  import init from '/app.js';\n  await init();\n",
            "const s = '<b>é ü ✓</b>'; // a > b < c",
            "x = 1 </ script >",
        ];
        for text in texts {
            for (open, close) in [
                ("<script>", "</script>"),
                ("<script type=module>", "</SCRIPT>"),
                ("<Script nonce='n>1'>", "</script\t>"),
            ] {
                let html = format!("<!doctype html><head>{open}{text}{close}</head>");
                assert_eq!(inline_scripts(&html), [text], "{html}");
                assert_eq!(hashes(&for_shell(&html)), [script_hash(text)], "{html}");
            }
        }
        assert_eq!(script_hash(HELLO), HELLO_HASH);
    }
}
