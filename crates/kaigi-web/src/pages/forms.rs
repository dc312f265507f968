//! Posted forms read as lists of fields, for forms whose fields repeat or vary (checkboxes,
//! numbered rows, one field per criterion).

/// A form posted as its list of fields (checkboxes and numbered rows repeat names).
pub type Fields = Vec<(String, String)>;

/// A field of a posted form, trimmed ("" when absent).
pub fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    raw_field(fields, name).trim()
}

/// A field as typed (texts keep their spacing).
pub fn raw_field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

/// Whether the form sent the field at all (a checked box).
pub fn has(fields: &Fields, name: &str) -> bool {
    fields.iter().any(|(k, _)| k == name)
}
