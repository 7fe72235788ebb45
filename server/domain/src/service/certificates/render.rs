//! The downloadable certificate image: an A4-proportioned PNG with the text
//! set in a Japanese font and the verification QR code.

use crate::view::CertificateView;
use ab_glyph::{Font, FontArc, PxScale, ScaleFont, point};
use image::{ImageFormat, Luma, Rgba, RgbaImage};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use std::io::Cursor;

const WIDTH: u32 = 1240;
const HEIGHT: u32 = 1754;
const INK: Rgba<u8> = Rgba([34, 34, 34, 255]);
const ACCENT: Rgba<u8> = Rgba([0, 105, 92, 255]);
const PAPER: Rgba<u8> = Rgba([255, 255, 255, 255]);

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("QR code: {0}")]
    Qr(#[from] qrcode::types::QrError),
    #[error("PNG encoding: {0}")]
    Encode(#[from] image::ImageError),
}

/// Well-known places of Debian's Japanese fonts, tried in order when
/// `CERTIFICATE_FONT` is not set.
pub const FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
];

/// Loads the font from `explicit` or the first candidate that exists.
#[must_use]
pub fn load_font(explicit: Option<&std::path::Path>) -> Option<FontArc> {
    let candidates: Vec<&std::path::Path> = match explicit {
        Some(path) => vec![path],
        None => FONT_CANDIDATES.iter().map(std::path::Path::new).collect(),
    };
    candidates.into_iter().find_map(|path| {
        let bytes = std::fs::read(path).ok()?;
        FontArc::try_from_vec(bytes).ok()
    })
}

/// Renders the certificate.
///
/// # Errors
/// When the URL does not fit a QR code or encoding fails.
pub fn render_certificate(certificate: &CertificateView, font: &FontArc) -> Result<Vec<u8>, RenderError> {
    let mut canvas = RgbaImage::from_pixel(WIDTH, HEIGHT, PAPER);
    frame(&mut canvas, 40, 8, ACCENT);
    frame(&mut canvas, 60, 2, ACCENT);
    let centre = WIDTH as f32 / 2.0;
    let heading: Vec<String> = certificate.document_name.chars().map(String::from).collect();
    draw_centred(&mut canvas, font, 120.0, centre, 300.0, &heading.join(" "), INK);
    draw_centred(&mut canvas, font, 40.0, centre, 400.0, &format!("No. {}", certificate.number), INK);
    draw_centred(&mut canvas, font, 84.0, centre, 600.0, &format!("{} 様", certificate.holder_name), INK);
    let lines = wrap(font, 46.0, &certificate.statement, WIDTH as f32 - 160.0);
    for (i, line) in lines.iter().take(3).enumerate() {
        draw_centred(&mut canvas, font, 46.0, centre, 760.0 + i as f32 * 70.0, line, INK);
    }
    draw_centred(&mut canvas, font, 42.0, centre, 990.0, &format!("修了日　{}", certificate.completed_on), INK);
    draw_centred(&mut canvas, font, 46.0, centre, 1090.0, &format!("実施　{}", certificate.issuer), INK);

    let qr = QrCode::with_error_correction_level(certificate.verify_url.as_bytes(), EcLevel::M)?;
    let qr_image = qr.render::<Luma<u8>>().module_dimensions(6, 6).quiet_zone(true).build();
    let qr_x = (WIDTH - qr_image.width()) / 2;
    let qr_y = 1180;
    for (x, y, pixel) in qr_image.enumerate_pixels() {
        let value = pixel.0[0];
        if let Some(target) = canvas.get_pixel_mut_checked(qr_x + x, qr_y + y) {
            *target = Rgba([value, value, value, 255]);
        }
    }
    let caption_y = (qr_y + qr_image.height()) as f32 + 50.0;
    draw_centred(
        &mut canvas,
        font,
        30.0,
        centre,
        caption_y,
        &format!("QRコードを読み取ると、この{}が本物か確認できます", certificate.document_name),
        INK,
    );

    let mut out = Cursor::new(Vec::new());
    canvas.write_to(&mut out, ImageFormat::Png)?;
    Ok(out.into_inner())
}

fn frame(canvas: &mut RgbaImage, inset: u32, thickness: u32, colour: Rgba<u8>) {
    for y in inset..HEIGHT - inset {
        for x in inset..WIDTH - inset {
            let near_edge = x < inset + thickness
                || x >= WIDTH - inset - thickness
                || y < inset + thickness
                || y >= HEIGHT - inset - thickness;
            if near_edge {
                canvas.put_pixel(x, y, colour);
            }
        }
    }
}

/// Breaks `text` into lines no wider than `max_width`, preferring to break
/// after 「、」 and 「。」, else between any two characters.
fn wrap(font: &FontArc, size: f32, text: &str, max_width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut clauses: Vec<String> = Vec::new();
    let mut clause = String::new();
    for c in text.chars() {
        clause.push(c);
        if c == '、' || c == '。' {
            clauses.push(std::mem::take(&mut clause));
        }
    }
    if !clause.is_empty() {
        clauses.push(clause);
    }
    for clause in clauses {
        if text_width(font, size, &format!("{line}{clause}")) <= max_width {
            line.push_str(&clause);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in clause.chars() {
            if !line.is_empty() && text_width(font, size, &format!("{line}{c}")) > max_width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A QR code of `text` as an SVG document (empty if it cannot be encoded).
#[must_use]
pub fn qr_svg(text: &str) -> String {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map(|code| code.render::<svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build())
        .unwrap_or_default()
}

fn text_width(font: &FontArc, size: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    text.chars().map(|c| scaled.h_advance(scaled.glyph_id(c))).sum()
}

/// Draws one line centred on `centre_x`, with its baseline at `baseline`.
fn draw_centred(
    canvas: &mut RgbaImage,
    font: &FontArc,
    size: f32,
    centre_x: f32,
    baseline: f32,
    text: &str,
    colour: Rgba<u8>,
) {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut caret = centre_x - text_width(font, size, text) / 2.0;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        let glyph = id.with_scale_and_position(size, point(caret, baseline));
        caret += scaled.h_advance(id);
        let Some(outline) = font.outline_glyph(glyph) else { continue };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            let x = bounds.min.x as i64 + i64::from(gx);
            let y = bounds.min.y as i64 + i64::from(gy);
            let (Ok(x), Ok(y)) = (u32::try_from(x), u32::try_from(y)) else { return };
            if let Some(pixel) = canvas.get_pixel_mut_checked(x, y) {
                let a = coverage.clamp(0.0, 1.0);
                for channel in 0..3 {
                    let blended = f32::from(pixel.0[channel]) * (1.0 - a) + f32::from(colour.0[channel]) * a;
                    pixel.0[channel] = blended.round() as u8;
                }
            }
        });
    }
}
