//! Typed ids. Each kind of object has its own id type, so a zone id cannot be used where an
//! element id is expected. Ids are the strings users and findings name (`bench-1`, `plot`).

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }
    };
}

id_type!(
    /// The id of a plot (`plot` when imported from a GeoJSON layout).
    PlotId
);
id_type!(
    /// The id of a zone.
    ZoneId
);
id_type!(
    /// The id of a placed catalogue element.
    ElementId
);
id_type!(
    /// The id of an entrance of a plot.
    EntranceId
);
id_type!(
    /// The id of a tree to keep.
    TreeId
);
id_type!(
    /// The id of a no-build area (drain, skylight, manhole, …).
    NoBuildId
);
id_type!(
    /// The id of a building around the plot (it casts shadow; `building-1` when imported
    /// without one).
    BuildingId
);
