//! One component per file; props are data plus callbacks.

pub mod plot_view;
