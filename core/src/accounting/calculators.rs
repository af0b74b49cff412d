//! The calculators: one function per activity type, each returning gases per kg with the
//! trail of factors it used.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::*;
use crate::error::GhgError;
use crate::factors::{EmissionFactor, FactorMatch, Fuel, Status};
use crate::ghg::{composition, Gas};
use crate::units::{Dimension, Unit};

/// GB/T 2589-2020 calorific equivalent of electricity, kgce per kWh (860 kcal ÷ 7000 kcal).
pub const ELECTRICITY_KGCE_PER_KWH_CALORIFIC: Decimal = dec!(0.1229);
/// China Association of Metal Scrap Utilization: t CO2 avoided per t of steel scrap used.
pub const SCRAP_CO2_T_PER_T: Decimal = dec!(1.6);
/// China Association of Metal Scrap Utilization: tce avoided per t of steel scrap used.
pub const SCRAP_TCE_PER_T: Decimal = dec!(0.35);
/// Mean Earth radius (IUGG), km, for great-circle distances.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Added to the great-circle distance of air legs (EN 16258 / GLEC Framework practice), km.
pub const AIR_DISTANCE_UPLIFT_KM: Decimal = dec!(95);

#[derive(Default)]
struct Partial {
    gases: GasVector,
    co2e_factors: Decimal,
    market: Option<MarketBased>,
    tce: Option<Decimal>,
    avoided_co2e: Option<Decimal>,
    avoided_tce: Option<Decimal>,
    trail: Vec<TrailStep>,
    warnings: Vec<String>,
    scope: u8,
    scope3_category: Option<u8>,
    year: Option<i32>,
}

impl Partial {
    fn step(&mut self, step: String) {
        self.trail.push(TrailStep {
            step,
            factor_id: None,
            source: None,
            fallback: None,
        });
    }

    fn factor_step(&mut self, step: String, f: &EmissionFactor, fallback: Option<Fallback>) {
        if f.provenance.status != Status::Verified {
            self.warnings.push(format!("factor {} is unverified", f.id));
        }
        if let Some(fb) = &fallback {
            self.warnings.push(format!(
                "factor {} is for {} {} (asked for {} {})",
                f.id, fb.used_geography, fb.used_year, fb.requested_geography, fb.requested_year
            ));
        }
        self.trail.push(TrailStep {
            step,
            factor_id: Some(f.id.clone()),
            source: Some(f.provenance.clone()),
            fallback,
        });
    }
}

/// The ISO 14064-1:2018 category of a scope and Scope 3 category.
pub fn iso_category(scope: u8, scope3_category: Option<u8>) -> u8 {
    match (scope, scope3_category) {
        (1, _) => 1,
        (2, _) => 2,
        (3, Some(4 | 6 | 7 | 9)) => 3,
        (3, Some(1 | 2 | 3 | 5 | 8)) => 4,
        (3, Some(10..=13)) => 5,
        _ => 6,
    }
}

/// Calculates one record. `share` is the consolidation share applied to every amount.
pub fn calculate(
    record: &ActivityRecord,
    ctx: &Context<'_>,
    share: Decimal,
) -> Result<RecordResult, TansoError> {
    let year = record.year.or(ctx.year);
    let mut p = Partial {
        year,
        ..Partial::default()
    };
    match &record.activity {
        Activity::FuelCombustion(a) => fuel_combustion(a, ctx, &mut p)?,
        Activity::Electricity(a) => purchased_energy(a, ctx, &mut p)?,
        Activity::Refrigerant(a) => refrigerant(a, &mut p)?,
        Activity::Freight(a) => freight(a, ctx, &mut p)?,
        Activity::PurchasedGoods(a) => purchased_goods(a, ctx, &mut p)?,
        Activity::DirectEmission(a) => {
            for (g, v) in &a.gases.0 {
                non_negative(&format!("gases.{g}"), *v)?;
            }
            p.gases = a.gases.clone();
            p.scope = a.scope.unwrap_or(1);
            p.trail.push(TrailStep {
                step: "emissions given per gas".to_string(),
                factor_id: None,
                source: Some(a.source.clone()),
                fallback: None,
            });
        }
        Activity::ScrapUse(a) => {
            let t = a.mass.value_in(Unit::parse("t", "mass")?, "mass")?;
            non_negative("mass", t)?;
            p.scope = 0;
            p.avoided_co2e = Some(t * SCRAP_CO2_T_PER_T * Decimal::ONE_THOUSAND);
            p.avoided_tce = Some(t * SCRAP_TCE_PER_T);
            p.step(format!(
                "{t} t scrap × 1.6 t CO2/t and × 0.35 tce/t avoided (China Association of Metal Scrap Utilization); reported apart from the scopes, never netted"
            ));
        }
    }
    if let Some(c) = record.scope3_category {
        if !(1..=15).contains(&c) {
            return Err(AccountingError::OutOfRange {
                field: "scope3_category".to_string(),
                value: c.to_string(),
                expected: "1 to 15".to_string(),
            }
            .into());
        }
        if p.scope != 2 && p.scope != 0 {
            p.scope = 3;
            p.scope3_category = Some(c);
        }
    }
    if p.scope == 3 && p.scope3_category.is_none() {
        return Err(missing(
            "scope3_category",
            "a Scope 3 record needs its category, 1 to 15",
        ));
    }
    let set = ctx.settings.gwp_set;
    let co2e = p.gases.co2e(set)? + p.co2e_factors;
    let biogenic = p.gases.biogenic_co2();
    let market = p.market.map(|m| MarketBased {
        gases: m.gases.scaled(share).normalized(),
        co2e_kg: (m.co2e_kg * share).normalize(),
        allocation: m
            .allocation
            .into_iter()
            .map(|a| Allocation {
                instrument: a.instrument,
                kwh: (a.kwh * share).normalize(),
                co2e_kg: (a.co2e_kg * share).normalize(),
            })
            .collect(),
    });
    if share != Decimal::ONE {
        p.trail.push(TrailStep {
            step: format!("consolidation share {} applied", share.normalize()),
            factor_id: None,
            source: None,
            fallback: None,
        });
    }
    Ok(RecordResult {
        id: record.id.clone(),
        type_name: record.activity.type_name().to_string(),
        site: record.site.clone(),
        year: p.year,
        scope: p.scope,
        scope3_category: p.scope3_category,
        iso_category: iso_category(p.scope, p.scope3_category),
        share: share.normalize(),
        gases: p.gases.scaled(share).normalized(),
        co2e_from_factors_kg: (p.co2e_factors * share).normalize(),
        co2e_kg: (co2e * share).normalize(),
        biogenic_co2_kg: (biogenic * share).normalize(),
        market_based: market,
        energy_tce: p.tce.map(|t| (t * share).normalize()),
        avoided_co2e_kg: p.avoided_co2e.map(|t| (t * share).normalize()),
        avoided_tce: p.avoided_tce.map(|t| (t * share).normalize()),
        trail: p.trail,
        warnings: p.warnings,
    })
}

fn need_year(p: &Partial, what: &str) -> Result<i32, TansoError> {
    p.year.ok_or_else(|| missing("year", &format!("{what} needs the data year: give the record's `year` or the inventory's reporting year")))
}

/// Adds `amount` × (gases, co2e) of a factor to the partial result, checking the GWP basis.
fn apply(
    p: &mut Partial,
    amount: Decimal,
    gases: &GasVector,
    co2e: Option<Decimal>,
    basis: Option<GwpSet>,
    set: GwpSet,
    field: &str,
) -> Result<(), TansoError> {
    p.gases.add_all(&gases.scaled(amount));
    if let Some(c) = co2e {
        check_basis(p, basis, set, field)?;
        p.co2e_factors += amount * c;
    }
    Ok(())
}

fn check_basis(
    p: &mut Partial,
    basis: Option<GwpSet>,
    set: GwpSet,
    field: &str,
) -> Result<(), TansoError> {
    match basis {
        Some(b) if b != set => Err(GhgError::GwpSetMismatch {
            field: field.to_string(),
            expected: set.id().to_string(),
            found: b.id().to_string(),
        }
        .into()),
        Some(_) => Ok(()),
        None => {
            p.warnings.push(format!(
                "{field}: the source gives CO2e without stating its GWP set; counted as is"
            ));
            Ok(())
        }
    }
}

/// The amount of a quantity in a factor's unit (a unit symbol).
fn amount_in(q: &Quantity, unit: &str, field: &str) -> Result<Decimal, TansoError> {
    let u = Unit::parse(unit, &format!("{field}.unit"))?;
    Ok(q.value_in(u, field)?)
}

/// `value` in `from` expressed in a factor's unit (a unit symbol).
fn value_in(value: Decimal, from: Unit, unit: &str, field: &str) -> Result<Decimal, TansoError> {
    amount_in(&Quantity { value, unit: from }, unit, field)
}

/// Adds `amount` (in the factor's unit) × a factor given inline, with its trail step.
fn apply_inline(
    p: &mut Partial,
    amount: Decimal,
    f: &InlineFactor,
    set: GwpSet,
    field: &str,
    step: String,
) -> Result<(), TansoError> {
    apply(p, amount, &f.gases, f.co2e, f.gwp_basis, set, field)?;
    inline_step(p, &step, f);
    Ok(())
}

/// Adds `amount` (in the factor's unit) × a registry factor, with its trail step and fallback.
fn apply_found(
    p: &mut Partial,
    amount: Decimal,
    m: &FactorMatch<'_>,
    set: GwpSet,
    step: String,
) -> Result<(), TansoError> {
    apply(
        p,
        amount,
        &m.factor.gases,
        m.factor.co2e,
        m.factor.provenance.gwp_basis,
        set,
        &m.factor.id,
    )?;
    p.factor_step(step, m.factor, m.fallback.clone());
    Ok(())
}

fn fuel_combustion(
    a: &FuelCombustion,
    ctx: &Context<'_>,
    p: &mut Partial,
) -> Result<(), TansoError> {
    let fuel: &Fuel = ctx.registry.fuel(&a.fuel)?;
    non_negative("quantity.value", a.quantity.value)?;
    p.scope = 1;
    let ncv = a.ncv_mj_per_unit.unwrap_or(fuel.ncv_mj_per_unit);
    let ref_unit = Unit::parse(&fuel.unit, "fuel.unit")?;
    // Amount in the fuel's reference unit, and energy in GJ (NCV basis).
    let (amount_ref, energy_gj) = match a.quantity.unit.dimension() {
        Dimension::Energy => {
            let gj = a
                .quantity
                .value_in(Unit::parse("GJ", "quantity")?, "quantity")?;
            (
                if ncv.is_zero() {
                    None
                } else {
                    Some(gj * Decimal::ONE_THOUSAND / ncv)
                },
                gj,
            )
        }
        Dimension::Volume if ref_unit.dimension() == Dimension::Mass => {
            let density = a.density_kg_per_m3.ok_or_else(|| {
                missing(
                    "density_kg_per_m3",
                    &format!(
                        "{} is given as a volume ({}); its parameters are per {}",
                        fuel.id, a.quantity.unit, fuel.unit
                    ),
                )
            })?;
            let m3 = a
                .quantity
                .value_in(Unit::parse("m3", "quantity")?, "quantity")?;
            let kg = m3 * non_negative("density_kg_per_m3", density)?;
            p.step(format!(
                "{} m³ × {} kg/m³ = {} kg",
                m3.normalize(),
                density.normalize(),
                kg.normalize()
            ));
            let amount = kg * Unit::parse("kg", "quantity")?.factor_to(ref_unit, "quantity")?;
            (Some(amount), amount * ncv / Decimal::ONE_THOUSAND)
        }
        _ => {
            let amount = a.quantity.value_in(ref_unit, "quantity")?;
            (Some(amount), amount * ncv / Decimal::ONE_THOUSAND)
        }
    };
    let tj = energy_gj / Decimal::ONE_THOUSAND;
    p.step(format!(
        "energy = {} {} × NCV {} MJ/{} = {} GJ",
        amount_ref
            .map(|x| x.normalize().to_string())
            .unwrap_or_else(|| "-".into()),
        fuel.unit,
        ncv.normalize(),
        fuel.unit,
        energy_gj.normalize()
    ));
    let tier = a.tier.unwrap_or(if fuel.co2_kg_per_tj.is_some() {
        Tier::Tier1
    } else {
        Tier::Tier2
    });
    let source = Some(fuel.provenance.clone());
    match tier {
        Tier::Tier1 => {
            let ef = fuel.co2_kg_per_tj.ok_or_else(|| {
                missing(
                    "tier",
                    &format!("{} has no Tier 1 CO2 factor; use tier2", fuel.id),
                )
            })?;
            let co2 = tj * ef;
            p.gases.add(Gas::Co2, co2);
            p.trail.push(TrailStep {
                step: format!(
                    "CO2 (Tier 1) = {} TJ × {} kg/TJ = {} kg",
                    tj.normalize(),
                    ef.normalize(),
                    co2.normalize()
                ),
                factor_id: Some(format!("fuel:{}", fuel.id)),
                source: source.clone(),
                fallback: None,
            });
        }
        Tier::Tier2 => {
            let cc = a
                .carbon_content_kgc_per_gj
                .or(fuel.carbon_content_kgc_per_gj)
                .ok_or_else(|| {
                    missing(
                        "carbon_content_kgc_per_gj",
                        &format!(
                            "{} has no verified carbon content; give the measured value",
                            fuel.id
                        ),
                    )
                })?;
            let of = a.oxidation.or(fuel.oxidation).unwrap_or(Decimal::ONE);
            fraction("oxidation", of)?;
            let co2 = energy_gj * cc * of * dec!(44) / dec!(12);
            p.gases.add(Gas::Co2, co2);
            p.trail.push(TrailStep {
                step: format!(
                    "CO2 (Tier 2) = {} GJ × {} kgC/GJ × oxidation {} × 44/12 = {} kg",
                    energy_gj.normalize(),
                    cc.normalize(),
                    of.normalize(),
                    co2.normalize()
                ),
                factor_id: Some(format!("fuel:{}", fuel.id)),
                source: source.clone(),
                fallback: None,
            });
        }
    }
    // CH4 and N2O.
    let sector = a.sector.unwrap_or_default();
    for (gas, over) in [
        (Gas::Ch4Fossil, a.ch4_kg_per_tj),
        (Gas::N2o, a.n2o_kg_per_tj),
    ] {
        let default = if a.use_ == CombustionUse::Stationary {
            fuel.sector_factors
                .iter()
                .find(|s| s.sector == sector && s.gas == gas)
        } else {
            None
        };
        let (ef, note) = match (over, default) {
            (Some(v), _) => (
                Some(non_negative("ch4_kg_per_tj/n2o_kg_per_tj", v)?),
                "given".to_string(),
            ),
            (None, Some(s)) => {
                if s.status != Status::Verified {
                    p.warnings.push(format!(
                        "{gas} factor of {} for {sector:?} is unverified",
                        fuel.id
                    ));
                }
                (Some(s.kg_per_tj), format!("IPCC 2006 default, {sector:?}"))
            }
            (None, None) => (None, String::new()),
        };
        match ef {
            Some(ef) => {
                let kg = tj * ef;
                p.gases.add(gas, kg);
                p.step(format!(
                    "{gas} = {} TJ × {} kg/TJ ({note}) = {} kg",
                    tj.normalize(),
                    ef.normalize(),
                    kg.normalize()
                ));
            }
            None if fuel.id.starts_with("cn_") => {}
            None => p.warnings.push(format!(
                "{gas} not counted: no verified default for {} ({:?}, {sector:?}); give {}",
                fuel.id,
                a.use_,
                if gas == Gas::N2o {
                    "n2o_kg_per_tj"
                } else {
                    "ch4_kg_per_tj"
                }
            )),
        }
    }
    if fuel.id.starts_with("cn_") {
        p.step(
            "China's enterprise accounting guidelines count CO2 only from fuel combustion"
                .to_string(),
        );
    }
    // Energy in tce.
    if let (Some(kgce), Some(amount)) = (fuel.kgce_per_unit, amount_ref) {
        let tce = amount * kgce / Decimal::ONE_THOUSAND;
        p.tce = Some(tce);
        p.step(format!(
            "energy = {} {} × {} kgce/{} = {} tce (GB/T 2589-2020)",
            amount.normalize(),
            fuel.unit,
            kgce,
            fuel.unit,
            tce.normalize()
        ));
    } else {
        let tce = energy_gj / dec!(29.3076);
        p.tce = Some(tce);
        p.step(format!(
            "energy = {} GJ ÷ 29.3076 GJ/tce = {} tce (calorific)",
            energy_gj.normalize(),
            tce.normalize()
        ));
    }
    Ok(())
}

fn inline_step(p: &mut Partial, what: &str, f: &InlineFactor) {
    if f.source.status != Status::Verified {
        let doc = if f.source.document.is_empty() {
            "no source given"
        } else {
            f.source.document.as_str()
        };
        p.warnings
            .push(format!("a given factor is not marked verified ({doc})"));
    }
    p.trail.push(TrailStep {
        step: what.to_string(),
        factor_id: None,
        source: Some(f.source.clone()),
        fallback: None,
    });
}

fn purchased_energy(
    a: &PurchasedEnergy,
    ctx: &Context<'_>,
    p: &mut Partial,
) -> Result<(), TansoError> {
    p.scope = 2;
    let kwh_unit = Unit::parse("kWh", "energy")?;
    let kwh = non_negative("energy.value", a.energy.value_in(kwh_unit, "energy")?)?;
    let set = ctx.settings.gwp_set;
    let geography = a.geography.clone().or_else(|| ctx.geography.clone());
    let key = a.carrier.key();
    // Location-based.
    match &a.location_factor {
        Some(f) => {
            let per = amount_in(&a.energy, &f.unit, "energy")?;
            let step = format!(
                "location-based: {} {} × given factor",
                per.normalize(),
                f.unit
            );
            apply_inline(p, per, f, set, "location_factor", step)?;
        }
        None => {
            let year = need_year(p, "a grid factor lookup")?;
            let geo = geography.clone().ok_or_else(|| {
                missing(
                    "geography",
                    "the location-based method needs the geography of consumption (or the site's)",
                )
            })?;
            let m = ctx
                .registry
                .lookup(&format!("{key}.grid_average"), &geo, year)?;
            let per = amount_in(&a.energy, &m.factor.unit, "energy")?;
            let per_unit = m
                .factor
                .co2e
                .unwrap_or_else(|| m.factor.gases.get(Gas::Co2));
            let step = format!(
                "location-based: {} {} × {} kg/{} ({} {})",
                per.normalize(),
                m.factor.unit,
                per_unit.normalize(),
                m.factor.unit,
                m.factor.geography,
                m.factor.year
            );
            apply_found(p, per, &m, set, step)?;
        }
    }
    // Market-based, in the order of the Scope 2 hierarchy; its trail and warnings join the
    // record's after the location-based ones.
    let mut instruments: Vec<&Instrument> = a.instruments.iter().collect();
    instruments.sort_by_key(|i| i.kind);
    let mut remaining = kwh;
    let mut market = Partial {
        year: p.year,
        ..Partial::default()
    };
    let mut allocation = Vec::new();
    for (n, ins) in instruments.iter().enumerate() {
        let field = format!("instruments[{n}]");
        let covered = non_negative(
            &format!("{field}.energy.value"),
            ins.energy.value_in(kwh_unit, &format!("{field}.energy"))?,
        )?;
        if covered > remaining {
            return Err(AccountingError::DoubleClaim {
                field,
                message: format!(
                    "instrument '{}' claims {} kWh but only {} kWh of the {} kWh consumed are unclaimed; no kWh may be claimed twice",
                    ins.id,
                    covered.normalize(),
                    remaining.normalize(),
                    kwh.normalize()
                ),
            }
            .into());
        }
        remaining -= covered;
        let before = market.gases.co2e(set)? + market.co2e_factors;
        if let Some(f) = &ins.factor {
            let per = value_in(covered, kwh_unit, &f.unit, &format!("{field}.factor"))?;
            apply(&mut market, per, &f.gases, f.co2e, f.gwp_basis, set, &field)?;
        }
        let after = market.gases.co2e(set)? + market.co2e_factors;
        allocation.push(Allocation {
            instrument: ins.id.clone(),
            kwh: covered.normalize(),
            co2e_kg: (after - before).normalize(),
        });
        market.step(format!(
            "market-based: {} kWh covered by {:?} '{}' = {} kg CO2e",
            covered.normalize(),
            ins.kind,
            ins.id,
            (after - before).normalize()
        ));
    }
    if remaining > Decimal::ZERO {
        let before = market.gases.co2e(set)? + market.co2e_factors;
        match &a.residual_factor {
            Some(f) => {
                let per = value_in(remaining, kwh_unit, &f.unit, "residual_factor")?;
                let step = format!(
                    "market-based: {} kWh unclaimed × given residual mix",
                    remaining.normalize()
                );
                apply_inline(&mut market, per, f, set, "residual_factor", step)?;
            }
            None => {
                let year = need_year(p, "a residual-mix lookup")?;
                let geo = geography.clone().ok_or_else(|| {
                    missing(
                        "geography",
                        "the market-based method needs the geography of consumption",
                    )
                })?;
                let (m, note) = match ctx.registry.lookup(
                    &format!("{key}.residual_mix"),
                    &geo,
                    year,
                ) {
                    Ok(m) => (m, "residual mix"),
                    Err(_) => {
                        market.warnings.push(format!(
                            "no residual mix for {geo} {year}: the grid average is used for unclaimed kWh (GHG Protocol Scope 2 Guidance, 6.11), which may double count claimed low-carbon power"
                        ));
                        (
                            ctx.registry
                                .lookup(&format!("{key}.grid_average"), &geo, year)?,
                            "grid average, no residual mix",
                        )
                    }
                };
                let per = value_in(remaining, kwh_unit, &m.factor.unit, "residual")?;
                let step = format!(
                    "market-based: {} kWh unclaimed × {note} ({} {})",
                    remaining.normalize(),
                    m.factor.geography,
                    m.factor.year
                );
                apply_found(&mut market, per, &m, set, step)?;
            }
        }
        let after = market.gases.co2e(set)? + market.co2e_factors;
        allocation.push(Allocation {
            instrument: "residual_mix".to_string(),
            kwh: remaining.normalize(),
            co2e_kg: (after - before).normalize(),
        });
    }
    p.trail.append(&mut market.trail);
    p.warnings.append(&mut market.warnings);
    let co2e_kg = market.gases.co2e(set)? + market.co2e_factors;
    p.market = Some(MarketBased {
        gases: market.gases,
        co2e_kg,
        allocation,
    });
    // Energy in tce.
    if a.carrier == Carrier::Electricity {
        let (coef, how) = match ctx.settings.electricity_tce_method {
            ElectricityTceMethod::Calorific => (
                ELECTRICITY_KGCE_PER_KWH_CALORIFIC,
                "calorific equivalent, GB/T 2589-2020".to_string(),
            ),
            ElectricityTceMethod::EqualValue => {
                let c = ctx.settings.equal_value_kgce_per_kwh.ok_or_else(|| {
                    missing("equal_value_kgce_per_kwh", "the equal-value method needs the year's coal consumption of power supply, kgce/kWh")
                })?;
                (
                    non_negative("equal_value_kgce_per_kwh", c)?,
                    "equal value, as given".to_string(),
                )
            }
        };
        let tce = kwh * coef / Decimal::ONE_THOUSAND;
        p.tce = Some(tce);
        p.step(format!(
            "energy = {} kWh × {} kgce/kWh ({how}) = {} tce",
            kwh.normalize(),
            coef.normalize(),
            tce.normalize()
        ));
    } else {
        let gj = a.energy.value_in(Unit::parse("GJ", "energy")?, "energy")?;
        let tce = gj / dec!(29.3076);
        p.tce = Some(tce);
        p.step(format!(
            "energy = {} GJ ÷ 29.3076 GJ/tce = {} tce (calorific)",
            gj.normalize(),
            tce.normalize()
        ));
    }
    Ok(())
}

fn mass_kg(q: &Option<Quantity>, field: &str) -> Result<Decimal, TansoError> {
    match q {
        None => Ok(Decimal::ZERO),
        Some(q) => non_negative(field, q.value_in(Unit::parse("kg", field)?, field)?),
    }
}

fn refrigerant(a: &Refrigerant, p: &mut Partial) -> Result<(), TansoError> {
    p.scope = 1;
    let parts = composition(&a.gas, "gas")?;
    let released = match &a.method {
        RefrigerantMethod::MassBalance {
            stock_start,
            stock_end,
            purchased,
            disposed,
            capacity_new,
            capacity_retired,
        } => {
            let s0 = mass_kg(stock_start, "stock_start")?;
            let s1 = mass_kg(stock_end, "stock_end")?;
            let pu = mass_kg(purchased, "purchased")?;
            let di = mass_kg(disposed, "disposed")?;
            let cn = mass_kg(capacity_new, "capacity_new")?;
            let cr = mass_kg(capacity_retired, "capacity_retired")?;
            let e = (s0 - s1) + pu - di - (cn - cr);
            if e < Decimal::ZERO {
                return Err(AccountingError::OutOfRange {
                    field: "stock_start, stock_end, purchased, disposed, capacity_new, capacity_retired".to_string(),
                    value: e.normalize().to_string(),
                    expected: "a mass balance of zero or more kg; check the stock and purchase figures".to_string(),
                }
                .into());
            }
            p.step(format!(
                "mass balance: ({} − {}) + {} − {} − ({} − {}) = {} kg {}",
                s0.normalize(),
                s1.normalize(),
                pu.normalize(),
                di.normalize(),
                cn.normalize(),
                cr.normalize(),
                e.normalize(),
                a.gas
            ));
            e
        }
        RefrigerantMethod::Screening {
            charge_new,
            installation_loss,
            charge_operating,
            annual_leak_rate,
            fraction_of_year,
            charge_disposed,
            remaining_at_disposal,
            recovery_efficiency,
        } => {
            let cn = mass_kg(charge_new, "charge_new")?;
            let co = mass_kg(charge_operating, "charge_operating")?;
            let cd = mass_kg(charge_disposed, "charge_disposed")?;
            let need = |v: &Option<Decimal>,
                        used: bool,
                        field: &str|
             -> Result<Decimal, TansoError> {
                match (v, used) {
                    (Some(v), _) => fraction(field, *v),
                    (None, false) => Ok(Decimal::ZERO),
                    (None, true) => Err(missing(field, "a fraction from 0 to 1 is needed for the charge given (e.g. IPCC 2006 Vol. 3 Table 7.9)")),
                }
            };
            let k = need(installation_loss, !cn.is_zero(), "installation_loss")?;
            let x = need(annual_leak_rate, !co.is_zero(), "annual_leak_rate")?;
            let t = fraction("fraction_of_year", fraction_of_year.unwrap_or(Decimal::ONE))?;
            let y = need(
                remaining_at_disposal,
                !cd.is_zero(),
                "remaining_at_disposal",
            )?;
            let z = need(recovery_efficiency, !cd.is_zero(), "recovery_efficiency")?;
            let e = cn * k + co * x * t + cd * y * (Decimal::ONE - z);
            p.step(format!(
                "screening: {} × {} + {} × {} × {} + {} × {} × (1 − {}) = {} kg {}",
                cn.normalize(),
                k.normalize(),
                co.normalize(),
                x.normalize(),
                t.normalize(),
                cd.normalize(),
                y.normalize(),
                z.normalize(),
                e.normalize(),
                a.gas
            ));
            e
        }
        RefrigerantMethod::Released { mass } => {
            let kg = mass_kg(&Some(*mass), "mass")?;
            p.step(format!("{} kg {} released", kg.normalize(), a.gas));
            kg
        }
    };
    for (gas, frac) in parts {
        p.gases.add(gas, released * frac);
    }
    if a.gas.starts_with('R') {
        p.step(format!(
            "{} split into its components by mass (ANSI/ASHRAE Standard 34)",
            a.gas
        ));
    }
    Ok(())
}

/// Great-circle distance in km (haversine, mean Earth radius), rounded to 1 m.
pub fn great_circle_km(from: LatLon, to: LatLon) -> Result<Decimal, TansoError> {
    for (field, v, lim) in [
        ("from.lat", from.lat, 90.0),
        ("from.lon", from.lon, 180.0),
        ("to.lat", to.lat, 90.0),
        ("to.lon", to.lon, 180.0),
    ] {
        if !v.is_finite() {
            return Err(input_error(field, v));
        }
        if v.abs() > lim {
            return Err(AccountingError::OutOfRange {
                field: field.to_string(),
                value: v.to_string(),
                expected: format!("-{lim} to {lim} degrees"),
            }
            .into());
        }
    }
    let rad = std::f64::consts::PI / 180.0;
    let (p1, p2) = (from.lat * rad, to.lat * rad);
    let dp = p2 - p1;
    let dl = (to.lon - from.lon) * rad;
    let h =
        libm::sin(dp / 2.0).powi(2) + libm::cos(p1) * libm::cos(p2) * libm::sin(dl / 2.0).powi(2);
    let c = 2.0 * libm::asin(libm::sqrt(h.min(1.0)));
    let km = (EARTH_RADIUS_KM * c * 1000.0).round() / 1000.0;
    Ok(crate::num::decimal_from_f64(km, "distance")?)
}

fn freight(a: &Freight, ctx: &Context<'_>, p: &mut Partial) -> Result<(), TansoError> {
    p.scope = 3;
    p.scope3_category = Some(4);
    let set = ctx.settings.gwp_set;
    if a.legs.is_empty() {
        return Err(missing("legs", "at least one leg"));
    }
    for (n, leg) in a.legs.iter().enumerate() {
        let field = format!("legs[{n}]");
        let t = non_negative(
            &format!("{field}.mass.value"),
            leg.mass
                .value_in(Unit::parse("t", "mass")?, &format!("{field}.mass"))?,
        )?;
        let km = match (&leg.distance, leg.from, leg.to) {
            (Some(d), _, _) => non_negative(
                &format!("{field}.distance.value"),
                d.value_in(Unit::parse("km", "distance")?, &format!("{field}.distance"))?,
            )?,
            (None, Some(f), Some(to)) => {
                let gc = great_circle_km(f, to)?;
                if leg.mode == "air" {
                    p.step(format!(
                        "{field}: great-circle {} km + 95 km (air)",
                        gc.normalize()
                    ));
                    gc + AIR_DISTANCE_UPLIFT_KM
                } else {
                    p.step(format!(
                        "{field}: great-circle {} km (a lower bound for surface modes)",
                        gc.normalize()
                    ));
                    gc
                }
            }
            _ => {
                return Err(missing(
                    &format!("{field}.distance"),
                    "give a distance, or both `from` and `to` coordinates",
                ))
            }
        };
        let tkm = t * km;
        let tkm_unit = Unit::parse("tkm", "tkm")?;
        match &leg.intensity {
            Some(f) => {
                let per = value_in(tkm, tkm_unit, &f.unit, &format!("{field}.intensity"))?;
                let step = format!(
                    "{field}: {} t × {} km = {} t·km × given intensity",
                    t.normalize(),
                    km.normalize(),
                    tkm.normalize()
                );
                apply_inline(p, per, f, set, &format!("{field}.intensity"), step)?;
            }
            None => {
                let year = need_year(p, "an intensity lookup")?;
                let key = leg
                    .activity
                    .clone()
                    .unwrap_or_else(|| format!("freight.{}", leg.mode));
                let geo = leg.geography.clone().unwrap_or_else(|| "GLO".to_string());
                let m = ctx.registry.lookup(&key, &geo, year)?;
                let per = value_in(tkm, tkm_unit, &m.factor.unit, &field)?;
                let step = format!(
                    "{field}: {} t × {} km = {} t·km × {}",
                    t.normalize(),
                    km.normalize(),
                    tkm.normalize(),
                    m.factor.id
                );
                apply_found(p, per, &m, set, step)?;
            }
        }
    }
    Ok(())
}

fn price_index(ctx: &Context<'_>, currency: &str, year: i32) -> Result<Decimal, TansoError> {
    ctx.settings
        .price_indices
        .get(currency)
        .and_then(|m| m.get(&year.to_string()))
        .map(|m| m.0)
        .ok_or_else(|| {
            missing(
                &format!("price_indices.{currency}.{year}"),
                "a price index for the currency in both the spend year and the factor's price year",
            )
        })
}

fn purchased_goods(
    a: &PurchasedGoods,
    ctx: &Context<'_>,
    p: &mut Partial,
) -> Result<(), TansoError> {
    p.scope = 3;
    p.scope3_category = Some(1);
    let set = ctx.settings.gwp_set;
    match a.method {
        GoodsMethod::SupplierSpecific => {
            if let Some(t) = &a.supplier_total {
                let step = "supplier-specific: the supplier's total for this purchase".to_string();
                apply_inline(p, Decimal::ONE, t, set, "supplier_total", step)?;
            } else {
                let f = a.factor.as_ref().ok_or_else(|| missing("factor", "supplier-specific needs `supplier_total` or a per-unit `factor` from the supplier"))?;
                let q = a.quantity.as_ref().ok_or_else(|| {
                    missing(
                        "quantity",
                        "a per-unit supplier factor needs the quantity bought",
                    )
                })?;
                non_negative("quantity.value", q.value)?;
                let per = amount_in(q, &f.unit, "quantity")?;
                let step = format!(
                    "supplier-specific: {} {} × the supplier's factor",
                    per.normalize(),
                    f.unit
                );
                apply_inline(p, per, f, set, "factor", step)?;
            }
        }
        GoodsMethod::AverageData => {
            let q = a
                .quantity
                .as_ref()
                .ok_or_else(|| missing("quantity", "average-data needs the quantity bought"))?;
            non_negative("quantity.value", q.value)?;
            if let Some(f) = &a.factor {
                let per = amount_in(q, &f.unit, "quantity")?;
                let step = format!(
                    "average-data: {} {} × given factor",
                    per.normalize(),
                    f.unit
                );
                apply_inline(p, per, f, set, "factor", step)?;
            } else {
                let m = lookup_for(a, ctx, p)?;
                let per = amount_in(q, &m.factor.unit, "quantity")?;
                let step = format!(
                    "average-data: {} {} × {}",
                    per.normalize(),
                    m.factor.unit,
                    m.factor.id
                );
                apply_found(p, per, &m, set, step)?;
            }
        }
        GoodsMethod::SpendBased => {
            let spend = a.spend.as_ref().ok_or_else(|| {
                missing(
                    "spend",
                    "spend-based needs `spend` {amount, currency, price_year}",
                )
            })?;
            spend.validate("spend.currency")?;
            non_negative("spend.amount", spend.amount)?;
            // An inline factor, or else the registry's (lookup_for names a missing `activity`).
            let factor = match &a.factor {
                Some(f) => GivenOrFound::Given(f),
                None => GivenOrFound::Found(lookup_for(a, ctx, p)?),
            };
            let (unit, price_year) = match &factor {
                GivenOrFound::Given(f) => (f.unit.clone(), None),
                GivenOrFound::Found(m) => (m.factor.unit.clone(), m.factor.price_year),
            };
            crate::units::validate_currency(&unit, "factor.unit")?;
            let mut amount = spend.amount;
            if unit != spend.currency {
                let rate = ctx
                    .settings
                    .exchange_rates
                    .iter()
                    .find(|r| {
                        r.from == spend.currency && r.to == unit && r.year == spend.price_year
                    })
                    .ok_or_else(|| {
                        missing(
                            "exchange_rates",
                            &format!(
                                "a rate from {} to {} for {}",
                                spend.currency, unit, spend.price_year
                            ),
                        )
                    })?;
                amount *= non_negative("exchange_rates.rate", rate.rate)?;
                p.step(format!(
                    "{} {} × {} {}/{} ({}) = {} {}",
                    spend.amount.normalize(),
                    spend.currency,
                    rate.rate.normalize(),
                    unit,
                    spend.currency,
                    rate.year,
                    amount.normalize(),
                    unit
                ));
            }
            let factor_year = price_year.unwrap_or(spend.price_year);
            if factor_year != spend.price_year {
                let i_spend = price_index(ctx, &unit, spend.price_year)?;
                let i_factor = price_index(ctx, &unit, factor_year)?;
                if i_spend.is_zero() {
                    return Err(AccountingError::OutOfRange {
                        field: format!("price_indices.{unit}.{}", spend.price_year),
                        value: "0".into(),
                        expected: "a positive index".into(),
                    }
                    .into());
                }
                let deflated = amount * i_factor / i_spend;
                p.step(format!(
                    "deflated to {factor_year} prices: {} × {} / {} = {} {unit}",
                    amount.normalize(),
                    i_factor.normalize(),
                    i_spend.normalize(),
                    deflated.normalize()
                ));
                amount = deflated;
            }
            match &factor {
                GivenOrFound::Given(f) => {
                    let step = format!("spend-based: {} {unit} × given factor", amount.normalize());
                    apply_inline(p, amount, f, set, "factor", step)?;
                }
                GivenOrFound::Found(m) => {
                    let step = format!(
                        "spend-based: {} {unit} × {}",
                        amount.normalize(),
                        m.factor.id
                    );
                    apply_found(p, amount, m, set, step)?;
                }
            }
        }
    }
    Ok(())
}

/// A factor given inline by the user, or found in the registry.
enum GivenOrFound<'f, 'r> {
    Given(&'f InlineFactor),
    Found(FactorMatch<'r>),
}

fn lookup_for<'r>(
    a: &PurchasedGoods,
    ctx: &'r Context<'_>,
    p: &Partial,
) -> Result<FactorMatch<'r>, TansoError> {
    let year = need_year(p, "a factor lookup")?;
    let key = a.activity.as_ref().ok_or_else(|| {
        missing(
            "activity",
            "the registry key of the factor, or an inline `factor`",
        )
    })?;
    let geo = a
        .geography
        .clone()
        .or_else(|| ctx.geography.clone())
        .unwrap_or_else(|| "GLO".to_string());
    Ok(ctx.registry.lookup(key, &geo, year)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn great_circle_shanghai_frankfurt() {
        // PVG (31.1443 N, 121.8083 E) – FRA (50.0379 N, 8.5622 E): about 8,900 km great circle.
        let d = great_circle_km(
            LatLon {
                lat: 31.1443,
                lon: 121.8083,
            },
            LatLon {
                lat: 50.0379,
                lon: 8.5622,
            },
        )
        .unwrap();
        assert!(d > dec!(8850) && d < dec!(8950), "{d}");
    }

    #[test]
    fn iso_categories() {
        assert_eq!(iso_category(1, None), 1);
        assert_eq!(iso_category(2, None), 2);
        assert_eq!(iso_category(3, Some(4)), 3);
        assert_eq!(iso_category(3, Some(1)), 4);
        assert_eq!(iso_category(3, Some(11)), 5);
        assert_eq!(iso_category(3, Some(15)), 6);
    }
}
