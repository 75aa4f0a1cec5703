//! A determined reader: everything read from the service turned into constraints on the true
//! counts, and the narrowest range those constraints leave any count in (an integer program
//! over every observation, solved exactly with `microlp`).
//!
//! The reader is given more than a real one has: the days, sites and measures anything was
//! counted in (every other count is known to be zero), and the rule's threshold and largest
//! noise. If this reader cannot pin a hidden count down, neither can a real one.

use chrono::NaiveDate;
use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem};
use peerpulse_core::bucket::{Dimension, Measure};
use peerpulse_core::codebook::Code;
use peerpulse_core::period::Period;
use peerpulse_core::privacy::{DisclosureRule, SuppressionThreshold};
use peerpulse_core::protocol::TrendsResponse;

/// One day's count of one measure at one site: what the reader reasons about.
pub type Cell = (NaiveDate, Code, Measure);

/// What a reader knows. Like any attacker it knows the method (Kerckhoffs): the threshold and
/// how far the noise reaches, taken from the rule itself.
pub struct Reader {
    threshold: i64,
    noise: i64,
    cells: Vec<Cell>,
    /// Sums of cells known to lie within `[lo, hi]`.
    known: Vec<(Vec<usize>, i64, i64)>,
    measures: Vec<Measure>,
}

impl Reader {
    /// A reader of an organization with `threshold` (and noise reaching as far), who knows
    /// every count outside `days` × `sites` × `measures` is zero.
    pub fn new(threshold: u32, days: &[NaiveDate], sites: &[&str], measures: &[Measure]) -> Self {
        let mut cells = Vec::new();
        for day in days {
            for site in sites {
                for measure in measures {
                    cells.push((*day, Code::new(site).unwrap(), measure.clone()));
                }
            }
        }
        Self {
            threshold: i64::from(threshold),
            noise: i64::from(
                DisclosureRule::new(SuppressionThreshold::new(threshold).expect("a threshold"))
                    .noise()
                    .max(),
            ),
            cells,
            known: Vec::new(),
            measures: measures.to_vec(),
        }
    }

    /// The cells of `period` at `site` (every site when `None`) counting `measure`.
    pub fn select(&self, period: Period, site: Option<&Code>, measure: &Measure) -> Vec<usize> {
        self.cells
            .iter()
            .enumerate()
            .filter(|(_, (day, s, m))| {
                period.contains(*day) && site.is_none_or(|site| site == s) && m == measure
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The one cell of `day` at `site` counting `measure`.
    pub fn cell(&self, day: NaiveDate, site: &str, measure: &Measure) -> usize {
        self.cells
            .iter()
            .position(|(d, s, m)| *d == day && s.as_str() == site && m == measure)
            .expect("a cell of the reader's world")
    }

    /// A published count of `cells`: they sum to at least the threshold, and to within the
    /// noise of it.
    pub fn published(&mut self, cells: Vec<usize>, count: u32) {
        let count = i64::from(count);
        self.known.push((
            cells,
            self.threshold.max(count - self.noise),
            count + self.noise,
        ));
    }

    /// A count not published: below the threshold, or pushed below it by the noise.
    pub fn hidden(&mut self, cells: Vec<usize>) {
        self.known.push((cells, 0, self.threshold - 1 + self.noise));
    }

    /// Any other knowledge: the sum of `cells` lies within `[lo, hi]`.
    pub fn know(&mut self, cells: Vec<usize>, lo: i64, hi: i64) {
        self.known.push((cells, lo, hi));
    }

    /// Everything a trends answer says of the reader's measures (of `dimension` only, when
    /// it was asked for one): each one's total over the period, and over each part,
    /// published or not. A free tag's or supply units' absence says nothing: they are left
    /// out for other reasons than their own count.
    pub fn read(&mut self, trends: &TrendsResponse, dimension: Option<Dimension>) {
        let views: Vec<_> = std::iter::once((trends.period, &trends.totals))
            .chain(trends.parts.iter().map(|p| (p.period, &p.counts)))
            .collect();
        for measure in self.measures.clone() {
            if dimension.is_some_and(|d| d != measure.dimension()) {
                continue;
            }
            for (period, counts) in &views {
                let cells = self.select(*period, trends.site.as_ref(), &measure);
                match counts.iter().find(|c| c.measure == measure) {
                    Some(c) => self.published(cells, c.count),
                    None if matches!(
                        measure.dimension(),
                        Dimension::FreeTag | Dimension::SupplyUnits
                    ) => {}
                    None => self.hidden(cells),
                }
            }
        }
    }

    /// The fewest and the most `target` can sum to, given everything known and how counts
    /// hang together (each encounter has one kind and one reach, and counts a code at most
    /// once). Panics if nothing is consistent with what was read: the rule would then have
    /// published something false.
    pub fn range(&self, target: &[usize]) -> (i64, i64) {
        (
            self.extreme(target, OptimizationDirection::Minimize),
            self.extreme(target, OptimizationDirection::Maximize),
        )
    }

    fn extreme(&self, target: &[usize], direction: OptimizationDirection) -> i64 {
        let mut problem = Problem::new(direction);
        let vars: Vec<_> = (0..self.cells.len())
            .map(|i| {
                let weight = if target.contains(&i) { 1.0 } else { 0.0 };
                problem.add_integer_var(weight, (0, 100_000))
            })
            .collect();
        for (cells, lo, hi) in &self.known {
            let mut sum = LinearExpr::empty();
            for &i in cells {
                sum.add(vars[i], 1.0);
            }
            problem.add_constraint(sum.clone(), ComparisonOp::Ge, *lo as f64);
            problem.add_constraint(sum, ComparisonOp::Le, *hi as f64);
        }
        let mut places: Vec<(NaiveDate, &Code)> =
            self.cells.iter().map(|(d, s, _)| (*d, s)).collect();
        places.sort();
        places.dedup();
        for (day, site) in places {
            let at = |dimension: Dimension| -> Vec<usize> {
                self.cells
                    .iter()
                    .enumerate()
                    .filter(|(_, (d, s, m))| *d == day && s == site && m.dimension() == dimension)
                    .map(|(i, _)| i)
                    .collect()
            };
            let Some(&encounters) = at(Dimension::Encounters).first() else {
                continue;
            };
            for partition in [Dimension::Kind, Dimension::Reach] {
                let parts = at(partition);
                if parts.is_empty() {
                    continue;
                }
                let mut sum = LinearExpr::empty();
                for i in parts {
                    sum.add(vars[i], 1.0);
                }
                sum.add(vars[encounters], -1.0);
                problem.add_constraint(sum, ComparisonOp::Eq, 0.0);
            }
            for (i, (d, s, m)) in self.cells.iter().enumerate() {
                if *d == day
                    && s == site
                    && !matches!(
                        m.dimension(),
                        Dimension::Encounters
                            | Dimension::Kind
                            | Dimension::Reach
                            | Dimension::SupplyUnits
                    )
                {
                    let mut below = LinearExpr::empty();
                    below.add(vars[i], 1.0);
                    below.add(vars[encounters], -1.0);
                    problem.add_constraint(below, ComparisonOp::Le, 0.0);
                }
            }
        }
        let outcome = problem
            .solve()
            .expect("the truth satisfies everything read, so something does");
        assert!(outcome.is_optimal(), "{outcome:?}");
        let solution = outcome.into_solution().expect("an optimal solution");
        solution.objective().round() as i64
    }
}
