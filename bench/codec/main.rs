//! Times midad's image codec and the crates it was chosen from, on a generated camera-like
//! 4000×3000 JPEG (quality 92):
//! `cargo run --release --example codec_bench [crates|quality|codec|orient|all] [runs]`.
//!
//! Times are process CPU time (every thread counted) and wall time, best of a few runs.

use std::time::Instant;

// The codec as the library compiles it, without making its items public.
#[path = "../../src/images"]
mod images {
    pub(crate) mod codec;
}
mod crates;
mod variants;

/// Best-of-N timing of closures, printed as they finish.
pub(crate) struct Timer {
    runs: usize,
}

#[repr(C)]
struct Timespec {
    sec: i64,
    nsec: i64,
}

unsafe extern "C" {
    fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
}

/// Seconds of CPU time this process has used, all threads together.
pub(crate) fn cpu_seconds() -> f64 {
    const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    let mut t = Timespec { sec: 0, nsec: 0 };
    // SAFETY: clock_gettime writes one timespec, which `t` is.
    unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut t) };
    t.sec as f64 + t.nsec as f64 * 1e-9
}

impl Timer {
    /// Runs `f` `runs` times and prints the best CPU and wall milliseconds.
    pub(crate) fn run<T>(&mut self, name: &str, mut f: impl FnMut() -> T) -> f64 {
        let (mut best_cpu, mut best_wall) = (f64::MAX, f64::MAX);
        for _ in 0..self.runs {
            let (c0, w0) = (cpu_seconds(), Instant::now());
            std::hint::black_box(f());
            best_cpu = best_cpu.min(cpu_seconds() - c0);
            best_wall = best_wall.min(w0.elapsed().as_secs_f64());
        }
        println!("{name:<60} cpu {:>8.1} ms  wall {:>8.1} ms", best_cpu * 1e3, best_wall * 1e3);
        best_cpu
    }
}

/// A 4000×3000 photo-like JPEG at quality 92: gradients, shapes with hard edges, fine texture
/// and sensor-like noise, so it compresses like a camera file rather than like a flat test card.
pub(crate) fn photo_jpeg() -> (Vec<u8>, u32, u32) {
    let (w, h) = (4000u32, 3000u32);
    let rgb = photo_rgb(w, h);
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, 92);
    e.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    e.encode(&rgb, w as u16, h as u16, jpeg_encoder::ColorType::Rgb).expect("encode photo");
    (out, w, h)
}

/// The photo's pixels, RGB.
pub(crate) fn photo_rgb(w: u32, h: u32) -> Vec<u8> {
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
            // Sky over ground, a sun, and a striped building: edges and flat areas.
            let mut p = if fy < 0.55 {
                [90.0 + 80.0 * fy, 140.0 + 60.0 * fy, 230.0 - 40.0 * fy]
            } else {
                [110.0 - 30.0 * fy, 120.0 + 20.0 * fx, 60.0]
            };
            let (dx, dy) = (fx - 0.7, fy - 0.25);
            if dx * dx + dy * dy * 0.6 < 0.006 {
                p = [250.0, 230.0, 160.0];
            }
            if (0.1..0.4).contains(&fx) && fy > 0.3 {
                let stripe = if ((x / 40) + (y / 60)) % 2 == 0 { 40.0 } else { -30.0 };
                p = [150.0 + stripe, 140.0 + stripe, 130.0 + stripe];
            }
            // Texture (foliage-like) and noise.
            let texture = ((x as f32 * 0.31).sin() * (y as f32 * 0.17).cos()) * 12.0 * fy;
            for c in &mut p {
                let noise = (next() % 17) as f32 - 8.0;
                *c = (*c + texture + noise).clamp(0.0, 255.0);
            }
            rgb.extend(p.map(|c| c as u8));
        }
    }
    rgb
}

fn main() {
    let what = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    let runs = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut t = Timer { runs };
    let (jpeg, w, h) = photo_jpeg();
    println!("photo: {w}x{h} JPEG q92, {} KiB", jpeg.len() / 1024);
    if let Some(path) = std::env::var_os("PHOTO_OUT") {
        std::fs::write(path, &jpeg).expect("write the photo");
        return;
    }
    if what == "crates" || what == "all" {
        crates::all(&mut t);
    }
    if what == "quality" {
        crates::quality();
    }
    if what == "orient" {
        variants::orientation(&jpeg, &mut t);
    }
    if what == "codec" || what == "all" {
        variants::all(&jpeg, &mut t);
    }
}
