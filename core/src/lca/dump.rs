//! Reads the `.npz` + `.json` dumps of `bench_bw2calc.py` (format `lca-bench-v1`): 0-based
//! triplets of `A` (signed values, or magnitudes with a `tech_flip` sign flag as bw2data
//! stores them), `B`, one characterization vector, lognormal uncertainty (stats_arrays id
//! 2: `loc` = ln|value|, `scale` = σ) and the demand indices, plus reference scores from an
//! independent SciPy solve in the `.json`.
//!
//! Bytes in, so that browsers can pass a dropped file; the `.npz` is a zip of `.npy`
//! arrays (read with the `zip` crate; the `.npy` header of 1-D little-endian arrays is
//! parsed here: magic, version, a Python dict literal with `descr`, `fortran_order` and
//! `shape`).
//!
//! ```no_run
//! let npz = std::fs::read("synthetic_n20000_seed1.npz").unwrap();
//! let json = std::fs::read("synthetic_n20000_seed1.json").unwrap();
//! let dump = tanso::lca::dump::BenchDump::read(&npz, &json).unwrap();
//! let lca = tanso::lca::calc::Lca::new(dump.system().unwrap()).unwrap();
//! ```

use std::collections::HashMap;
use std::io::{Cursor, Read};

use serde::Deserialize;

use super::sampling::Distribution;
use super::system::{IndexedSpec, LcaSystem};
use crate::error::LcaError;
use crate::TansoError;

/// A reference score of the dump's `.json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ReferenceScore {
    /// The demanded activity (one unit).
    pub demand_index: usize,
    /// `cᵀ B A⁻¹ e_j` from SciPy's `spsolve`.
    pub score: f64,
}

/// The `.json` sidecar.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DumpMeta {
    /// `lca-bench-v1`.
    pub format: String,
    /// n.
    pub n_technosphere: usize,
    /// Number of elementary flows.
    pub n_biosphere: usize,
    /// Seed of the generator.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Reference scores.
    #[serde(default)]
    pub reference_scores_scipy_spsolve: Vec<ReferenceScore>,
}

/// A dump read into memory.
#[derive(Debug, Clone)]
pub struct BenchDump {
    /// The sidecar.
    pub meta: DumpMeta,
    arrays: HashMap<String, Array>,
}

#[derive(Debug, Clone)]
enum Array {
    F64(Vec<f64>),
    I64(Vec<i64>),
    U8(Vec<u8>),
}

fn malformed(entity: &str, message: impl Into<String>) -> TansoError {
    LcaError::MalformedData {
        source_name: "npz dump".into(),
        entity: entity.to_string(),
        message: message.into(),
    }
    .into()
}

impl BenchDump {
    /// Reads the `.npz` and `.json` bytes.
    pub fn read(npz: &[u8], json: &[u8]) -> Result<BenchDump, TansoError> {
        let meta: DumpMeta = serde_json::from_slice(json).map_err(|e| LcaError::MalformedData {
            source_name: "dump .json".into(),
            entity: "document".into(),
            message: e.to_string(),
        })?;
        if meta.format != "lca-bench-v1" {
            return Err(LcaError::MalformedData {
                source_name: "dump .json".into(),
                entity: "format".into(),
                message: format!("'{}' is not supported; expected 'lca-bench-v1'", meta.format),
            }
            .into());
        }
        let mut zip = zip::ZipArchive::new(Cursor::new(npz)).map_err(|e| malformed("archive", e.to_string()))?;
        let mut arrays = HashMap::new();
        for k in 0..zip.len() {
            let mut file = zip.by_index(k).map_err(|e| malformed("archive", e.to_string()))?;
            let name = file.name().map_err(|e| malformed("archive", e.to_string()))?.trim_end_matches(".npy").to_string();
            let mut bytes = Vec::with_capacity(file.size() as usize);
            file.read_to_end(&mut bytes).map_err(|e| malformed(&name, e.to_string()))?;
            arrays.insert(name.clone(), parse_npy(&name, &bytes)?);
        }
        Ok(BenchDump { meta, arrays })
    }

    fn f64s(&self, name: &str) -> Result<&[f64], TansoError> {
        match self.arrays.get(name) {
            Some(Array::F64(v)) => Ok(v),
            Some(_) => Err(malformed(name, "expected float64 values")),
            None => Err(malformed(name, "array missing")),
        }
    }

    fn indices(&self, name: &str, bound: usize) -> Result<Vec<usize>, TansoError> {
        match self.arrays.get(name) {
            Some(Array::I64(v)) => v
                .iter()
                .map(|&i| {
                    if i >= 0 && (i as u64) < bound as u64 {
                        Ok(i as usize)
                    } else {
                        Err(malformed(name, format!("index {i} outside 0..{bound}")))
                    }
                })
                .collect(),
            Some(_) => Err(malformed(name, "expected int64 indices")),
            None => Err(malformed(name, "array missing")),
        }
    }

    fn flags(&self, name: &str) -> Option<&[u8]> {
        match self.arrays.get(name) {
            Some(Array::U8(v)) => Some(v),
            _ => None,
        }
    }

    /// The demand indices stored in the dump.
    pub fn demand_indices(&self) -> Result<Vec<usize>, TansoError> {
        self.indices("demand_indices", self.meta.n_technosphere)
    }

    /// Builds the system: signed `A` (a `tech_flip` flag negates), `B`, one method `score`,
    /// and lognormal uncertainty where the uncertainty type is 2.
    pub fn system(&self) -> Result<LcaSystem, TansoError> {
        let n = self.meta.n_technosphere;
        let m = self.meta.n_biosphere;
        let tr = self.indices("tech_rows", n)?;
        let tc = self.indices("tech_cols", n)?;
        let mut tv = self.f64s("tech_vals")?.to_vec();
        if let Some(flip) = self.flags("tech_flip") {
            for (v, &f) in tv.iter_mut().zip(flip) {
                if f != 0 {
                    *v = -*v;
                }
            }
        }
        let br = self.indices("bio_rows", m)?;
        let bc = self.indices("bio_cols", n)?;
        let bv = self.f64s("bio_vals")?.to_vec();
        let cr = self.indices("cf_rows", m)?;
        let cv = self.f64s("cf_vals")?;
        let lognormals = |prefix: &str, len: usize| -> Result<Vec<(usize, Distribution)>, TansoError> {
            let Some(kind) = self.flags(&format!("{prefix}_uncertainty_type")) else {
                return Ok(Vec::new());
            };
            let loc = self.f64s(&format!("{prefix}_loc"))?;
            let scale = self.f64s(&format!("{prefix}_scale"))?;
            if kind.len() != len || loc.len() != len || scale.len() != len {
                return Err(malformed(&format!("{prefix}_uncertainty_type"), format!("length differs from {len} values")));
            }
            Ok((0..len)
                .filter(|&k| kind[k] == 2)
                .map(|k| {
                    (
                        k,
                        Distribution::Lognormal {
                            mu: Some(loc[k]),
                            sigma: scale[k],
                        },
                    )
                })
                .collect())
        };
        let tech_uncertainty = lognormals("tech", tv.len())?;
        let bio_uncertainty = lognormals("bio", bv.len())?;
        let spec = IndexedSpec {
            n_activities: n,
            n_flows: m,
            tech: (tr, tc, tv),
            bio: (br, bc, bv),
            tech_uncertainty,
            bio_uncertainty,
            methods: vec![("score".to_string(), cr.into_iter().zip(cv.iter().copied()).collect())],
            activity_ids: None,
            flow_ids: None,
        };
        LcaSystem::from_indexed(spec)
    }
}

/// Parses a 1-D little-endian `.npy` array of float64, int64, int32, uint8 or bool.
fn parse_npy(name: &str, bytes: &[u8]) -> Result<Array, TansoError> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(malformed(name, "not a .npy array (magic missing)"));
    }
    let (header_len, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize, 12),
        v => return Err(malformed(name, format!(".npy version {v} is not supported"))),
    };
    let header = bytes
        .get(start..start + header_len)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| malformed(name, "truncated .npy header"))?;
    let field = |key: &str| -> Option<&str> {
        let at = header.find(&format!("'{key}':"))? + key.len() + 3;
        Some(header[at..].trim_start())
    };
    let descr = field("descr")
        .and_then(|s| s.strip_prefix('\''))
        .and_then(|s| s.split('\'').next())
        .ok_or_else(|| malformed(name, "no descr in .npy header"))?;
    if field("fortran_order").is_some_and(|s| s.starts_with("True")) {
        return Err(malformed(name, "Fortran-ordered arrays are not supported"));
    }
    let shape = field("shape")
        .and_then(|s| s.strip_prefix('('))
        .and_then(|s| s.split(')').next())
        .ok_or_else(|| malformed(name, "no shape in .npy header"))?;
    let dims: Vec<usize> = shape
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().map_err(|_| malformed(name, format!("bad shape '{shape}'"))))
        .collect::<Result<_, _>>()?;
    if dims.len() != 1 {
        return Err(malformed(name, format!("expected a 1-D array, shape is ({shape})")));
    }
    let len = dims[0];
    let data = &bytes[start + header_len..];
    let need = |size: usize| -> Result<&[u8], TansoError> {
        data.get(..len * size).ok_or_else(|| malformed(name, format!("data shorter than {len} values")))
    };
    Ok(match descr {
        "<f8" => Array::F64(need(8)?.chunks_exact(8).map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])).collect()),
        "<i8" => Array::I64(need(8)?.chunks_exact(8).map(|c| i64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])).collect()),
        "<i4" => Array::I64(need(4)?.chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as i64).collect()),
        "|u1" | "|b1" => Array::U8(need(1)?.to_vec()),
        other => return Err(malformed(name, format!("dtype '{other}' is not supported; expected <f8, <i8, <i4, |u1 or |b1"))),
    })
}
