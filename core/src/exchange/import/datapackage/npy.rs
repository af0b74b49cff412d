//! A reader of NumPy `.npy` files as `bw_processing` writes them: format versions 1.0, 2.0
//! and 3.0 (numpy `numpy.lib.format`), little-endian (or byte-order free) integers `i1`–`i8`,
//! `u1`–`u8`, floats `f4`/`f8` and booleans `b1`, plain or structured (`descr` a list of
//! `(name, type)` pairs, packed), in C or Fortran order.
//!
//! Written here rather than taken from a crate so the library keeps its dependencies; the
//! `.npz` reader of [`crate::lca::dump`] reads only 1-D plain arrays. Errors are plain
//! messages; the importer names the file and the resource around them.
//!
//! ```
//! use tanso::exchange::import::datapackage::npy::{read, write};
//! let bytes = write("[('row', '<i4'), ('col', '<i4')]", &[1], &[7, 0, 0, 0, 9, 0, 0, 0]);
//! let array = read(&bytes).unwrap();
//! let row = array.field("row").unwrap();
//! assert_eq!(array.int(row, 0), Some(7));
//! ```

/// The kind of a scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Signed integer (`i`).
    Int,
    /// Unsigned integer (`u`).
    Uint,
    /// IEEE float (`f`).
    Float,
    /// Boolean (`b`, `?`).
    Bool,
}

/// One field of a record (a plain array has one, named `""`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// Its kind.
    pub kind: Kind,
    /// Its size in bytes.
    pub size: usize,
    /// Its offset in the record.
    pub offset: usize,
    /// The type as written (e.g. `<f4`), for messages.
    pub code: String,
}

/// An array read from a `.npy` file, borrowing the file's bytes.
#[derive(Debug, Clone)]
pub struct NpyArray<'a> {
    /// The shape.
    pub shape: Vec<usize>,
    /// Whether the data is in Fortran (column-major) order.
    pub fortran_order: bool,
    /// Whether the dtype is structured (a list of named fields).
    pub structured: bool,
    /// The fields (one unnamed field for a plain array).
    pub fields: Vec<Field>,
    /// Bytes per element.
    pub item_size: usize,
    /// The file's format version, e.g. `1.0`.
    pub version: (u8, u8),
    data: &'a [u8],
}

impl NpyArray<'_> {
    /// The number of elements (the product of the shape).
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// Whether the array has no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The field named `name` of a structured array.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The plain array's only field.
    pub fn plain(&self) -> Option<&Field> {
        if self.structured {
            None
        } else {
            self.fields.first()
        }
    }

    /// The dtype as a short text, for messages.
    pub fn dtype(&self) -> String {
        if self.structured {
            let parts: Vec<String> = self.fields.iter().map(|f| format!("('{}', '{}')", f.name, f.code)).collect();
            format!("[{}]", parts.join(", "))
        } else {
            self.fields.first().map(|f| f.code.clone()).unwrap_or_default()
        }
    }

    fn bytes(&self, field: &Field, i: usize) -> Option<&[u8]> {
        let start = i.checked_mul(self.item_size)?.checked_add(field.offset)?;
        self.data.get(start..start.checked_add(field.size)?)
    }

    /// Element `i` (in storage order) of `field` as a float: floats, integers and booleans
    /// (0 or 1); `None` past the end.
    pub fn float(&self, field: &Field, i: usize) -> Option<f64> {
        let b = self.bytes(field, i)?;
        Some(match (field.kind, field.size) {
            (Kind::Float, 4) => f64::from(f32::from_le_bytes(b.try_into().ok()?)),
            (Kind::Float, 8) => f64::from_le_bytes(b.try_into().ok()?),
            (Kind::Bool, _) => f64::from(u8::from(b.iter().any(|&x| x != 0))),
            _ => self.int(field, i)? as f64,
        })
    }

    /// Element `i` of an integer or boolean `field`; `None` for floats, past the end, or an
    /// unsigned value beyond `i64`.
    pub fn int(&self, field: &Field, i: usize) -> Option<i64> {
        let b = self.bytes(field, i)?;
        match (field.kind, field.size) {
            (Kind::Int, 1) => Some(i64::from(i8::from_le_bytes(b.try_into().ok()?))),
            (Kind::Int, 2) => Some(i64::from(i16::from_le_bytes(b.try_into().ok()?))),
            (Kind::Int, 4) => Some(i64::from(i32::from_le_bytes(b.try_into().ok()?))),
            (Kind::Int, 8) => Some(i64::from_le_bytes(b.try_into().ok()?)),
            (Kind::Uint, 1) => Some(i64::from(b[0])),
            (Kind::Uint, 2) => Some(i64::from(u16::from_le_bytes(b.try_into().ok()?))),
            (Kind::Uint, 4) => Some(i64::from(u32::from_le_bytes(b.try_into().ok()?))),
            (Kind::Uint, 8) => i64::try_from(u64::from_le_bytes(b.try_into().ok()?)).ok(),
            (Kind::Bool, _) => Some(i64::from(b.iter().any(|&x| x != 0))),
            _ => None,
        }
    }

    /// Element `i` of `field` as a boolean (non-zero is true).
    pub fn bool(&self, field: &Field, i: usize) -> Option<bool> {
        let b = self.bytes(field, i)?;
        Some(b.iter().any(|&x| x != 0))
    }

    /// The storage position of element (`row`, `col`) of a 2-D array.
    pub fn position(&self, row: usize, col: usize) -> Option<usize> {
        let (&rows, &cols) = (self.shape.first()?, self.shape.get(1)?);
        if row >= rows || col >= cols {
            return None;
        }
        Some(if self.fortran_order { col * rows + row } else { row * cols + col })
    }
}

/// Encodes an array as a version 1.0 `.npy` file, as `numpy.save` writes it: `descr` as
/// numpy prints it (`<f8`, or `[('row', '<i4'), ('col', '<i4')]`), the shape, and the raw
/// little-endian bytes in C order. Used to build datapackages in tests and examples.
pub fn write(descr: &str, shape: &[usize], body: &[u8]) -> Vec<u8> {
    let shape_text = match shape {
        [one] => format!("({one},)"),
        _ => format!("({})", shape.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
    };
    let descr = if descr.starts_with('[') { descr.to_string() } else { format!("'{descr}'") };
    let mut header = format!("{{'descr': {descr}, 'fortran_order': False, 'shape': {shape_text}, }}");
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend(u16::try_from(header.len()).unwrap_or(u16::MAX).to_le_bytes());
    out.extend(header.into_bytes());
    out.extend_from_slice(body);
    out
}

/// Reads a `.npy` file.
pub fn read(bytes: &[u8]) -> Result<NpyArray<'_>, String> {
    if !bytes.starts_with(b"\x93NUMPY") {
        return Err("not a .npy file (no \\x93NUMPY magic)".into());
    }
    let (major, minor) = match (bytes.get(6), bytes.get(7)) {
        (Some(&a), Some(&b)) => (a, b),
        _ => return Err("truncated .npy header".into()),
    };
    let (header_len, start) = match major {
        1 => match bytes.get(8..10) {
            Some(b) => (usize::from(u16::from_le_bytes([b[0], b[1]])), 10),
            None => return Err("truncated .npy header".into()),
        },
        2 | 3 => match bytes.get(8..12) {
            Some(b) => (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize, 12),
            None => return Err("truncated .npy header".into()),
        },
        _ => return Err(format!(".npy format version {major}.{minor} is not read; versions 1.0, 2.0 and 3.0 are")),
    };
    let header_bytes = bytes
        .get(start..start + header_len)
        .ok_or_else(|| format!("truncated .npy header: {header_len} bytes announced, {} present", bytes.len().saturating_sub(start)))?;
    let header = String::from_utf8_lossy(header_bytes);
    let dict = match Parser::new(&header).value()? {
        Py::Dict(d) => d,
        _ => return Err(format!("the .npy header is not a dict: {}", header.trim())),
    };
    let get = |key: &str| dict.iter().find(|(k, _)| matches!(k, Py::Str(s) if s == key)).map(|(_, v)| v);
    let descr = get("descr").ok_or("the .npy header has no 'descr'")?;
    let fortran_order = match get("fortran_order") {
        Some(Py::Bool(b)) => *b,
        None => false,
        Some(other) => return Err(format!("'fortran_order' is {other:?}, not True or False")),
    };
    let shape = match get("shape") {
        Some(Py::Tuple(items)) => items
            .iter()
            .map(|v| match v {
                Py::Int(n) => usize::try_from(*n).map_err(|_| format!("negative dimension {n} in 'shape'")),
                other => Err(format!("dimension {other:?} in 'shape' is not an integer")),
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => return Err("the .npy header has no 'shape' tuple".into()),
    };
    let (structured, fields) = match descr {
        Py::Str(code) => (false, vec![scalar("", code, 0)?]),
        Py::List(items) => {
            let mut fields = Vec::with_capacity(items.len());
            let mut offset = 0;
            for item in items {
                match item {
                    Py::Tuple(parts) => match parts.as_slice() {
                        [Py::Str(name), Py::Str(code)] => {
                            let f = if name.is_empty() && code.trim_start_matches(['<', '|', '=']).starts_with('V') {
                                // padding: `('', '|V4')`
                                let size = code.trim_start_matches(['<', '|', '=']).trim_start_matches('V').parse::<usize>().map_err(|_| format!("unreadable padding type '{code}'"))?;
                                Field { name: String::new(), kind: Kind::Uint, size, offset, code: code.clone() }
                            } else {
                                scalar(name, code, offset)?
                            };
                            offset += f.size;
                            fields.push(f);
                        }
                        _ => return Err(format!("structured dtype field {item:?} is not read: only ('name', 'type') pairs of scalars are")),
                    },
                    other => return Err(format!("structured dtype field {other:?} is not a ('name', 'type') pair")),
                }
            }
            (true, fields)
        }
        other => return Err(format!("dtype {other:?} is not read")),
    };
    let item_size = fields.iter().map(|f| f.offset + f.size).max().unwrap_or(0);
    let data = bytes.get(start + header_len..).unwrap_or(&[]);
    let count = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)).ok_or("the shape's size overflows")?;
    let needed = count.checked_mul(item_size).ok_or("the data size overflows")?;
    if data.len() < needed {
        return Err(format!(
            "truncated data: shape {shape:?} of {item_size}-byte elements needs {needed} bytes, the file has {}",
            data.len()
        ));
    }
    Ok(NpyArray {
        shape,
        fortran_order,
        structured,
        fields,
        item_size,
        version: (major, minor),
        data,
    })
}

fn scalar(name: &str, code: &str, offset: usize) -> Result<Field, String> {
    let mut chars = code.chars();
    let order = chars.next().ok_or_else(|| "an empty type code".to_string())?;
    let rest: String = chars.collect();
    let (kind_char, size_text) = rest.split_at(rest.chars().next().map_or(0, char::len_utf8));
    let size: usize = if size_text.is_empty() && (kind_char == "?" || kind_char == "b") { 1 } else { size_text.parse().unwrap_or(0) };
    let kind = match kind_char {
        "i" if matches!(size, 1 | 2 | 4 | 8) => Kind::Int,
        "u" if matches!(size, 1 | 2 | 4 | 8) => Kind::Uint,
        "f" if matches!(size, 4 | 8) => Kind::Float,
        "b" | "?" if size == 1 => Kind::Bool,
        _ => {
            return Err(format!(
                "type '{code}'{} is not read; read are i1, i2, i4, i8, u1, u2, u4, u8, f4, f8 and b1",
                if name.is_empty() { String::new() } else { format!(" of field '{name}'") }
            ))
        }
    };
    if order == '>' && size > 1 {
        return Err(format!("big-endian type '{code}' is not read; write the array little-endian ('<')"));
    }
    if !matches!(order, '<' | '|' | '=' | '>') {
        return Err(format!("type '{code}' has no byte order mark"));
    }
    Ok(Field {
        name: name.to_string(),
        kind,
        size,
        offset,
        code: code.to_string(),
    })
}

/// A Python literal of a `.npy` header.
#[derive(Debug, Clone, PartialEq)]
enum Py {
    Str(String),
    Int(i64),
    Bool(bool),
    None,
    List(Vec<Py>),
    Tuple(Vec<Py>),
    Dict(Vec<(Py, Py)>),
}

struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser { text: text.as_bytes(), pos: 0, depth: 0 }
    }

    fn skip_space(&mut self) {
        while self.text.get(self.pos).is_some_and(u8::is_ascii_whitespace) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.text.get(self.pos).copied()
    }

    fn error(&self, what: &str) -> String {
        format!("unreadable .npy header at byte {}: {what}", self.pos)
    }

    fn value(&mut self) -> Result<Py, String> {
        self.depth += 1;
        if self.depth > 32 {
            return Err(self.error("nested too deep"));
        }
        let v = match self.peek() {
            Some(b'{') => {
                let items = self.sequence(b'}', true)?;
                let mut pairs = Vec::with_capacity(items.len() / 2);
                let mut it = items.into_iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    pairs.push((k, v));
                }
                Py::Dict(pairs)
            }
            Some(b'[') => Py::List(self.sequence(b']', false)?),
            Some(b'(') => Py::Tuple(self.sequence(b')', false)?),
            Some(q @ (b'\'' | b'"')) => {
                self.pos += 1;
                let mut s = Vec::new();
                loop {
                    match self.text.get(self.pos).copied() {
                        None => return Err(self.error("unterminated string")),
                        Some(b'\\') => {
                            if let Some(&c) = self.text.get(self.pos + 1) {
                                s.push(c);
                            }
                            self.pos += 2;
                        }
                        Some(c) if c == q => {
                            self.pos += 1;
                            break;
                        }
                        Some(c) => {
                            s.push(c);
                            self.pos += 1;
                        }
                    }
                }
                Py::Str(String::from_utf8_lossy(&s).into_owned())
            }
            Some(c) if c == b'-' || c.is_ascii_digit() => {
                let start = self.pos;
                self.pos += 1;
                while self.text.get(self.pos).is_some_and(u8::is_ascii_digit) {
                    self.pos += 1;
                }
                let digits = String::from_utf8_lossy(&self.text[start..self.pos]).into_owned();
                if self.text.get(self.pos) == Some(&b'L') {
                    self.pos += 1; // Python 2 long
                }
                Py::Int(digits.parse().map_err(|_| self.error(&format!("'{digits}' is not an integer")))?)
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let start = self.pos;
                while self.text.get(self.pos).is_some_and(u8::is_ascii_alphanumeric) {
                    self.pos += 1;
                }
                match &self.text[start..self.pos] {
                    b"True" => Py::Bool(true),
                    b"False" => Py::Bool(false),
                    b"None" => Py::None,
                    other => return Err(self.error(&format!("unknown name '{}'", String::from_utf8_lossy(other)))),
                }
            }
            _ => return Err(self.error("expected a value")),
        };
        self.depth -= 1;
        Ok(v)
    }

    /// Items up to `close`; in a dict, keys and values alternate (separated by `:`).
    fn sequence(&mut self, close: u8, dict: bool) -> Result<Vec<Py>, String> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok(items);
            }
            items.push(self.value()?);
            if dict {
                if self.peek() != Some(b':') {
                    return Err(self.error("expected ':'"));
                }
                self.pos += 1;
                items.push(self.value()?);
            }
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(c) if c == close => {}
                _ => return Err(self.error(&format!("expected ',' or '{}'", close as char))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn reads_numpy_headers() {
        // numpy.lib.format: magic, version, little-endian header length, Python dict literal
        let b = write("<f8", &[2], &[0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40]);
        assert_eq!((b.len() - 16) % 64, 0, "header padded to 64 bytes");
        let a = read(&b).unwrap();
        let f = a.plain().unwrap();
        assert_eq!((a.float(f, 0), a.float(f, 1), a.float(f, 2)), (Some(1.0), Some(2.0), None));
        // version 2.0 (u32 header length), Python 2 longs, double quotes
        let header = "{\"descr\": [('row', '<i8'), ('', '|V4'), ('col', '<i4')], 'fortran_order': False, 'shape': (1L,), }\n";
        let mut v2 = b"\x93NUMPY\x02\x00".to_vec();
        v2.extend((header.len() as u32).to_le_bytes());
        v2.extend(header.as_bytes());
        v2.extend([5, 0, 0, 0, 0, 0, 0, 0, 9, 9, 9, 9, 0xff, 0xff, 0xff, 0xff]);
        let a = read(&v2).unwrap();
        assert_eq!(a.item_size, 16);
        assert_eq!(a.int(a.field("row").unwrap(), 0), Some(5));
        assert_eq!(a.int(a.field("col").unwrap(), 0), Some(-1));
    }

    #[test]
    fn refuses_what_it_does_not_read() {
        assert!(read(b"PK\x03\x04").unwrap_err().contains("magic"));
        assert!(read(&write(">f8", &[0], &[])).unwrap_err().contains("big-endian"));
        assert!(read(&write("<U3", &[0], &[])).unwrap_err().contains("'<U3' is not read"));
        assert!(read(&write("<f8", &[3], &[0; 16])).unwrap_err().contains("truncated data"));
        let mut v9 = write("<f8", &[0], &[]);
        v9[6] = 9;
        assert!(read(&v9).unwrap_err().contains("version 9.0"));
    }

    #[test]
    fn fortran_order_positions() {
        let mut b = write("<f8", &[2, 3], &[0; 48]);
        let at = b.windows(5).position(|w| w == b"False").unwrap();
        b[at..at + 5].copy_from_slice(b"True "); // same length: the header stays valid
        let a = read(&b).unwrap();
        assert!(a.fortran_order);
        assert_eq!(a.position(1, 0), Some(1));
        assert_eq!(a.position(0, 1), Some(2));
        assert_eq!(a.position(2, 0), None);
    }
}
