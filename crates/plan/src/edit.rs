//! Edits: one enum for every change to a layout. [`Layout::apply`] applies an edit and returns
//! its inverse, so undo and redo come for free (apply the inverse; apply its inverse).
//!
//! Inverses restore the previous state exactly (bit for bit): the inverse of a move, rotation
//! or resize of a zone is a [`Edit::Reshape`] back to the old outline, and of an element an
//! [`Edit::Place`] back to the old position, rotation and size; of a building a
//! [`Edit::ReshapeBuilding`] back to its old footprint. A failed edit changes nothing.

use geo::{Coord, Rotate, Scale, Translate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::geom::{InvalidOutline, Outline};
use crate::ids::{BuildingId, ElementId, ZoneId};
use crate::model::{Building, Element, Layout, Size, Surface, Zone, ZoneKind};

/// What an edit acts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Target {
    /// A zone.
    Zone(ZoneId),
    /// An element.
    Element(ElementId),
    /// A building around the plot (it casts shadow).
    Building(BuildingId),
}

/// A change to a layout. Serialised with an `op` tag (`{"op": "move", …}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    /// Adds a zone (at `index` in drawing order, or at the end).
    AddZone {
        /// The zone; its id must be unused.
        zone: Zone,
        /// Position in `layout.zones`; `None` appends.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    /// Adds an element (at `index`, or at the end).
    AddElement {
        /// The element; its id must be unused.
        element: Element,
        /// Position in `layout.elements`; `None` appends.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    /// Adds a building around the plot (at `index` in `layout.plot.buildings`, or at the
    /// end). Its height must be a positive number of metres.
    AddBuilding {
        /// The building; its id must be unused.
        building: Building,
        /// Position in `layout.plot.buildings`; `None` appends.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    /// Moves a zone, element or building by `(dx, dy)` metres.
    Move {
        /// What to move.
        target: Target,
        /// East, m.
        dx: f64,
        /// North, m.
        dy: f64,
    },
    /// Rotates a zone or building about its centroid, or an element about its centre,
    /// counter-clockwise.
    Rotate {
        /// What to rotate.
        target: Target,
        /// Degrees, counter-clockwise.
        angle_deg: f64,
    },
    /// Scales a zone or building about its centroid by `(sx, sy)`; for an element, scales its `size`
    /// (which must be set: use [`Edit::SetElement`] to give one first).
    Resize {
        /// What to resize.
        target: Target,
        /// Factor along x (> 0).
        sx: f64,
        /// Factor along y (> 0).
        sy: f64,
    },
    /// Replaces a zone's outline.
    Reshape {
        /// The zone.
        zone: ZoneId,
        /// The new outline.
        outline: Outline,
    },
    /// Replaces a building's footprint.
    ReshapeBuilding {
        /// The building.
        building: BuildingId,
        /// The new footprint.
        outline: Outline,
    },
    /// Sets an element's position, rotation and size.
    Place {
        /// The element.
        element: ElementId,
        /// New centre.
        #[serde(with = "crate::geom::coord_serde")]
        position: Coord<f64>,
        /// New rotation, degrees.
        rotation_deg: f64,
        /// New size (`None`: the catalogue's).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<Size>,
    },
    /// Removes a zone, element or building.
    Remove {
        /// What to remove.
        target: Target,
    },
    /// Replaces a zone's properties.
    SetZone {
        /// The zone.
        zone: ZoneId,
        /// The new properties.
        props: ZoneProps,
    },
    /// Replaces an element's properties.
    SetElement {
        /// The element.
        element: ElementId,
        /// The new properties.
        props: ElementProps,
    },
    /// Replaces a building's height and names.
    SetBuilding {
        /// The building.
        building: BuildingId,
        /// The new properties.
        props: BuildingProps,
    },
    /// Replaces the plot's properties: kind (with rooftop data), names, note, entrances,
    /// trees to keep and no-build areas (not its id, outline or projection).
    SetPlot {
        /// The new properties.
        props: Box<PlotProps>,
    },
    /// Replaces the plot's outline.
    ReshapePlot {
        /// The new boundary.
        outline: Outline,
    },
    /// Replaces the buildings around the plot (footprints and heights; they cast shadow).
    SetBuildings {
        /// The new buildings; their ids must not be used by other objects.
        buildings: Vec<crate::model::Building>,
    },
    /// Replaces the title, author and notes.
    SetInfo {
        /// Title.
        title: String,
        /// Author.
        author: String,
        /// Notes.
        notes: String,
    },
    /// Several edits as one (all or nothing).
    Batch {
        /// The edits, applied in order.
        edits: Vec<Edit>,
    },
}

/// A zone's properties other than its id and outline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZoneProps {
    /// Kind.
    pub kind: ZoneKind,
    /// Surface.
    #[serde(default)]
    pub surface: Option<Surface>,
    /// Soil depth, m.
    #[serde(default)]
    pub soil_depth_m: Option<f64>,
    /// English name.
    #[serde(default)]
    pub name: Option<String>,
    /// Chinese name.
    #[serde(default)]
    pub name_zh: Option<String>,
}

/// A building's properties other than its id and footprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuildingProps {
    /// Height of the flat roof above the plot's ground, m (positive).
    pub height_m: f64,
    /// English name.
    #[serde(default)]
    pub name: Option<String>,
    /// Chinese name.
    #[serde(default)]
    pub name_zh: Option<String>,
}

/// A plot's properties other than its id, outline and projection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlotProps {
    /// Ground or rooftop.
    pub kind: crate::model::PlotKind,
    /// English name.
    #[serde(default)]
    pub name: Option<String>,
    /// Chinese name.
    #[serde(default)]
    pub name_zh: Option<String>,
    /// Note.
    #[serde(default)]
    pub note: Option<String>,
    /// Entrances.
    #[serde(default)]
    pub entrances: Vec<crate::model::Entrance>,
    /// Trees to keep.
    #[serde(default)]
    pub keep_trees: Vec<crate::model::KeepTree>,
    /// No-build areas.
    #[serde(default)]
    pub no_build: Vec<crate::model::NoBuildArea>,
}

/// An element's properties other than its id and placement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementProps {
    /// Catalogue key.
    pub kind: String,
    /// Size replacing the catalogue's.
    #[serde(default)]
    pub size: Option<Size>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
}

/// Why an edit was refused (the layout is unchanged).
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum EditError {
    /// No zone with this id.
    #[error("no zone with id `{0}`")]
    UnknownZone(ZoneId),
    /// No element with this id.
    #[error("no element with id `{0}`")]
    UnknownElement(ElementId),
    /// No building with this id.
    #[error("no building with id `{0}`")]
    UnknownBuilding(BuildingId),
    /// The id is already used in the layout.
    #[error("id `{0}` is already used")]
    DuplicateId(String),
    /// The edit would make an invalid outline.
    #[error("zone `{zone}`: {source}")]
    InvalidGeometry {
        /// The zone.
        zone: ZoneId,
        /// What is wrong.
        source: InvalidOutline,
    },
    /// The edit would make an invalid building footprint.
    #[error("building `{building}`: {source}")]
    InvalidFootprint {
        /// The building.
        building: BuildingId,
        /// What is wrong.
        source: InvalidOutline,
    },
    /// A number is out of range (NaN, infinite, a scale ≤ 0, a negative size).
    #[error("field `{field}`: {problem}")]
    InvalidValue {
        /// The field.
        field: &'static str,
        /// What is wrong.
        problem: String,
    },
    /// An element without its own size cannot be resized by factors.
    #[error("element `{0}` has the catalogue's size: give it a size (set_element) before resizing")]
    NoSize(ElementId),
    /// An edit inside a batch failed; the batch was rolled back.
    #[error("edit {index} of the batch: {source}")]
    Batch {
        /// Index of the failing edit.
        index: usize,
        /// Its error.
        source: Box<EditError>,
    },
}

impl EditError {
    /// The message in English and Chinese.
    pub fn message(&self) -> crate::text::Text {
        let en = self.to_string();
        let zh = match self {
            EditError::UnknownZone(id) => format!("没有 id 为 `{id}` 的区域"),
            EditError::UnknownElement(id) => format!("没有 id 为 `{id}` 的元素"),
            EditError::UnknownBuilding(id) => format!("没有 id 为 `{id}` 的建筑"),
            EditError::DuplicateId(id) => format!("id `{id}` 已被使用"),
            EditError::InvalidGeometry { zone, source } => {
                format!("区域 `{zone}`：几何图形无效（{source}）")
            }
            EditError::InvalidFootprint { building, source } => {
                format!("建筑 `{building}`：轮廓无效（{source}）")
            }
            EditError::InvalidValue { field, problem } => {
                format!("字段 `{field}`：数值无效（{problem}）")
            }
            EditError::NoSize(id) => {
                format!("元素 `{id}` 使用目录尺寸：请先设置尺寸（set_element）再缩放")
            }
            EditError::Batch { index, source } => {
                format!("批量编辑第 {index} 项：{}", source.message().zh)
            }
        };
        crate::text::Text::new(en, zh)
    }
}

fn finite(field: &'static str, v: f64) -> Result<f64, EditError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(EditError::InvalidValue {
            field,
            problem: format!("{v} is not a finite number"),
        })
    }
}

fn positive(field: &'static str, v: f64) -> Result<f64, EditError> {
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(EditError::InvalidValue {
            field,
            problem: format!("{v} must be a positive number"),
        })
    }
}

fn check_size(size: Option<Size>) -> Result<(), EditError> {
    if let Some(s) = size {
        positive("size.width_m", s.width_m)?;
        positive("size.depth_m", s.depth_m)?;
    }
    Ok(())
}

impl Layout {
    fn zone_index(&self, id: &ZoneId) -> Result<usize, EditError> {
        self.zones
            .iter()
            .position(|z| &z.id == id)
            .ok_or_else(|| EditError::UnknownZone(id.clone()))
    }

    fn element_index(&self, id: &ElementId) -> Result<usize, EditError> {
        self.elements
            .iter()
            .position(|e| &e.id == id)
            .ok_or_else(|| EditError::UnknownElement(id.clone()))
    }

    fn transform_zone(
        &mut self,
        id: &ZoneId,
        f: impl FnOnce(&Outline) -> Result<Outline, InvalidOutline>,
    ) -> Result<Edit, EditError> {
        let i = self.zone_index(id)?;
        let old = self.zones[i].outline.clone();
        let new = f(&old).map_err(|source| EditError::InvalidGeometry {
            zone: id.clone(),
            source,
        })?;
        self.zones[i].outline = new;
        Ok(Edit::Reshape {
            zone: id.clone(),
            outline: old,
        })
    }

    fn building_index(&self, id: &BuildingId) -> Result<usize, EditError> {
        self.plot
            .buildings
            .iter()
            .position(|b| &b.id == id)
            .ok_or_else(|| EditError::UnknownBuilding(id.clone()))
    }

    fn transform_building(
        &mut self,
        id: &BuildingId,
        f: impl FnOnce(&Outline) -> Result<Outline, InvalidOutline>,
    ) -> Result<Edit, EditError> {
        let i = self.building_index(id)?;
        let old = self.plot.buildings[i].outline.clone();
        let new = f(&old).map_err(|source| EditError::InvalidFootprint {
            building: id.clone(),
            source,
        })?;
        self.plot.buildings[i].outline = new;
        Ok(Edit::ReshapeBuilding {
            building: id.clone(),
            outline: old,
        })
    }

    fn place_inverse(&self, i: usize) -> Edit {
        let e = &self.elements[i];
        Edit::Place {
            element: e.id.clone(),
            position: e.position,
            rotation_deg: e.rotation_deg,
            size: e.size,
        }
    }

    /// Applies an edit and returns its inverse. On error the layout is unchanged.
    ///
    /// # Examples
    /// ```
    /// use plotwise_plan::{Element, Layout, Outline, Plot};
    /// use plotwise_plan::edit::{Edit, Target};
    /// use geo::Coord;
    /// let plot = Plot::new("plot", Outline::rect(Coord { x: 0., y: 0. }, Coord { x: 10., y: 10. }).unwrap());
    /// let mut layout = Layout::new(plot);
    /// let before = layout.clone();
    /// let undo = layout.apply(Edit::AddElement { element: Element::new("b1", "bench", Coord { x: 5., y: 5. }), index: None }).unwrap();
    /// let redo = layout.apply(undo).unwrap();
    /// assert_eq!(layout, before);
    /// layout.apply(redo).unwrap();
    /// assert_eq!(layout.elements.len(), 1);
    /// ```
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        match edit {
            Edit::AddZone { zone, index } => {
                if self.id_in_use(zone.id.as_str()) {
                    return Err(EditError::DuplicateId(zone.id.0));
                }
                if let Some(d) = zone.soil_depth_m {
                    finite("soil_depth_m", d)?;
                }
                let at = index.unwrap_or(self.zones.len()).min(self.zones.len());
                let id = zone.id.clone();
                self.zones.insert(at, zone);
                Ok(Edit::Remove {
                    target: Target::Zone(id),
                })
            }
            Edit::AddElement { element, index } => {
                if self.id_in_use(element.id.as_str()) {
                    return Err(EditError::DuplicateId(element.id.0));
                }
                finite("position.x", element.position.x)?;
                finite("position.y", element.position.y)?;
                finite("rotation_deg", element.rotation_deg)?;
                check_size(element.size)?;
                let at = index
                    .unwrap_or(self.elements.len())
                    .min(self.elements.len());
                let id = element.id.clone();
                self.elements.insert(at, element);
                Ok(Edit::Remove {
                    target: Target::Element(id),
                })
            }
            Edit::AddBuilding { building, index } => {
                if self.id_in_use(building.id.as_str()) {
                    return Err(EditError::DuplicateId(building.id.0));
                }
                positive("height_m", building.height_m)?;
                let all = &mut self.plot.buildings;
                let at = index.unwrap_or(all.len()).min(all.len());
                let id = building.id.clone();
                all.insert(at, building);
                Ok(Edit::Remove {
                    target: Target::Building(id),
                })
            }
            Edit::Move { target, dx, dy } => {
                let (dx, dy) = (finite("dx", dx)?, finite("dy", dy)?);
                let shift = |o: &Outline| Outline::new(o.multi_polygon().translate(dx, dy));
                match target {
                    Target::Zone(id) => self.transform_zone(&id, shift),
                    Target::Building(id) => self.transform_building(&id, shift),
                    Target::Element(id) => {
                        let i = self.element_index(&id)?;
                        let inv = self.place_inverse(i);
                        let e = &mut self.elements[i];
                        e.position = Coord {
                            x: e.position.x + dx,
                            y: e.position.y + dy,
                        };
                        Ok(inv)
                    }
                }
            }
            Edit::Rotate { target, angle_deg } => {
                let a = finite("angle_deg", angle_deg)?;
                let turn = |o: &Outline| {
                    let c = geo::Point(o.centroid());
                    Outline::new(o.multi_polygon().rotate_around_point(a, c))
                };
                match target {
                    Target::Zone(id) => self.transform_zone(&id, turn),
                    Target::Building(id) => self.transform_building(&id, turn),
                    Target::Element(id) => {
                        let i = self.element_index(&id)?;
                        let inv = self.place_inverse(i);
                        let e = &mut self.elements[i];
                        e.rotation_deg = (e.rotation_deg + a).rem_euclid(360.0);
                        Ok(inv)
                    }
                }
            }
            Edit::Resize { target, sx, sy } => {
                let (sx, sy) = (positive("sx", sx)?, positive("sy", sy)?);
                let grow = |o: &Outline| {
                    let c = geo::Point(o.centroid());
                    Outline::new(o.multi_polygon().scale_around_point(sx, sy, c))
                };
                match target {
                    Target::Zone(id) => self.transform_zone(&id, grow),
                    Target::Building(id) => self.transform_building(&id, grow),
                    Target::Element(id) => {
                        let i = self.element_index(&id)?;
                        let Some(size) = self.elements[i].size else {
                            return Err(EditError::NoSize(id));
                        };
                        let new = Size {
                            width_m: size.width_m * sx,
                            depth_m: size.depth_m * sy,
                        };
                        check_size(Some(new))?;
                        let inv = self.place_inverse(i);
                        self.elements[i].size = Some(new);
                        Ok(inv)
                    }
                }
            }
            Edit::Reshape { zone, outline } => self.transform_zone(&zone, |_| Ok(outline)),
            Edit::ReshapeBuilding { building, outline } => {
                self.transform_building(&building, |_| Ok(outline))
            }
            Edit::Place {
                element,
                position,
                rotation_deg,
                size,
            } => {
                finite("position.x", position.x)?;
                finite("position.y", position.y)?;
                finite("rotation_deg", rotation_deg)?;
                check_size(size)?;
                let i = self.element_index(&element)?;
                let inv = self.place_inverse(i);
                let e = &mut self.elements[i];
                e.position = position;
                e.rotation_deg = rotation_deg;
                e.size = size;
                Ok(inv)
            }
            Edit::Remove { target } => match target {
                Target::Zone(id) => {
                    let i = self.zone_index(&id)?;
                    let zone = self.zones.remove(i);
                    Ok(Edit::AddZone {
                        zone,
                        index: Some(i),
                    })
                }
                Target::Element(id) => {
                    let i = self.element_index(&id)?;
                    let element = self.elements.remove(i);
                    Ok(Edit::AddElement {
                        element,
                        index: Some(i),
                    })
                }
                Target::Building(id) => {
                    let i = self.building_index(&id)?;
                    let building = self.plot.buildings.remove(i);
                    Ok(Edit::AddBuilding {
                        building,
                        index: Some(i),
                    })
                }
            },
            Edit::SetBuilding { building, props } => {
                positive("height_m", props.height_m)?;
                let i = self.building_index(&building)?;
                let b = &mut self.plot.buildings[i];
                let old = BuildingProps {
                    height_m: std::mem::replace(&mut b.height_m, props.height_m),
                    name: std::mem::replace(&mut b.name, props.name),
                    name_zh: std::mem::replace(&mut b.name_zh, props.name_zh),
                };
                Ok(Edit::SetBuilding {
                    building,
                    props: old,
                })
            }
            Edit::SetZone { zone, props } => {
                if let Some(d) = props.soil_depth_m
                    && !(d.is_finite() && d >= 0.0)
                {
                    return Err(EditError::InvalidValue {
                        field: "soil_depth_m",
                        problem: format!("{d} must be a non-negative number"),
                    });
                }
                let i = self.zone_index(&zone)?;
                let z = &mut self.zones[i];
                let old = ZoneProps {
                    kind: z.kind,
                    surface: z.surface,
                    soil_depth_m: z.soil_depth_m,
                    name: z.name.take(),
                    name_zh: z.name_zh.take(),
                };
                z.kind = props.kind;
                z.surface = props.surface;
                z.soil_depth_m = props.soil_depth_m;
                z.name = props.name;
                z.name_zh = props.name_zh;
                Ok(Edit::SetZone { zone, props: old })
            }
            Edit::SetElement { element, props } => {
                check_size(props.size)?;
                let i = self.element_index(&element)?;
                let e = &mut self.elements[i];
                let old = ElementProps {
                    kind: std::mem::replace(&mut e.kind, props.kind),
                    size: std::mem::replace(&mut e.size, props.size),
                    name: std::mem::replace(&mut e.name, props.name),
                };
                Ok(Edit::SetElement {
                    element,
                    props: old,
                })
            }
            Edit::SetPlot { props } => {
                let props = *props;
                let mut trial = self.clone();
                let p = &mut trial.plot;
                p.kind = props.kind;
                p.name = props.name;
                p.name_zh = props.name_zh;
                p.note = props.note;
                p.entrances = props.entrances;
                p.keep_trees = props.keep_trees;
                p.no_build = props.no_build;
                trial
                    .check_values()
                    .map_err(|problem| EditError::InvalidValue {
                        field: "plot",
                        problem,
                    })?;
                if let Some(id) = trial.duplicate_id() {
                    return Err(EditError::DuplicateId(id));
                }
                let old = std::mem::replace(self, trial);
                let o = old.plot;
                Ok(Edit::SetPlot {
                    props: Box::new(PlotProps {
                        kind: o.kind,
                        name: o.name,
                        name_zh: o.name_zh,
                        note: o.note,
                        entrances: o.entrances,
                        keep_trees: o.keep_trees,
                        no_build: o.no_build,
                    }),
                })
            }
            Edit::SetBuildings { buildings } => {
                let mut trial = self.clone();
                trial.plot.buildings = buildings;
                trial
                    .check_values()
                    .map_err(|problem| EditError::InvalidValue {
                        field: "buildings",
                        problem,
                    })?;
                if let Some(id) = trial.duplicate_id() {
                    return Err(EditError::DuplicateId(id));
                }
                let old = std::mem::replace(self, trial);
                Ok(Edit::SetBuildings {
                    buildings: old.plot.buildings,
                })
            }
            Edit::ReshapePlot { outline } => Ok(Edit::ReshapePlot {
                outline: std::mem::replace(&mut self.plot.outline, outline),
            }),
            Edit::SetInfo {
                title,
                author,
                notes,
            } => Ok(Edit::SetInfo {
                title: std::mem::replace(&mut self.title, title),
                author: std::mem::replace(&mut self.author, author),
                notes: std::mem::replace(&mut self.notes, notes),
            }),
            Edit::Batch { edits } => {
                let mut inverses = Vec::with_capacity(edits.len());
                for (index, e) in edits.into_iter().enumerate() {
                    match self.apply(e) {
                        Ok(inv) => inverses.push(inv),
                        Err(err) => {
                            // Roll back what was applied; inverses of applied edits succeed.
                            while let Some(inv) = inverses.pop() {
                                let _ = self.apply(inv);
                            }
                            return Err(EditError::Batch {
                                index,
                                source: Box::new(err),
                            });
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch { edits: inverses })
            }
        }
    }
}
