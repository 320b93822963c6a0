//! One component per file; props are data plus callbacks.

pub mod canvas;
pub mod compare;
pub mod drafts_panel;
pub mod export;
pub mod findings;
pub mod header;
pub mod inspector;
pub mod palette;
pub mod summary;
pub mod sun;
pub mod toolbar;
