//! The window of the drawing onto the plan: which part of the plan the editor shows (a
//! [`ViewBox`] in SVG units: 1 unit = 1 m, y = −north) and how it maps to the screen
//! ([`Mapping`]). Pure arithmetic: the canvas reads the drawing's box from the DOM and
//! hands it in, so this is tested natively.

use geo::Coord;

/// The visible window in SVG units: x, y (y = −north), width, height.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewBox {
    /// Left edge (east coordinate), m.
    pub x: f64,
    /// Top edge (minus the north coordinate), m.
    pub y: f64,
    /// Width, m.
    pub w: f64,
    /// Height, m.
    pub h: f64,
}

/// The drawing's content box on the screen, CSS px.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Screen {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

/// How a view box is drawn on a screen box with `preserveAspectRatio="xMidYMid meet"`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mapping {
    /// CSS px per metre.
    pub scale: f64,
    /// Screen x of the view box's left edge.
    pub ox: f64,
    /// Screen y of the view box's top edge.
    pub oy: f64,
    /// The view box mapped.
    pub view: ViewBox,
}

/// The smallest and largest widths a zoom leaves, m.
const MIN_W: f64 = 0.5;
const MAX_W: f64 = 5000.0;

impl ViewBox {
    /// A window on the rectangle `(min x, min y, max x, max y)` (plan coordinates) with a
    /// margin of 8 % of its larger side.
    pub fn fit(bounds: (f64, f64, f64, f64)) -> ViewBox {
        let (x0, y0, x1, y1) = bounds;
        let (w, h) = ((x1 - x0).max(1.0), (y1 - y0).max(1.0));
        let m = w.max(h) * 0.08;
        ViewBox {
            x: x0 - m,
            y: -y1 - m,
            w: w + 2.0 * m,
            h: h + 2.0 * m,
        }
    }

    /// The window scaled by `factor` (clamped to 0.2–5 per step) about plan point `p`, which
    /// stays where it is on the screen.
    pub fn zoom_at(&self, p: Coord<f64>, factor: f64) -> ViewBox {
        let factor = factor.clamp(0.2, 5.0);
        let w = (self.w * factor).clamp(MIN_W, MAX_W);
        let f = w / self.w;
        let (sx, sy) = (p.x, -p.y);
        ViewBox {
            x: sx - (sx - self.x) * f,
            y: sy - (sy - self.y) * f,
            w,
            h: self.h * f,
        }
    }

    /// The window scaled by `factor` about its centre.
    pub fn zoom(&self, factor: f64) -> ViewBox {
        self.zoom_at(self.centre(), factor)
    }

    /// The plan point at the centre of the window.
    pub fn centre(&self) -> Coord<f64> {
        Coord {
            x: self.x + self.w / 2.0,
            y: -(self.y + self.h / 2.0),
        }
    }

    /// The window moved so that the plan follows the pointer by `(dx, dy)` screen px at
    /// `scale` px per metre (a drag to the right shows what lies west).
    pub fn panned(&self, dx: f64, dy: f64, scale: f64) -> ViewBox {
        let s = scale.max(1e-9);
        ViewBox {
            x: self.x - dx / s,
            y: self.y - dy / s,
            ..*self
        }
    }

    /// The window moved by a fraction of its size: `(1, 0)` shows the next window east,
    /// `(0, 1)` the next one north. For the pan buttons and keys.
    pub fn stepped(&self, east: f64, north: f64) -> ViewBox {
        ViewBox {
            x: self.x + east * self.w,
            y: self.y - north * self.h,
            ..*self
        }
    }

    /// How this window is drawn on `screen`.
    pub fn mapping(&self, screen: Screen) -> Mapping {
        let scale = (screen.width / self.w)
            .min(screen.height / self.h)
            .max(1e-9);
        Mapping {
            scale,
            ox: screen.left + (screen.width - self.w * scale) / 2.0,
            oy: screen.top + (screen.height - self.h * scale) / 2.0,
            view: *self,
        }
    }

    /// The `viewBox` attribute.
    pub fn attr(&self) -> String {
        format!("{:.3} {:.3} {:.3} {:.3}", self.x, self.y, self.w, self.h)
    }
}

impl Mapping {
    /// The plan point (x east, y north) under screen point `(cx, cy)`.
    pub fn to_world(self, cx: f64, cy: f64) -> Coord<f64> {
        Coord {
            x: self.view.x + (cx - self.ox) / self.scale,
            y: -(self.view.y + (cy - self.oy) / self.scale),
        }
    }

    /// The screen point of plan point `p`.
    #[cfg(test)]
    pub fn to_screen(self, p: Coord<f64>) -> (f64, f64) {
        (
            self.ox + (p.x - self.view.x) * self.scale,
            self.oy + (-p.y - self.view.y) * self.scale,
        )
    }

    /// Metres per CSS px.
    pub fn m_per_px(self) -> f64 {
        1.0 / self.scale
    }

    /// A mapping for a view not laid out yet: as if the window were 600 px across.
    pub fn unlaid(view: ViewBox) -> Mapping {
        Mapping {
            scale: 600.0 / view.w.min(view.h).max(1e-9),
            ox: 0.0,
            oy: 0.0,
            view,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn fit_frames_the_plot_with_a_margin_north_up() {
        let v = ViewBox::fit((0.0, 0.0, 20.0, 10.0));
        assert!(close(v.x, -1.6) && close(v.w, 23.2));
        // y is −north: the top edge is above the plot's north side.
        assert!(close(v.y, -11.6) && close(v.h, 13.2));
    }

    #[test]
    fn screen_and_plan_points_round_trip_and_north_is_up() {
        let v = ViewBox::fit((0.0, 0.0, 20.0, 10.0));
        let m = v.mapping(Screen {
            left: 10.0,
            top: 20.0,
            width: 464.0,
            height: 400.0,
        });
        // Meet: the width decides (464 / 23.2 = 20 px/m), centred vertically.
        assert!(close(m.scale, 20.0));
        let p = Coord { x: 3.0, y: 7.0 };
        let (sx, sy) = m.to_screen(p);
        let back = m.to_world(sx, sy);
        assert!(close(back.x, 3.0) && close(back.y, 7.0));
        let north = m.to_screen(Coord { x: 3.0, y: 8.0 });
        assert!(
            north.1 < sy,
            "a point further north is higher on the screen"
        );
    }

    #[test]
    fn zoom_keeps_the_point_under_the_pointer() {
        let v = ViewBox::fit((0.0, 0.0, 20.0, 10.0));
        let screen = Screen {
            left: 0.0,
            top: 0.0,
            width: 800.0,
            height: 600.0,
        };
        let p = Coord { x: 15.0, y: 2.0 };
        let before = v.mapping(screen).to_screen(p);
        let z = v.zoom_at(p, 0.5);
        assert!(close(z.w, v.w * 0.5));
        let after = z.mapping(screen).to_screen(p);
        assert!((before.0 - after.0).abs() < 1e-6 && (before.1 - after.1).abs() < 1e-6);
        // Bounded: a zoom never makes the window narrower than half a metre.
        let tiny = (0..50).fold(v, |v, _| v.zoom(0.2));
        assert!(tiny.w >= MIN_W - 1e-12);
    }

    #[test]
    fn panning_follows_the_pointer_and_steps_move_a_window() {
        let v = ViewBox::fit((0.0, 0.0, 20.0, 10.0));
        let p = v.panned(40.0, -20.0, 20.0);
        assert!(close(p.x, v.x - 2.0) && close(p.y, v.y + 1.0) && close(p.w, v.w));
        let e = v.stepped(0.25, 0.0);
        assert!(close(e.centre().x - v.centre().x, v.w * 0.25));
        let n = v.stepped(0.0, 0.25);
        assert!(close(n.centre().y - v.centre().y, v.h * 0.25));
    }
}
