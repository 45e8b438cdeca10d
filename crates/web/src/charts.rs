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

/// One key question's bar in a [`ScoreBars`] chart.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScoreBar {
    pub label: String,
    /// Top of the bar.
    pub y: u32,
    /// Middle of the row, where the whisker and the value sit.
    pub middle: u32,
    /// Bar width in SVG units; `None` when no case applies (nothing to draw).
    pub width: Option<u32>,
    /// The 95% interval's ends, in SVG x units.
    pub whisker: Option<(u32, u32)>,
    /// Where the value is written, and what it says ("62% (n = 24)", "No cases apply").
    pub value_x: u32,
    pub value: String,
}

/// A horizontal bar chart of key-question scores: one bar per question, a whisker for its 95%
/// interval, and the rating thresholds (50%, 65%, 80%) drawn across, so whether a score's
/// interval straddles a threshold can be seen at a glance.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ScoreBars {
    /// Prefix for the chart's element ids, unique on the page ("audit-scores").
    pub id: String,
    pub width: u32,
    pub height: u32,
    pub bars: Vec<ScoreBar>,
    /// Vertical threshold lines: (x, label).
    pub thresholds: Vec<(u32, String)>,
    /// The x of 0% and of 100%, and the bottom of the plot, for the axis.
    pub left: u32,
    pub right: u32,
    pub bottom: u32,
    /// "2.1 Keeping safe: 62% (15 of 24, 95% interval 42.7%–78.8%). …", for the text alternative.
    pub description: String,
}

/// A key question's score for [`ScoreBars::new`].
pub struct ScoreInput {
    pub label: String,
    pub yes: u32,
    pub applicable: u32,
    /// Percent and the interval's ends in percent; `None` when no case applies.
    pub percent: Option<(f64, f64, f64)>,
    /// The score in words, for the text alternative.
    pub described: String,
}

const SCORE_LABEL_WIDTH: u32 = 124;
const SCORE_PLOT_WIDTH: u32 = 400;
const SCORE_TOP: u32 = 24;
const SCORE_ROW: u32 = 30;
const SCORE_BAR: u32 = 14;

impl ScoreBars {
    /// Lays out the questions with `thresholds` (percentages); `None` with no questions.
    pub fn new(id: &str, rows: &[ScoreInput], thresholds: &[u32]) -> Option<Self> {
        if rows.is_empty() {
            return None;
        }
        let x = |percent: f64| {
            SCORE_LABEL_WIDTH
                + ((percent.clamp(0.0, 100.0) / 100.0) * f64::from(SCORE_PLOT_WIDTH)).round() as u32
        };
        let bars: Vec<ScoreBar> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let y = SCORE_TOP + i as u32 * SCORE_ROW + (SCORE_ROW - SCORE_BAR) / 2;
                let middle = y + SCORE_BAR / 2;
                match row.percent {
                    Some((percent, lower, upper)) => ScoreBar {
                        label: row.label.clone(),
                        y,
                        middle,
                        width: Some(x(percent) - SCORE_LABEL_WIDTH),
                        whisker: Some((x(lower), x(upper))),
                        value_x: x(upper.max(percent)) + 6,
                        value: format!("{percent:.0}% (n = {})", row.applicable),
                    },
                    None => ScoreBar {
                        label: row.label.clone(),
                        y,
                        middle,
                        width: None,
                        whisker: None,
                        value_x: SCORE_LABEL_WIDTH + 6,
                        value: "No cases apply".to_owned(),
                    },
                }
            })
            .collect();
        let bottom = SCORE_TOP + rows.len() as u32 * SCORE_ROW;
        Some(Self {
            id: id.to_owned(),
            width: SCORE_LABEL_WIDTH + SCORE_PLOT_WIDTH + 120,
            height: bottom + 24,
            thresholds: thresholds
                .iter()
                .map(|t| (x(f64::from(*t)), format!("{t}%")))
                .collect(),
            left: SCORE_LABEL_WIDTH,
            right: SCORE_LABEL_WIDTH + SCORE_PLOT_WIDTH,
            bottom,
            description: rows
                .iter()
                .map(|row| format!("{}: {}.", row.label, row.described))
                .collect::<Vec<_>>()
                .join(" "),
            bars,
        })
    }
}

/// One standard's line in a [`QuarterTrend`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrendLine {
    pub label: String,
    pub colour: &'static str,
    /// SVG dash pattern, so lines differ by more than colour ("" for solid).
    pub dash: &'static str,
    /// `x,y x,y …` runs of consecutive quarters with a score (a quarter without cases breaks
    /// the line).
    pub runs: Vec<String>,
    pub dots: Vec<(u32, u32, String)>,
}

/// A line chart of each case standard's lowest key-question score by quarter.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct QuarterTrend {
    pub id: String,
    pub width: u32,
    pub height: u32,
    pub lines: Vec<TrendLine>,
    /// Horizontal guides: (y, label).
    pub guides: Vec<(u32, String)>,
    /// Quarter labels: (x, label).
    pub quarters: Vec<(u32, String)>,
    pub left: u32,
    pub right: u32,
    pub description: String,
}

const TREND_COLOURS: [(&str, &str); 4] = [
    ("#1d70b8", ""),
    ("#d4351c", "8 4"),
    ("#00703c", "2 4"),
    ("#4c2c92", "12 4 2 4"),
];

impl QuarterTrend {
    /// Lays out `series` (label, one optional percent per quarter) over `quarters`; `None`
    /// without quarters or series.
    pub fn new(
        id: &str,
        quarters: &[String],
        series: &[(String, Vec<Option<f64>>)],
    ) -> Option<Self> {
        if quarters.is_empty() || series.is_empty() {
            return None;
        }
        let step = if quarters.len() > 1 {
            PLOT_WIDTH / (quarters.len() as u32 - 1)
        } else {
            0
        };
        let x = |i: usize| LEFT + step * i as u32;
        let y = |percent: f64| {
            TOP + PLOT_HEIGHT
                - ((percent.clamp(0.0, 100.0) / 100.0) * f64::from(PLOT_HEIGHT)) as u32
        };
        let lines = series
            .iter()
            .enumerate()
            .map(|(n, (label, values))| {
                let (colour, dash) = TREND_COLOURS[n % TREND_COLOURS.len()];
                let mut runs = Vec::new();
                let mut run: Vec<String> = Vec::new();
                let mut dots = Vec::new();
                for (i, value) in values.iter().enumerate() {
                    match value {
                        Some(percent) => {
                            run.push(format!("{},{}", x(i), y(*percent)));
                            dots.push((
                                x(i),
                                y(*percent),
                                format!("{label}, {}: {percent:.0}%", quarters[i]),
                            ));
                        }
                        None if !run.is_empty() => runs.push(std::mem::take(&mut run).join(" ")),
                        None => {}
                    }
                }
                if !run.is_empty() {
                    runs.push(run.join(" "));
                }
                TrendLine {
                    label: label.clone(),
                    colour,
                    dash,
                    runs,
                    dots,
                }
            })
            .collect::<Vec<_>>();
        let description = lines
            .iter()
            .map(|line| {
                if line.dots.is_empty() {
                    format!("{}: no audited cases.", line.label)
                } else {
                    let points: Vec<&str> = line.dots.iter().map(|d| d.2.as_str()).collect();
                    format!("{}.", points.join("; "))
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        Some(Self {
            id: id.to_owned(),
            // Room for the last quarter's label, centred on the right edge.
            width: LEFT + PLOT_WIDTH + 48,
            height: TOP + PLOT_HEIGHT + 32,
            guides: [0.0, 50.0, 65.0, 80.0, 100.0]
                .iter()
                .map(|p| (y(*p), format!("{p:.0}%")))
                .collect(),
            quarters: quarters
                .iter()
                .enumerate()
                .map(|(i, q)| (x(i), q.clone()))
                .collect(),
            left: LEFT,
            right: LEFT + PLOT_WIDTH,
            lines,
            description,
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

    #[test]
    fn score_bars_draw_the_interval_and_the_thresholds() {
        let chart = ScoreBars::new(
            "audit",
            &[
                ScoreInput {
                    label: "2.1.safe".into(),
                    yes: 5,
                    applicable: 10,
                    percent: Some((50.0, 23.7, 76.3)),
                    described: "5 of 10".into(),
                },
                ScoreInput {
                    label: "2.2.safe".into(),
                    yes: 0,
                    applicable: 0,
                    percent: None,
                    described: "no cases apply".into(),
                },
            ],
            &[50, 65, 80],
        )
        .unwrap();
        assert_eq!(chart.bars[0].width, Some(SCORE_PLOT_WIDTH / 2));
        let (from, to) = chart.bars[0].whisker.unwrap();
        assert!(
            from < SCORE_LABEL_WIDTH + SCORE_PLOT_WIDTH / 2
                && to > SCORE_LABEL_WIDTH + SCORE_PLOT_WIDTH / 2
        );
        assert_eq!(chart.bars[0].value, "50% (n = 10)");
        assert_eq!(chart.bars[1].width, None, "nothing to draw without cases");
        assert_eq!(
            chart.thresholds[0],
            (SCORE_LABEL_WIDTH + SCORE_PLOT_WIDTH / 2, "50%".into())
        );
        assert!(chart.description.contains("2.2.safe: no cases apply."));
    }

    #[test]
    fn a_quarter_without_cases_breaks_the_trend_line() {
        let quarters = vec!["Q1".to_owned(), "Q2".to_owned(), "Q3".to_owned()];
        let chart = QuarterTrend::new(
            "trend",
            &quarters,
            &[("2.1".to_owned(), vec![Some(40.0), None, Some(70.0)])],
        )
        .unwrap();
        assert_eq!(chart.lines[0].runs.len(), 2);
        assert_eq!(chart.lines[0].dots.len(), 2);
        assert!(chart.description.contains("2.1, Q3: 70%"));
    }
}
