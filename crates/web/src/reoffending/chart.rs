//! The area's chart: one horizontal bar a group (a cohort or a predictor's band) for the observed
//! rate, a whisker for its 95% interval and a diamond for the forecast, on a 0–100% axis with the
//! reference rate drawn as a dashed line — so "is this group worse than forecast, and can we be
//! sure?" can be seen at a glance. Server-rendered SVG (no script); the template gives it a text
//! alternative, and the table beside it has the same figures.

use keepsafe_domain::reoffending::Proportion;

const LEFT: u32 = 190;
const PLOT_WIDTH: u32 = 380;
const ROW_HEIGHT: u32 = 36;
const TOP: u32 = 8;
const AXIS_SPACE: u32 = 28;

/// One group to draw.
pub struct Group {
    pub label: String,
    pub proportion: Proportion,
    /// The forecast, in percent.
    pub forecast: Option<f64>,
}

/// One row as drawn.
pub struct Row {
    pub label: String,
    /// The top of the row.
    pub y: u32,
    pub bar_width: u32,
    pub whisker: Option<(u32, u32)>,
    pub forecast_x: Option<u32>,
    pub value: String,
}

/// The chart, laid out in SVG units.
pub struct IntervalChart {
    pub width: u32,
    pub height: u32,
    pub left: u32,
    pub right: u32,
    pub rows: Vec<Row>,
    /// The x of each tick on the axis, with its label.
    pub ticks: Vec<(u32, String)>,
    pub axis_y: u32,
    /// The reference line's x and what it is.
    pub reference: Option<(u32, String)>,
    /// The figures in words, for the text alternative.
    pub description: String,
}

fn x_of(percent: f64) -> u32 {
    let clamped = percent.clamp(0.0, 100.0);
    LEFT + (clamped / 100.0 * f64::from(PLOT_WIDTH)).round() as u32
}

/// "45%" from a share.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// Lays out the groups, with the reference rate (percent, and its words) if there is one.
pub fn interval_chart(groups: &[Group], reference: Option<(u32, String)>) -> IntervalChart {
    let mut description = Vec::new();
    let rows: Vec<Row> = groups
        .iter()
        .zip(0u32..)
        .map(|(group, index)| {
            let rate = group.proportion.rate();
            let interval = group.proportion.interval();
            let value = match (rate, interval) {
                (Some(rate), Some((low, high))) => {
                    description.push(format!(
                        "{}: {} of {} ({}, 95% interval {} to {}){}",
                        group.label,
                        group.proportion.count,
                        group.proportion.of,
                        percent(rate),
                        percent(low),
                        percent(high),
                        group
                            .forecast
                            .map(|f| format!(", forecast {f:.0}%"))
                            .unwrap_or_default()
                    ));
                    percent(rate)
                }
                _ => {
                    description.push(format!("{}: no outcomes known yet", group.label));
                    "None known".to_owned()
                }
            };
            Row {
                label: group.label.clone(),
                y: TOP + index * ROW_HEIGHT,
                bar_width: rate.map_or(0, |rate| x_of(rate * 100.0) - LEFT),
                whisker: interval.map(|(low, high)| (x_of(low * 100.0), x_of(high * 100.0))),
                forecast_x: group.forecast.map(x_of),
                value,
            }
        })
        .collect();
    let plot_bottom = TOP + ROW_HEIGHT * u32::try_from(rows.len()).unwrap_or(0);
    if let Some((rate, words)) = &reference {
        description.push(format!("The dashed line is {rate}%: {words}"));
    }
    IntervalChart {
        width: LEFT + PLOT_WIDTH + 40,
        height: plot_bottom + AXIS_SPACE,
        left: LEFT,
        right: LEFT + PLOT_WIDTH,
        ticks: [0, 25, 50, 75, 100]
            .into_iter()
            .map(|tick| (x_of(f64::from(tick)), format!("{tick}%")))
            .collect(),
        axis_y: plot_bottom,
        reference: reference.map(|(rate, words)| (x_of(f64::from(rate)), words)),
        description: description.join(". "),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_reaches_its_rate_and_its_whisker_spans_the_interval() {
        let chart = interval_chart(
            &[Group {
                label: "2024".into(),
                proportion: Proportion { count: 45, of: 100 },
                forecast: Some(50.0),
            }],
            Some((45, "one provider, 2019".into())),
        );
        let row = &chart.rows[0];
        assert_eq!(row.bar_width, 171); // 45% of 380
        let (low, high) = row.whisker.unwrap();
        assert!(low < LEFT + 171 && high > LEFT + 171);
        assert_eq!(row.forecast_x, Some(LEFT + 190));
        assert!(chart
            .description
            .contains("2024: 45 of 100 (45%, 95% interval 36% to 55%), forecast 50%"));
    }

    #[test]
    fn a_group_with_no_outcomes_is_drawn_empty_and_said_so() {
        let chart = interval_chart(
            &[Group {
                label: "2026".into(),
                proportion: Proportion::default(),
                forecast: None,
            }],
            None,
        );
        assert_eq!(chart.rows[0].bar_width, 0);
        assert!(chart.rows[0].whisker.is_none());
        assert_eq!(chart.description, "2026: no outcomes known yet");
    }
}
