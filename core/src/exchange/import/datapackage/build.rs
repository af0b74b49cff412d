//! Builds a datapackage in memory the way `bw_processing` lays one out
//! (`Datapackage.add_persistent_vector` / `add_persistent_array`, `datapackage.py`): for
//! each resource group `<group>.indices.npy` (`[('row', '<i8'), ('col', '<i8')]`),
//! `<group>.data.npy` (`<f8`), and when given `<group>.flip.npy` (`|b1`) and
//! `<group>.distributions.npy` (stats_arrays' `UNCERTAINTY_DTYPE`, f4 parameters), plus the
//! `datapackage.json` descriptor. Used by tests, examples and benchmarks of the importer.
//!
//! ```
//! use tanso::exchange::import::datapackage::build::Builder;
//! use tanso::exchange::import::{import_database, ImportOptions};
//! let mut dp = Builder::new("tiny");
//! dp.vector("technosphere_matrix", "t", &[(1, 1, 1.0), (2, 1, 0.5), (2, 2, 1.0)], Some(&[false, true, false]), None);
//! dp.vector("biosphere_matrix", "b", &[(9, 2, 3.0)], None, None);
//! let db = import_database(&dp.files(), &ImportOptions::default()).unwrap();
//! assert_eq!(db.system.technosphere[1].amount, -0.5);
//! ```

use serde_json::{json, Value};

use super::npy::write;
use crate::exchange::import::SourceFile;

/// stats_arrays parameters of one entry: (uncertainty_type, loc, scale, shape, minimum,
/// maximum, negative).
pub type Uncertainty = (u8, f64, f64, f64, f64, f64, bool);

/// A datapackage being built.
#[derive(Debug, Clone)]
pub struct Builder {
    /// The descriptor (`resources` filled by the methods).
    pub descriptor: Value,
    /// The `.npy` files written so far.
    pub arrays: Vec<SourceFile>,
}

impl Builder {
    /// An empty package named `name`, with bw_processing's default flags.
    pub fn new(name: &str) -> Builder {
        Builder {
            descriptor: json!({
                "profile": "data-package",
                "name": name,
                "id": name,
                "resources": [],
                "combinatorial": false,
                "sequential": false,
                "seed": null,
                "sum_intra_duplicates": true,
                "sum_inter_duplicates": false,
            }),
            arrays: Vec::new(),
        }
    }

    fn resource(&mut self, matrix: &str, group: &str, kind: &str, category: &str, nrows: usize, bytes: Vec<u8>) {
        let name = format!("{group}.{kind}");
        let path = format!("{name}.npy");
        if let Some(list) = self.descriptor.get_mut("resources").and_then(Value::as_array_mut) {
            list.push(json!({
                "profile": "data-resource",
                "format": "npy",
                "mediatype": "application/octet-stream",
                "name": name,
                "matrix": matrix,
                "kind": kind,
                "path": path,
                "group": group,
                "category": category,
                "nrows": nrows,
            }));
        }
        self.arrays.push(SourceFile::new(path, bytes));
    }

    fn indices(&mut self, matrix: &str, group: &str, category: &str, cells: impl Iterator<Item = (i64, i64)>) -> usize {
        let mut body = Vec::new();
        let mut n = 0;
        for (r, c) in cells {
            body.extend(r.to_le_bytes());
            body.extend(c.to_le_bytes());
            n += 1;
        }
        self.resource(matrix, group, "indices", category, n, write("[('row', '<i8'), ('col', '<i8')]", &[n], &body));
        n
    }

    /// A static vector group: (row, col, value) entries, an optional flip per entry and
    /// optional distributions per entry.
    pub fn vector(&mut self, matrix: &str, group: &str, entries: &[(i64, i64, f64)], flip: Option<&[bool]>, distributions: Option<&[Uncertainty]>) {
        let n = self.indices(matrix, group, "vector", entries.iter().map(|e| (e.0, e.1)));
        let body: Vec<u8> = entries.iter().flat_map(|e| e.2.to_le_bytes()).collect();
        self.resource(matrix, group, "data", "vector", n, write("<f8", &[n], &body));
        if let Some(d) = distributions {
            let mut body = Vec::with_capacity(d.len() * 22);
            for &(t, loc, scale, shape, min, max, negative) in d {
                body.push(t);
                for x in [loc, scale, shape, min, max] {
                    body.extend((x as f32).to_le_bytes());
                }
                body.push(u8::from(negative));
            }
            let descr = "[('uncertainty_type', '|u1'), ('loc', '<f4'), ('scale', '<f4'), ('shape', '<f4'), ('minimum', '<f4'), ('maximum', '<f4'), ('negative', '|b1')]";
            self.resource(matrix, group, "distributions", "vector", n, write(descr, &[d.len()], &body));
        }
        if let Some(f) = flip {
            let body: Vec<u8> = f.iter().map(|&b| u8::from(b)).collect();
            self.resource(matrix, group, "flip", "vector", n, write("|b1", &[f.len()], &body));
        }
    }

    /// A presample array group: (row, col) per entry and one row of samples per entry.
    pub fn array(&mut self, matrix: &str, group: &str, cells: &[(i64, i64)], samples: &[Vec<f64>], flip: Option<&[bool]>) {
        let n = self.indices(matrix, group, "array", cells.iter().copied());
        let width = samples.first().map_or(0, Vec::len);
        let body: Vec<u8> = samples.iter().flat_map(|row| row.iter().flat_map(|x| x.to_le_bytes())).collect();
        self.resource(matrix, group, "data", "array", n, write("<f8", &[samples.len(), width], &body));
        if let Some(f) = flip {
            let body: Vec<u8> = f.iter().map(|&b| u8::from(b)).collect();
            self.resource(matrix, group, "flip", "array", n, write("|b1", &[f.len()], &body));
        }
    }

    /// The files: `datapackage.json` first, then the arrays.
    pub fn files(&self) -> Vec<SourceFile> {
        let mut out = Vec::with_capacity(self.arrays.len() + 1);
        out.push(SourceFile::new("datapackage.json", serde_json::to_vec_pretty(&self.descriptor).unwrap_or_default()));
        out.extend(self.arrays.iter().cloned());
        out
    }

    /// The files as one zip archive (stored, not compressed); empty if it cannot be written.
    pub fn zip(&self) -> Vec<u8> {
        use std::io::Write as _;
        let mut out = std::io::Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            for f in self.files() {
                if w.start_file(f.name.as_str(), options).is_err() || w.write_all(&f.bytes).is_err() {
                    return Vec::new();
                }
            }
            if w.finish().is_err() {
                return Vec::new();
            }
        }
        out.into_inner()
    }
}
