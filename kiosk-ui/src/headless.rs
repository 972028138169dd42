//! Drawing the app without a display: a Slint platform whose only window is a software-rendered
//! buffer. Used by `render-screens` (the PNGs in docs/screens) and the benchmark, so both
//! measure the same software renderer the kiosk uses on a Raspberry Pi.

use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};

use slint::platform::software_renderer::{MinimalSoftwareWindow, RepaintBufferType};
use slint::platform::{Platform, WindowAdapter, WindowEvent};
use slint::{PhysicalSize, Rgb8Pixel};

struct HeadlessPlatform {
    window: Rc<MinimalSoftwareWindow>,
    start: Instant,
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, slint::PlatformError> {
        Ok(self.window.clone())
    }

    fn duration_since_start(&self) -> Duration {
        self.start.elapsed()
    }
}

/// The one off-screen window of this thread's Slint platform.
pub struct Screen {
    window: Rc<MinimalSoftwareWindow>,
    pixels: Vec<Rgb8Pixel>,
}

impl Screen {
    /// Install the headless platform (once per process) with a window of `width`×`height`.
    pub fn install(width: u32, height: u32) -> Result<Screen, slint::PlatformError> {
        let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
        slint::platform::set_platform(Box::new(HeadlessPlatform { window: window.clone(), start: Instant::now() }))
            .map_err(|e| slint::PlatformError::Other(e.to_string()))?;
        let screen = Screen { window, pixels: Vec::new() };
        screen.resize(width, height);
        Ok(screen)
    }

    pub fn resize(&self, width: u32, height: u32) {
        self.window.set_size(PhysicalSize::new(width, height));
        self.window.dispatch_event(WindowEvent::ScaleFactorChanged { scale_factor: 1.0 });
        self.window.dispatch_event(WindowEvent::Resized { size: slint::LogicalSize::new(width as f32, height as f32) });
    }

    /// Run due timers, then draw a whole frame into the buffer; whether anything was drawn.
    pub fn render(&mut self) -> bool {
        slint::platform::update_timers_and_animations();
        let size = self.window.size();
        let (w, h) = (size.width as usize, size.height as usize);
        self.pixels.resize(w * h, Rgb8Pixel::default());
        self.window.request_redraw();
        let pixels = &mut self.pixels;
        self.window.draw_if_needed(|renderer| {
            renderer.render(pixels, w);
        })
    }

    /// Draw a frame and save it as an RGB PNG.
    pub fn save_png(&mut self, path: &Path) -> std::io::Result<()> {
        self.render();
        let size = self.window.size();
        let file = std::io::BufWriter::new(std::fs::File::create(path)?);
        let mut encoder = png::Encoder::new(file, size.width, size.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::High);
        let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
        let bytes: Vec<u8> = self.pixels.iter().flat_map(|p| [p.r, p.g, p.b]).collect();
        writer.write_image_data(&bytes).map_err(std::io::Error::other)?;
        writer.finish().map_err(std::io::Error::other)
    }
}
