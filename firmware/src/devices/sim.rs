//! A board in software: tests and development press its buttons and read its LEDs. Pins are
//! held high by pull-ups, as on the Pi, so a pressed button reads low.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{Board, DeviceError, InputPin, OutputPin};

#[derive(Clone, Default)]
pub struct SimulatedBoard {
    state: Arc<Mutex<SimState>>,
}

#[derive(Default)]
struct SimState {
    pressed: HashMap<u8, bool>,
    outputs: HashMap<u8, bool>,
}

impl SimulatedBoard {
    pub fn new() -> SimulatedBoard {
        SimulatedBoard::default()
    }

    /// Hold (true) or release (false) the button on `pin`.
    pub fn set_pressed(&self, pin: u8, pressed: bool) {
        self.state.lock().unwrap().pressed.insert(pin, pressed);
    }

    /// Whether the output on `pin` is on.
    pub fn output(&self, pin: u8) -> bool {
        self.state.lock().unwrap().outputs.get(&pin).copied().unwrap_or(false)
    }
}

struct SimInput {
    pin: u8,
    state: Arc<Mutex<SimState>>,
}

impl InputPin for SimInput {
    fn is_pressed(&mut self) -> bool {
        self.state.lock().unwrap().pressed.get(&self.pin).copied().unwrap_or(false)
    }
}

struct SimOutput {
    pin: u8,
    state: Arc<Mutex<SimState>>,
}

impl OutputPin for SimOutput {
    fn set(&mut self, on: bool) {
        self.state.lock().unwrap().outputs.insert(self.pin, on);
    }
}

impl Board for SimulatedBoard {
    fn input(&mut self, pin: u8) -> Result<Box<dyn InputPin>, DeviceError> {
        Ok(Box::new(SimInput { pin, state: self.state.clone() }))
    }

    fn output(&mut self, pin: u8) -> Result<Box<dyn OutputPin>, DeviceError> {
        Ok(Box::new(SimOutput { pin, state: self.state.clone() }))
    }
}
