//! The PDF board (feature `pdf`): the SVG board of [`super::svg`] converted with usvg 0.45 and
//! svg2pdf 0.13.
//!
//! This crate does no I/O, so the caller passes the bytes of a font with CJK glyphs (the CLI
//! reads `/usr/share/fonts/truetype/wqy/wqy-microhei.ttc`). It becomes the fallback for every
//! family the board asks for and is embedded as a subset of the glyphs used (svg2pdf subsets
//! automatically), so a 5 MB font gives a PDF of tens of kilobytes. The page has the paper's
//! size (A3 landscape: 1190.55 × 841.89 pt).

use super::ExportError;
use super::svg::{BoardOptions, board_svg};
use crate::model::Layout;

/// The board as PDF bytes, with `font_data` (a TTF, OTF or TTC with CJK glyphs) embedded as a
/// subset.
///
/// # Errors
/// What [`board_svg`] refuses; [`ExportError::Font`] when `font_data` holds no usable font;
/// [`ExportError::Pdf`] if usvg or svg2pdf fail (a bug in the board, not the user's input).
pub fn board_pdf(
    layout: &Layout,
    options: &BoardOptions,
    font_data: &[u8],
) -> Result<Vec<u8>, ExportError> {
    let svg = board_svg(layout, options)?;
    svg_to_pdf(&svg, font_data)
}

/// Converts an SVG document (sized in physical units) to a one-page PDF of the same size,
/// with `font_data` as the font for every text.
pub fn svg_to_pdf(svg: &str, font_data: &[u8]) -> Result<Vec<u8>, ExportError> {
    let mut opt = usvg::Options::default();
    let db = opt.fontdb_mut();
    db.load_font_data(font_data.to_vec());
    let family = db
        .faces()
        .flat_map(|f| f.families.iter())
        .map(|(name, _)| name.clone())
        .next()
        .ok_or_else(|| {
            ExportError::Font(format!(
                "the {} bytes given are not a TrueType/OpenType font (or collection)",
                font_data.len()
            ))
        })?;
    // Whatever family the SVG names, text falls back to the font given.
    db.set_sans_serif_family(family.clone());
    db.set_serif_family(family.clone());
    opt.font_family = family;
    opt.languages = vec!["zh-CN".into(), "en".into()];
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| ExportError::Pdf(e.to_string()))?;
    // usvg converts millimetres at 96 dpi; the same dpi for the page keeps the paper size.
    let page = svg2pdf::PageOptions { dpi: 96.0 };
    svg2pdf::to_pdf(&tree, svg2pdf::ConversionOptions::default(), page)
        .map_err(|e| ExportError::Pdf(e.to_string()))
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn garbage_font_is_refused_with_a_message() {
        let e = svg_to_pdf(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="10mm" height="10mm"/>"#,
            b"not a font",
        )
        .unwrap_err();
        assert!(matches!(e, ExportError::Font(_)), "{e}");
        assert!(e.to_string().contains("10 bytes"), "{e}");
    }
}
