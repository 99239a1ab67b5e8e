//! Bar charts drawn on the server as SVG (no script, no library, no CDN): one row per
//! group, one bar per series, the value written after each bar. The chart is an image
//! (`role="img"` with its `<title>`); the data table the page shows beside it is its
//! text alternative. Pure.

use std::fmt::Write as _;

/// One series of bars: its name (in the legend), colour and, per row, the value and the
/// text written after the bar (None: no bar).
pub struct Series {
    pub name: String,
    /// A colour with at least 3:1 contrast on white (WCAG 2.1 1.4.11).
    pub colour: &'static str,
    pub values: Vec<Option<(f64, String)>>,
}

/// A horizontal bar chart.
pub struct BarChart {
    /// Unique on the page: the title's id is `{id}-title`.
    pub id: String,
    pub title: String,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
}

const WIDTH: f64 = 480.0;
const LABEL_WIDTH: f64 = 150.0;
const BAR_SPACE: f64 = 250.0;
const BAR: f64 = 12.0;
const LEGEND: f64 = 24.0;

/// Text safe inside SVG (XML) text and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A label cut to `max` characters with an ellipsis (the table beside has it whole).
fn cut(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

impl BarChart {
    /// The chart's height for its rows.
    fn row_height(&self) -> f64 {
        self.series.len().max(1) as f64 * (BAR + 2.0) + 8.0
    }

    /// The SVG element.
    pub fn svg(&self) -> String {
        let row = self.row_height();
        let height = LEGEND + row * self.labels.len() as f64 + 4.0;
        let max = self
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten().map(|(v, _)| *v))
            .fold(0.0_f64, f64::max);
        let scale = if max > 0.0 { BAR_SPACE / max } else { 0.0 };
        let id = escape(&self.id);
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
             role=\"img\" aria-labelledby=\"{id}-title\" focusable=\"false\">\
             <title id=\"{id}-title\">{}</title>",
            escape(&self.title)
        );
        // The legend.
        let mut x = LABEL_WIDTH;
        for s in &self.series {
            let _ = write!(
                out,
                "<rect x=\"{x}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{}\"></rect>\
                 <text x=\"{}\" y=\"16\" font-size=\"11\" fill=\"currentColor\">{}</text>",
                s.colour,
                x + 16.0,
                escape(&s.name)
            );
            x += 16.0 + 7.0 * s.name.chars().count() as f64 + 16.0;
        }
        for (i, label) in self.labels.iter().enumerate() {
            let top = LEGEND + row * i as f64;
            let _ = write!(
                out,
                "<text x=\"0\" y=\"{:.1}\" font-size=\"11\" fill=\"currentColor\">{}</text>",
                top + row / 2.0 + 4.0,
                escape(&cut(label, 24))
            );
            for (k, s) in self.series.iter().enumerate() {
                let Some(Some((value, text))) = s.values.get(i) else {
                    continue;
                };
                let y = top + 4.0 + (BAR + 2.0) * k as f64;
                let w = (value * scale).max(0.0);
                let _ = write!(
                    out,
                    "<rect x=\"{LABEL_WIDTH}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{BAR}\" \
                     fill=\"{}\"></rect><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" \
                     fill=\"currentColor\">{}</text>",
                    s.colour,
                    LABEL_WIDTH + w + 4.0,
                    y + BAR - 2.0,
                    escape(text)
                );
            }
        }
        out.push_str("</svg>");
        out
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn chart() -> BarChart {
        BarChart {
            id: "sp-chart-desk".into(),
            title: "Mediana oczekiwania <i>& obsługi</i>".into(),
            labels: vec!["Stanowisko 1".into(), "Stanowisko \"2\"".into()],
            series: vec![
                Series {
                    name: "oczekiwanie".into(),
                    colour: "#1d5e9c",
                    values: vec![
                        Some((10.0, "10,0 min".into())),
                        Some((5.0, "5,0 min".into())),
                    ],
                },
                Series {
                    name: "obsługa".into(),
                    colour: "#a34700",
                    values: vec![Some((2.5, "2,5 min".into())), None],
                },
            ],
        }
    }

    #[test]
    fn an_image_with_its_title_and_escaped_text() {
        let svg = chart().svg();
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"sp-chart-desk-title\""));
        assert!(svg.contains(
            "<title id=\"sp-chart-desk-title\">Mediana oczekiwania &lt;i&gt;&amp; obsługi&lt;/i&gt;</title>"
        ));
        assert!(svg.contains("Stanowisko &quot;2&quot;"));
        assert!(!svg.contains("<i>"));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn bars_are_proportional_to_the_largest_value() {
        let svg = chart().svg();
        // (value, expected width): the largest fills the bar space.
        for (text, width) in [("10,0 min", 250.0), ("5,0 min", 125.0), ("2,5 min", 62.5)] {
            assert!(
                svg.contains(&format!("width=\"{width:.1}\"")),
                "{text}: {svg}"
            );
            assert!(svg.contains(text));
        }
        // Three bars, two legend squares.
        assert_eq!(svg.matches("<rect").count(), 5);
    }

    #[test]
    fn nothing_to_draw_draws_no_bars() {
        let empty = BarChart {
            series: vec![Series {
                name: "x".into(),
                colour: "#1d5e9c",
                values: vec![Some((0.0, "0".into()))],
            }],
            labels: vec!["a".into()],
            ..chart()
        };
        assert!(empty.svg().contains("width=\"0.0\""));
        assert_eq!(
            cut("Dowody osobiste i meldunki — bardzo długa nazwa", 10),
            "Dowody os…"
        );
    }
}
