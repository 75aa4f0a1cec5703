//! Charts drawn from published counts: a line chart of a period's parts, bars of period
//! totals and a heat map of values by part. Each carries a text alternative; a part that may
//! not be shown is drawn as a gap or an empty cell and read as "fewer than" the threshold,
//! never as a number.

pub mod bars;
pub mod heat_map;
pub mod line;

/// Series colours, distinguishable on the dark background; each series also has its own dash
/// pattern, so colour is never the only cue.
const SERIES: [(&str, &str); 5] = [
    ("#5eead4", ""),
    ("#ffd166", "8 4"),
    ("#f9a8d4", "2 4"),
    ("#93c5fd", "12 4 2 4"),
    ("#fdba74", "4 4"),
];
