//! Polygon validation in O(n log n): the same answers as geo's [`Validation`], found with a
//! sweep line instead of comparing every segment with every other one.
//!
//! geo's `check_validation` tests every pair of segments of a ring for a self-intersection,
//! which is quadratic: a 20,000-vertex curved wall from CAD takes seconds, 200,000 vertices
//! minutes. [`check_validation`] returns exactly what geo returns (the same first error, so the
//! same message), in three steps:
//!
//! 1. **Each ring on its own.** Too few points as geo counts them; then a self-intersection as
//!    geo defines it (two segments that meet, unless one ends where the other starts). For a
//!    ring of n ≥ 4 vertices with no repeated consecutive point this is: a vertex visited twice,
//!    or two segments that are not neighbours along the ring and touch (neighbours that overlap
//!    imply such a pair). The second is decided by a Shamos–Hoey sweep (the status is a treap
//!    of the segments the sweep line crosses; only segments that become neighbours in it are
//!    compared), with exact orientation predicates (geo's robust kernel).
//! 2. **The rings against each other.** One more sweep over every ring of every polygon whose
//!    rings are simple either finds that two rings touch or cross somewhere, or proves that no
//!    two rings meet and gives, for every ring, the innermost ring around it. When no rings
//!    meet, containment is all geo's `relate` could say: a hole is in its exterior when that
//!    exterior is around it, two holes overlap when one is around the other, two polygons
//!    overlap when one's exterior is inside the other and not in one of its holes. Valid input
//!    (each hole's innermost ring is its own exterior, each exterior's innermost ring is a hole
//!    or none) is accepted without looking at any pair.
//! 3. **Anything else** (rings that touch, invalid polygons whose neighbours must still be
//!    compared as geo compares them, degenerate triangles, empty rings) is decided by geo's
//!    `relate`, as geo does, but only for pairs whose bounding boxes meet (geo's `relate`
//!    answers "disjoint" for all others without looking further) and with each geometry
//!    prepared once.
//!
//! Rings with a non-finite coordinate or a repeated consecutive point, or not closed, are left
//! to geo's own (quadratic) check: [`crate::Outline::new`] never passes such rings.
//!
//! Like geo's, this check calls geo's `relate` on degenerate rings (a one-point exterior with
//! holes, a triangle whose points lie on a line), where geo's debug assertions can panic in a
//! debug build; [`crate::Outline::new`] refuses such rings before validating.

use std::cmp::Ordering;

use geo::algorithm::validation::{GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{
    BoundingRect, Coord, GeoNum, Intersects, Kernel, Line, LineString, MultiPolygon, Orientation,
    Polygon, PreparedGeometry, Rect, Relate, Validation,
};

/// Validates a multipolygon: `Ok` exactly when geo's [`Validation::check_validation`] is
/// `Ok`, otherwise the same first error.
///
/// O(n log n) in the number of vertices for rings without repeated consecutive points (see the
/// module docs for what falls back to geo's pairwise checks).
///
/// # Examples
/// ```
/// use geo::{wkt, MultiPolygon, Validation};
/// use plotwise_plan::geom::check_validation;
/// let bowtie: MultiPolygon = MultiPolygon::new(vec![wkt! { POLYGON((0. 0.,4. 3.,4. 0.,0. 3.,0. 0.)) }]);
/// assert_eq!(check_validation(&bowtie), bowtie.check_validation());
/// assert!(check_validation(&bowtie).unwrap_err().to_string().contains("self-intersection"));
/// ```
pub fn check_validation(mp: &MultiPolygon<f64>) -> Result<(), InvalidMultiPolygon> {
    match check_validation_within(mp, usize::MAX) {
        Ok(answer) => answer,
        Err(TooManyComparisons { .. }) => unreachable!("no budget was set"),
    }
}

/// The comparisons of polygons (or of holes of one polygon) whose bounding boxes meet that
/// [`check_validation_within`] would have needed beyond its budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyComparisons {
    /// The budget that was spent.
    pub budget: usize,
}

/// [`check_validation`] with a bound on the pairs of polygons, and of holes within one
/// polygon, compared one by one: `Err` when the answer would take more than `budget` such
/// comparisons. Valid outlines whose rings do not touch need none (the sweep certifies them);
/// rings that touch are compared pair by pair where their bounding boxes meet, which is
/// quadratic when many meet at once (a thousand thin triangles around one point: half a
/// million comparisons, seconds; twenty thousand: minutes). The budget turns that into an
/// answer.
pub fn check_validation_within(
    mp: &MultiPolygon<f64>,
    budget: usize,
) -> Result<Result<(), InvalidMultiPolygon>, TooManyComparisons> {
    let all_rings_fit = mp.0.iter().all(|p| {
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .all(fits_sweep)
    });
    if !all_rings_fit {
        // geo's own check: only for rings `Outline::new` never passes (see the module docs).
        return Ok(mp.check_validation());
    }
    match Validator::new(mp, budget).run() {
        Ok(()) => Ok(Ok(())),
        Err(Stop::Invalid(e)) => Ok(Err(e)),
        Err(Stop::Budget) => Err(TooManyComparisons { budget }),
    }
}

/// Why a validation stopped.
enum Stop {
    /// The first error, as geo gives it.
    Invalid(InvalidMultiPolygon),
    /// The comparison budget is spent.
    Budget,
}

/// Whether a ring can be checked by the sweep: empty, or closed with finite coordinates and no
/// repeated consecutive point.
fn fits_sweep(ring: &LineString<f64>) -> bool {
    let c = &ring.0;
    c.is_empty()
        || (c.first() == c.last()
            && c.iter().all(|p| p.x.is_finite() && p.y.is_finite())
            && c.windows(2).all(|w| w[0] != w[1]))
}

// ---------------------------------------------------------------------------------------------
// Points and predicates.

/// `-0.0` becomes `0.0`, so that equal coordinates sort together.
fn canonical(c: Coord<f64>) -> Coord<f64> {
    Coord {
        x: c.x + 0.0,
        y: c.y + 0.0,
    }
}

/// Lexicographic order (x, then y) of canonical finite coordinates.
fn lex(a: Coord<f64>, b: Coord<f64>) -> Ordering {
    a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y))
}

fn orient(p: Coord<f64>, q: Coord<f64>, r: Coord<f64>) -> Orientation {
    <f64 as GeoNum>::Ker::orient2d(p, q, r)
}

/// For collinear `u`, `v`, `w` (both different from `v`): whether `u` and `w` lie on the same
/// side of `v`.
fn same_side(u: Coord<f64>, v: Coord<f64>, w: Coord<f64>) -> bool {
    if u.x != v.x {
        (u.x > v.x) == (w.x > v.x)
    } else {
        (u.y > v.y) == (w.y > v.y)
    }
}

/// A segment of a ring, in ring order (`start` → `end`), with its ring and position.
#[derive(Debug, Clone, Copy)]
struct Seg {
    start: Coord<f64>,
    end: Coord<f64>,
    ring: u32,
    /// Position in the ring (segment k runs from vertex k to vertex k + 1).
    k: u32,
    /// Number of segments (= vertices) of the ring.
    m: u32,
}

impl Seg {
    /// Whether the ring runs left to right along this segment (start before end).
    fn forward(&self) -> bool {
        lex(self.start, self.end) == Ordering::Less
    }
    fn left(&self) -> Coord<f64> {
        if self.forward() { self.start } else { self.end }
    }
    fn right(&self) -> Coord<f64> {
        if self.forward() { self.end } else { self.start }
    }
}

/// Whether two segments meet in a way that makes the rings invalid: for segments of one ring
/// that follow each other, overlapping beyond their shared vertex; for any other pair,
/// touching at all (closed segments, geo's exact `Line::intersects`).
fn bad_pair(s: &Seg, t: &Seg) -> bool {
    if s.ring == t.ring && s.m >= 3 {
        if (s.k + 1) % s.m == t.k {
            return orient(s.start, s.end, t.end) == Orientation::Collinear
                && same_side(s.start, s.end, t.end);
        }
        if (t.k + 1) % t.m == s.k {
            return orient(t.start, t.end, s.end) == Orientation::Collinear
                && same_side(t.start, t.end, s.end);
        }
    }
    Line::new(s.start, s.end).intersects(&Line::new(t.start, t.end))
}

/// The segments of a ring given by its vertices (the closing point not repeated).
fn ring_segments(v: &[Coord<f64>], ring: u32, out: &mut Vec<Seg>) {
    let m = v.len() as u32;
    for (k, &start) in v.iter().enumerate() {
        out.push(Seg {
            start,
            end: v[(k + 1) % v.len()],
            ring,
            k: k as u32,
            m,
        });
    }
}

/// Whether some vertex appears twice.
fn has_repeated_vertex(v: &[Coord<f64>]) -> bool {
    let mut sorted = v.to_vec();
    sorted.sort_unstable_by(|a, b| lex(*a, *b));
    sorted.windows(2).any(|w| w[0] == w[1])
}

/// Whether a simple ring (its vertices) runs counter-clockwise: the turn at its
/// lexicographically smallest vertex, which is convex.
fn ring_is_ccw(v: &[Coord<f64>]) -> bool {
    let n = v.len();
    let i = (0..n).min_by(|&a, &b| lex(v[a], v[b])).unwrap_or(0);
    orient(v[(i + n - 1) % n], v[i], v[(i + 1) % n]) == Orientation::CounterClockwise
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

// ---------------------------------------------------------------------------------------------
// The sweep.

const NIL: u32 = u32::MAX;

/// The sweep status: a treap over segment indices with parent links, so that a segment is
/// removed and its neighbours found by its index, without comparisons. Priorities come from a
/// hash of the input, so the shape of the tree does not depend on how the input is ordered.
struct Treap {
    left: Vec<u32>,
    right: Vec<u32>,
    parent: Vec<u32>,
    priority: Vec<u64>,
    in_tree: Vec<bool>,
    root: u32,
}

impl Treap {
    fn new(n: usize, seed: u64) -> Self {
        Treap {
            left: vec![NIL; n],
            right: vec![NIL; n],
            parent: vec![NIL; n],
            priority: (0..n as u64).map(|i| splitmix64(seed ^ i)).collect(),
            in_tree: vec![false; n],
            root: NIL,
        }
    }

    fn at(v: &[u32], i: u32) -> u32 {
        v[i as usize]
    }

    /// Moves `x` one level up, above its parent.
    fn rotate_up(&mut self, x: u32) {
        let p = Self::at(&self.parent, x);
        if p == NIL {
            return;
        }
        let g = Self::at(&self.parent, p);
        if Self::at(&self.left, p) == x {
            let b = Self::at(&self.right, x);
            self.left[p as usize] = b;
            if b != NIL {
                self.parent[b as usize] = p;
            }
            self.right[x as usize] = p;
        } else {
            let b = Self::at(&self.left, x);
            self.right[p as usize] = b;
            if b != NIL {
                self.parent[b as usize] = p;
            }
            self.left[x as usize] = p;
        }
        self.parent[p as usize] = x;
        self.parent[x as usize] = g;
        if g == NIL {
            self.root = x;
        } else if Self::at(&self.left, g) == p {
            self.left[g as usize] = x;
        } else {
            self.right[g as usize] = x;
        }
    }

    /// Inserts `x`; `goes_right(t)` says whether `x` comes after the segment `t` in the tree.
    fn insert(&mut self, x: u32, mut goes_right: impl FnMut(u32) -> bool) {
        let mut cur = self.root;
        let mut parent = NIL;
        let mut right = false;
        while cur != NIL {
            parent = cur;
            right = goes_right(cur);
            cur = if right {
                Self::at(&self.right, cur)
            } else {
                Self::at(&self.left, cur)
            };
        }
        self.parent[x as usize] = parent;
        self.left[x as usize] = NIL;
        self.right[x as usize] = NIL;
        self.in_tree[x as usize] = true;
        if parent == NIL {
            self.root = x;
        } else if right {
            self.right[parent as usize] = x;
        } else {
            self.left[parent as usize] = x;
        }
        while Self::at(&self.parent, x) != NIL
            && self.priority[Self::at(&self.parent, x) as usize] < self.priority[x as usize]
        {
            self.rotate_up(x);
        }
    }

    fn remove(&mut self, x: u32) {
        if !self.in_tree[x as usize] {
            return;
        }
        loop {
            let (l, r) = (Self::at(&self.left, x), Self::at(&self.right, x));
            let child = match (l, r) {
                (NIL, NIL) => break,
                (NIL, c) | (c, NIL) => c,
                (l, r) => {
                    if self.priority[l as usize] > self.priority[r as usize] {
                        l
                    } else {
                        r
                    }
                }
            };
            self.rotate_up(child);
        }
        let p = Self::at(&self.parent, x);
        if p == NIL {
            self.root = NIL;
        } else if Self::at(&self.left, p) == x {
            self.left[p as usize] = NIL;
        } else {
            self.right[p as usize] = NIL;
        }
        self.parent[x as usize] = NIL;
        self.in_tree[x as usize] = false;
    }

    fn pred(&self, x: u32) -> u32 {
        let mut c = Self::at(&self.left, x);
        if c != NIL {
            while Self::at(&self.right, c) != NIL {
                c = Self::at(&self.right, c);
            }
            return c;
        }
        let mut c = x;
        let mut p = Self::at(&self.parent, c);
        while p != NIL && Self::at(&self.left, p) == c {
            c = p;
            p = Self::at(&self.parent, c);
        }
        p
    }

    fn succ(&self, x: u32) -> u32 {
        let mut c = Self::at(&self.right, x);
        if c != NIL {
            while Self::at(&self.left, c) != NIL {
                c = Self::at(&self.left, c);
            }
            return c;
        }
        let mut c = x;
        let mut p = Self::at(&self.parent, c);
        while p != NIL && Self::at(&self.right, p) == c {
            c = p;
            p = Self::at(&self.parent, c);
        }
        p
    }
}

/// A Shamos–Hoey sweep over `segs`: returns a pair of segments for which [`bad_pair`] holds if
/// there is any, `None` if there is none.
///
/// Preconditions (checked by the callers): canonical finite coordinates, no segment of zero
/// length, and no point that is a vertex of more than one ring or twice a vertex of one ring
/// (so every point is an endpoint of at most two segments, neighbours in one ring). Under
/// them, if any bad pair exists, one becomes neighbours in the status before the sweep passes
/// the leftmost point where a bad pair meets, and the status is ordered until then.
///
/// `on_insert(s, below)` is called after segment `s` enters the status, with the segment just
/// below it (or [`NIL`]).
fn sweep(segs: &[Seg], mut on_insert: impl FnMut(u32, u32)) -> Option<(u32, u32)> {
    let n = segs.len();
    if n < 2 {
        return None;
    }
    let seed = segs.iter().fold(0x5eed_u64, |h, s| {
        splitmix64(h ^ s.start.x.to_bits()) ^ s.start.y.to_bits().rotate_left(17)
    });
    // Event 2s + 1 inserts segment s at its left end, 2s removes it at its right end; at one
    // point, removals come first.
    let mut events: Vec<u32> = (0..2 * n as u32).collect();
    let point = |e: u32| {
        let s = &segs[(e >> 1) as usize];
        if e & 1 == 1 { s.left() } else { s.right() }
    };
    events.sort_unstable_by(|&a, &b| lex(point(a), point(b)).then((a & 1).cmp(&(b & 1))));
    let mut status = Treap::new(n, seed);
    for e in events {
        let s = e >> 1;
        let seg = &segs[s as usize];
        if e & 1 == 0 {
            let (p, q) = (status.pred(s), status.succ(s));
            status.remove(s);
            if p != NIL && q != NIL && bad_pair(&segs[p as usize], &segs[q as usize]) {
                return Some((p, q));
            }
            continue;
        }
        let (left, right) = (seg.left(), seg.right());
        let mut touching = None;
        status.insert(s, |t| {
            let other = &segs[t as usize];
            let (a, b) = (other.left(), other.right());
            let side = match orient(a, b, left) {
                Orientation::Collinear if left == a => orient(a, b, right),
                o => o,
            };
            match side {
                Orientation::CounterClockwise => true,
                Orientation::Clockwise => false,
                Orientation::Collinear => {
                    // `left` lies on `other` (or both start together along one line).
                    if touching.is_none() && bad_pair(seg, other) {
                        touching = Some(t);
                    }
                    true
                }
            }
        });
        if let Some(t) = touching {
            return Some((s, t));
        }
        let below = status.pred(s);
        on_insert(s, below);
        if below != NIL && bad_pair(seg, &segs[below as usize]) {
            return Some((below, s));
        }
        let above = status.succ(s);
        if above != NIL && bad_pair(seg, &segs[above as usize]) {
            return Some((s, above));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Rings.

/// What the ring checks say about one ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RingKind {
    /// No coordinates: geo skips the ring.
    Empty,
    /// Fewer than 4 coordinates.
    TooFew,
    /// Two segments meet (geo's definition).
    SelfIntersecting,
    /// A triangle with its three vertices on a line: no error from geo, but no area either.
    Degenerate,
    /// A simple closed curve (a Jordan curve).
    Simple,
}

/// The vertices of a closed ring, canonical, without the closing point.
fn ring_vertices(ring: &LineString<f64>) -> Vec<Coord<f64>> {
    let c = &ring.0;
    c[..c.len().saturating_sub(1)]
        .iter()
        .copied()
        .map(canonical)
        .collect()
}

fn classify(ring: &LineString<f64>) -> RingKind {
    if ring.0.is_empty() {
        return RingKind::Empty;
    }
    if ring.0.len() < 4 {
        return RingKind::TooFew;
    }
    let v = ring_vertices(ring);
    if v.len() == 3 {
        // Every pair of a triangle's sides follow each other: geo never finds a
        // self-intersection.
        return if orient(v[0], v[1], v[2]) == Orientation::Collinear {
            RingKind::Degenerate
        } else {
            RingKind::Simple
        };
    }
    if has_repeated_vertex(&v) {
        // The two sides arriving at the repeated vertex meet there, and neither ends where the
        // other starts.
        return RingKind::SelfIntersecting;
    }
    let mut segs = Vec::with_capacity(v.len());
    ring_segments(&v, 0, &mut segs);
    match sweep(&segs, |_, _| {}) {
        Some(_) => RingKind::SelfIntersecting,
        None => RingKind::Simple,
    }
}

fn role(r: usize) -> RingRole {
    if r == 0 {
        RingRole::Exterior
    } else {
        RingRole::Interior(r - 1)
    }
}

fn ring_rect(ring: &LineString<f64>) -> Option<Rect<f64>> {
    ring.bounding_rect()
}

fn rects_meet(a: Option<Rect<f64>>, b: Option<Rect<f64>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.intersects(&b),
        _ => false,
    }
}

/// For each rectangle, the later ones (higher index) that meet it, in index order.
fn later_meeting(rects: &[Option<Rect<f64>>], i: usize, tree: &RectTree) -> Vec<usize> {
    let Some(r) = rects[i] else {
        return vec![];
    };
    let env = rstar::AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
    let mut out: Vec<usize> = tree
        .locate_in_envelope_intersecting(&env)
        .map(|g| g.data)
        .filter(|&j| j > i && rects_meet(rects[i], rects[j]))
        .collect();
    out.sort_unstable();
    out
}

type RectTree =
    rstar::RTree<rstar::primitives::GeomWithData<rstar::primitives::Rectangle<[f64; 2]>, usize>>;

fn rect_tree(rects: &[Option<Rect<f64>>]) -> RectTree {
    let items = rects
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            r.map(|r| {
                rstar::primitives::GeomWithData::new(
                    rstar::primitives::Rectangle::from_corners(
                        [r.min().x, r.min().y],
                        [r.max().x, r.max().y],
                    ),
                    i,
                )
            })
        })
        .collect();
    rstar::RTree::bulk_load(items)
}

// ---------------------------------------------------------------------------------------------
// The rings against each other.

/// Which ring is inside which, when no two rings meet.
struct Nesting {
    /// The innermost ring around each ring, or [`NIL`].
    parent: Vec<u32>,
    /// Euler tour times: ring b is inside ring a when `tin[a] < tin[b] && tout[b] <= tout[a]`.
    tin: Vec<u32>,
    tout: Vec<u32>,
}

impl Nesting {
    fn inside(&self, inner: u32, outer: u32) -> bool {
        let (i, o) = (inner as usize, outer as usize);
        self.tin[o] < self.tin[i] && self.tout[i] <= self.tout[o]
    }
}

/// Runs the sweep over all the given rings (each simple, given by its vertices). `None` when two
/// rings touch or cross; otherwise the nesting.
fn nest(rings: &[Vec<Coord<f64>>]) -> Option<Nesting> {
    let n = rings.len();
    if n == 1 {
        return Some(Nesting {
            parent: vec![NIL],
            tin: vec![0],
            tout: vec![1],
        });
    }
    // A vertex shared by two rings is a meeting point (and would break the sweep's
    // precondition).
    let mut all: Vec<Coord<f64>> = rings.iter().flatten().copied().collect();
    all.sort_unstable_by(|a, b| lex(*a, *b));
    if all.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    drop(all);
    let mut segs = Vec::new();
    for (r, v) in rings.iter().enumerate() {
        ring_segments(v, r as u32, &mut segs);
    }
    let ccw: Vec<bool> = rings.iter().map(|v| ring_is_ccw(v)).collect();
    let mut parent = vec![NIL; n];
    let mut seen = vec![false; n];
    let met = sweep(&segs, |s, below| {
        let r = segs[s as usize].ring as usize;
        if seen[r] {
            return;
        }
        // The first segment of a ring enters at the ring's leftmost vertex: the segment just
        // below that vertex tells which ring is around it.
        seen[r] = true;
        if below == NIL {
            return;
        }
        let t = &segs[below as usize];
        let tr = t.ring as usize;
        // The interior of a counter-clockwise ring is to the left of its direction: above a
        // segment it runs left to right along.
        let inside_above = t.forward() == ccw[tr];
        parent[r] = if inside_above { tr as u32 } else { parent[tr] };
    });
    if met.is_some() {
        return None;
    }
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (r, &p) in parent.iter().enumerate() {
        if p == NIL {
            roots.push(r as u32);
        } else {
            children[p as usize].push(r as u32);
        }
    }
    let (mut tin, mut tout) = (vec![0u32; n], vec![0u32; n]);
    let mut clock = 0u32;
    // Iterative depth-first walk: (ring, next child to visit).
    let mut stack: Vec<(u32, usize)> = Vec::new();
    for root in roots {
        clock += 1;
        tin[root as usize] = clock;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (r, next) = *top;
            if let Some(&c) = children[r as usize].get(next) {
                top.1 += 1;
                clock += 1;
                tin[c as usize] = clock;
                stack.push((c, 0));
            } else {
                clock += 1;
                tout[r as usize] = clock;
                stack.pop();
            }
        }
    }
    Some(Nesting { parent, tin, tout })
}

// ---------------------------------------------------------------------------------------------
// Polygons.

/// What is known about one polygon of the multipolygon.
struct Poly {
    /// The first error of the ring checks (too few points, self-intersection), in ring order.
    ring_error: Option<InvalidPolygon>,
    /// Non-empty exterior, every ring non-empty and simple, no ring error: its rings are in the
    /// nesting sweep.
    clean: bool,
    /// For a clean polygon, the nesting ids of its rings (exterior first).
    ids: Vec<u32>,
    /// The polygon's bounding box (its exterior's).
    rect: Option<Rect<f64>>,
}

struct Validator<'a> {
    mp: &'a MultiPolygon<f64>,
    polys: Vec<Poly>,
    /// `None` when two rings of clean polygons meet (or there are none).
    nesting: Option<Nesting>,
    /// Nesting id → (polygon, ring).
    owner: Vec<(u32, u32)>,
    /// Memo of each polygon's own checks (ring checks, then holes against the exterior and
    /// each other).
    own: Vec<Option<Result<(), InvalidPolygon>>>,
    prepared: Vec<Option<PreparedGeometry<'a, &'a Polygon<f64>, f64>>>,
    /// Pair comparisons still allowed, and whether the budget ran out.
    budget: std::cell::Cell<usize>,
    spent_out: std::cell::Cell<bool>,
}

impl<'a> Validator<'a> {
    fn new(mp: &'a MultiPolygon<f64>, budget: usize) -> Self {
        let mut polys = Vec::with_capacity(mp.0.len());
        let mut vertex_lists: Vec<Vec<Coord<f64>>> = Vec::new();
        let mut owner = Vec::new();
        for (pi, p) in mp.0.iter().enumerate() {
            let rect = p.bounding_rect();
            let rings: Vec<&LineString<f64>> =
                std::iter::once(p.exterior()).chain(p.interiors()).collect();
            if rings[0].0.is_empty() {
                // geo skips a polygon without exterior altogether.
                polys.push(Poly {
                    ring_error: None,
                    clean: false,
                    ids: vec![],
                    rect,
                });
                continue;
            }
            let mut ring_error = None;
            let mut clean = true;
            for (r, ring) in rings.iter().enumerate() {
                match classify(ring) {
                    RingKind::Empty | RingKind::Degenerate => clean = false,
                    RingKind::Simple => {}
                    RingKind::TooFew => {
                        ring_error = Some(InvalidPolygon::TooFewPointsInRing(role(r)));
                        break;
                    }
                    RingKind::SelfIntersecting => {
                        ring_error = Some(InvalidPolygon::SelfIntersection(role(r)));
                        break;
                    }
                }
            }
            let clean = clean && ring_error.is_none();
            let mut ids = Vec::new();
            if clean {
                for (r, ring) in rings.iter().enumerate() {
                    ids.push(vertex_lists.len() as u32);
                    vertex_lists.push(ring_vertices(ring));
                    owner.push((pi as u32, r as u32));
                }
            }
            polys.push(Poly {
                ring_error,
                clean,
                ids,
                rect,
            });
        }
        let nesting = if vertex_lists.is_empty() {
            None
        } else {
            nest(&vertex_lists)
        };
        let n = mp.0.len();
        Validator {
            mp,
            polys,
            nesting,
            owner,
            own: vec![None; n],
            prepared: (0..n).map(|_| None).collect(),
            budget: std::cell::Cell::new(budget),
            spent_out: std::cell::Cell::new(false),
        }
    }

    /// Takes one comparison from the budget; false (and the budget marked spent) when none
    /// is left.
    fn take(&self) -> bool {
        match self.budget.get().checked_sub(1) {
            Some(left) => {
                self.budget.set(left);
                true
            }
            None => {
                self.spent_out.set(true);
                false
            }
        }
    }

    fn run(mut self) -> Result<(), Stop> {
        if self.certified() {
            return Ok(());
        }
        let rects: Vec<Option<Rect<f64>>> = self.polys.iter().map(|p| p.rect).collect();
        let tree = rect_tree(&rects);
        for i in 0..self.mp.0.len() {
            let own = self.own_checks(i);
            if self.spent_out.get() {
                return Err(Stop::Budget);
            }
            own.map_err(|e| {
                Stop::Invalid(InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), e))
            })?;
            for j in later_meeting(&rects, i, &tree) {
                if !self.take() {
                    return Err(Stop::Budget);
                }
                let (overlap, line) = self.pair(i, j);
                if self.spent_out.get() {
                    return Err(Stop::Budget);
                }
                if overlap {
                    return Err(Stop::Invalid(InvalidMultiPolygon::ElementsOverlaps(
                        GeometryIndex(i),
                        GeometryIndex(j),
                    )));
                }
                if line {
                    return Err(Stop::Invalid(InvalidMultiPolygon::ElementsTouchOnALine(
                        GeometryIndex(i),
                        GeometryIndex(j),
                    )));
                }
            }
        }
        Ok(())
    }

    /// True when every polygon is clean, no rings meet, every hole's innermost surrounding ring
    /// is its own exterior and every exterior's is a hole or none: then nothing is invalid.
    fn certified(&self) -> bool {
        let Some(nest) = &self.nesting else {
            return false;
        };
        let all_clean = self
            .mp
            .0
            .iter()
            .zip(&self.polys)
            .all(|(p, info)| info.clean || p.exterior().0.is_empty());
        all_clean
            && self.owner.iter().enumerate().all(|(id, &(p, r))| {
                let parent = nest.parent[id];
                if r == 0 {
                    parent == NIL || self.owner[parent as usize].1 != 0
                } else {
                    parent == self.polys[p as usize].ids[0]
                }
            })
    }

    /// The polygon's own checks, as geo runs them (first error).
    fn own_checks(&mut self, i: usize) -> Result<(), InvalidPolygon> {
        if let Some(r) = &self.own[i] {
            return r.clone();
        }
        let r = self.compute_own(i);
        self.own[i] = Some(r.clone());
        r
    }

    fn compute_own(&self, i: usize) -> Result<(), InvalidPolygon> {
        let p = &self.mp.0[i];
        let info = &self.polys[i];
        if let Some(e) = &info.ring_error {
            return Err(e.clone());
        }
        if p.exterior().0.is_empty() || p.interiors().iter().all(|h| h.0.is_empty()) {
            return Ok(());
        }
        let holes = p.interiors();
        let rects: Vec<Option<Rect<f64>>> = holes.iter().map(ring_rect).collect();
        let tree = rect_tree(&rects);
        if let (true, Some(nest)) = (info.clean, &self.nesting) {
            let ext = info.ids[0];
            if info.ids[1..]
                .iter()
                .all(|&h| nest.parent[h as usize] == ext)
            {
                return Ok(());
            }
            for k in 0..holes.len() {
                let hk = info.ids[k + 1];
                if !nest.inside(hk, ext) {
                    return Err(InvalidPolygon::InteriorRingNotContainedInExteriorRing(
                        RingRole::Interior(k),
                    ));
                }
                for l in later_meeting(&rects, k, &tree) {
                    if !self.take() {
                        // The caller sees the spent budget; the answer here is not used.
                        return Ok(());
                    }
                    let hl = info.ids[l + 1];
                    if nest.inside(hk, hl) || nest.inside(hl, hk) {
                        return Err(InvalidPolygon::IntersectingRingsOnAnArea(
                            RingRole::Interior(k),
                            RingRole::Interior(l),
                        ));
                    }
                }
            }
            return Ok(());
        }
        // Rings that touch, or rings the sweep does not take: geo's relate, as geo's own
        // validation calls it.
        let exterior = Polygon::new(p.exterior().clone(), vec![]);
        let ext_rect = exterior.bounding_rect();
        let prepared_exterior = PreparedGeometry::from(&exterior);
        for (k, hole) in holes.iter().enumerate() {
            if hole.0.is_empty() {
                continue;
            }
            let hole_poly = Polygon::new(hole.clone(), vec![]);
            if !rects_meet(ext_rect, rects[k]) {
                // relate answers "disjoint": not contained.
                return Err(InvalidPolygon::InteriorRingNotContainedInExteriorRing(
                    RingRole::Interior(k),
                ));
            }
            let prepared_hole = PreparedGeometry::from(&hole_poly);
            let im = prepared_exterior.relate(&prepared_hole);
            if !im.is_contains() {
                return Err(InvalidPolygon::InteriorRingNotContainedInExteriorRing(
                    RingRole::Interior(k),
                ));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnALine(
                    RingRole::Exterior,
                    RingRole::Interior(k),
                ));
            }
            for l in later_meeting(&rects, k, &tree) {
                if !self.take() {
                    return Ok(());
                }
                if holes[l].0.is_empty() {
                    continue;
                }
                let other = Polygon::new(holes[l].clone(), vec![]);
                let im = prepared_hole.relate(&other);
                if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                    return Err(InvalidPolygon::IntersectingRingsOnAnArea(
                        RingRole::Interior(k),
                        RingRole::Interior(l),
                    ));
                }
                if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional
                {
                    return Err(InvalidPolygon::IntersectingRingsOnALine(
                        RingRole::Interior(k),
                        RingRole::Interior(l),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether polygons `i` and `j` (bounding boxes meeting) overlap on an area, and whether
    /// their boundaries share a line.
    fn pair(&mut self, i: usize, j: usize) -> (bool, bool) {
        let fast = self.nesting.is_some()
            && self.polys[i].clean
            && self.polys[j].clean
            && self.own_checks(i).is_ok()
            && self.own_checks(j).is_ok();
        if fast {
            // No rings meet: the polygons overlap when one's exterior is inside the other
            // polygon and not in one of its holes. Boundaries never share a line.
            return (
                self.inside_polygon(j, i) || self.inside_polygon(i, j),
                false,
            );
        }
        for k in [i, j] {
            if self.prepared[k].is_none() {
                self.prepared[k] = Some(PreparedGeometry::from(&self.mp.0[k]));
            }
        }
        let (Some(a), Some(b)) = (&self.prepared[i], &self.prepared[j]) else {
            return (false, false);
        };
        let im = a.relate(b);
        (
            im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional,
            im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional,
        )
    }

    /// Whether the exterior of polygon `inner` lies inside polygon `outer` (inside its
    /// exterior and in none of its holes). Both clean and valid, no rings meeting.
    fn inside_polygon(&self, inner: usize, outer: usize) -> bool {
        let Some(nest) = &self.nesting else {
            return false;
        };
        let e = self.polys[inner].ids[0];
        let o = &self.polys[outer].ids;
        nest.inside(e, o[0]) && !o[1..].iter().any(|&h| nest.inside(e, h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::wkt;

    fn same(mp: MultiPolygon<f64>) {
        assert_eq!(check_validation(&mp), mp.check_validation(), "{mp:?}");
    }

    #[test]
    fn geo_test_cases_agree() {
        // geo's own validation tests (polygon.rs, multi_polygon.rs).
        same(MultiPolygon::new(vec![
            wkt!(POLYGON((0. 0., 1. 1., 0. 1.))),
        ]));
        same(MultiPolygon::new(vec![wkt!(POLYGON(
            (0. 0., 4. 1., 4. 4.,0. 4.,0. 0.),
            (0. 2., 2. 1., 3. 2., 2. 3., 0. 2.)
        ))]));
        same(MultiPolygon::new(vec![wkt!(POLYGON(
            (0. 0., 4. 0., 4. 4.,0. 4.,0. 0.),
            (1. 2., 2. 1., 3. 2., 2. 3., 1. 2.),
            (3. 2., 3.5 1., 3.75 2., 3.5 3., 3. 2.)
        ))]));
        same(MultiPolygon::new(vec![wkt!(POLYGON(
            (0. 0., 4. 0., 4. 4.,0. 4.,0. 0.),
            (1. 2., 2. 1., 3. 2., 2. 3., 1. 2.),
            (3. 2., 2. 1., 3.5 1., 3.75 2., 3.5 3., 3. 2.)
        ))]));
        same(MultiPolygon::new(vec![wkt!(POLYGON(
            (0. 0., 4. 0.,  4. 4.,   0. 4.,  0. 0.),
            (1. 2., 2. 1.,  3. 2.,   2. 3.,  1. 2.),
            (2. 2., 2. 1., 3.5 1., 3.75 2., 3.5 3., 3. 2.)
        ))]));
        same(MultiPolygon::new(vec![wkt!(POLYGON(
            (0. 0., 4. 0., 4. 4., 0. 4., 0. 0.),
            (0. 2., 0. 1., 2. 1., 3. 2., 2. 3., 0. 2.)
        ))]));
        same(MultiPolygon::new(vec![wkt!(POLYGON((0. 0., 1. 1.)))]));
        same(MultiPolygon::new(vec![wkt!(POLYGON(
            (0. 0., 4. 0., 4. 4., 2. 4., 2. 6., 2. 4., 0. 4., 0. 0.)
        ))]));
        same(MultiPolygon::new(vec![
            wkt!(POLYGON((0. 0., 4. 0., 0. 2., 4. 2., 0. 0.))),
        ]));
        same(MultiPolygon::new(vec![wkt!(POLYGON(
            (0.5 0.5, 3.0 0.5, 3.0 2.5, 0.5 2.5, 0.5 0.5),
            (1.0 1.0, 1.0 2.0, 2.5 2.0, 3.5 1.0, 1.0 1.0)
        ))]));
        same(MultiPolygon::new(vec![wkt!(POLYGON(
            (0. 0., 10. 0., 10. 10., 0. 10., 0. 0.),
            (1. 1.,  1. 9.,  9.  9., 9.  1., 1. 1.),
            (2. 2.,  2. 8.,  8.  8., 8.  2., 2. 2.)
        ))]));
        same(MultiPolygon::new(vec![wkt!(POLYGON(
            (0. 0., 10. 0., 10. 10., 0. 10., 0. 0.),
            (2. 2.,  2. 8.,  8.  8., 8.  2., 2. 2.),
            (1. 1.,  1. 9.,  9.  9., 9.  1., 1. 1.)
        ))]));
        same(wkt!(MULTIPOLYGON(
            ((0.5 0.5, 3.0 0.5, 3.0 2.5, 0.5 2.5, 0.5 0.5),
             (1.0 1.0, 1.0 2.0, 2.5 2.0, 3.5 1.0, 1.0 1.0)),
            ((0.5 0.5, 3.0 0.5, 3.0 2.5, 0.5 2.5, 0.5 0.5),
             (1.0 1.0, 1.0 2.0, 2.5 2.0, 3.5 1.0, 1.0 1.0))
        )));
    }

    #[test]
    fn nesting_decides_without_relate() {
        // A donut with an island in its hole, and a square beside it: valid.
        let valid: MultiPolygon<f64> = wkt!(MULTIPOLYGON(
            ((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.), (2. 2., 2. 8., 8. 8., 8. 2., 2. 2.)),
            ((4. 4., 6. 4., 6. 6., 4. 6., 4. 4.)),
            ((20. 0., 21. 0., 21. 1., 20. 1., 20. 0.))
        ));
        let v = Validator::new(&valid, usize::MAX);
        assert!(v.nesting.is_some() && v.certified());
        same(valid);
        // The island outside the hole: the parts overlap.
        let overlap: MultiPolygon<f64> = wkt!(MULTIPOLYGON(
            ((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.), (2. 2., 2. 8., 8. 8., 8. 2., 2. 2.)),
            ((0.5 0.5, 1.5 0.5, 1.5 1.5, 0.5 1.5, 0.5 0.5))
        ));
        assert!(!Validator::new(&overlap, usize::MAX).certified());
        same(overlap);
        // A hole with a part of the polygon inside it, and a second hole inside that part.
        let deep: MultiPolygon<f64> = wkt!(MULTIPOLYGON(
            ((0. 0., 10. 0., 10. 10., 0. 10., 0. 0.),
             (2. 2., 2. 8., 8. 8., 8. 2., 2. 2.),
             (4. 4., 6. 4., 6. 6., 4. 6., 4. 4.)),
            ((3. 3., 7. 3., 7. 7., 3. 7., 3. 3.))
        ));
        same(deep);
    }

    #[test]
    fn touching_rings_go_through_relate() {
        // A hole touching the exterior at a vertex (valid) and along a side (invalid).
        same(MultiPolygon::new(vec![wkt!(POLYGON(
            (0. 0., 4. 0., 4. 4., 0. 4., 0. 0.),
            (0. 2., 2. 1., 3. 2., 2. 3., 0. 2.)
        ))]));
        same(MultiPolygon::new(vec![wkt!(POLYGON(
            (0. 0., 4. 0., 4. 4., 0. 4., 0. 0.),
            (0. 1., 2. 1., 2. 3., 0. 3., 0. 1.)
        ))]));
        // Parts sharing a corner, and parts sharing a side.
        same(wkt!(MULTIPOLYGON(
            ((0. 0., 1. 0., 1. 1., 0. 1., 0. 0.)),
            ((1. 1., 2. 1., 2. 2., 1. 2., 1. 1.))
        )));
        same(wkt!(MULTIPOLYGON(
            ((0. 0., 1. 0., 1. 1., 0. 1., 0. 0.)),
            ((1. 0., 2. 0., 2. 1., 1. 1., 1. 0.))
        )));
    }

    #[test]
    fn big_rings_are_fast_and_right() {
        let n = 20_000;
        let circle = crate::geom::circle(Coord { x: 0.0, y: 0.0 }, 100.0, n);
        let mp = MultiPolygon::new(vec![circle.clone()]);
        assert_eq!(check_validation(&mp), Ok(()));
        // Pull one vertex across the circle: a self-intersection.
        let mut pts = circle.exterior().0.clone();
        pts[n / 2] = Coord { x: 150.0, y: 0.5 };
        let bad = MultiPolygon::new(vec![Polygon::new(LineString::new(pts), vec![])]);
        assert_eq!(
            check_validation(&bad),
            Err(InvalidMultiPolygon::InvalidPolygon(
                GeometryIndex(0),
                InvalidPolygon::SelfIntersection(RingRole::Exterior)
            ))
        );
    }

    #[test]
    fn treap_keeps_order_and_neighbours() {
        // Insert 0..100 in a scrambled order by value; in-order neighbours must be ±1.
        let n = 100u32;
        let mut t = Treap::new(n as usize, 7);
        let order: Vec<u32> = (0..n).map(|i| (i * 37) % n).collect();
        for &x in &order {
            t.insert(x, |y| x > y);
        }
        for x in 1..n - 1 {
            assert_eq!((t.pred(x), t.succ(x)), (x - 1, x + 1));
        }
        for x in (0..n).step_by(2) {
            t.remove(x);
        }
        for x in (3..n - 2).step_by(2) {
            assert_eq!((t.pred(x), t.succ(x)), (x - 2, x + 2));
        }
        assert_eq!(t.pred(1), NIL);
    }
}
