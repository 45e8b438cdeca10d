//! Charts drawn as server-rendered SVG (no script, so the content security policy stays strict),
//! each with a text alternative and the same figures in a table or list beside it.

use crate::format;
use chrono::NaiveDate;

/// A line chart of a weekly capacity %, laid out in SVG units, with the 100% and 110% lines drawn
/// so "over capacity" and "the excessive-workload threshold" can be seen at a glance.
pub struct WeeklyTrend {
    pub width: u32,
    pub height: u32,
    /// `x,y x,y …` for the polyline.
    pub points: String,
    /// Each week's dot: (x, y, label).
    pub dots: Vec<(u32, u32, String)>,
    /// Horizontal reference lines: (y, label).
    pub guides: Vec<(u32, String)>,
    /// Week labels along the bottom: (x, label).
    pub weeks: Vec<(u32, String)>,
    /// "Week of 12 Oct: 76%. …", for the text alternative.
    pub description: String,
}

const LEFT: u32 = 56;
const TOP: u32 = 12;
const PLOT_WIDTH: u32 = 520;
const PLOT_HEIGHT: u32 = 180;

impl WeeklyTrend {
    /// Lays out `weeks` (week start, capacity %), oldest first; `None` with no weeks.
    pub fn new(weeks: &[(NaiveDate, f64)]) -> Option<Self> {
        if weeks.is_empty() {
            return None;
        }
        let highest = weeks.iter().map(|(_, p)| *p).fold(120.0_f64, f64::max);
        let top = (highest / 20.0).ceil() * 20.0;
        let y =
            |percent: f64| TOP + PLOT_HEIGHT - ((percent / top) * f64::from(PLOT_HEIGHT)) as u32;
        let step = if weeks.len() > 1 {
            PLOT_WIDTH / (weeks.len() as u32 - 1)
        } else {
            0
        };
        let x = |index: usize| LEFT + step * index as u32;
        let dots: Vec<(u32, u32, String)> = weeks
            .iter()
            .enumerate()
            .map(|(i, (week, percent))| {
                (
                    x(i),
                    y(*percent),
                    format!("Week of {}: {percent:.0}%", format::short_date(*week)),
                )
            })
            .collect();
        let points = dots
            .iter()
            .map(|(x, y, _)| format!("{x},{y}"))
            .collect::<Vec<_>>()
            .join(" ");
        let description = dots
            .iter()
            .map(|(_, _, label)| format!("{label}."))
            .collect::<Vec<_>>()
            .join(" ");
        Some(Self {
            width: LEFT + PLOT_WIDTH + 24,
            height: TOP + PLOT_HEIGHT + 32,
            points,
            guides: [0.0, 100.0, 110.0, top]
                .iter()
                .map(|p| (y(*p), format!("{p:.0}%")))
                .collect(),
            weeks: weeks
                .iter()
                .enumerate()
                .map(|(i, (week, _))| (x(i), week.format("%-d %b").to_string()))
                .collect(),
            dots,
            description,
        })
    }
}

/// A horizontal bar chart of percentages, one bar a row, laid out in SVG units, with the value
/// written beside each bar.
pub struct PercentBars {
    pub height: u32,
    /// (label, y, bar width, value as written)
    pub bars: Vec<(String, u32, u32, String)>,
    /// "Midshire Police: 12%. …", for the text alternative.
    pub description: String,
}

/// Row height of a [`PercentBars`] chart.
const BAR_ROW: u32 = 34;
/// Width of 100%.
const BAR_FULL: u32 = 300;

impl PercentBars {
    /// Lays out `(label, percent)` rows; `None` with no rows.
    pub fn new(rows: &[(String, f64)]) -> Option<Self> {
        if rows.is_empty() {
            return None;
        }
        let bars = rows
            .iter()
            .enumerate()
            .map(|(i, (label, percent))| {
                (
                    label.clone(),
                    i as u32 * BAR_ROW,
                    ((percent.clamp(0.0, 100.0) / 100.0) * f64::from(BAR_FULL)) as u32,
                    format!("{percent:.0}%"),
                )
            })
            .collect::<Vec<_>>();
        Some(Self {
            height: rows.len() as u32 * BAR_ROW,
            description: bars
                .iter()
                .map(|(label, _, _, value)| format!("{label}: {value}."))
                .collect::<Vec<_>>()
                .join(" "),
            bars,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn a_trend_lays_out_each_week_and_describes_it_in_words() {
        let chart = WeeklyTrend::new(&[(week(2), 90.0), (week(9), 120.0)]).unwrap();
        assert_eq!(chart.dots.len(), 2);
        assert_eq!(chart.dots[0].0, LEFT);
        assert_eq!(chart.dots[1].0, LEFT + PLOT_WIDTH);
        // 120% is the top of a 0–120% scale.
        assert_eq!(chart.dots[1].1, TOP);
        assert!(chart.description.contains("120%"));
        assert!(chart.guides.iter().any(|(_, label)| label == "110%"));
    }

    #[test]
    fn percentage_bars_are_scaled_to_a_full_width_of_100_percent() {
        let chart = PercentBars::new(&[("A".into(), 50.0), ("B".into(), 150.0)]).unwrap();
        assert_eq!(chart.bars[0].2, BAR_FULL / 2);
        assert_eq!(chart.bars[1].2, BAR_FULL, "clamped to 100%");
        assert_eq!(chart.bars[1].1, BAR_ROW);
        assert!(chart.description.contains("A: 50%."));
        assert!(PercentBars::new(&[]).is_none());
    }

    #[test]
    fn no_weeks_draws_no_chart() {
        assert!(WeeklyTrend::new(&[]).is_none());
    }
}
