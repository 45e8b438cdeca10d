//! Charts drawn as server-rendered SVG (no script, so the content security policy stays strict),
//! each with a text alternative and the same figures in a table or list beside it.

use crate::format;
use chrono::NaiveDate;

/// A line chart of a weekly capacity % over a fixed run of weeks (12 on the workload pages),
/// laid out in SVG units, with the 100% and 110% lines drawn so "over capacity" and "the
/// excessive-workload threshold" can be seen at a glance. Every week has its place and label,
/// recorded or not: a week without a figure breaks the line and says so in the description, so
/// "the last 12 weeks" always shows 12. A team's chart also plots each practitioner's figure for
/// the week, so the average does not hide who is over capacity.
pub struct WeeklyTrend {
    pub width: u32,
    pub height: u32,
    /// `x,y x,y …` runs of consecutive weeks with a figure, one polyline each.
    pub runs: Vec<String>,
    /// Each week's dot on the line: (x, y, label).
    pub dots: Vec<(u32, u32, String)>,
    /// Each practitioner's figure for a week: (x, y, "Sam Jones, week of 12 Oct 2026: 104%").
    pub individuals: Vec<(u32, u32, String)>,
    /// Horizontal reference lines: (y, label).
    pub guides: Vec<(u32, String)>,
    /// Week labels along the bottom: (x, label), one a week.
    pub weeks: Vec<(u32, String)>,
    /// "Week of 12 Oct 2026: 76%. …", for the text alternative.
    pub description: String,
    /// The x of the plot's right edge, where the guides end.
    pub right: u32,
}

const LEFT: u32 = 56;
const TOP: u32 = 12;
const PLOT_WIDTH: u32 = 520;
const PLOT_HEIGHT: u32 = 180;

/// The `count` weeks ending with the week starting `last`, oldest first.
pub fn weeks_ending(last: NaiveDate, count: u32) -> Vec<NaiveDate> {
    (0..count)
        .rev()
        .map(|back| last - chrono::Days::new(7 * u64::from(back)))
        .collect()
}

impl WeeklyTrend {
    /// Lays out `weeks` (week start, capacity % if recorded), oldest first, and each
    /// practitioner's figures (week start, name, capacity %); `None` when no week has a figure.
    pub fn new(
        weeks: &[(NaiveDate, Option<f64>)],
        individuals: &[(NaiveDate, String, f64)],
    ) -> Option<Self> {
        if weeks.iter().all(|(_, p)| p.is_none()) {
            return None;
        }
        let highest = weeks
            .iter()
            .filter_map(|(_, p)| *p)
            .chain(individuals.iter().map(|(_, _, p)| *p))
            .fold(120.0_f64, f64::max);
        let top = (highest / 20.0).ceil() * 20.0;
        let y =
            |percent: f64| TOP + PLOT_HEIGHT - ((percent / top) * f64::from(PLOT_HEIGHT)) as u32;
        let step = if weeks.len() > 1 {
            PLOT_WIDTH / (weeks.len() as u32 - 1)
        } else {
            0
        };
        let x = |index: usize| LEFT + step * index as u32;
        let label = |week: NaiveDate| format!("Week of {}", format::short_date(week));
        let mut runs = Vec::new();
        let mut run: Vec<String> = Vec::new();
        let mut dots = Vec::new();
        for (i, (week, percent)) in weeks.iter().enumerate() {
            match percent {
                Some(percent) => {
                    run.push(format!("{},{}", x(i), y(*percent)));
                    dots.push((
                        x(i),
                        y(*percent),
                        format!("{}: {percent:.0}%", label(*week)),
                    ));
                }
                None if !run.is_empty() => runs.push(std::mem::take(&mut run).join(" ")),
                None => {}
            }
        }
        if !run.is_empty() {
            runs.push(run.join(" "));
        }
        let individuals: Vec<(u32, u32, String)> = individuals
            .iter()
            .filter_map(|(week, name, percent)| {
                let i = weeks.iter().position(|(w, _)| w == week)?;
                Some((
                    x(i),
                    y(*percent),
                    format!(
                        "{name}, week of {}: {percent:.0}%",
                        format::short_date(*week)
                    ),
                ))
            })
            .collect();
        let description = weeks
            .iter()
            .map(|(week, percent)| match percent {
                Some(p) => format!("{}: {p:.0}%.", label(*week)),
                None => format!("{}: no figure recorded.", label(*week)),
            })
            .collect::<Vec<_>>()
            .join(" ");
        Some(Self {
            width: LEFT + PLOT_WIDTH + 24,
            height: TOP + PLOT_HEIGHT + 32,
            runs,
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
            individuals,
            description,
            right: LEFT + PLOT_WIDTH,
        })
    }
}

/// A histogram of whole numbers (working days to answer), one bar per value up to a last bar for
/// "that many or more", with the median and the 90th percentile marked: the shape of a
/// distribution, which a list of numbers hides.
pub struct Histogram {
    pub width: u32,
    pub height: u32,
    /// (x, y, width, height, count, label) per bar.
    pub bars: Vec<(u32, u32, u32, u32, usize, String)>,
    /// Bar labels along the bottom: (x of the bar's middle, label).
    pub labels: Vec<(u32, String)>,
    /// Vertical markers: (x, label, dash pattern, y of the label), for the median and the 90th
    /// percentile; their labels sit one above the other so they never overlap.
    pub markers: Vec<(u32, String, &'static str, u32)>,
    /// The y of the baseline and of the top of the plot.
    pub baseline: u32,
    pub top: u32,
    /// The counts as a table: (range, count).
    pub rows: Vec<(String, usize)>,
    /// "0 working days: 2 answers. …", for the text alternative.
    pub description: String,
}

const HISTOGRAM_LEFT: u32 = 40;
const HISTOGRAM_TOP: u32 = 36;
const HISTOGRAM_PLOT: u32 = 160;
const HISTOGRAM_WIDTH: u32 = 560;

impl Histogram {
    /// Lays out `values` in bars of one for 0 to `last - 1` and one bar for `last` or more, with
    /// the `median` and `p90` marked; `None` without values.
    pub fn new(values: &[u32], last: u32, median: Option<u32>, p90: Option<u32>) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        let buckets = last as usize + 1;
        let mut counts = vec![0usize; buckets];
        for value in values {
            counts[(*value).min(last) as usize] += 1;
        }
        let most = counts.iter().copied().max().unwrap_or(1).max(1);
        let slot = HISTOGRAM_WIDTH / buckets as u32;
        let bar_width = slot.saturating_sub(4).max(2);
        let baseline = HISTOGRAM_TOP + HISTOGRAM_PLOT;
        let name = |i: usize| {
            if i == buckets - 1 {
                format!("{i}+")
            } else {
                i.to_string()
            }
        };
        let words = |i: usize| {
            let days = if i == 1 { "day" } else { "days" };
            if i == buckets - 1 {
                format!("{i} working days or more")
            } else {
                format!("{i} working {days}")
            }
        };
        let bars = counts
            .iter()
            .enumerate()
            .map(|(i, count)| {
                let height = (*count as u32 * HISTOGRAM_PLOT) / most as u32;
                (
                    HISTOGRAM_LEFT + slot * i as u32 + 2,
                    baseline - height,
                    bar_width,
                    height,
                    *count,
                    format!(
                        "{}: {count} answer{}",
                        words(i),
                        if *count == 1 { "" } else { "s" }
                    ),
                )
            })
            .collect::<Vec<_>>();
        let middle = |value: u32| HISTOGRAM_LEFT + slot * value.min(last) + slot / 2;
        let mut markers = Vec::new();
        if let Some(m) = median {
            markers.push((middle(m), format!("Median {m}"), "", HISTOGRAM_TOP - 16));
        }
        if let Some(p) = p90 {
            markers.push((
                middle(p),
                format!("90th percentile {p}"),
                "6 4",
                HISTOGRAM_TOP - 2,
            ));
        }
        let every = if buckets > 16 { 2 } else { 1 };
        Some(Self {
            width: HISTOGRAM_LEFT + HISTOGRAM_WIDTH + 20,
            height: baseline + 40,
            labels: (0..buckets)
                .filter(|i| i % every == 0 || *i == buckets - 1)
                .map(|i| (middle(i as u32), name(i)))
                .collect(),
            description: bars
                .iter()
                .filter(|b| b.4 > 0)
                .map(|b| format!("{}.", b.5))
                .chain(median.map(|m| format!("Median: {m} working days.")))
                .chain(p90.map(|p| format!("90th percentile: {p} working days.")))
                .collect::<Vec<_>>()
                .join(" "),
            rows: counts
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .map(|(i, c)| (words(i), *c))
                .collect(),
            bars,
            markers,
            baseline,
            top: HISTOGRAM_TOP,
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
                        value: if row.applicable < crate::format::SMALL_SAMPLE {
                            format!("{percent:.0}% (n = {}, small sample)", row.applicable)
                        } else {
                            format!("{percent:.0}% (n = {})", row.applicable)
                        },
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
        let chart =
            WeeklyTrend::new(&[(week(2), Some(90.0)), (week(9), Some(120.0))], &[]).unwrap();
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
        assert!(WeeklyTrend::new(&[], &[]).is_none());
        assert!(WeeklyTrend::new(&[(week(2), None)], &[]).is_none());
    }

    #[test]
    fn twelve_weeks_have_twelve_places_and_labels_even_with_weeks_unrecorded() {
        let weeks = weeks_ending(week(30), 12);
        assert_eq!(weeks.len(), 12);
        assert_eq!(weeks[11], week(30));
        assert_eq!(weeks[0], week(30) - chrono::Days::new(77));
        let figures: Vec<(NaiveDate, Option<f64>)> = weeks
            .iter()
            .enumerate()
            .map(|(i, w)| (*w, (i != 4).then_some(80.0 + i as f64)))
            .collect();
        let chart = WeeklyTrend::new(&figures, &[(week(30), "Sam Jones".into(), 130.0)]).unwrap();
        assert_eq!(chart.weeks.len(), 12);
        assert_eq!(chart.dots.len(), 11);
        assert_eq!(chart.runs.len(), 2, "the unrecorded week breaks the line");
        assert!(chart.description.contains("no figure recorded"));
        assert_eq!(chart.individuals.len(), 1);
        assert!(chart.individuals[0].2.starts_with("Sam Jones, week of"));
        assert_eq!(
            chart.individuals[0].0, chart.dots[10].0,
            "plotted on its week"
        );
    }

    #[test]
    fn a_histogram_counts_each_value_and_marks_the_median_and_90th_percentile() {
        let chart = Histogram::new(&[0, 2, 2, 3, 25], 20, Some(2), Some(25)).unwrap();
        assert_eq!(chart.bars.len(), 21);
        assert_eq!(chart.bars[2].4, 2);
        assert_eq!(chart.bars[20].4, 1, "25 falls in the last bar, 20 or more");
        assert_eq!(chart.rows[0], ("0 working days".to_owned(), 1));
        assert_eq!(chart.rows.last().unwrap().0, "20 working days or more");
        assert_eq!(chart.markers.len(), 2);
        assert!(chart.description.contains("Median: 2 working days."));
        assert!(Histogram::new(&[], 20, None, None).is_none());
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
        let small = ScoreBars::new(
            "audit",
            &[ScoreInput {
                label: "2.1.safe".into(),
                yes: 3,
                applicable: 9,
                percent: Some((33.3, 12.1, 64.6)),
                described: "3 of 9".into(),
            }],
            &[50],
        )
        .unwrap();
        assert_eq!(small.bars[0].value, "33% (n = 9, small sample)");
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
