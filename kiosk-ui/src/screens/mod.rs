//! The glue of each screen, one module per file of `ui/` (`home.slint` → `home.rs`, …), plus
//! the on-screen keyboard that edits whichever field the current screen has.

pub(crate) mod access;
pub(crate) mod dossier_lookup;
pub(crate) mod home;
pub(crate) mod keyboard;
pub(crate) mod phone;
pub(crate) mod procedure_detail;
pub(crate) mod procedure_lookup;
pub(crate) mod rating;
pub(crate) mod take_number;

use crate::glue::Glue;
use crate::Api;

/// Wire every callback of `Api` to its screen's glue.
pub(crate) fn wire(api: &Api, glue: &Glue) {
    home::wire(api, glue);
    take_number::wire(api, glue);
    phone::wire(api, glue);
    keyboard::wire(api, glue);
    procedure_lookup::wire(api, glue);
    procedure_detail::wire(api, glue);
    dossier_lookup::wire(api, glue);
    rating::wire(api, glue);
    access::wire(api, glue);
}
