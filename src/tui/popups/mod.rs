//! The layer over the screens: the problems/info/confirm overlay
//! (`overlay`), the code picker (`picker`), prompts and menus (`menu`,
//! `input`), the `?` help (`help`) and every popup's key table (`keys`).
//! While one is open it takes every key.

pub mod help;
pub mod input;
pub mod keys;
pub mod menu;
pub mod overlay;
pub mod picker;
