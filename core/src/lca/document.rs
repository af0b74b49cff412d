//! The JSON face of the engine, the same in every binding: a [`Model`] (a factorized
//! system kept between calls, so new demands reuse the factorization) answers
//! [`CalculateRequest`]s and [`MonteCarloRequest`]s; the stateless operations `lca` and
//! `lca_monte_carlo` build a model from `"system"` and answer one request.
//!
//! Results are binary64 numbers (the engine is f64); shares are fractions of the total.
//!
//! ```
//! use serde_json::json;
//! let out = tanso::api::call("lca", json!({
//!   "system": {
//!     "technosphere": [{"product": "kWh", "activity": "kWh", "amount": 1}],
//!     "biosphere": [{"flow": "CO2", "activity": "kWh", "amount": 0.6}],
//!     "methods": [{"id": "GWP100", "unit": "kg CO2e", "factors": [{"flow": "CO2", "factor": 1}]}]},
//!   "demands": [{"amounts": [{"id": "kWh", "amount": 10}]}]
//! })).unwrap();
//! assert_eq!(out["results"][0]["scores"]["GWP100"], json!(6.0));
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::calc::{DemandSpec, Lca};
use super::dump::BenchDump;
use super::formula::Scope;
use super::montecarlo::{self, MonteCarloSpec, Progress};
use super::system::{IndexedSpec, LcaSystem, SystemSpec};
use crate::error::LcaError;
use crate::TansoError;

/// What a calculation reports besides the scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Include {
    /// Scores (always reported).
    Scores,
    /// Supply vector (non-zero entries).
    Supply,
    /// Inventory per flow (non-zero entries).
    Inventory,
    /// Characterized inventory (flow × activity, non-zero entries).
    CharacterizedInventory,
    /// Direct contributions of processes and of flows.
    Contributions,
    /// Upstream (cradle-to-gate) totals per activity.
    Upstream,
    /// Cradle-to-gate score of one unit of every product (one adjoint solve per method).
    Intensities,
    /// The supply-chain tree.
    Tree,
    /// A Sankey-ready graph.
    Sankey,
}

/// A scenario: parameter values that replace the given ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Its name.
    pub name: String,
    /// Global parameter name → value.
    pub parameters: BTreeMap<String, f64>,
}

/// A calculation on a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalculateRequest {
    /// Functional units.
    pub demands: Vec<DemandSpec>,
    /// Method ids (default: all).
    #[serde(default)]
    pub methods: Option<Vec<String>>,
    /// Results to report besides the scores.
    #[serde(default)]
    pub include: Vec<Include>,
    /// Contributions and upstream lists keep the `top` largest by |score| (0: all).
    #[serde(default = "default_top")]
    pub top: usize,
    /// Relative cutoff of the tree and the Sankey graph (fraction of |total|).
    #[serde(default = "default_cutoff")]
    pub cutoff: f64,
    /// Largest number of tree nodes.
    #[serde(default = "default_max_nodes")]
    pub max_nodes: usize,
    /// Parameter scenarios: scores of every demand and method under each.
    #[serde(default)]
    pub scenarios: Vec<ScenarioSpec>,
}

fn default_top() -> usize {
    20
}
fn default_cutoff() -> f64 {
    0.01
}
fn default_max_nodes() -> usize {
    200
}

/// A Monte Carlo request on a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonteCarloRequest {
    /// Functional units.
    pub demands: Vec<DemandSpec>,
    /// Method ids (default: all).
    #[serde(default)]
    pub methods: Option<Vec<String>>,
    /// Report every draw, not only statistics.
    #[serde(default)]
    pub include_samples: bool,
    /// Iterations, seed, lognormal convention, threads, percentiles, presamples.
    #[serde(flatten)]
    pub settings: MonteCarloSpec,
}

/// A factorized system kept between calls.
#[derive(Debug, Clone)]
pub struct Model {
    lca: Lca,
}

fn parse<T: serde::de::DeserializeOwned>(operation: &str, v: Value) -> Result<T, TansoError> {
    serde_json::from_value(v).map_err(|e| {
        crate::error::InputError::InvalidInput {
            operation: operation.to_string(),
            message: e.to_string(),
        }
        .into()
    })
}

fn id_json(id: &super::system::NodeId) -> Value {
    serde_json::to_value(id).unwrap_or(Value::Null)
}

fn num(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

fn check_range(field: &str, v: f64, lo: f64, hi: f64) -> Result<(), TansoError> {
    if v.is_finite() && (lo..=hi).contains(&v) {
        Ok(())
    } else {
        Err(LcaError::InvalidSetting {
            field: field.to_string(),
            value: v.to_string(),
            valid: format!("a number from {lo} to {hi}"),
        }
        .into())
    }
}

impl Model {
    /// Builds and factorizes a system from its document form.
    pub fn from_spec(spec: &SystemSpec) -> Result<Model, TansoError> {
        Ok(Model {
            lca: Lca::new(LcaSystem::build(spec)?)?,
        })
    }

    /// Builds and factorizes a system given by indices (numpy arrays, typed arrays).
    pub fn from_indexed(spec: IndexedSpec) -> Result<Model, TansoError> {
        Ok(Model {
            lca: Lca::new(LcaSystem::from_indexed(spec)?)?,
        })
    }

    /// Reads a `bench_bw2calc.py` dump (`.npz` and `.json` bytes) and factorizes it.
    pub fn from_dump(npz: &[u8], json: &[u8]) -> Result<Model, TansoError> {
        let dump = BenchDump::read(npz, json)?;
        Ok(Model {
            lca: Lca::new(dump.system()?)?,
        })
    }

    /// Builds a model from the `"system"` document.
    pub fn from_json(system: Value) -> Result<Model, TansoError> {
        Model::from_spec(&parse("system", system)?)
    }

    /// The engine.
    pub fn lca(&self) -> &Lca {
        &self.lca
    }

    /// A summary: sizes, loop blocks, methods, parameters.
    pub fn describe(&self) -> Value {
        let s = self.lca.system();
        json!({
            "activities": s.activity_count(),
            "flows": s.flow_count(),
            "technosphere_nonzeros": s.technosphere.nnz(),
            "biosphere_nonzeros": s.biosphere.nnz(),
            "loop_blocks": self.lca.factorization().structure().loop_sizes(),
            "methods": s.methods.iter().map(|m| json!({
                "id": m.id, "name": m.name, "unit": m.unit,
                "factors": m.factors.len(), "unmatched_factors": m.unmatched,
            })).collect::<Vec<_>>(),
            "parameters": s.parameters.as_ref().map(|p| p.names.clone()).unwrap_or_default(),
            "uncertain_values": s.tech_entries.uncertain.len() + s.bio_entries.uncertain.len()
                + s.methods.iter().map(|m| m.uncertain.len()).sum::<usize>(),
        })
    }

    fn method_indices(&self, methods: &Option<Vec<String>>) -> Result<Vec<usize>, TansoError> {
        let s = self.lca.system();
        match methods {
            None => Ok((0..s.methods.len()).collect()),
            Some(ids) => ids.iter().enumerate().map(|(k, id)| s.method(&format!("methods[{k}]"), id)).collect(),
        }
    }

    fn demand_vectors(&self, demands: &[DemandSpec]) -> Result<Vec<Vec<f64>>, TansoError> {
        if demands.is_empty() {
            return Err(LcaError::InvalidSetting {
                field: "demands".into(),
                value: "[]".into(),
                valid: "at least one functional unit".into(),
            }
            .into());
        }
        demands.iter().enumerate().map(|(k, d)| self.lca.demand_vector(&format!("demands[{k}]"), d)).collect()
    }

    fn check_len(&self, field: &str, v: &[f64]) -> Result<(), TansoError> {
        let n = self.lca.system().activity_count();
        if v.len() != n {
            return Err(crate::error::InputError::ColumnLength {
                field: field.to_string(),
                found: v.len(),
                expected: n,
            }
            .into());
        }
        if let Some((k, x)) = v.iter().enumerate().find(|(_, x)| !x.is_finite()) {
            return Err(crate::error::InputError::NonFinite {
                field: format!("{field}[{k}]"),
                value: x.to_string(),
            }
            .into());
        }
        Ok(())
    }

    /// Supply `x = A⁻¹ f` for a dense demand vector in matrix order (see [`Model::activity_ids`]).
    pub fn supply_array(&self, demand: &[f64]) -> Result<Vec<f64>, TansoError> {
        self.check_len("demand", demand)?;
        self.lca.supply(demand)
    }

    /// Inventory `B A⁻¹ f` (one amount per flow, in [`Model::flow_ids`] order).
    pub fn inventory_array(&self, demand: &[f64]) -> Result<Vec<f64>, TansoError> {
        let x = self.supply_array(demand)?;
        Ok(self.lca.inventory(&x))
    }

    /// Scores of a dense demand vector, one per method in [`Model::method_ids`] order.
    pub fn scores_array(&self, demand: &[f64]) -> Result<Vec<f64>, TansoError> {
        let x = self.supply_array(demand)?;
        let g = self.lca.inventory(&x);
        Ok((0..self.lca.system().methods.len()).map(|k| self.lca.score_of_inventory(&g, k)).collect())
    }

    /// Cradle-to-gate score of one unit of every product for a method (one adjoint solve).
    pub fn intensities_array(&self, method: &str) -> Result<Vec<f64>, TansoError> {
        let k = self.lca.system().method("method", method)?;
        self.lca.intensities(k)
    }

    /// Activity (= product) ids in matrix order.
    pub fn activity_ids(&self) -> Vec<super::system::NodeId> {
        self.lca.system().activities().iter().map(|a| a.id.clone()).collect()
    }

    /// Flow ids in matrix order.
    pub fn flow_ids(&self) -> Vec<super::system::NodeId> {
        self.lca.system().flows().iter().map(|f| f.id.clone()).collect()
    }

    /// Method ids in order.
    pub fn method_ids(&self) -> Vec<String> {
        self.lca.system().methods.iter().map(|m| m.id.clone()).collect()
    }

    /// Answers a calculation request.
    pub fn calculate(&self, req: &CalculateRequest) -> Result<Value, TansoError> {
        check_range("cutoff", req.cutoff, 0.0, 1.0)?;
        let methods = self.method_indices(&req.methods)?;
        let fs = self.demand_vectors(&req.demands)?;
        let lca = &self.lca;
        let system = lca.system();
        let acts = system.activities();
        let flows = system.flows();
        let inc = |i: Include| req.include.contains(&i);
        let keep_top = |mut v: Vec<(usize, f64)>| -> Vec<(usize, f64)> {
            v.retain(|e| e.1 != 0.0);
            v.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
            if req.top > 0 {
                v.truncate(req.top);
            }
            v
        };
        let need_lambda = inc(Include::Upstream) || inc(Include::Intensities) || inc(Include::Tree) || inc(Include::Sankey);
        let lambdas: Vec<Vec<f64>> = if need_lambda {
            methods.iter().map(|&k| lca.intensities(k)).collect::<Result<_, _>>()?
        } else {
            Vec::new()
        };
        let mut results = Vec::with_capacity(fs.len());
        for (di, f) in fs.iter().enumerate() {
            let x = lca.supply(f)?;
            let g = lca.inventory(&x);
            let mut r = Map::new();
            r.insert("demand".into(), json!(demand_name(&req.demands[di])));
            let mut scores = Map::new();
            let mut normalized = Map::new();
            let mut weighted = Map::new();
            let mut single = 0.0;
            let mut has_weights = false;
            for &k in &methods {
                let m = &system.methods[k];
                let h = lca.score_of_inventory(&g, k);
                scores.insert(m.id.clone(), num(h));
                if let Some(nf) = m.normalization {
                    normalized.insert(m.id.clone(), num(h / nf));
                    if let Some(w) = m.weighting {
                        weighted.insert(m.id.clone(), num(h / nf * w));
                        single += h / nf * w;
                        has_weights = true;
                    }
                }
            }
            r.insert("scores".into(), Value::Object(scores));
            if !normalized.is_empty() {
                r.insert("normalized".into(), Value::Object(normalized));
            }
            if has_weights {
                r.insert("weighted".into(), Value::Object(weighted));
                r.insert("single_score".into(), num(single));
            }
            if inc(Include::Supply) {
                let v: Vec<Value> = x.iter().enumerate().filter(|e| *e.1 != 0.0).map(|(j, &v)| json!({"activity": id_json(&acts[j].id), "amount": num(v)})).collect();
                r.insert("supply".into(), Value::Array(v));
            }
            if inc(Include::Inventory) {
                let v: Vec<Value> = g.iter().enumerate().filter(|e| *e.1 != 0.0).map(|(i, &v)| json!({"flow": id_json(&flows[i].id), "amount": num(v)})).collect();
                r.insert("inventory".into(), Value::Array(v));
            }
            let per_method = |build: &dyn Fn(usize, usize) -> Result<Value, TansoError>| -> Result<Value, TansoError> {
                let mut out = Map::new();
                for (mi, &k) in methods.iter().enumerate() {
                    out.insert(system.methods[k].id.clone(), build(mi, k)?);
                }
                Ok(Value::Object(out))
            };
            if inc(Include::Contributions) {
                let v = per_method(&|_, k| {
                    let total = lca.score_of_inventory(&g, k);
                    let share = |s: f64| if total != 0.0 { num(s / total) } else { Value::Null };
                    let procs: Vec<Value> = keep_top(lca.process_contributions(&x, k).into_iter().enumerate().collect())
                        .into_iter()
                        .map(|(j, s)| json!({"activity": id_json(&acts[j].id), "name": acts[j].name, "score": num(s), "share": share(s)}))
                        .collect();
                    let fl: Vec<Value> = keep_top(lca.flow_contributions(&x, k).into_iter().enumerate().collect())
                        .into_iter()
                        .map(|(i, s)| json!({"flow": id_json(&flows[i].id), "name": flows[i].name, "score": num(s), "share": share(s)}))
                        .collect();
                    Ok(json!({"total": num(total), "processes": procs, "flows": fl}))
                })?;
                r.insert("contributions".into(), v);
            }
            if inc(Include::Upstream) {
                let v = per_method(&|mi, _| {
                    let lambda = &lambdas[mi];
                    let up = lca.upstream(&x, lambda);
                    let list: Vec<Value> = keep_top(up.into_iter().enumerate().collect())
                        .into_iter()
                        .map(|(j, u)| json!({"activity": id_json(&acts[j].id), "name": acts[j].name, "upstream": num(u), "intensity": num(lambda[j])}))
                        .collect();
                    Ok(Value::Array(list))
                })?;
                r.insert("upstream".into(), v);
            }
            if inc(Include::CharacterizedInventory) {
                let v = per_method(&|_, k| {
                    let list: Vec<Value> = lca
                        .characterized_inventory(&x, k)
                        .into_iter()
                        .map(|(i, j, h)| json!({"flow": id_json(&flows[i].id), "activity": id_json(&acts[j].id), "score": num(h)}))
                        .collect();
                    Ok(Value::Array(list))
                })?;
                r.insert("characterized_inventory".into(), v);
            }
            if inc(Include::Tree) {
                let v = per_method(&|mi, k| {
                    let (roots, truncated) = lca.supply_chain_with(f, &lambdas[mi], k, req.cutoff, req.max_nodes.max(1));
                    Ok(json!({"roots": roots, "truncated": truncated, "cutoff": req.cutoff}))
                })?;
                r.insert("tree".into(), v);
            }
            if inc(Include::Sankey) {
                let v = per_method(&|mi, k| Ok(serde_json::to_value(lca.sankey_with(f, &x, &lambdas[mi], k, req.cutoff)).unwrap_or(Value::Null)))?;
                r.insert("sankey".into(), v);
            }
            results.push(Value::Object(r));
        }
        let mut out = Map::new();
        out.insert(
            "methods".into(),
            Value::Array(
                methods
                    .iter()
                    .map(|&k| {
                        let m = &system.methods[k];
                        json!({"id": m.id, "name": m.name, "unit": m.unit, "unmatched_factors": m.unmatched})
                    })
                    .collect(),
            ),
        );
        out.insert("results".into(), Value::Array(results));
        if inc(Include::Intensities) {
            let mut m = Map::new();
            for (mi, &k) in methods.iter().enumerate() {
                let list: Vec<Value> = lambdas[mi].iter().enumerate().map(|(j, &l)| json!({"product": id_json(&acts[j].id), "score": num(l)})).collect();
                m.insert(system.methods[k].id.clone(), Value::Array(list));
            }
            out.insert("intensities".into(), Value::Object(m));
        }
        if !req.scenarios.is_empty() {
            out.insert("scenarios".into(), self.scenarios(req, &methods, &fs)?);
        }
        out.insert("solver".into(), json!({"loop_blocks": lca.factorization().structure().loop_sizes()}));
        Ok(Value::Object(out))
    }

    fn scenarios(&self, req: &CalculateRequest, methods: &[usize], fs: &[Vec<f64>]) -> Result<Value, TansoError> {
        let system = self.lca.system();
        let params = system.parameters.as_ref().ok_or_else(|| {
            TansoError::from(LcaError::InvalidSetting {
                field: "scenarios".into(),
                value: format!("{} scenarios", req.scenarios.len()),
                valid: "scenarios only for a system with parameters".into(),
            })
        })?;
        let mut out = Vec::new();
        for (si, sc) in req.scenarios.iter().enumerate() {
            let mut values = params.base.clone();
            for (name, &v) in &sc.parameters {
                let field = format!("scenarios[{si}].parameters.{name}");
                let slot = params.table.slot(name, &Scope::Global).ok_or_else(|| {
                    TansoError::from(LcaError::UnknownId {
                        field: field.clone(),
                        kind: "parameter".into(),
                        value: name.clone(),
                        suggestions: String::new(),
                    })
                })?;
                if !v.is_finite() {
                    return Err(crate::error::InputError::NonFinite { field, value: v.to_string() }.into());
                }
                values[slot] = v;
            }
            params.table.evaluate(&mut values)?;
            let scenario_system = system.with_parameter_values(&values)?;
            let lca = Lca::from_arc(Arc::new(scenario_system))?;
            let mut per_demand = Vec::new();
            for (di, f) in fs.iter().enumerate() {
                let x = lca.supply(f)?;
                let g = lca.inventory(&x);
                let mut scores = Map::new();
                for &k in methods {
                    scores.insert(system.methods[k].id.clone(), num(lca.score_of_inventory(&g, k)));
                }
                per_demand.push(json!({"demand": demand_name(&req.demands[di]), "scores": scores}));
            }
            out.push(json!({"name": sc.name, "results": per_demand}));
        }
        Ok(Value::Array(out))
    }

    /// Runs a Monte Carlo request.
    pub fn monte_carlo(&self, req: &MonteCarloRequest, progress: Option<Progress<'_>>) -> Result<Value, TansoError> {
        let methods = self.method_indices(&req.methods)?;
        let fs = self.demand_vectors(&req.demands)?;
        let r = montecarlo::run(&self.lca, &fs, &methods, &req.settings, progress)?;
        let system = self.lca.system();
        let mut results = Vec::new();
        for (di, d) in req.demands.iter().enumerate() {
            for (mi, &k) in methods.iter().enumerate() {
                let st = &r.statistics[di][mi];
                let mut pct = Map::new();
                for (p, v) in &st.percentiles {
                    pct.insert(format_percent(*p), num(*v));
                }
                let mut e = json!({
                    "demand": demand_name(d),
                    "method": system.methods[k].id,
                    "mean": num(st.mean), "sd": num(st.sd), "min": num(st.min), "max": num(st.max),
                    "percentiles": pct,
                });
                if req.include_samples {
                    e["samples"] = Value::Array(r.samples[di][mi].iter().map(|&v| num(v)).collect());
                }
                results.push(e);
            }
        }
        Ok(json!({
            "iterations": r.iterations,
            "seed": req.settings.seed,
            "lognormal": req.settings.lognormal,
            "direct_fallbacks": r.direct_fallbacks,
            "results": results,
        }))
    }

    /// Parses and answers a calculation request given as JSON.
    pub fn calculate_json(&self, request: Value) -> Result<Value, TansoError> {
        self.calculate(&parse("lca", request)?)
    }

    /// Parses and runs a Monte Carlo request given as JSON.
    pub fn monte_carlo_json(&self, request: Value, progress: Option<Progress<'_>>) -> Result<Value, TansoError> {
        self.monte_carlo(&parse("lca_monte_carlo", request)?, progress)
    }
}

fn format_percent(p: f64) -> String {
    format!("{p}")
}

fn demand_name(d: &DemandSpec) -> String {
    d.name.clone().unwrap_or_else(|| {
        d.amounts.iter().map(|a| format!("{} {}", a.amount, a.id)).collect::<Vec<_>>().join(" + ")
    })
}

/// Splits `{"system": …, rest}` into the model and the request.
fn split(operation: &str, mut input: Value) -> Result<(Model, Value), TansoError> {
    let system = input.as_object_mut().and_then(|o| o.remove("system")).ok_or_else(|| {
        TansoError::from(crate::error::InputError::InvalidInput {
            operation: operation.to_string(),
            message: "missing field `system`".into(),
        })
    })?;
    Ok((Model::from_spec(&parse(operation, system)?)?, input))
}

/// The `lca` operation: `{"system": SystemSpec, …CalculateRequest}`.
pub fn calculate_document(input: Value) -> Result<Value, TansoError> {
    let (model, req) = split("lca", input)?;
    model.calculate(&parse("lca", req)?)
}

/// The `lca_monte_carlo` operation: `{"system": SystemSpec, …MonteCarloRequest}`.
pub fn monte_carlo_document(input: Value) -> Result<Value, TansoError> {
    let (model, req) = split("lca_monte_carlo", input)?;
    model.monte_carlo(&parse("lca_monte_carlo", req)?, None)
}
