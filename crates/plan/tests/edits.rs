//! Edits: applying the inverse restores the layout exactly; failed edits change nothing.

use geo::Coord;
use plotwise_plan::edit::{ElementProps, Target, ZoneProps};
use plotwise_plan::model::Size;
use plotwise_plan::{Edit, EditError, Element, Layout, Outline, Plot, Surface, Zone, ZoneKind};
use proptest::prelude::*;

fn c(x: f64, y: f64) -> Coord<f64> {
    Coord { x, y }
}

fn base() -> Layout {
    let mut l = Layout::new(Plot::new(
        "plot",
        Outline::rect(c(0.0, 0.0), c(50.0, 30.0)).unwrap(),
    ));
    l.title = "Option A".into();
    l.zones.push(Zone::new(
        "z1",
        ZoneKind::Lawn,
        Outline::rect(c(1.0, 1.0), c(10.0, 8.0)).unwrap(),
    ));
    l.zones.push(Zone::new(
        "z2",
        ZoneKind::AccessiblePath,
        Outline::rect(c(0.0, 10.0), c(50.0, 11.5)).unwrap(),
    ));
    l.elements.push(Element::new("e1", "bench", c(20.0, 5.0)));
    let mut e2 = Element::new("e2", "planter", c(30.0, 20.0));
    e2.size = Some(Size {
        width_m: 2.0,
        depth_m: 1.0,
    });
    l.elements.push(e2);
    l
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        prop::sample::select(vec!["z1", "z2", "z9"]).prop_map(|s| Target::Zone(s.into())),
        prop::sample::select(vec!["e1", "e2", "e9"]).prop_map(|s| Target::Element(s.into())),
    ]
}

fn num() -> impl Strategy<Value = f64> {
    prop_oneof![-20.0..20.0f64, Just(0.0), Just(f64::NAN)]
}

fn leaf() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (target(), num(), num()).prop_map(|(target, dx, dy)| Edit::Move { target, dx, dy }),
        (target(), -400.0..400.0f64)
            .prop_map(|(target, angle_deg)| Edit::Rotate { target, angle_deg }),
        (target(), -0.5..3.0f64, 0.1..3.0f64).prop_map(|(target, sx, sy)| Edit::Resize {
            target,
            sx,
            sy
        }),
        target().prop_map(|target| Edit::Remove { target }),
        (
            0.0..40.0f64,
            0.0..20.0f64,
            0.1..10.0f64,
            0.1..10.0f64,
            prop::sample::select(vec!["z1", "z3", "n1"]),
            0usize..4
        )
            .prop_map(|(x, y, w, h, id, index)| Edit::AddZone {
                zone: Zone::new(
                    id,
                    ZoneKind::Planting,
                    Outline::rect(c(x, y), c(x + w, y + h)).unwrap()
                ),
                index: Some(index),
            }),
        (
            0.0..50.0f64,
            0.0..30.0f64,
            prop::sample::select(vec!["e1", "e3", "n2"])
        )
            .prop_map(|(x, y, id)| Edit::AddElement {
                element: Element::new(id, "bin", c(x, y)),
                index: None
            }),
        (
            prop::sample::select(vec!["z1", "z2", "z7"]),
            prop::option::of(0.0..1.0f64)
        )
            .prop_map(|(id, d)| Edit::SetZone {
                zone: id.into(),
                props: ZoneProps {
                    kind: ZoneKind::Planting,
                    surface: Some(Surface::Soil),
                    soil_depth_m: d,
                    name: Some("bed".into()),
                    name_zh: None
                },
            }),
        (
            prop::sample::select(vec!["e1", "e2"]),
            prop::option::of(0.2..3.0f64)
        )
            .prop_map(|(id, w)| Edit::SetElement {
                element: id.into(),
                props: ElementProps {
                    kind: "planter".into(),
                    size: w.map(|w| Size {
                        width_m: w,
                        depth_m: 1.0
                    }),
                    name: None
                },
            }),
        (
            prop::sample::select(vec!["e1", "e2", "e5"]),
            0.0..50.0f64,
            0.0..30.0f64,
            -180.0..180.0f64
        )
            .prop_map(|(id, x, y, r)| Edit::Place {
                element: id.into(),
                position: c(x, y),
                rotation_deg: r,
                size: None,
            }),
        ("[a-z ]{0,8}", "[a-z]{0,5}").prop_map(|(t, a)| Edit::SetInfo {
            title: t,
            author: a,
            notes: String::new()
        }),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    leaf().prop_recursive(2, 12, 4, |inner| {
        prop::collection::vec(inner, 0..4).prop_map(|edits| Edit::Batch { edits })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn inverse_restores_and_failures_change_nothing(edits in prop::collection::vec(edit(), 1..8)) {
        let original = base();
        let mut l = original.clone();
        let mut undo = Vec::new();
        for e in edits {
            let before = l.clone();
            match l.apply(e) {
                Ok(inv) => {
                    // Undo then redo of this one edit.
                    let after = l.clone();
                    let redo = l.apply(inv.clone()).expect("inverse applies");
                    prop_assert_eq!(&l, &before);
                    let inv2 = l.apply(redo).expect("redo applies");
                    prop_assert_eq!(&l, &after);
                    undo.push(inv2);
                }
                Err(_) => prop_assert_eq!(&l, &before),
            }
        }
        while let Some(inv) = undo.pop() {
            l.apply(inv).expect("inverse applies");
        }
        prop_assert_eq!(l, original);
    }
}

#[test]
fn errors_are_typed() {
    let mut l = base();
    assert_eq!(
        l.apply(Edit::Remove {
            target: Target::Zone("nope".into())
        }),
        Err(EditError::UnknownZone("nope".into()))
    );
    assert!(matches!(
        l.apply(Edit::AddElement { element: Element::new("z1", "bin", c(1.0, 1.0)), index: None }),
        Err(EditError::DuplicateId(id)) if id == "z1"
    ));
    assert!(matches!(
        l.apply(Edit::Resize {
            target: Target::Element("e1".into()),
            sx: 2.0,
            sy: 1.0
        }),
        Err(EditError::NoSize(_))
    ));
    let before = l.clone();
    let r = l.apply(Edit::Batch {
        edits: vec![
            Edit::Move {
                target: Target::Zone("z1".into()),
                dx: 1.0,
                dy: 0.0,
            },
            Edit::Move {
                target: Target::Element("missing".into()),
                dx: 1.0,
                dy: 0.0,
            },
        ],
    });
    assert!(matches!(r, Err(EditError::Batch { index: 1, .. })));
    assert_eq!(l, before);
}

#[test]
fn edits_serialise_with_an_op_tag() {
    let e = Edit::Move {
        target: Target::Element("bench-1".into()),
        dx: 1.5,
        dy: -2.0,
    };
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["op"], "move");
    assert_eq!(json["target"]["type"], "element");
    let back: Edit = serde_json::from_value(json).unwrap();
    assert_eq!(back, e);
}

#[test]
fn plot_properties_and_outline_are_edits_too() {
    use plotwise_plan::PlotKind;
    use plotwise_plan::edit::PlotProps;
    use plotwise_plan::model::{Entrance, Rooftop};
    let mut l = base();
    let before = l.clone();
    let props = PlotProps {
        kind: PlotKind::Rooftop(Rooftop {
            floor_level: Some(4),
            drop_height_m: Some(12.0),
            parapet_height_m: Some(1.1),
            declared_slab_capacity_kn_m2: Some(3.5),
        }),
        name: Some("Roof".into()),
        name_zh: Some("屋顶".into()),
        note: None,
        entrances: vec![Entrance {
            id: "door".into(),
            name: None,
            name_zh: None,
            position: c(0.0, 10.5),
            width_m: 1.5,
            step_free: true,
        }],
        keep_trees: vec![],
        no_build: vec![],
    };
    let undo = l
        .apply(Edit::SetPlot {
            props: Box::new(props.clone()),
        })
        .unwrap();
    assert!(l.plot.rooftop().is_some());
    assert_eq!(l.plot.entrances[0].id.as_str(), "door");
    let undo2 = l
        .apply(Edit::ReshapePlot {
            outline: Outline::rect(c(0.0, 0.0), c(60.0, 30.0)).unwrap(),
        })
        .unwrap();
    assert_eq!(l.plot.area_m2(), 1800.0);
    l.apply(undo2).unwrap();
    l.apply(undo).unwrap();
    assert_eq!(l, before);
    // An entrance may not reuse a zone's id, nor have a zero width.
    let mut clash = props.clone();
    clash.entrances[0].id = "z1".into();
    assert!(matches!(
        l.apply(Edit::SetPlot {
            props: Box::new(clash)
        }),
        Err(EditError::DuplicateId(_))
    ));
    let mut zero = props;
    zero.entrances[0].width_m = 0.0;
    assert!(
        l.apply(Edit::SetPlot {
            props: Box::new(zero)
        })
        .is_err()
    );
    assert_eq!(l, before);
}
