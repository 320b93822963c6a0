//! The colours of zone kinds: one palette for every drawing of a layout, on screen (the
//! editor, the comparison, the consultation pages) and on paper (the SVG and PDF boards), so
//! a printed board shows the colours the residents saw.

use crate::model::ZoneKind;

/// How a zone kind is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneColours {
    /// The fill, as a CSS/SVG colour (`#rrggbb`).
    pub fill: &'static str,
    /// The outline, a darker shade of the fill.
    pub stroke: &'static str,
}

/// The colours of zone kind `kind`.
///
/// # Examples
///
/// ```
/// use plotwise_plan::ZoneKind;
/// use plotwise_plan::palette::zone_colours;
///
/// assert_eq!(zone_colours(ZoneKind::Lawn).fill, "#c7e9a4");
/// ```
pub fn zone_colours(kind: ZoneKind) -> ZoneColours {
    let (fill, stroke) = match kind {
        ZoneKind::Fitness => ("#f4a259", "#b8692a"),
        ZoneKind::Seating => ("#e9c46a", "#a88a2c"),
        ZoneKind::Planting => ("#8cc084", "#4c7f45"),
        ZoneKind::Lawn => ("#c7e9a4", "#6a9a3e"),
        ZoneKind::AccessiblePath => ("#9ecae1", "#3b7fb0"),
        ZoneKind::Path => ("#ddd5c7", "#8f8676"),
        ZoneKind::Play => ("#f5a3a1", "#b04a48"),
        ZoneKind::Plaza => ("#e3e3e3", "#8a8a8a"),
        ZoneKind::Shade => ("#c3b1e1", "#6f52a0"),
        ZoneKind::Drying => ("#c9e4de", "#5e9c8f"),
        ZoneKind::Parking => ("#b8bec4", "#5c636a"),
    };
    ZoneColours { fill, stroke }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_fill_and_a_darker_outline() {
        let luminance = |hex: &str| {
            let v = u32::from_str_radix(&hex[1..], 16).unwrap_or(0);
            let c = [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
            c.iter().map(|&x| f64::from(x)).sum::<f64>()
        };
        let mut fills = std::collections::HashSet::new();
        for k in ZoneKind::ALL {
            let c = zone_colours(k);
            assert!(fills.insert(c.fill), "{k:?} shares its fill");
            for s in [c.fill, c.stroke] {
                assert!(s.len() == 7 && s.starts_with('#'), "{k:?}: {s}");
            }
            assert!(
                luminance(c.stroke) < luminance(c.fill),
                "{k:?}: the outline is darker"
            );
        }
    }
}
