//! The matrix LCA engine (`tanso::lca`) as a uniffi Object: [`LcaModel`] keeps a factorized
//! system between calls, so new demands and Monte Carlo runs reuse the factorization.
//!
//! Requests and results cross as JSON text, the same documents as the `lca` and
//! `lca_monte_carlo` operations (minus `"system"`). Numeric vectors cross as little-endian
//! bytes, so a Kotlin `DoubleArray`/`LongArray` is one bulk copy each way instead of a boxed
//! `List<Double>`: arguments are borrowed `&[u8]` (zero-copy from a direct `ByteBuffer`),
//! results are `Vec<u8>` (`ByteArray`). The Kotlin layer (`tanso.LcaModel`) packs and unpacks
//! them; this file only converts and calls `tanso::lca::document::Model`.

use std::sync::Arc;

use tanso::error::{InputError, LcaError};
use tanso::lca::calc::DemandSpec;
use tanso::lca::document::Model;
use tanso::lca::sampling::Distribution;
use tanso::lca::sparse::Csc;
use tanso::lca::system::{IndexedSpec, NodeId as CoreNodeId};
use tanso::TansoError;

use crate::FfiError;

/// The id of an activity (= product) or a flow: an integer or a text, as the data has it.
/// Kotlin: the sealed class `FfiNodeId` (`Integer`, `Text`), shown as `tanso.NodeId`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum FfiNodeId {
    /// An integer id (Brightway database ids, matrix indices of a dump).
    Integer {
        /// The id.
        value: i64,
    },
    /// A text id (names, UUIDs).
    Text {
        /// The id.
        value: String,
    },
}

impl From<CoreNodeId> for FfiNodeId {
    fn from(id: CoreNodeId) -> Self {
        match id {
            CoreNodeId::Int(value) => FfiNodeId::Integer { value },
            CoreNodeId::Text(value) => FfiNodeId::Text { value },
        }
    }
}

impl From<FfiNodeId> for CoreNodeId {
    fn from(id: FfiNodeId) -> Self {
        match id {
            FfiNodeId::Integer { value } => CoreNodeId::Int(value),
            FfiNodeId::Text { value } => CoreNodeId::Text(value),
        }
    }
}

/// One characterization method of a system given by indices: its id and, per factor, the
/// flow index (little-endian i64 bytes) and the factor (little-endian f64 bytes).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FfiIndexedMethod {
    /// The method id (`GWP100`, …).
    pub id: String,
    /// Flow (row of the biosphere) of each factor, little-endian i64.
    pub flows: Vec<u8>,
    /// The factors, little-endian f64.
    pub factors: Vec<u8>,
}

/// A sparse matrix in compressed sparse column form (duplicates summed); the index arrays are
/// little-endian i64 bytes and the values little-endian f64 bytes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FfiCsc {
    /// Number of rows.
    pub nrows: u64,
    /// Number of columns.
    pub ncols: u64,
    /// Start of each column in `row_idx` and `values` (`ncols + 1` entries), i64.
    pub col_ptr: Vec<u8>,
    /// Row of each stored value, i64.
    pub row_idx: Vec<u8>,
    /// The stored values, f64.
    pub values: Vec<u8>,
}

impl From<&Csc> for FfiCsc {
    fn from(m: &Csc) -> Self {
        let ints = |v: &[usize]| -> Vec<u8> { v.iter().flat_map(|&i| (i as u64).to_le_bytes()).collect() };
        FfiCsc {
            nrows: m.nrows as u64,
            ncols: m.ncols as u64,
            col_ptr: ints(&m.col_ptr),
            row_idx: ints(&m.row_idx),
            values: f64_bytes(&m.values),
        }
    }
}

/// Receives the progress of a Monte Carlo run. Called from the engine's worker threads, in
/// any order, once per finished iteration; the last iteration to finish reports
/// `done == total`.
#[uniffi::export(callback_interface)]
pub trait FfiLcaProgress: Send + Sync {
    /// `done` of `total` iterations have finished.
    fn on_progress(&self, done: u64, total: u64);
}

/// A factorized LCA system (`tanso::lca::document::Model`). Kotlin: `tanso.ffi.FfiLcaModel`,
/// wrapped by `tanso.LcaModel`.
#[derive(uniffi::Object)]
pub struct FfiLcaModel {
    model: Model,
}

fn invalid(operation: &str, message: impl Into<String>) -> FfiError {
    TansoError::from(InputError::InvalidInput {
        operation: operation.to_string(),
        message: message.into(),
    })
    .into()
}

fn parse_json(operation: &str, text: &str) -> Result<serde_json::Value, FfiError> {
    serde_json::from_str(text).map_err(|e| invalid(operation, e.to_string()))
}

fn to_text(operation: &str, v: &serde_json::Value) -> Result<String, FfiError> {
    serde_json::to_string(v).map_err(|e| invalid(operation, e.to_string()))
}

/// Little-endian f64 bytes to numbers.
fn f64s(field: &str, bytes: &[u8]) -> Result<Vec<f64>, FfiError> {
    if bytes.len() % 8 != 0 {
        return Err(invalid(field, format!("{} bytes is not a whole number of float64 values", bytes.len())));
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect())
}

/// Little-endian i64 bytes to indices; a negative index is refused with its position.
fn indices(field: &str, bytes: &[u8]) -> Result<Vec<usize>, FfiError> {
    if bytes.len() % 8 != 0 {
        return Err(invalid(field, format!("{} bytes is not a whole number of int64 values", bytes.len())));
    }
    bytes
        .chunks_exact(8)
        .enumerate()
        .map(|(k, c)| {
            let i = i64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            usize::try_from(i).map_err(|_| {
                FfiError::from(TansoError::from(LcaError::InvalidSetting {
                    field: format!("{field}[{k}]"),
                    value: i.to_string(),
                    valid: "an index ≥ 0".to_string(),
                }))
            })
        })
        .collect()
}

/// Numbers to little-endian f64 bytes.
fn f64_bytes(v: &[f64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn size(field: &str, n: i64) -> Result<usize, FfiError> {
    usize::try_from(n).map_err(|_| {
        FfiError::from(TansoError::from(LcaError::InvalidSetting {
            field: field.to_string(),
            value: n.to_string(),
            valid: "a size ≥ 0".to_string(),
        }))
    })
}

impl FfiLcaModel {
    /// Wraps a model built elsewhere (an imported database).
    pub(crate) fn from_model(model: Model) -> Arc<FfiLcaModel> {
        Arc::new(FfiLcaModel { model })
    }
}

#[uniffi::export]
impl FfiLcaModel {
    /// Builds and factorizes a system from its JSON document (the `"system"` of the `lca`
    /// operation).
    #[uniffi::constructor]
    pub fn from_json(system_json: String) -> Result<Arc<Self>, FfiError> {
        let system = parse_json("system", &system_json)?;
        Ok(Arc::new(FfiLcaModel { model: Model::from_json(system)? }))
    }

    /// Builds and factorizes a system given by indices. The six arrays are little-endian
    /// bytes (rows and columns i64, values f64) of the technosphere `A` (signed: production
    /// positive, inputs negative) and the biosphere `B`, as triplets whose duplicates are
    /// summed. `uncertainty_json` is `{"technosphere": [[entry, distribution], …],
    /// "biosphere": […]}` (entries index the triplets; distributions as in the system
    /// document) or empty. Ids default to the indices.
    #[uniffi::constructor]
    #[allow(clippy::too_many_arguments)]
    pub fn from_arrays(
        n_activities: i64,
        n_flows: i64,
        tech_rows: &[u8],
        tech_cols: &[u8],
        tech_values: &[u8],
        bio_rows: &[u8],
        bio_cols: &[u8],
        bio_values: &[u8],
        methods: Vec<FfiIndexedMethod>,
        uncertainty_json: String,
        activity_ids: Option<Vec<FfiNodeId>>,
        flow_ids: Option<Vec<FfiNodeId>>,
    ) -> Result<Arc<Self>, FfiError> {
        #[derive(serde::Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        struct Uncertainty {
            #[serde(default)]
            technosphere: Vec<(usize, Distribution)>,
            #[serde(default)]
            biosphere: Vec<(usize, Distribution)>,
        }
        let uncertainty: Uncertainty = if uncertainty_json.trim().is_empty() {
            Uncertainty::default()
        } else {
            serde_json::from_str(&uncertainty_json).map_err(|e| invalid("uncertainty", e.to_string()))?
        };
        let methods = methods
            .into_iter()
            .map(|m| {
                let flows = indices(&format!("methods['{}'].flows", m.id), &m.flows)?;
                let factors = f64s(&format!("methods['{}'].factors", m.id), &m.factors)?;
                if flows.len() != factors.len() {
                    return Err(FfiError::from(TansoError::from(InputError::ColumnLength {
                        field: format!("methods['{}'].flows", m.id),
                        found: flows.len(),
                        expected: factors.len(),
                    })));
                }
                Ok((m.id, flows.into_iter().zip(factors).collect()))
            })
            .collect::<Result<Vec<_>, FfiError>>()?;
        let spec = IndexedSpec {
            n_activities: size("n_activities", n_activities)?,
            n_flows: size("n_flows", n_flows)?,
            tech: (indices("technosphere rows", tech_rows)?, indices("technosphere cols", tech_cols)?, f64s("technosphere values", tech_values)?),
            bio: (indices("biosphere rows", bio_rows)?, indices("biosphere cols", bio_cols)?, f64s("biosphere values", bio_values)?),
            tech_uncertainty: uncertainty.technosphere,
            bio_uncertainty: uncertainty.biosphere,
            methods,
            activity_ids: activity_ids.map(|ids| ids.into_iter().map(CoreNodeId::from).collect()),
            flow_ids: flow_ids.map(|ids| ids.into_iter().map(CoreNodeId::from).collect()),
        };
        Ok(Arc::new(FfiLcaModel { model: Model::from_indexed(spec)? }))
    }

    /// Reads a `bench_bw2calc.py` dump (the `.npz` and `.json` bytes) and factorizes it.
    #[uniffi::constructor]
    pub fn from_dump(npz: &[u8], json: &[u8]) -> Result<Arc<Self>, FfiError> {
        Ok(Arc::new(FfiLcaModel { model: Model::from_dump(npz, json)? }))
    }

    /// A summary as JSON text: sizes, loop blocks, methods, parameters.
    pub fn describe(&self) -> Result<String, FfiError> {
        to_text("describe", &self.model.describe())
    }

    /// Answers a calculation request (the `lca` document without `"system"`), JSON in and out.
    pub fn calculate(&self, request_json: String) -> Result<String, FfiError> {
        let request = parse_json("lca", &request_json)?;
        to_text("lca", &self.model.calculate_json(request)?)
    }

    /// Runs a Monte Carlo request (the `lca_monte_carlo` document without `"system"`), JSON in
    /// and out; `progress` hears of every finished iteration, from the worker threads.
    pub fn monte_carlo(&self, request_json: String, progress: Option<Box<dyn FfiLcaProgress>>) -> Result<String, FfiError> {
        let request = parse_json("lca_monte_carlo", &request_json)?;
        let report = progress.map(|p| move |done: usize, total: usize| p.on_progress(done as u64, total as u64));
        let report = report.as_ref().map(|f| f as &(dyn Fn(usize, usize) + Sync));
        to_text("lca_monte_carlo", &self.model.monte_carlo_json(request, report)?)
    }

    /// Supply `A⁻¹ f` of a dense demand (little-endian f64, one per activity in
    /// [`FfiLcaModel::activity_ids`] order); the result in the same form.
    pub fn supply(&self, demand: &[u8]) -> Result<Vec<u8>, FfiError> {
        Ok(f64_bytes(&self.model.supply_array(&f64s("demand", demand)?)?))
    }

    /// Inventory `B A⁻¹ f`, one amount per flow in [`FfiLcaModel::flow_ids`] order.
    pub fn inventory(&self, demand: &[u8]) -> Result<Vec<u8>, FfiError> {
        Ok(f64_bytes(&self.model.inventory_array(&f64s("demand", demand)?)?))
    }

    /// Scores of a dense demand, one per method in [`FfiLcaModel::method_ids`] order.
    pub fn scores(&self, demand: &[u8]) -> Result<Vec<u8>, FfiError> {
        Ok(f64_bytes(&self.model.scores_array(&f64s("demand", demand)?)?))
    }

    /// Cradle-to-gate score of one unit of every product under `method` (one adjoint solve).
    pub fn intensities(&self, method: String) -> Result<Vec<u8>, FfiError> {
        Ok(f64_bytes(&self.model.intensities_array(&method)?))
    }

    /// The dense demand vector (little-endian f64, one per activity) of a functional unit
    /// given as JSON (`{"amounts": [{"id": …, "amount": …}]}`): product ids are resolved to
    /// the activities producing them.
    pub fn demand_vector(&self, demand_json: String) -> Result<Vec<u8>, FfiError> {
        let spec: DemandSpec = serde_json::from_str(&demand_json).map_err(|e| invalid("demand", e.to_string()))?;
        Ok(f64_bytes(&self.model.lca().demand_vector("demand", &spec)?))
    }

    /// The technosphere matrix `A` (products × activities, signed).
    pub fn technosphere(&self) -> FfiCsc {
        FfiCsc::from(&self.model.lca().system().technosphere)
    }

    /// The biosphere matrix `B` (flows × activities).
    pub fn biosphere(&self) -> FfiCsc {
        FfiCsc::from(&self.model.lca().system().biosphere)
    }

    /// Activity (= product) ids in matrix order.
    pub fn activity_ids(&self) -> Vec<FfiNodeId> {
        self.model.activity_ids().into_iter().map(FfiNodeId::from).collect()
    }

    /// Flow ids in matrix order.
    pub fn flow_ids(&self) -> Vec<FfiNodeId> {
        self.model.flow_ids().into_iter().map(FfiNodeId::from).collect()
    }

    /// Method ids in order.
    pub fn method_ids(&self) -> Vec<String> {
        self.model.method_ids()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn system() -> String {
        r#"{"technosphere": [
              {"product": "steel", "activity": "steel", "amount": 1},
              {"product": "kWh", "activity": "steel", "amount": -0.5},
              {"product": "kWh", "activity": "kWh", "amount": 1}],
            "biosphere": [
              {"flow": "CO2", "activity": "steel", "amount": 1.8},
              {"flow": "CO2", "activity": "kWh", "amount": 0.6}],
            "methods": [{"id": "GWP100", "factors": [{"flow": "CO2", "factor": 1}]}]}"#
            .to_string()
    }

    fn ints(v: &[i64]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    #[test]
    fn bytes_round_trip_and_scores() {
        let m = FfiLcaModel::from_json(system()).unwrap();
        let ids = m.activity_ids();
        let steel = ids.iter().position(|i| *i == FfiNodeId::Text { value: "steel".into() }).unwrap();
        let mut f = vec![0.0; ids.len()];
        f[steel] = 1.0;
        let h = f64s("h", &m.scores(&f64_bytes(&f)).unwrap()).unwrap();
        assert!((h[0] - 2.1).abs() < 1e-12, "{h:?}");
    }

    #[test]
    fn arrays_build_the_same_system() {
        // steel (0) needs 0.5 kWh (1); CO2 (flow 0) 1.8 and 0.6.
        let m = FfiLcaModel::from_arrays(
            2,
            1,
            &ints(&[0, 1, 1]),
            &ints(&[0, 0, 1]),
            &f64_bytes(&[1.0, -0.5, 1.0]),
            &ints(&[0, 0]),
            &ints(&[0, 1]),
            &f64_bytes(&[1.8, 0.6]),
            vec![FfiIndexedMethod { id: "GWP100".into(), flows: ints(&[0]), factors: f64_bytes(&[1.0]) }],
            String::new(),
            None,
            None,
        )
        .unwrap();
        let h = f64s("h", &m.scores(&f64_bytes(&[1.0, 0.0])).unwrap()).unwrap();
        assert!((h[0] - 2.1).abs() < 1e-12, "{h:?}");
        assert_eq!(m.activity_ids(), vec![FfiNodeId::Integer { value: 0 }, FfiNodeId::Integer { value: 1 }]);
        let a = m.technosphere();
        assert_eq!((a.nrows, a.ncols), (2, 2));
        assert_eq!(a.col_ptr, ints(&[0, 2, 3]));
        assert_eq!(f64s("a", &a.values).unwrap(), vec![1.0, -0.5, 1.0]);
        let f = f64s("f", &m.demand_vector(r#"{"amounts": [{"id": 1, "amount": 2}]}"#.into()).unwrap()).unwrap();
        assert_eq!(f, vec![0.0, 2.0]);
    }

    #[test]
    fn negative_index_and_wrong_length_are_typed_errors() {
        let e = FfiLcaModel::from_arrays(1, 0, &ints(&[-1]), &ints(&[0]), &f64_bytes(&[1.0]), &[], &[], &[], vec![], String::new(), None, None)
            .err()
            .unwrap();
        assert!(matches!(e, FfiError::Lca { ref code, .. } if code == "INVALID_SETTING"), "{e:?}");
        let e = FfiLcaModel::from_arrays(-1, 0, &[], &[], &[], &[], &[], &[], vec![], String::new(), None, None).err().unwrap();
        assert!(matches!(e, FfiError::Lca { ref code, .. } if code == "INVALID_SETTING"), "{e:?}");
        let e = FfiLcaModel::from_arrays(1, 0, &ints(&[0]), &ints(&[0]), &[0u8; 7], &[], &[], &[], vec![], String::new(), None, None).err().unwrap();
        assert!(matches!(e, FfiError::Input { ref code, .. } if code == "INVALID_INPUT"), "{e:?}");
        let m = FfiLcaModel::from_json(system()).unwrap();
        let e = m.supply(&f64_bytes(&[1.0])).unwrap_err();
        assert!(matches!(e, FfiError::Input { ref code, .. } if code == "COLUMN_LENGTH"), "{e:?}");
        let e = FfiLcaModel::from_dump(b"not a zip", b"{}").err().unwrap();
        assert!(matches!(e, FfiError::Lca { ref code, .. } if code == "MALFORMED_DATA"), "{e:?}");
    }

    #[test]
    fn uncertainty_of_arrays_is_checked() {
        let build = |uncertainty: &str| {
            FfiLcaModel::from_arrays(1, 0, &ints(&[0]), &ints(&[0]), &f64_bytes(&[1.0]), &[], &[], &[], vec![], uncertainty.into(), None, None)
        };
        let e = build(r#"{"technosphere": [[5, {"kind": "lognormal", "sigma": 0.1}]]}"#).err().unwrap();
        assert!(matches!(e, FfiError::Lca { ref code, .. } if code == "INVALID_SETTING"), "{e:?}");
        let e = build(r#"{"technosphere": [[0, {"kind": "lognormal"}]]}"#).err().unwrap();
        assert!(matches!(e, FfiError::Input { ref code, .. } if code == "INVALID_INPUT"), "{e:?}");
        let m = build(r#"{"technosphere": [[0, {"kind": "lognormal", "sigma": 0.1}]]}"#).unwrap();
        let out = m.monte_carlo(r#"{"demands": [{"amounts": [{"id": 0, "amount": 1}]}], "iterations": 3, "threads": 1}"#.into(), None);
        assert!(out.is_ok(), "{out:?}");
    }
}
