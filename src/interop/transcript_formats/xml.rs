//! Small helpers over quick-xml shared by the document readers.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart};

/// The text an entity or character reference stands for.
pub fn reference(r: &BytesRef<'_>, part: &str, reader: &Reader<&[u8]>) -> Result<String, String> {
    if let Some(c) = r
        .resolve_char_ref()
        .map_err(|e| malformed(part, reader, e))?
    {
        return Ok(c.to_string());
    }
    quick_xml::escape::resolve_predefined_entity(r)
        .map(str::to_string)
        .ok_or_else(|| {
            format!(
                "{part}: unknown entity `&{};` at byte {}; the file is damaged, save it again from your word processor",
                crate::model::text::inert(r),
                reader.buffer_position()
            )
        })
}

/// The message for XML that cannot be parsed, with where it went wrong.
pub fn malformed(part: &str, reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> String {
    format!(
        "{part}: malformed XML at byte {}: {e}; the file is damaged, save it again from your word processor",
        reader.error_position()
    )
}

/// The value of attribute `name`, unescaped, if present.
pub fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}
