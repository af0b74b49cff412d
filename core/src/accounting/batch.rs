//! The batch API for large ledgers: many simple activity rows in columns, one call.
//!
//! Each row is `(kind, key, amount, unit)`: `fuel` (key: fuel id), `electricity` (key:
//! geography, location-based grid average), `freight` (key: registry activity, amount in a
//! freight unit) or `spend` (key: registry activity, amount in the factor's currency and price
//! year). The kg CO2e per unit of each distinct `(kind, key, unit)` is computed once with the
//! same calculators as [`super::calculate`] (on one unit) and every row is `amount × that`, so
//! a million rows cost a million decimal multiplications. The product is exact; the per-unit
//! value is exact where it terminates and otherwise carries 28 significant digits, so a batch
//! row agrees with a single `calculate` of the same record to at least 20 significant digits.
//!
//! A bad row does not stop the batch: its `co2e_kg` is null and `errors` holds its code and
//! message; every other row is computed.
//!
//! ```
//! use tanso::accounting::batch::{BatchCalculator, Kind};
//! use tanso::factors::FactorRegistry;
//! use rust_decimal_macros::dec;
//! let reg = FactorRegistry::bundled();
//! let mut calc = BatchCalculator::new(&reg, tanso::ghg::GwpSet::Ar6, 2023);
//! let kg = calc.row(Kind::Fuel, "cn_raw_coal", dec!(1), "kg").unwrap();
//! assert_eq!(kg, dec!(1.9002988488));
//! ```

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::*;
use crate::factors::FactorRegistry;

/// The kind of a batch row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Stationary fuel combustion; key = fuel id.
    Fuel,
    /// Purchased electricity, location-based; key = geography.
    Electricity,
    /// Freight; key = registry activity of the intensity.
    Freight,
    /// Spend-based purchase; key = registry activity of the factor.
    Spend,
}

impl Kind {
    /// Parses a kind name.
    pub fn parse(s: &str, field: &str) -> Result<Kind, TansoError> {
        Ok(match s {
            "fuel" => Kind::Fuel,
            "electricity" => Kind::Electricity,
            "freight" => Kind::Freight,
            "spend" => Kind::Spend,
            other => {
                return Err(AccountingError::OutOfRange {
                    field: field.to_string(),
                    value: other.to_string(),
                    expected: "fuel, electricity, freight or spend".to_string(),
                }
                .into())
            }
        })
    }

    /// The scope of rows of this kind.
    pub fn scope(self) -> u8 {
        match self {
            Kind::Fuel => 1,
            Kind::Electricity => 2,
            Kind::Freight | Kind::Spend => 3,
        }
    }
}

/// Computes rows, caching the per-unit factor of each `(kind, key, unit)`.
pub struct BatchCalculator<'a> {
    registry: &'a FactorRegistry,
    settings: Settings,
    year: i32,
    cache: HashMap<(Kind, String, String), Result<Decimal, TansoError>>,
}

impl<'a> BatchCalculator<'a> {
    /// A calculator over a registry, for one GWP set and data year.
    pub fn new(registry: &'a FactorRegistry, gwp_set: GwpSet, year: i32) -> Self {
        let settings = Settings {
            gwp_set,
            year: Some(year),
            ..Settings::default()
        };
        BatchCalculator {
            registry,
            settings,
            year,
            cache: HashMap::new(),
        }
    }

    fn per_unit(&self, kind: Kind, key: &str, unit: &str) -> Result<Decimal, TansoError> {
        let one = |u: &str| -> Result<Quantity, TansoError> { Ok(Quantity::new(Decimal::ONE, u)?) };
        let activity = match kind {
            Kind::Fuel => Activity::FuelCombustion(FuelCombustion {
                fuel: key.to_string(),
                quantity: one(unit)?,
                use_: CombustionUse::Stationary,
                tier: None,
                sector: None,
                ncv_mj_per_unit: None,
                carbon_content_kgc_per_gj: None,
                oxidation: None,
                ch4_kg_per_tj: None,
                n2o_kg_per_tj: None,
                density_kg_per_m3: None,
            }),
            Kind::Electricity => Activity::Electricity(PurchasedEnergy {
                energy: one(unit)?,
                carrier: Carrier::Electricity,
                geography: Some(key.to_string()),
                location_factor: None,
                instruments: Vec::new(),
                residual_factor: None,
            }),
            Kind::Freight => {
                let q = one(unit)?;
                let tkm = q.value_in(crate::units::Unit::parse("tkm", "unit")?, "unit")?;
                Activity::Freight(Freight {
                    legs: vec![Leg {
                        mode: "batch".to_string(),
                        mass: Quantity::new(tkm, "t")?,
                        distance: Some(Quantity::new(Decimal::ONE, "km")?),
                        from: None,
                        to: None,
                        intensity: None,
                        activity: Some(key.to_string()),
                        geography: None,
                    }],
                })
            }
            Kind::Spend => return self.spend_per_unit(key, unit),
        };
        self.co2e_of(activity)
    }

    /// kg CO2e of one activity in the calculator's year, by the single-record calculators.
    fn co2e_of(&self, activity: Activity) -> Result<Decimal, TansoError> {
        let rec = ActivityRecord {
            id: String::new(),
            site: None,
            year: Some(self.year),
            description: String::new(),
            scope3_category: None,
            activity,
        };
        let ctx = Context {
            registry: self.registry,
            settings: &self.settings,
            year: Some(self.year),
            geography: None,
        };
        Ok(calculate(&rec, &ctx, Decimal::ONE)?.co2e_kg)
    }

    /// Spend rows are in the factor's own currency and price year.
    fn spend_per_unit(&self, key: &str, unit: &str) -> Result<Decimal, TansoError> {
        let m = self.registry.lookup(key, "GLO", self.year)?;
        crate::units::validate_currency(unit, "unit")?;
        if m.factor.unit != unit {
            return Err(AccountingError::OutOfRange {
                field: "unit".to_string(),
                value: unit.to_string(),
                expected: format!(
                    "{} (the currency of factor {}); convert spend with the `calculate` operation",
                    m.factor.unit, m.factor.id
                ),
            }
            .into());
        }
        self.co2e_of(Activity::PurchasedGoods(PurchasedGoods {
            method: GoodsMethod::SpendBased,
            quantity: None,
            spend: Some(crate::units::Money {
                amount: Decimal::ONE,
                currency: unit.to_string(),
                price_year: m.factor.price_year.unwrap_or(self.year),
            }),
            activity: Some(key.to_string()),
            geography: None,
            factor: None,
            supplier_total: None,
        }))
    }

    /// kg CO2e of one row.
    pub fn row(
        &mut self,
        kind: Kind,
        key: &str,
        amount: Decimal,
        unit: &str,
    ) -> Result<Decimal, TansoError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(AccountingError::NegativeAmount {
                field: "amount".to_string(),
                value: amount.to_string(),
            }
            .into());
        }
        let k = (kind, key.to_string(), unit.to_string());
        let per = match self.cache.get(&k) {
            Some(v) => v.clone(),
            None => {
                let v = self.per_unit(kind, key, unit);
                self.cache.insert(k, v.clone());
                v
            }
        };
        Ok((amount * per?).normalize())
    }
}

/// Input of the `batch` operation: columns of equal length.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchInput {
    /// Row kinds: `fuel`, `electricity`, `freight`, `spend`.
    pub kind: Vec<String>,
    /// Fuel id, geography or activity key per row.
    pub key: Vec<String>,
    /// Amounts (decimal strings or numbers).
    pub amount: Vec<crate::num::Marked>,
    /// Unit (or currency) per row.
    pub unit: Vec<String>,
    /// Data year of every row.
    pub year: i32,
    /// GWP set (default AR6).
    #[serde(default)]
    pub gwp_set: GwpSet,
    /// Where factors come from.
    #[serde(default)]
    pub factors: FactorSource,
}

/// A row that failed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RowError {
    /// 0-based row.
    pub row: usize,
    /// Stable code.
    pub code: String,
    /// Message.
    pub message: String,
}

/// Output of the `batch` operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BatchOutput {
    /// kg CO2e per row; null where the row failed.
    pub co2e_kg: Vec<Option<crate::num::Marked>>,
    /// Scope per row.
    pub scope: Vec<u8>,
    /// Sum of the rows that succeeded, kg CO2e.
    #[serde(with = "crate::num")]
    pub total_co2e_kg: Decimal,
    /// The rows that failed.
    pub errors: Vec<RowError>,
}

/// Runs `batch`.
pub fn batch(i: &BatchInput) -> Result<BatchOutput, TansoError> {
    let n = i.kind.len();
    for (field, len) in [
        ("key", i.key.len()),
        ("amount", i.amount.len()),
        ("unit", i.unit.len()),
    ] {
        if len != n {
            return Err(crate::error::InputError::ColumnLength {
                field: field.to_string(),
                found: len,
                expected: n,
            }
            .into());
        }
    }
    let registry = i.factors.registry()?;
    let kinds: Vec<Result<Kind, TansoError>> = i
        .kind
        .iter()
        .enumerate()
        .map(|(r, k)| Kind::parse(k, &format!("kind[{r}]")))
        .collect();
    let amounts: Vec<Decimal> = i.amount.iter().map(|a| a.0).collect();
    let out = run_columns(
        &registry, i.gwp_set, i.year, &kinds, &i.key, &amounts, &i.unit,
    );
    Ok(out)
}

/// Computes columns already parsed (used by `batch` and by bindings that pass arrays).
pub fn run_columns(
    registry: &FactorRegistry,
    gwp_set: GwpSet,
    year: i32,
    kinds: &[Result<Kind, TansoError>],
    keys: &[String],
    amounts: &[Decimal],
    units: &[String],
) -> BatchOutput {
    let mut calc = BatchCalculator::new(registry, gwp_set, year);
    let n = kinds.len();
    let mut co2e = Vec::with_capacity(n);
    let mut scope = Vec::with_capacity(n);
    let mut errors = Vec::new();
    let mut total = Decimal::ZERO;
    for r in 0..n {
        let res = match &kinds[r] {
            Ok(k) => calc
                .row(*k, &keys[r], amounts[r], &units[r])
                .map(|v| (v, k.scope())),
            Err(e) => Err(e.clone()),
        };
        match res {
            Ok((v, s)) => {
                total += v;
                co2e.push(Some(crate::num::Marked(v)));
                scope.push(s);
            }
            Err(e) => {
                co2e.push(None);
                scope.push(0);
                errors.push(RowError {
                    row: r,
                    code: e.code().to_string(),
                    message: e.to_string(),
                });
            }
        }
    }
    BatchOutput {
        co2e_kg: co2e,
        scope,
        total_co2e_kg: total.normalize(),
        errors,
    }
}
