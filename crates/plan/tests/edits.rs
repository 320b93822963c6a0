//! Edits: applying the inverse restores the layout exactly; failed edits change nothing.

use geo::Coord;
use plotwise_plan::edit::{BuildingProps, ElementProps, Target, ZoneProps};
use plotwise_plan::model::{Building, Size};
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
    // A neighbouring block south of the plot, outside it.
    l.plot.buildings.push(Building::new(
        "b1",
        Outline::rect(c(5.0, -20.0), c(45.0, -8.0)).unwrap(),
        18.0,
    ));
    l
}

/// A height: usually fine, sometimes zero, negative or not a number.
fn height() -> impl Strategy<Value = f64> {
    prop_oneof![4 => 0.5..60.0f64, 1 => Just(0.0), 1 => Just(-3.0), 1 => Just(f64::NAN)]
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        prop::sample::select(vec!["z1", "z2", "z9"]).prop_map(|s| Target::Zone(s.into())),
        prop::sample::select(vec!["e1", "e2", "e9"]).prop_map(|s| Target::Element(s.into())),
        prop::sample::select(vec!["b1", "b2", "b9"]).prop_map(|s| Target::Building(s.into())),
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
        (
            -30.0..40.0f64,
            -30.0..20.0f64,
            0.1..15.0f64,
            0.1..15.0f64,
            prop::sample::select(vec!["b1", "b2", "z1", "plot"]),
            height(),
            prop::option::of(0usize..3)
        )
            .prop_map(|(x, y, w, h, id, height_m, index)| Edit::AddBuilding {
                building: Building::new(
                    id,
                    Outline::rect(c(x, y), c(x + w, y + h)).unwrap(),
                    height_m
                ),
                index,
            }),
        (
            prop::sample::select(vec!["b1", "b2", "b9"]),
            -30.0..40.0f64,
            -30.0..20.0f64,
            0.1..15.0f64
        )
            .prop_map(|(id, x, y, w)| Edit::ReshapeBuilding {
                building: id.into(),
                // An L-shaped footprint (non-convex).
                outline: Outline::from_polygon(geo::Polygon::new(
                    geo::LineString::from(vec![
                        (x, y),
                        (x + w, y),
                        (x + w, y + 2.0),
                        (x + 2.0 * w / 3.0, y + 2.0),
                        (x + 2.0 * w / 3.0, y + w),
                        (x, y + w),
                        (x, y),
                    ]),
                    vec![],
                ))
                .unwrap(),
            }),
        (
            prop::sample::select(vec!["b1", "b2", "b9"]),
            height(),
            prop::option::of("[a-z]{1,5}")
        )
            .prop_map(|(id, height_m, name)| Edit::SetBuilding {
                building: id.into(),
                props: BuildingProps {
                    height_m,
                    name,
                    name_zh: Some("楼".into()),
                },
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
fn buildings_are_added_moved_reshaped_raised_and_removed_with_exact_undo() {
    let mut l = base();
    let before = l.clone();
    let id = || plotwise_plan::ids::BuildingId::from("b2");
    let fp = Outline::rect(c(60.0, 0.0), c(72.0, 30.0)).unwrap();
    let mut undo = vec![];
    let mut add = |l: &mut Layout, e: Edit| undo.push(l.apply(e).expect("applies"));
    add(
        &mut l,
        Edit::AddBuilding {
            building: Building::new("b2", fp.clone(), 12.0),
            index: None,
        },
    );
    add(
        &mut l,
        Edit::Move {
            target: Target::Building(id()),
            dx: -2.0,
            dy: 1.5,
        },
    );
    let r = l.building(&id()).unwrap().outline.bounding_rect();
    assert_eq!((r.min().x, r.min().y), (58.0, 1.5));
    add(
        &mut l,
        Edit::Resize {
            target: Target::Building(id()),
            sx: 2.0,
            sy: 1.0,
        },
    );
    assert!((l.building(&id()).unwrap().outline.area_m2() - 720.0).abs() < 1e-9);
    add(
        &mut l,
        Edit::Rotate {
            target: Target::Building(id()),
            angle_deg: 90.0,
        },
    );
    add(
        &mut l,
        Edit::SetBuilding {
            building: id(),
            props: BuildingProps {
                height_m: 33.5,
                name: Some("Block 7".into()),
                name_zh: Some("7号楼".into()),
            },
        },
    );
    assert_eq!(l.building(&id()).unwrap().height_m, 33.5);
    add(
        &mut l,
        Edit::Remove {
            target: Target::Building("b1".into()),
        },
    );
    assert_eq!(l.plot.buildings.len(), 1);
    while let Some(inv) = undo.pop() {
        l.apply(inv).expect("the inverse applies");
    }
    assert_eq!(l, before);
}

#[test]
fn a_building_must_be_higher_than_the_ground_and_exist() {
    let mut l = base();
    let before = l.clone();
    for h in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = l.apply(Edit::SetBuilding {
            building: "b1".into(),
            props: BuildingProps {
                height_m: h,
                name: None,
                name_zh: None,
            },
        });
        assert!(
            matches!(
                &e,
                Err(EditError::InvalidValue {
                    field: "height_m",
                    ..
                })
            ),
            "{h}: {e:?}"
        );
        let e = l.apply(Edit::AddBuilding {
            building: Building::new("b5", Outline::rect(c(0.0, 40.0), c(5.0, 45.0)).unwrap(), h),
            index: None,
        });
        assert!(matches!(e, Err(EditError::InvalidValue { .. })), "{h}");
    }
    assert_eq!(
        l.apply(Edit::Move {
            target: Target::Building("nope".into()),
            dx: 1.0,
            dy: 0.0
        }),
        Err(EditError::UnknownBuilding("nope".into()))
    );
    // A building may not take a zone's id.
    assert!(matches!(
        l.apply(Edit::AddBuilding {
            building: Building::new(
                "z1",
                Outline::rect(c(0.0, 40.0), c(5.0, 45.0)).unwrap(),
                9.0
            ),
            index: None,
        }),
        Err(EditError::DuplicateId(_))
    ));
    assert_eq!(l, before);
    // The messages say which building, in both languages.
    let m = EditError::UnknownBuilding("nope".into()).message();
    assert!(m.en.contains("building") && m.zh.contains("建筑"));
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
