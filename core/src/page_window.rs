//! The pages of a long history held in memory: a few in a row, so a phone with a year of
//! entries lists them in the same memory and DOM as a phone with a week. Going further back
//! lets go of the newest page shown, and going forward again reads it back.

use chrono::NaiveDate;
use std::collections::VecDeque;

/// The days one page covers: from `from` (everything older when `None`) up to, not
/// including, `before` (everything newer when `None`). Pages are whole days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageSpan {
    /// The page's first day; `None` when it reaches back to the oldest entry.
    pub from: Option<NaiveDate>,
    /// The day after the page's last; `None` when it reaches the newest entry.
    pub before: Option<NaiveDate>,
}

/// Consecutive pages of a history, newest first, at most `limit` of them at a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageWindow<T> {
    limit: usize,
    /// The pages held, newest first, each beside its span.
    shown: VecDeque<(PageSpan, T)>,
    /// Spans of newer pages let go, the nearest last.
    newer: Vec<PageSpan>,
}

impl<T> PageWindow<T> {
    /// A window of the newest page, `page`, holding up to `limit` pages (at least one).
    pub fn new(limit: usize, span: PageSpan, page: T) -> Self {
        Self {
            limit: limit.max(1),
            shown: VecDeque::from([(span, page)]),
            newer: Vec::new(),
        }
    }

    /// The pages held, newest first.
    pub fn pages(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.shown.iter().map(|(_, page)| page)
    }

    /// The day the next older page ends before, if older entries remain.
    pub fn older_before(&self) -> Option<NaiveDate> {
        self.shown.back().and_then(|(span, _)| span.from)
    }

    /// The span of the newer page let go last, to read again.
    pub fn newer_span(&self) -> Option<PageSpan> {
        self.newer.last().copied()
    }

    /// The days the held pages cover together.
    pub fn held_span(&self) -> PageSpan {
        PageSpan {
            from: self.older_before(),
            before: self.shown.front().and_then(|(span, _)| span.before),
        }
    }

    /// Adds the page older than the oldest held, read for `span`; lets go of the newest page
    /// when more than `limit` would be held. Ignored unless `span` ends where the oldest page
    /// held begins (a late answer to an earlier request).
    pub fn push_older(&mut self, span: PageSpan, page: T) {
        if span.before.is_none() || span.before != self.older_before() {
            return;
        }
        self.shown.push_back((span, page));
        if self.shown.len() > self.limit
            && let Some((span, _)) = self.shown.pop_front()
        {
            self.newer.push(span);
        }
    }

    /// Adds back the newer page let go last, read again for `span`; lets go of the oldest
    /// page when more than `limit` would be held (going back reads it again). Ignored unless
    /// `span` is [`Self::newer_span`].
    pub fn push_newer(&mut self, span: PageSpan, page: T) {
        if self.newer_span() != Some(span) {
            return;
        }
        self.newer.pop();
        self.shown.push_front((span, page));
        if self.shown.len() > self.limit {
            self.shown.pop_back();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    /// Pages of days 25–30, 20–24, 15–19, 10–14, then 1–9 (the oldest), named by first day.
    fn window() -> PageWindow<&'static str> {
        let mut window = PageWindow::new(
            3,
            PageSpan {
                from: Some(day(25)),
                before: None,
            },
            "25",
        );
        window.push_older(older(Some(20), 25), "20");
        window
    }

    /// The page before `before`, starting at `from`.
    fn older(from: Option<u32>, before: u32) -> PageSpan {
        PageSpan {
            from: from.map(day),
            before: Some(day(before)),
        }
    }

    fn held(window: &PageWindow<&'static str>) -> Vec<&'static str> {
        window.pages().copied().collect()
    }

    #[test]
    fn going_back_holds_at_most_the_limit_and_lets_go_of_the_newest() {
        let mut window = window();
        assert_eq!(window.older_before(), Some(day(20)));
        assert_eq!(window.newer_span(), None);
        window.push_older(older(Some(15), 20), "15");
        assert_eq!(held(&window), ["25", "20", "15"]);
        window.push_older(older(Some(10), 15), "10");
        assert_eq!(held(&window), ["20", "15", "10"]);
        assert_eq!(
            window.newer_span(),
            Some(PageSpan {
                from: Some(day(25)),
                before: None
            })
        );
        window.push_older(older(None, 10), "1");
        assert_eq!(held(&window), ["15", "10", "1"]);
        assert_eq!(window.older_before(), None, "the oldest page is held");
        assert_eq!(window.held_span(), older(None, 20));
        // Nothing older to add.
        window.push_older(older(None, 1), "again");
        assert_eq!(held(&window), ["15", "10", "1"]);
    }

    #[test]
    fn going_forward_reads_back_the_newer_pages_and_lets_go_of_the_oldest() {
        let mut window = window();
        window.push_older(older(Some(15), 20), "15");
        window.push_older(older(Some(10), 15), "10");
        window.push_older(older(None, 10), "1");
        let span = window.newer_span().unwrap();
        assert_eq!(
            span,
            PageSpan {
                from: Some(day(20)),
                before: Some(day(25))
            }
        );
        window.push_newer(span, "20 again");
        assert_eq!(held(&window), ["20 again", "15", "10"]);
        assert_eq!(
            window.older_before(),
            Some(day(10)),
            "going back reads 1–9 again"
        );
        let span = window.newer_span().unwrap();
        window.push_newer(span, "25 again");
        assert_eq!(held(&window), ["25 again", "20 again", "15"]);
        assert_eq!(window.newer_span(), None);
        window.push_older(older(Some(10), 15), "10 again");
        assert_eq!(held(&window), ["20 again", "15", "10 again"]);
    }

    #[test]
    fn a_late_answer_for_another_span_changes_nothing() {
        let mut window = window();
        window.push_older(older(Some(15), 20), "15");
        window.push_older(older(Some(10), 15), "10");
        window.push_older(older(Some(12), 20), "late");
        let stale = PageSpan {
            from: Some(day(1)),
            before: Some(day(10)),
        };
        window.push_newer(stale, "stale");
        assert_eq!(held(&window), ["20", "15", "10"]);
    }
}
