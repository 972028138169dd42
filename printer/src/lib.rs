//! Placeholder until the printer helper lands.
