//! PACT ↔ product footprints: the two links between [`crate::product`] and the PACT
//! ProductFootprint. `product` does not know PACT (the layers point down: exchange uses
//! product's types, never the reverse); the `product_footprint` operation calls this module
//! before and after [`crate::product::footprint`].
//!
//! **A supplier's PACT document replaces default data** ([`import_supplier_pacts`]). A part of
//! the BOM may carry `"supplier_pact": {a ProductFootprint v2.3 or v3.0}` instead of
//! `supplier_pcf`. The document is validated (`PACT_INVALID` with every failing field, paths
//! prefixed by the part, e.g. `parts[0].parts[1].supplier_pact.pcf.fossilGhgEmissions`),
//! summarised by [`super::summary`] (values per ONE unit of measure, v3.0 divided by
//! `declaredUnitAmount`) and written into the part as product's
//! [`crate::product::SupplierPcf`]:
//!
//! * `total_kg_co2e` ← `pcfIncludingBiogenicUptake` (v2.3 `pCfIncludingBiogenic`; when absent,
//!   the total excluding uptake plus the uptake); `fossil_kg_co2e` ← `fossilGhgEmissions`
//!   (aircraft included, as PACT counts it); `dluc_kg_co2e` ← `landUseChangeGhgEmissions`
//!   (v2.3 `dLucGhgEmissions`); `aircraft_kg_co2e` ← `aircraftGhgEmissions`;
//!   `biogenic_kg_co2e` = total − fossil − dLUC: net biogenic incl. land management, other
//!   biogenic emissions and the (negative) uptake, so the three parts add up exactly;
//!   `primary_data_share` ← `primaryDataShare`; `id` ← `id`.
//! * **Declared unit and amount.** Unit `piece`: values per piece. Unit `kilogram` and the part
//!   gives `mass_kg`: values per kg (product multiplies by the part's mass). Another unit, the
//!   part gives `mass_kg` and the document `productMassPerDeclaredUnit`: values per kg = per
//!   unit ÷ kg per unit. The part gives no `mass_kg`: one piece of the part is one product of
//!   the document, i.e. `declaredUnitAmount` (v2.3 `unitaryProductAmount`) units: values ×
//!   amount, per piece. Otherwise (a product mass of 0) `INVALID_SUPPLIER_PCF` says what to
//!   give. Scaled values are rounded to 18 decimal places (v3.0 values ÷ amount × amount can
//!   leave a remainder in the 28th digit).
//! * **DQRs.** product expects PACT v2 ratings 1 (good) … 3 (poor). v2.3 ratings and
//!   coverage are taken as they are. v3.0 rates 1 … 5 on three indicators; they are mapped
//!   linearly onto 1 … 3, `r₃ = (r₅ + 1) / 2` (1 → 1, 3 → 2, 5 → 3), exact; completeness and
//!   reliability stay empty (v3.0 has none), so product's emission-weighted DQR, which needs all
//!   five, does not count such a part (its coverage says so).
//! * The primary-data share is recomputed by product: the part counts as primary in proportion
//!   to its document's `primaryDataShare` (0 when not given).
//!
//! Each import is reported in the footprint's `report.notes`.
//!
//! **A footprint as a PACT document** ([`export_footprint`]). `product_footprint` with
//! `"pact": {...}` (the fields of `pact_export`: `version` `3.0` (default) or `2.3`, `id`,
//! `created`, `company_name`, `company_ids`, `product_ids`, reference and validity periods,
//! `fossil_carbon_content`, …) also returns `pact_document`, built by [`super::export`] from
//! the footprint and validated. Computed, so not accepted in `pact`: every emission value,
//! `primary_data_share` and `declared_unit_amount`. Filled when not given: `declared_unit`,
//! `mass_kg_per_unit`, `dqr`, `product_name`, `boundary_processes`, `allocation_rules`,
//! `characterization_factors` (from the GWP set), `cross_sectoral_standards` (`ISO14067`),
//! `comment` (the report's notes), for v2.3 `land_management` 0 and
//! `biogenic_accounting_methodology` `ISO` (ISO 14067), and the geography (two letters →
//! country, `CN-ZJ` → subdivision; `WORLD` has no PACT region: give one). The values, per declared unit of the product:
//!
//! * fossil = report fossil + aircraft (PACT's fossil includes aircraft); aircraft; dLUC;
//! * the report's net biogenic: when ≥ 0, v3.0 `biogenicNonCO2Emissions` / v2.3
//!   `otherBiogenicGhgEmissions` (it includes any biogenic CO2 emissions modelled); when < 0,
//!   the biogenic uptake (`biogenicCO2Uptake` / `biogenicCarbonWithdrawal`);
//! * including uptake = fossil + dLUC + net biogenic (the report's rounded parts, so the
//!   document adds up; it is the footprint's `total_kg_co2e` unless the 6-decimal roundings of
//!   the parts differ from the total's, which a note says); excluding uptake = including −
//!   uptake;
//! * DQR: the report's emission-weighted ratings (scale 1 … 3) for v2.3 as they are, for v3.0
//!   mapped to 1 … 5 by `r₅ = 2·r₃ − 1` (the inverse of the import's map);
//! * declared unit: the report's (`1 piece` → `piece`, `10 kg` → `kilogram` with amount 10,
//!   values ÷ amount per unit). v2.3 has no `piece`: a product declared per piece is written
//!   per `kilogram` with `unitaryProductAmount` = the product's mass from the BOM (the parts'
//!   `mass_kg`, else their net material mass), values ÷ mass.
//!
//! So a footprint exported and read back as a supplier's document gives the same kg CO2e per
//! piece in another BOM (see `core/tests/pact_product.rs`).

use rust_decimal::Decimal;
use serde_json::Value;

use super::pact::ProductFootprint;
use super::validate::{PactFailure, PactVersion};
use super::{export, summary, DqrInput, ExportInput};
use crate::error::{ExchangeError, InputError, ProductError, TansoError};
use crate::product::{Dqr, Footprint, ProductInput, SupplierPcf};

const OP: &str = "product_footprint";

fn input_error(message: String) -> TansoError {
    InputError::InvalidInput { operation: OP.to_string(), message }.into()
}

fn pcf_error(field: &str, value: impl ToString, expected: &str) -> TansoError {
    ProductError::InvalidSupplierPcf { field: field.to_string(), value: value.to_string(), expected: expected.to_string() }.into()
}

/// A `product_footprint` document with its supplier PACT documents turned into `supplier_pcf`
/// and its `pact` request taken out.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The product document, ready for [`ProductInput`].
    pub input: Value,
    /// The export request, when the document asked for a PACT document.
    pub pact: Option<ExportInput>,
    /// One note per imported supplier document, for `report.notes`.
    pub notes: Vec<String>,
}

/// Takes `pact` out of a `product_footprint` document and replaces every part's
/// `supplier_pact` by the `supplier_pcf` it gives (see the module doc).
pub fn import_supplier_pacts(mut input: Value) -> Result<Prepared, TansoError> {
    let mut notes = Vec::new();
    let mut pact = None;
    if let Value::Object(doc) = &mut input {
        if let Some(p) = doc.remove("pact") {
            pact = Some(read_request(p)?);
        }
        if let Some(Value::Array(parts)) = doc.get_mut("parts") {
            walk(parts, "parts", &mut notes)?;
        }
    }
    Ok(Prepared { input, pact, notes })
}

fn read_request(p: Value) -> Result<ExportInput, TansoError> {
    const COMPUTED: [&str; 9] = [
        "total_excluding_biogenic",
        "total_including_biogenic",
        "fossil",
        "biogenic",
        "biogenic_uptake",
        "dluc",
        "aircraft",
        "primary_data_share",
        "declared_unit_amount",
    ];
    if let Value::Object(m) = &p {
        for k in COMPUTED {
            if m.contains_key(k) {
                return Err(input_error(format!("pact.{k}: computed from the footprint, not given (the fields of pact_export other than {})", COMPUTED.join(", "))));
            }
        }
    }
    serde_json::from_value(p).map_err(|e| input_error(format!("pact: {e}")))
}

fn walk(parts: &mut [Value], path: &str, notes: &mut Vec<String>) -> Result<(), TansoError> {
    for (k, part) in parts.iter_mut().enumerate() {
        let field = format!("{path}[{k}]");
        let Value::Object(p) = part else { continue };
        if let Some(doc) = p.remove("supplier_pact") {
            if p.contains_key("supplier_pcf") {
                return Err(pcf_error(&format!("{field}.supplier_pact"), "given with supplier_pcf", "one of supplier_pcf and supplier_pact"));
            }
            let mass = p.get("mass_kg").and_then(Value::as_f64);
            let (pcf, note) = supplier_pcf_of(&doc, mass, &format!("{field}.supplier_pact"))?;
            let v = serde_json::to_value(&pcf).map_err(|e| input_error(format!("{field}.supplier_pact: {e}")))?;
            p.insert("supplier_pcf".to_string(), v);
            notes.push(format!("{field} ({}): {note}", p.get("id").and_then(Value::as_str).unwrap_or("?")));
        }
        if let Some(Value::Array(sub)) = p.get_mut("parts") {
            walk(sub, &format!("{field}.parts"), notes)?;
        }
    }
    Ok(())
}

fn version_at(doc: &Value, field: &str) -> Result<PactVersion, TansoError> {
    let text = doc.get("specVersion").and_then(Value::as_str).unwrap_or("").to_string();
    PactVersion::parse(&text).ok_or_else(|| {
        ExchangeError::PactUnsupportedVersion {
            field: format!("{field}.specVersion"),
            value: text,
            valid: "2.3 (2.x documents are read with 2.3 rules) or 3.0".to_string(),
        }
        .into()
    })
}

/// product's [`SupplierPcf`] from a supplier's PACT document (validated), for a part of
/// `part_mass_kg` kg per piece (if known); with a note saying what was done.
pub fn supplier_pcf_of(doc: &Value, part_mass_kg: Option<f64>, field: &str) -> Result<(SupplierPcf, String), TansoError> {
    let version = version_at(doc, field)?;
    let pf = super::read(doc, version).map_err(|e| match e {
        TansoError::Exchange(ExchangeError::PactInvalid { version, failures }) => ExchangeError::PactInvalid {
            version,
            failures: failures
                .into_iter()
                .map(|f| PactFailure { path: if f.path.is_empty() { field.to_string() } else { format!("{field}.{}", f.path) }, ..f })
                .collect(),
        }
        .into(),
        other => other,
    })?;
    let s = summary(&pf);
    let over = |f: &str| pcf_error(&format!("{field}.{f}"), "overflow", "values that fit 28 significant digits");
    let total = match s.total_including_biogenic {
        Some(t) => t,
        None => s.total_excluding_biogenic.checked_add(s.biogenic_uptake.unwrap_or_default()).ok_or_else(|| over("total"))?,
    };
    let fossil = s.fossil.unwrap_or_default();
    let dluc = s.dluc.unwrap_or_default();
    let aircraft = s.aircraft.unwrap_or_default();
    // Scale to product's declared unit: piece or kg.
    let (unit, k, how) = match (s.unit.as_str(), part_mass_kg) {
        ("piece", _) => ("piece", Decimal::ONE, "per piece".to_string()),
        ("kilogram", Some(_)) => ("kg", Decimal::ONE, "per kg × the part's mass_kg".to_string()),
        (u, Some(_)) => match s.mass_kg_per_unit.filter(|m| *m > Decimal::ZERO) {
            Some(m) => (
                "kg",
                Decimal::ONE.checked_div(m).ok_or_else(|| over("pcf.productMassPerDeclaredUnit"))?,
                format!("per {u} ÷ {m} kg per {u} = per kg × the part's mass_kg"),
            ),
            None => {
                return Err(pcf_error(
                    &format!("{field}.pcf.productMassPerDeclaredUnit"),
                    format!("declared unit {u} without a product mass"),
                    "a document per piece or kilogram, a productMassPerDeclaredUnit, or a part without mass_kg (one piece = one product of the document)",
                ))
            }
        },
        (u, None) => (
            "piece",
            s.declared_unit_amount,
            format!("one piece = one product of the document = {} {u}", s.declared_unit_amount),
        ),
    };
    // v3.0 values were divided by declaredUnitAmount in the summary; multiplying back may
    // leave a last-digit remainder (1/12 × 12 = 0.99…96): rounded to 18 decimal places.
    let scale = |d: Decimal, f: &str| -> Result<Decimal, TansoError> {
        d.checked_mul(k).map(|x| x.round_dp_with_strategy(18, rust_decimal::RoundingStrategy::MidpointNearestEven).normalize()).ok_or_else(|| over(f))
    };
    let total_k = scale(total, "total")?;
    let fossil_k = scale(fossil, "fossil")?;
    let dluc_k = scale(dluc, "dluc")?;
    let biogenic_k = total_k.checked_sub(fossil_k).and_then(|x| x.checked_sub(dluc_k)).ok_or_else(|| over("biogenic"))?.normalize();
    let two = Decimal::TWO;
    let dqr = s.dqr.as_ref().map(|q| {
        if q.scale_max == 5 {
            let m = |v: Option<Decimal>| v.map(|r| ((r + Decimal::ONE) / two).normalize());
            Dqr { coverage_percent: None, technological: m(q.technological), temporal: m(q.temporal), geographical: m(q.geographical), completeness: None, reliability: None }
        } else {
            Dqr {
                coverage_percent: q.coverage_percent,
                technological: q.technological,
                temporal: q.temporal,
                geographical: q.geographical,
                completeness: q.completeness,
                reliability: q.reliability,
            }
        }
    });
    let pcf = SupplierPcf {
        id: (!s.id.is_empty()).then(|| s.id.clone()),
        declared_unit: Some(unit.to_string()),
        total_kg_co2e: total_k,
        fossil_kg_co2e: Some(fossil_k),
        biogenic_kg_co2e: Some(biogenic_k),
        dluc_kg_co2e: Some(dluc_k),
        aircraft_kg_co2e: Some(scale(aircraft, "aircraft")?),
        primary_data_share: s.primary_data_share_percent,
        dqr,
    };
    let note = format!(
        "supplier PACT v{} footprint {} of {} ({}) replaces the part's default data: {} kg CO2e {how}{}{}",
        version.name(),
        s.id,
        if s.company_name.is_empty() { "?" } else { &s.company_name },
        if s.product_name.is_empty() { "?" } else { &s.product_name },
        total_k,
        match s.primary_data_share_percent {
            Some(p) => format!(", primary data share {p} %"),
            None => ", no primaryDataShare (counted as secondary data)".to_string(),
        },
        if s.dqr.as_ref().is_some_and(|q| q.scale_max == 5) { ", DQRs mapped from 1–5 to 1–3 by (r + 1) / 2" } else { "" },
    );
    Ok((pcf, note))
}

/// (amount, PACT unit) of a declared unit such as `1 piece`, `10 kg`, `liter`.
fn declared_unit(text: &str) -> Result<(Decimal, &'static str), TansoError> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (num, rest) = t.split_at(split);
    let amount = if num.is_empty() { Decimal::ONE } else { num.parse::<Decimal>().map_err(|_| input_error(format!("product.declared_unit '{text}': the amount is not a number")))? };
    let unit = match rest.trim().to_lowercase().as_str() {
        "piece" | "pieces" | "pc" | "pcs" | "unit" | "units" | "item" | "items" => "piece",
        "kg" | "kilogram" | "kilograms" => "kilogram",
        "l" | "liter" | "liters" | "litre" | "litres" => "liter",
        "m3" | "m³" | "cubic meter" | "cubic meters" => "cubic meter",
        "kwh" | "kilowatt hour" | "kilowatt hours" => "kilowatt hour",
        "mj" | "megajoule" | "megajoules" => "megajoule",
        "tkm" | "t km" | "t·km" | "ton kilometer" | "ton kilometers" => "ton kilometer",
        "m2" | "m²" | "square meter" | "square meters" => "square meter",
        "h" | "hour" | "hours" => "hour",
        other => {
            return Err(input_error(format!(
                "product.declared_unit '{text}': unit '{other}' has no PACT equivalent; valid: piece, kg, liter, m3, kWh, MJ, tkm, m2, hour (optionally after an amount, e.g. '1 piece')"
            )))
        }
    };
    if amount <= Decimal::ZERO {
        return Err(input_error(format!("product.declared_unit '{text}': the amount must be > 0")));
    }
    Ok((amount, unit))
}

/// Mass of one piece of the product, kg, from the BOM.
fn product_mass(input: &ProductInput) -> f64 {
    input.parts.iter().map(|p| p.quantity * crate::product::part_mass(p)).sum()
}

/// The PACT ProductFootprint of a footprint (see the module doc); `PACT_INVALID` lists every
/// field the document still lacks (e.g. `pcf.fossilCarbonContent`, which a BOM does not give).
pub fn export_footprint(fp: &Footprint, input: &ProductInput, req: &ExportInput) -> Result<(ProductFootprint, Vec<String>), TansoError> {
    let r = &fp.report;
    let mut notes = Vec::new();
    let mut e = req.clone();
    let version = match &e.version {
        Some(v) => PactVersion::parse(v).ok_or_else(|| {
            TansoError::from(ExchangeError::PactUnsupportedVersion { field: "pact.version".into(), value: v.clone(), valid: "2.3 or 3.0".into() })
        })?,
        None => PactVersion::V3,
    };
    let over = |f: &str| input_error(format!("pact: {f} overflows 28 significant digits"));
    // Values per declared unit of the product.
    let fossil = r.fossil_kg_co2e + r.aircraft_kg_co2e;
    let (bio, uptake) = if r.biogenic_kg_co2e >= Decimal::ZERO { (r.biogenic_kg_co2e, Decimal::ZERO) } else { (Decimal::ZERO, r.biogenic_kg_co2e) };
    let including = fossil + r.dluc_kg_co2e + r.biogenic_kg_co2e;
    if including != fp.total_kg_co2e {
        notes.push(format!("PACT totals are the sum of the rounded parts, {including}; the footprint's rounded total is {}", fp.total_kg_co2e));
    }
    let excluding = including - uptake;
    // Declared unit.
    let (mut amount, mut unit) = declared_unit(&r.declared_unit)?;
    let mass = product_mass(input);
    let wanted = e.declared_unit.clone();
    let to_kg = match wanted.as_deref() {
        None => version == PactVersion::V2 && unit == "piece",
        Some(w) if w == unit => false,
        Some("kilogram") if unit == "piece" => true,
        Some(w) => return Err(input_error(format!("pact.declared_unit '{w}': the product is declared per '{}'; valid: {unit}{}", r.declared_unit, if unit == "piece" { " or kilogram (per kg of product, from the BOM's mass)" } else { "" }))),
    };
    if to_kg {
        let m = crate::num::decimal_from_f64(mass, "product mass")?.round_dp(6).normalize();
        if m <= Decimal::ZERO {
            return Err(input_error("pact: the product's mass is 0; a document per kilogram needs the parts' mass_kg or material masses".into()));
        }
        // `amount` pieces weigh amount × m kg.
        amount = (amount * m).normalize();
        unit = "kilogram";
        if e.mass_kg_per_unit.is_none() {
            e.mass_kg_per_unit = Some(Decimal::ONE);
        }
        notes.push(format!("PACT document per kilogram: one product = {amount} kg (from the BOM)"));
    } else if unit == "piece" && e.mass_kg_per_unit.is_none() && mass > 0.0 {
        e.mass_kg_per_unit = Some(crate::num::decimal_from_f64(mass, "product mass")?.round_dp(6).normalize());
    }
    e.declared_unit = Some(unit.to_string());
    e.declared_unit_amount = Some(amount);
    let per = |d: Decimal, f: &str| -> Result<Option<Decimal>, TansoError> { d.checked_div(amount).map(|x| Some(x.normalize())).ok_or_else(|| over(f)) };
    e.fossil = per(fossil, "fossil")?;
    e.aircraft = per(r.aircraft_kg_co2e, "aircraft")?;
    e.dluc = per(r.dluc_kg_co2e, "dluc")?;
    e.biogenic = per(bio, "biogenic")?;
    e.biogenic_uptake = per(uptake, "biogenic_uptake")?;
    e.total_including_biogenic = per(including, "total_including_biogenic")?;
    e.total_excluding_biogenic = per(excluding, "total_excluding_biogenic")?;
    if version == PactVersion::V2 {
        if e.land_management.is_none() {
            e.land_management = Some(Decimal::ZERO);
        }
        if e.biogenic_accounting_methodology.is_none() {
            e.biogenic_accounting_methodology = Some("ISO".into());
        }
    }
    e.primary_data_share = Some(r.primary_data_share);
    if e.dqr.is_none() && r.dqr.technological.is_some() {
        let q = &r.dqr;
        e.dqr = Some(match version {
            PactVersion::V2 => DqrInput {
                technological: q.technological,
                temporal: q.temporal,
                geographical: q.geographical,
                completeness: q.completeness,
                reliability: q.reliability,
                coverage_percent: q.coverage_percent,
            },
            PactVersion::V3 => {
                let m = |v: Option<Decimal>| v.map(|x| (Decimal::TWO * x - Decimal::ONE).normalize());
                DqrInput { technological: m(q.technological), temporal: m(q.temporal), geographical: m(q.geographical), ..Default::default() }
            }
        });
    }
    if e.product_name.is_none() {
        e.product_name = Some(input.product.name.clone().unwrap_or_else(|| input.product.id.clone()));
    }
    if e.boundary_processes.is_none() {
        e.boundary_processes = Some(format!("{}; recycling: {}", r.system_boundary, r.recycling));
    }
    if e.allocation_rules.is_none() {
        e.allocation_rules = Some(r.allocation.join("; "));
    }
    if e.characterization_factors.is_none() {
        e.characterization_factors = Some(vec![if r.gwp_set.starts_with("AR6") { "AR6".into() } else { r.gwp_set.clone() }]);
    }
    if e.cross_sectoral_standards.is_none() {
        e.cross_sectoral_standards = Some(vec!["ISO14067".into()]);
    }
    if e.comment.is_none() {
        let mut c = format!("Computed by tanso product_footprint from a bill of materials ({}; {}).", r.standards.join(", "), r.gwp_set);
        for n in r.notes.iter().chain(notes.iter()) {
            c.push(' ');
            c.push_str(n);
            if !n.ends_with('.') {
                c.push('.');
            }
        }
        e.comment = Some(c);
    }
    if e.geography_region.is_none() && e.geography_country.is_none() && e.geography_subdivision.is_none() {
        let g = r.geography.as_str();
        if g.len() == 2 && g.chars().all(|c| c.is_ascii_uppercase()) {
            e.geography_country = Some(g.into());
        } else if g.len() > 3 && g.as_bytes()[2] == b'-' {
            e.geography_subdivision = Some(g.into());
        }
    }
    e.version = Some(version.name().to_string());
    let out = export(&e).map_err(|err| match err {
        TansoError::Exchange(ExchangeError::PactInvalid { version, failures }) => ExchangeError::PactInvalid {
            version,
            failures: failures.into_iter().map(|f| PactFailure { rule: format!("{} (give it in product_footprint's pact)", f.rule), ..f }).collect(),
        }
        .into(),
        other => other,
    })?;
    Ok((out.document, notes))
}
