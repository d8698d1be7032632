//! EXIF orientation: the eight ways a camera may have stored a picture relative to upright.

/// An EXIF orientation, 1 to 8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Orientation(u8);

impl Orientation {
    /// As stored (1).
    pub(super) const UPRIGHT: Orientation = Orientation(1);

    /// The orientation of an EXIF value; `None` outside 1 to 8.
    pub(super) fn from_exif(value: u16) -> Option<Orientation> {
        u8::try_from(value).ok().filter(|v| (1..=8).contains(v)).map(Orientation)
    }

    /// Width and height upright, of an image stored `width` × `height`: 5 to 8 turn it a
    /// quarter.
    pub(super) fn upright(self, width: u32, height: u32) -> (u32, u32) {
        if self.0 >= 5 { (height, width) } else { (width, height) }
    }

    /// Turns stored pixels (`channels` bytes each) upright; returns them with the upright
    /// width and height.
    pub(super) fn apply(
        self,
        mut pixels: Vec<u8>,
        width: u32,
        height: u32,
        channels: usize,
    ) -> (Vec<u8>, u32, u32) {
        let (w, h) = (width as usize, height as usize);
        let (uw, uh) = self.upright(width, height);
        let row = w * channels;
        match self.0 {
            1 => {}
            // Mirrors and the half turn stay in place: rows swap, pixels within rows reverse.
            2 => pixels.chunks_exact_mut(row).for_each(|r| reverse_pixels(r, channels)),
            3 => reverse_pixels(&mut pixels, channels),
            4 => reverse_rows(&mut pixels, row),
            // Where the pixel shown at (x, y) is stored, from the EXIF definitions: e.g. for 6
            // "row 0 is the visual right-hand side, column 0 the visual top".
            5 => pixels = turn(&pixels, channels, uw, uh, w, |x, y| (y, x)),
            6 => pixels = turn(&pixels, channels, uw, uh, w, |x, y| (y, h - 1 - x)),
            7 => pixels = turn(&pixels, channels, uw, uh, w, |x, y| (w - 1 - y, h - 1 - x)),
            _ => pixels = turn(&pixels, channels, uw, uh, w, |x, y| (w - 1 - y, x)),
        }
        (pixels, uw, uh)
    }
}

/// Reverses the order of the `channels`-byte pixels of `pixels`.
fn reverse_pixels(pixels: &mut [u8], channels: usize) {
    // Reversing the bytes reverses the pixels and each pixel's channels; put those back.
    pixels.reverse();
    pixels.chunks_exact_mut(channels).for_each(<[u8]>::reverse);
}

/// Reverses the order of the rows (`row` bytes each) of `pixels`.
fn reverse_rows(pixels: &mut [u8], row: usize) {
    let rows = pixels.len() / row;
    for i in 0..rows / 2 {
        let (top, bottom) = pixels.split_at_mut((rows - 1 - i) * row);
        top[i * row..(i + 1) * row].swap_with_slice(&mut bottom[..row]);
    }
}

/// A quarter turn or transposition: a new `out_w` × `out_h` buffer whose pixel (x, y) is
/// `src`'s pixel `from(x, y)` (`src` being `src_w` wide).
fn turn(
    src: &[u8],
    channels: usize,
    out_w: u32,
    out_h: u32,
    src_w: usize,
    from: impl Fn(usize, usize) -> (usize, usize),
) -> Vec<u8> {
    if channels == 3 {
        turn_n::<3>(src, out_w as usize, out_h as usize, src_w, from)
    } else {
        turn_n::<4>(src, out_w as usize, out_h as usize, src_w, from)
    }
}

fn turn_n<const N: usize>(
    src: &[u8],
    out_w: usize,
    out_h: usize,
    src_w: usize,
    from: impl Fn(usize, usize) -> (usize, usize),
) -> Vec<u8> {
    // Tiles keep the column-wise reads within cache.
    const TILE: usize = 32;
    let mut out = vec![0; src.len()];
    for tile_y in (0..out_h).step_by(TILE) {
        for tile_x in (0..out_w).step_by(TILE) {
            for y in tile_y..(tile_y + TILE).min(out_h) {
                let row = &mut out[y * out_w * N..(y + 1) * out_w * N];
                for x in tile_x..(tile_x + TILE).min(out_w) {
                    let (sx, sy) = from(x, y);
                    let s = (sy * src_w + sx) * N;
                    let pixel: [u8; N] = src[s..s + N].try_into().unwrap_or([0; N]);
                    row[x * N..x * N + N].copy_from_slice(&pixel);
                }
            }
        }
    }
    out
}
