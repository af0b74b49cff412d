//! Calculations on a factorized system: supply, inventory, scores, contributions,
//! upstream (cradle-to-gate) results from the adjoint, the supply-chain tree and a
//! Sankey graph.
//!
//! Definitions (f the demand, x the supply, c the characterization vector of a method):
//! - supply `x = A⁻¹ f`; inventory `g = B x`; score `h = cᵀ g`;
//! - intensities `λ = A⁻ᵀ Bᵀ c`: the cradle-to-gate score of one unit of every product,
//!   all from one transposed solve (`h = λᵀ f` for any demand);
//! - direct contribution of activity j: `(cᵀ B)_j x_j` (sums to h);
//! - flow contribution of flow i: `c_i g_i` (sums to h);
//! - upstream total of activity j: `λ_j A_jj x_j`, the cradle-to-gate score of everything
//!   activity j produces in this system (openLCA's "upstream total"); for the demanded
//!   activity in a system without loops it equals h.
//!
//! ```
//! use tanso::lca::{system::{LcaSystem, IndexedSpec}, calc::Lca};
//! // electricity (0) and steel (1): steel needs 0.5 kWh; CO2 0.6 per kWh and 1.8 per kg steel
//! let spec = IndexedSpec {
//!     n_activities: 2, n_flows: 1,
//!     tech: (vec![0, 0, 1], vec![0, 1, 1], vec![1.0, -0.5, 1.0]),
//!     bio: (vec![0, 0], vec![0, 1], vec![0.6, 1.8]),
//!     methods: vec![("GWP100".into(), vec![(0, 1.0)])],
//!     ..IndexedSpec::default()
//! };
//! let lca = Lca::new(LcaSystem::from_indexed(spec).unwrap()).unwrap();
//! let x = lca.supply(&[0.0, 1.0]).unwrap();
//! assert!((lca.score(&x, 0) - 2.1).abs() < 1e-12); // 1.8 + 0.5 × 0.6
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::solver::{Factorization, SolveFailure};
use super::system::{LcaSystem, NodeId};
use crate::error::LcaError;
use crate::TansoError;

/// The deepest supply-chain tree level expanded (the tree reports `truncated` beyond it).
pub const MAX_TREE_DEPTH: usize = 64;

/// A system and its factorized technosphere.
#[derive(Debug, Clone)]
pub struct Lca {
    system: Arc<LcaSystem>,
    lu: Factorization,
}

/// A functional unit: amounts of products (or of activities' reference products).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandSpec {
    /// A label for reports (default: the ids and amounts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Product (or activity) id → amount in the product's unit.
    pub amounts: Vec<DemandAmount>,
}

/// One line of a functional unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandAmount {
    /// The product, or the activity whose reference product is meant.
    pub id: NodeId,
    /// Amount of the product.
    pub amount: f64,
}

/// One node of a supply-chain tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeNode {
    /// The activity providing this product.
    pub activity: NodeId,
    /// Its name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Amount of the activity's reference product flowing into the parent.
    pub amount: f64,
    /// Cradle-to-gate score of that amount (λ × amount).
    pub score: f64,
    /// Direct score of the activity at this scale.
    pub direct: f64,
    /// True where the activity already appears on the path from the root: the loop is
    /// shown once and not expanded again.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub loop_back: bool,
    /// Inputs above the cutoff, largest score first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<TreeNode>,
}

/// A Sankey-ready graph: activities above the cutoff and the score carried by each
/// product flow between them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SankeyGraph {
    /// Nodes: activities whose upstream total is at least `cutoff × |score|`.
    pub nodes: Vec<SankeyNode>,
    /// Links from supplier to consumer among the nodes.
    pub links: Vec<SankeyLink>,
    /// The total score.
    pub total: f64,
    /// Relative cutoff used.
    pub cutoff: f64,
}

/// A Sankey node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SankeyNode {
    /// The activity.
    pub id: NodeId,
    /// Its name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Direct score.
    pub direct: f64,
    /// Upstream total (cradle-to-gate of its whole production in the system).
    pub upstream: f64,
}

/// A Sankey link: product of `source` delivered to `target`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SankeyLink {
    /// Supplying activity.
    pub source: NodeId,
    /// Consuming activity.
    pub target: NodeId,
    /// Amount of the source's product delivered.
    pub amount: f64,
    /// Cradle-to-gate score of that amount.
    pub score: f64,
}

pub(crate) fn solve_error(system: &LcaSystem, e: SolveFailure) -> TansoError {
    let ids: Vec<String> = e.activities.iter().map(|&j| system.activities()[j].id.to_string()).collect();
    LcaError::SingularTechnosphere {
        activities: ids.join(", "),
        block_size: e.block_size,
        residual: format!("{:.1e}", e.residual),
    }
    .into()
}

impl Lca {
    /// Factorizes the system's technosphere.
    pub fn new(system: LcaSystem) -> Result<Lca, TansoError> {
        Lca::from_arc(Arc::new(system))
    }

    /// Factorizes a shared system.
    pub fn from_arc(system: Arc<LcaSystem>) -> Result<Lca, TansoError> {
        let lu = Factorization::new(&system.technosphere).map_err(|e| solve_error(&system, e))?;
        Ok(Lca { system, lu })
    }

    /// The system.
    pub fn system(&self) -> &LcaSystem {
        &self.system
    }

    /// The shared system.
    pub fn system_arc(&self) -> &Arc<LcaSystem> {
        &self.system
    }

    /// The factorization.
    pub fn factorization(&self) -> &Factorization {
        &self.lu
    }

    /// The demand vector of a functional unit (ids resolved to matrix positions).
    pub fn demand_vector(&self, field: &str, demand: &DemandSpec) -> Result<Vec<f64>, TansoError> {
        let mut f = vec![0.0; self.system.activity_count()];
        for (k, d) in demand.amounts.iter().enumerate() {
            let field = format!("{field}.amounts[{k}]");
            let j = self.system.resolve(&format!("{field}.id"), &d.id)?;
            if !d.amount.is_finite() {
                return Err(crate::error::InputError::NonFinite {
                    field: format!("{field}.amount"),
                    value: d.amount.to_string(),
                }
                .into());
            }
            f[j] += d.amount;
        }
        Ok(f)
    }

    /// Supply `x = A⁻¹ f`, residual-checked.
    pub fn supply(&self, f: &[f64]) -> Result<Vec<f64>, TansoError> {
        self.lu.solve(f).map_err(|e| solve_error(&self.system, e))
    }

    /// Inventory `g = B x` (one amount per flow).
    pub fn inventory(&self, x: &[f64]) -> Vec<f64> {
        let mut g = vec![0.0; self.system.flow_count()];
        self.system.biosphere.mul_vec(x, &mut g);
        g
    }

    /// Score of method `k` for supply `x`: `cᵀ B x`.
    pub fn score(&self, x: &[f64], k: usize) -> f64 {
        let g = self.inventory(x);
        self.score_of_inventory(&g, k)
    }

    /// Score of method `k` for an inventory `g`.
    pub fn score_of_inventory(&self, g: &[f64], k: usize) -> f64 {
        self.system.methods.get(k).map_or(0.0, |m| m.factors.iter().map(|&(f, v)| v * g[f]).sum())
    }

    /// `Bᵀ c` of method `k`: the direct score of one unit of each activity.
    pub fn direct_intensities(&self, k: usize) -> Vec<f64> {
        let c = self.system.characterization(k);
        let mut d = vec![0.0; self.system.activity_count()];
        self.system.biosphere.mul_t_vec(&c, &mut d);
        d
    }

    /// `λ = A⁻ᵀ Bᵀ c`: the cradle-to-gate score of one unit of every product for method
    /// `k`, by one transposed solve.
    pub fn intensities(&self, k: usize) -> Result<Vec<f64>, TansoError> {
        let d = self.direct_intensities(k);
        self.lu.solve_transpose(&d).map_err(|e| solve_error(&self.system, e))
    }

    /// Direct contribution of each activity: `(cᵀ B)_j x_j`.
    pub fn process_contributions(&self, x: &[f64], k: usize) -> Vec<f64> {
        self.direct_intensities(k).iter().zip(x).map(|(d, x)| d * x).collect()
    }

    /// Contribution of each flow: `c_i g_i`.
    pub fn flow_contributions(&self, x: &[f64], k: usize) -> Vec<f64> {
        let g = self.inventory(x);
        let c = self.system.characterization(k);
        c.iter().zip(&g).map(|(c, g)| c * g).collect()
    }

    /// The characterized inventory `c_i B_ij x_j` as (flow, activity, value) for every
    /// non-zero entry.
    pub fn characterized_inventory(&self, x: &[f64], k: usize) -> Vec<(usize, usize, f64)> {
        let c = self.system.characterization(k);
        let b = &self.system.biosphere;
        let mut out = Vec::new();
        for (j, &xj) in x.iter().enumerate() {
            for (i, v) in b.column(j) {
                let h = c[i] * v * xj;
                if h != 0.0 {
                    out.push((i, j, h));
                }
            }
        }
        out
    }

    /// Upstream total of each activity: `λ_j A_jj x_j`.
    pub fn upstream(&self, x: &[f64], lambda: &[f64]) -> Vec<f64> {
        let a = &self.system.technosphere;
        (0..x.len()).map(|j| lambda[j] * a.get(j, j) * x[j]).collect()
    }

    /// The supply-chain tree of demand `f` for method `k`: from each demanded product down
    /// its inputs, keeping nodes whose |score| is at least `cutoff × |total|`, visiting a
    /// loop once (a node already on the path is marked `loop_back` and not expanded), at
    /// most `max_nodes` nodes in all and [`MAX_TREE_DEPTH`] levels.
    pub fn supply_chain(&self, f: &[f64], k: usize, cutoff: f64, max_nodes: usize) -> Result<(Vec<TreeNode>, bool), TansoError> {
        let lambda = self.intensities(k)?;
        Ok(self.supply_chain_with(f, &lambda, k, cutoff, max_nodes))
    }

    /// [`Lca::supply_chain`] with the intensities `lambda` of method `k` already solved.
    pub fn supply_chain_with(&self, f: &[f64], lambda: &[f64], k: usize, cutoff: f64, max_nodes: usize) -> (Vec<TreeNode>, bool) {
        let direct = self.direct_intensities(k);
        let total: f64 = lambda.iter().zip(f).map(|(l, f)| l * f).sum();
        let threshold = cutoff * total.abs();
        let mut budget = max_nodes;
        let mut truncated = false;
        let mut path = Vec::new();
        let mut roots = Vec::new();
        for (j, &fj) in f.iter().enumerate() {
            if fj != 0.0 {
                roots.push(self.expand(j, fj, lambda, &direct, threshold, &mut budget, &mut truncated, &mut path));
            }
        }
        (roots, truncated)
    }

    #[allow(clippy::too_many_arguments)]
    fn expand(
        &self,
        j: usize,
        amount: f64,
        lambda: &[f64],
        direct: &[f64],
        threshold: f64,
        budget: &mut usize,
        truncated: &mut bool,
        path: &mut Vec<usize>,
    ) -> TreeNode {
        let a = &self.system.technosphere;
        let info = &self.system.activities()[j];
        let scale = amount / a.get(j, j);
        let mut node = TreeNode {
            activity: info.id.clone(),
            name: info.name.clone(),
            amount,
            score: lambda[j] * amount,
            direct: direct[j] * scale,
            loop_back: path.contains(&j),
            children: Vec::new(),
        };
        *budget = budget.saturating_sub(1);
        if node.loop_back {
            return node;
        }
        if path.len() >= MAX_TREE_DEPTH {
            *truncated = true;
            return node;
        }
        path.push(j);
        let mut inputs: Vec<(usize, f64, f64)> = a
            .column(j)
            .filter(|&(i, _)| i != j)
            .map(|(i, v)| {
                let amt = -v * scale;
                (i, amt, lambda[i] * amt)
            })
            .filter(|&(_, _, s)| s.abs() >= threshold && s != 0.0)
            .collect();
        inputs.sort_by(|p, q| q.2.abs().total_cmp(&p.2.abs()));
        for (i, amt, _) in inputs {
            if *budget == 0 {
                *truncated = true;
                break;
            }
            node.children.push(self.expand(i, amt, lambda, direct, threshold, budget, truncated, path));
        }
        path.pop();
        node
    }

    /// A Sankey graph of demand `f` for method `k` with a relative `cutoff`.
    pub fn sankey(&self, f: &[f64], k: usize, cutoff: f64) -> Result<SankeyGraph, TansoError> {
        let x = self.supply(f)?;
        let lambda = self.intensities(k)?;
        Ok(self.sankey_with(f, &x, &lambda, k, cutoff))
    }

    /// [`Lca::sankey`] with the supply `x` of `f` and the intensities `lambda` of method `k`
    /// already solved.
    pub fn sankey_with(&self, f: &[f64], x: &[f64], lambda: &[f64], k: usize, cutoff: f64) -> SankeyGraph {
        let direct = self.direct_intensities(k);
        let up = self.upstream(x, lambda);
        let total: f64 = lambda.iter().zip(f).map(|(l, f)| l * f).sum();
        let threshold = cutoff * total.abs();
        let acts = self.system.activities();
        let keep: Vec<usize> = (0..x.len()).filter(|&j| x[j] != 0.0 && (up[j].abs() >= threshold || f[j] != 0.0)).collect();
        let kept: HashMap<usize, ()> = keep.iter().map(|&j| (j, ())).collect();
        let a = &self.system.technosphere;
        let mut links = Vec::new();
        for &j in &keep {
            for (i, v) in a.column(j) {
                if i != j && kept.contains_key(&i) {
                    let amount = -v * x[j];
                    links.push(SankeyLink {
                        source: acts[i].id.clone(),
                        target: acts[j].id.clone(),
                        amount,
                        score: lambda[i] * amount,
                    });
                }
            }
        }
        let nodes = keep
            .iter()
            .map(|&j| SankeyNode {
                id: acts[j].id.clone(),
                name: acts[j].name.clone(),
                direct: direct[j] * x[j],
                upstream: up[j],
            })
            .collect();
        SankeyGraph {
            nodes,
            links,
            total,
            cutoff,
        }
    }
}
