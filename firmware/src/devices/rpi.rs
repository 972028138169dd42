//! The Raspberry Pi's GPIO through rppal (`--features rpi`). Buttons wire a pin to ground with
//! the internal pull-up enabled, so pressed reads low.

use rppal::gpio::Gpio;

use super::{Board, DeviceError, InputPin, OutputPin};

pub struct RpiBoard {
    gpio: Gpio,
}

impl RpiBoard {
    pub fn open() -> Result<RpiBoard, DeviceError> {
        Gpio::new().map(|gpio| RpiBoard { gpio }).map_err(|e| DeviceError(format!("cannot open the GPIO: {e}")))
    }
}

struct RpiInput(rppal::gpio::InputPin);

impl InputPin for RpiInput {
    fn is_pressed(&mut self) -> bool {
        self.0.is_low()
    }
}

struct RpiOutput(rppal::gpio::OutputPin);

impl OutputPin for RpiOutput {
    fn set(&mut self, on: bool) {
        if on {
            self.0.set_high()
        } else {
            self.0.set_low()
        }
    }
}

impl Board for RpiBoard {
    fn input(&mut self, pin: u8) -> Result<Box<dyn InputPin>, DeviceError> {
        let p = self.gpio.get(pin).map_err(|e| DeviceError(format!("GPIO {pin}: {e}")))?;
        Ok(Box::new(RpiInput(p.into_input_pullup())))
    }

    fn output(&mut self, pin: u8) -> Result<Box<dyn OutputPin>, DeviceError> {
        let p = self.gpio.get(pin).map_err(|e| DeviceError(format!("GPIO {pin}: {e}")))?;
        Ok(Box::new(RpiOutput(p.into_output_low())))
    }
}
