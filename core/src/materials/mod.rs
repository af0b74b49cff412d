//! The materials library: cradle-to-gate factors of steel by route and form, aluminium by
//! route and form, copper, plastics, glass, rubber, magnesium, composites and battery
//! materials, read at first use from `core/data/material_routes.csv` and
//! `core/data/materials.csv` (copies of the project's sourced tables), each with its
//! provenance (the source, the status as the table words it, the boundary and the row).
//!
//! Rules:
//! - Only verified rows are defaults. Unverified rows (and rows whose value is a range) are
//!   listed with `usable: false` and never used, unless `include_unverified` is set, and then
//!   flagged.
//! - Lookup by material, route, form, geography and year: the exact geography, then `WORLD`;
//!   the nearest earlier year, else the nearest later one. Any difference from what was asked
//!   is reported as a fallback.
//! - Forms: a row for the exact form is used; for steel `hot_rolled` and `cold_rolled` the
//!   crude-steel row of the route plus the verified sheet-rolling add-on (carculator/ecoinvent
//!   "sheet rolling, steel", 0.33 kg CO2e/kg) is used, and said so. `coated`, `cast` and
//!   `forged` steel have no verified add-on in the data: give them in a user table.
//! - Recycled content blends the primary and the secondary route of the same form and
//!   geography: `E = (1 − r) E_primary + r E_secondary` (steel: BF-BOF and scrap-EAF; aluminium:
//!   primary and secondary).
//! - Primary aluminium can be computed from the smelter: `E = E_non_electricity + kWh/kg ×
//!   grid kg CO2e/kWh` (see [`Smelter`]); the data has no verified electrolysis kWh per t, so
//!   both the kWh and the non-electricity part are the user's, and the grid factor may come
//!   from the bundled grid factors (`electricity.grid_average`, MEE & NBS).
//!
//! Units: every factor is kg CO2e (or kg CO2 where the source gives CO2 only, `basis: "CO2"`)
//! per kg of material, or per kWh of battery capacity where `unit` is `kWh`; the tables' t/t
//! equal kg/kg.
//!
//! ```
//! use tanso::materials::{Library, MaterialQuery};
//! let lib = Library::bundled();
//! let q = MaterialQuery { material: "steel".into(), route: Some("bf_bof".into()),
//!     form: Some("crude".into()), geography: "WORLD".into(), year: 2022,
//!     recycled_content: Some(rust_decimal_macros::dec!(0.3)), ..Default::default() };
//! let r = lib.resolve(&q, "material").unwrap();
//! // 0.7 × 2.32 (BF-BOF) + 0.3 × 0.70 (scrap-EAF), worldsteel 2022 route values
//! assert_eq!(r.kg_co2e_per_unit.to_string(), "1.834");
//! ```

use std::collections::BTreeSet;
use std::str::FromStr;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};

use crate::error::{FactorError, MaterialError, TansoError};
use crate::factors::{FactorRegistry, Status, TableFormat, UserTable};

const ROUTES_CSV: &str = include_str!("../../data/material_routes.csv");
const MATERIALS_CSV: &str = include_str!("../../data/materials.csv");

/// The material classes that share attribution reports apart.
pub const STEEL: &str = "steel";
/// Aluminium (primary, secondary, alloys).
pub const ALUMINIUM: &str = "aluminium";

/// Source of the sheet-rolling add-on used for hot- and cold-rolled steel.
pub const SHEET_ROLLING_ID: &str = "sheet_rolling/add_on/steel@WORLD/2020";

/// One row of the library: a cradle-to-gate factor with provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialFactor {
    /// `material/route/form@geography/year`, unique; `user:<table>:<row>` rows keep this shape.
    pub id: String,
    /// Material: `steel`, `aluminium`, `iron`, `copper`, `plastic`, `glass`, `rubber`,
    /// `magnesium`, `composite`, `battery`, `cathode`, `sheet_rolling`.
    pub material: String,
    /// The class counted in share attribution (`steel`, `aluminium` or the material).
    pub class: String,
    /// Route: `bf_bof`, `dri_eaf`, `scrap_eaf`, `market`, `primary`, `secondary`, `virgin_hss`,
    /// `stainless`, `average`, `add_on`, …
    pub route: String,
    /// Form: `crude`, `product`, `hot_rolled`, `cold_rolled`, `wrought`, `cast`, `ingot`,
    /// `cathode`, `low_alloyed`, `pack`, …
    pub form: String,
    /// Geography: `WORLD`, `US`, `EU`, `CN`, or a user's code.
    pub geography: String,
    /// Data year.
    pub year: i32,
    /// Unit of material the factor is per: `kg` or `kWh` (battery capacity).
    pub unit: String,
    /// kg CO2e (or kg CO2 where `basis` is `CO2`) per unit; `None` when the table has no single
    /// value (a gap or a range).
    #[serde(with = "crate::num::opt", skip_serializing_if = "Option::is_none", default)]
    pub kg_co2e_per_unit: Option<Decimal>,
    /// `CO2e` or `CO2` (CO2-only intensities, e.g. worldsteel).
    pub basis: String,
    /// Usable as a default: verified with a single value.
    pub usable: bool,
    /// Provenance.
    pub provenance: MaterialProvenance,
}

/// Where a material factor comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialProvenance {
    /// The source as the table gives it.
    pub source: String,
    /// Verified or not.
    pub status: Status,
    /// The status as the table words it.
    pub status_note: String,
    /// The boundary as the table gives it.
    pub boundary: String,
    /// `core/data/<file>.csv row <n>` (header = row 1) or `user:<table> row <n>`.
    pub row: String,
    /// The table's notes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// The smelter of primary aluminium: `E = non_electricity + kwh_per_kg × grid`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smelter {
    /// Electricity of electrolysis (and casting), kWh per kg of aluminium — the user's data
    /// (the bundled tables have no verified value).
    #[serde(with = "crate::num")]
    pub kwh_per_kg: Decimal,
    /// Everything else (alumina, anodes, PFC, casting fuels), kg CO2e per kg — the user's data.
    #[serde(with = "crate::num")]
    pub non_electricity_kg_co2e_per_kg: Decimal,
    /// Grid factor, kg CO2e per kWh; or give `grid_geography` to take the bundled
    /// `electricity.grid_average` factor.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub grid_kg_co2e_per_kwh: Option<Decimal>,
    /// Geography of the smelter's grid (e.g. `CN`, `CN-NM`), looked up for the query's year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_geography: Option<String>,
}

/// What to look up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialQuery {
    /// Material (see [`MaterialFactor::material`]).
    pub material: String,
    /// Route; default: the primary route where recycled content is given (steel `bf_bof`,
    /// aluminium `primary`), else `market` for steel and copper, or the only route.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// Form; default `crude` for steel, `ingot` for primary aluminium, else any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// Geography; default `WORLD`.
    #[serde(default = "world")]
    pub geography: String,
    /// Year; default 2022.
    #[serde(default = "default_year")]
    pub year: i32,
    /// Recycled content (0..=1), blending the primary and the secondary route.
    #[serde(default, with = "crate::num::opt", skip_serializing_if = "Option::is_none")]
    pub recycled_content: Option<Decimal>,
    /// For primary aluminium: compute it from the smelter's electricity and grid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smelter: Option<Smelter>,
}

fn world() -> String {
    "WORLD".to_string()
}
fn default_year() -> i32 {
    2022
}

/// A resolved factor: the value used and every row behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    /// The material.
    pub material: String,
    /// Its class for share attribution.
    pub class: String,
    /// The route used (`blend` for a recycled-content blend, `smelter` for a smelter model).
    pub route: String,
    /// The form.
    pub form: String,
    /// Unit of material.
    pub unit: String,
    /// kg CO2e per unit (exact decimal arithmetic on the table values).
    #[serde(with = "crate::num")]
    pub kg_co2e_per_unit: Decimal,
    /// `CO2e`, or `CO2` when every row behind it is CO2 only.
    pub basis: String,
    /// Components with their weights (blend shares, add-ons, smelter parts).
    pub components: Vec<Component>,
    /// Fallbacks used (geography or year not as asked).
    pub fallbacks: Vec<String>,
    /// True when an unverified row was used (only with `include_unverified`).
    pub unverified: bool,
}

/// One component of a resolved factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// What it is: a row id, or `smelter electricity`, `smelter other`.
    pub id: String,
    /// Weight or amount (blend share, 1 for add-ons, kWh per kg for electricity).
    #[serde(with = "crate::num")]
    pub weight: Decimal,
    /// kg CO2e per unit of the component.
    #[serde(with = "crate::num")]
    pub kg_co2e_per_unit: Decimal,
    /// Its source.
    pub source: String,
    /// `primary` or `secondary` (blend sides, incl. their add-ons and smelter parts), or `route`.
    pub role: String,
}

/// Things the issue names for which the bundled data has no verified number: users give them
/// in a table. Listed by the `materials` operation.
pub const GAPS: &[&str] = &[
    "steel coated / cast / forged: no verified form add-on (hot- and cold-rolled use the sheet-rolling add-on)",
    "steel China average and H2-DRI-EAF: UNVERIFIED in material_routes.csv",
    "primary aluminium by IAI region (China, GCC, North America, Europe): UNVERIFIED; China 12.7 t/t has an unverified boundary",
    "primary aluminium electrolysis kWh per t and the non-electricity part: not in the data (smelter model needs the user's values)",
    "secondary aluminium WORLD: only GREET (US) recycled wrought/cast rows",
    "copper cathode ICA: UNVERIFIED (GREET 3.2 US and carculator 5.78 GLO are verified)",
    "plastics by polymer (PP, PA, ABS …): only GREET 'average plastic'",
    "Li-ion packs: IVL and ICCT rows are ranges (not usable as one number); LFP vs NMC by country UNVERIFIED",
];

/// The library: bundled rows plus user rows.
#[derive(Debug, Clone, Default)]
pub struct Library {
    rows: Vec<MaterialFactor>,
    include_unverified: bool,
}

/// (material column, route column, year) of a table row → (material, class, route, form,
/// geography, unit). Rows not listed are listed by the `materials` operation as unmapped.
type Map = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str);
const ROUTE_MAP: &[Map] = &[
    ("crude steel", "BF-BOF", "steel", "steel", "bf_bof", "crude", "WORLD", "kg"),
    ("crude steel", "DRI-EAF", "steel", "steel", "dri_eaf", "crude", "WORLD", "kg"),
    ("crude steel", "scrap-EAF", "steel", "steel", "scrap_eaf", "crude", "WORLD", "kg"),
    ("crude steel", "H2-DRI-EAF (renewable H2)", "steel", "steel", "h2_dri_eaf", "crude", "WORLD", "kg"),
    ("crude steel", "China average (all routes)", "steel", "steel", "market", "crude", "CN", "kg"),
    ("virgin steel", "virgin steel (BF-BOF, GREET)", "steel", "steel", "bf_bof", "product", "US", "kg"),
    ("virgin high-strength steel", "virgin high-strength steel", "steel", "steel", "virgin_hss", "product", "US", "kg"),
    ("recycled steel", "recycled steel (EAF)", "steel", "steel", "scrap_eaf", "product", "US", "kg"),
    ("average steel", "average steel (GREET mix)", "steel", "steel", "market", "product", "US", "kg"),
    ("stainless steel", "stainless steel", "steel", "steel", "stainless", "product", "US", "kg"),
    ("cast iron", "cast iron", "iron", "iron", "average", "cast", "US", "kg"),
    ("virgin wrought aluminium", "virgin wrought aluminium", "aluminium", "aluminium", "primary", "wrought", "US", "kg"),
    ("recycled wrought aluminium", "recycled wrought aluminium", "aluminium", "aluminium", "secondary", "wrought", "US", "kg"),
    ("average wrought aluminium", "average wrought aluminium", "aluminium", "aluminium", "market", "wrought", "US", "kg"),
    ("virgin cast aluminium", "virgin cast aluminium", "aluminium", "aluminium", "primary", "cast", "US", "kg"),
    ("recycled cast aluminium", "recycled cast aluminium", "aluminium", "aluminium", "secondary", "cast", "US", "kg"),
    ("average cast aluminium", "average cast aluminium", "aluminium", "aluminium", "market", "cast", "US", "kg"),
    ("copper", "copper", "copper", "copper", "average", "product", "US", "kg"),
    ("glass", "glass", "glass", "glass", "average", "product", "US", "kg"),
    ("average plastic", "average plastic", "plastic", "plastic", "average", "product", "US", "kg"),
    ("rubber", "rubber", "rubber", "rubber", "average", "product", "US", "kg"),
    ("magnesium", "magnesium (average)", "magnesium", "magnesium", "average", "product", "US", "kg"),
    ("carbon-fibre reinforced plastic", "carbon-fibre reinforced plastic", "composite", "composite", "cfrp", "product", "US", "kg"),
    ("steel", "steel, low-alloyed (market, GLO)", "steel", "steel", "market", "low_alloyed", "WORLD", "kg"),
    ("sheet rolling", "sheet rolling, steel (processing add-on)", "sheet_rolling", "steel", "add_on", "steel", "WORLD", "kg"),
    ("aluminium", "aluminium, wrought alloy (market, GLO)", "aluminium", "aluminium", "market", "wrought", "WORLD", "kg"),
    ("aluminium", "aluminium, cast alloy (market, GLO)", "aluminium", "aluminium", "market", "cast", "WORLD", "kg"),
    ("aluminium", "aluminium, primary ingot (IAI EU27&EFTA)", "aluminium", "aluminium", "primary", "ingot", "EU", "kg"),
    ("copper", "copper, cathode (market, GLO)", "copper", "copper", "market", "cathode", "WORLD", "kg"),
    ("primary aluminium", "world average (IAI)", "aluminium", "aluminium", "primary", "ingot", "WORLD", "kg"),
    ("primary aluminium", "China average", "aluminium", "aluminium", "primary", "ingot", "CN", "kg"),
    ("primary aluminium", "produced by European smelters", "aluminium", "aluminium", "primary", "ingot", "EU", "kg"),
    ("Li-ion pack", "NMC (IVL 2019 review)", "battery", "battery", "nmc", "pack", "WORLD", "kWh"),
    ("Li-ion pack", "literature median (50 LCAs)", "battery", "battery", "average", "pack", "WORLD", "kWh"),
    ("Li-ion pack", "meta-analysis per kg", "battery", "battery", "average", "pack", "WORLD", "kg"),
    ("Li-ion pack", "NMC-622, cells made in China (carculator)", "battery", "battery", "nmc622", "pack", "CN", "kWh"),
    ("cathode active material", "NMC622 (GREET)", "cathode", "battery", "nmc622", "cathode", "WORLD", "kg"),
    // materials.csv
    ("crude steel", "all routes (weighted)", "steel", "steel", "market", "crude", "WORLD", "kg"),
    ("primary aluminium", "all (IAI)", "aluminium", "aluminium", "primary", "ingot", "WORLD", "kg"),
];

impl Library {
    /// The bundled library (verified rows usable; the rest listed).
    pub fn bundled() -> Library {
        static LIB: OnceLock<Vec<MaterialFactor>> = OnceLock::new();
        Library {
            rows: LIB.get_or_init(bundled_rows).clone(),
            include_unverified: false,
        }
    }

    /// Also use unverified rows that have a single value (flagged `unverified`).
    pub fn with_unverified(mut self, yes: bool) -> Library {
        self.include_unverified = yes;
        self
    }

    /// Every row.
    pub fn rows(&self) -> &[MaterialFactor] {
        &self.rows
    }

    /// Adds a user table: CSV or JSON rows with `material, route, form, geography, year,
    /// kg_co2e_per_unit, source` and optional `unit` (default `kg`), `class`, `notes`. User
    /// rows are usable (status `verified`, the user answering for them) and come before
    /// bundled rows with the same key.
    pub fn add_table(&mut self, table: &UserTable) -> Result<(), TansoError> {
        #[derive(Deserialize)]
        struct Row {
            material: String,
            route: String,
            form: String,
            #[serde(default = "world")]
            geography: String,
            year: i32,
            kg_co2e_per_unit: String,
            source: String,
            #[serde(default)]
            unit: Option<String>,
            #[serde(default)]
            class: Option<String>,
            #[serde(default)]
            notes: Option<String>,
        }
        let rows: Vec<Row> = match table.format {
            TableFormat::Csv => {
                let mut rd = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(table.text.as_bytes());
                let mut out = Vec::new();
                for (i, r) in rd.deserialize::<Row>().enumerate() {
                    out.push(r.map_err(|e| FactorError::MalformedRow {
                        source_name: table.name.clone(),
                        row: i + 2,
                        field: "row".into(),
                        message: format!("{e}; columns: material, route, form, geography, year, kg_co2e_per_unit, source[, unit, class, notes]"),
                    })?);
                }
                out
            }
            TableFormat::Json => serde_json::from_str(&table.text).map_err(|e| FactorError::MalformedTable {
                source_name: table.name.clone(),
                message: format!("{e}; expected an array of rows with material, route, form, geography, year, kg_co2e_per_unit, source"),
            })?,
        };
        let mut new = Vec::new();
        for (i, r) in rows.into_iter().enumerate() {
            let v = Decimal::from_str(r.kg_co2e_per_unit.trim()).map_err(|_| FactorError::MalformedRow {
                source_name: table.name.clone(),
                row: i + 2,
                field: "kg_co2e_per_unit".into(),
                message: format!("'{}' is not a decimal number", r.kg_co2e_per_unit),
            })?;
            if v.is_sign_negative() {
                return Err(FactorError::MalformedRow {
                    source_name: table.name.clone(),
                    row: i + 2,
                    field: "kg_co2e_per_unit".into(),
                    message: format!("{v} is negative; a cradle-to-gate factor is ≥ 0 (credits are the recycling approach's)"),
                }
                .into());
            }
            let material = r.material.trim().to_lowercase();
            let class = r.class.unwrap_or_else(|| default_class(&material).to_string());
            new.push(MaterialFactor {
                id: format!("{}/{}/{}@{}/{}", material, r.route, r.form, r.geography, r.year),
                material,
                class,
                route: r.route,
                form: r.form,
                geography: r.geography,
                year: r.year,
                unit: r.unit.unwrap_or_else(|| "kg".into()),
                kg_co2e_per_unit: Some(v),
                basis: "CO2e".into(),
                usable: true,
                provenance: MaterialProvenance {
                    source: r.source,
                    status: Status::Verified,
                    status_note: "user data".into(),
                    boundary: "as the user's source states".into(),
                    row: format!("user:{} row {}", table.name, i + 2),
                    notes: r.notes.unwrap_or_default(),
                },
            });
        }
        new.append(&mut self.rows);
        self.rows = new;
        Ok(())
    }

    fn usable(&self, r: &MaterialFactor) -> bool {
        r.kg_co2e_per_unit.is_some() && (r.usable || self.include_unverified)
    }

    /// The row for material, route, form, geography (then `WORLD`) and year (nearest earlier,
    /// else nearest later), with the fallback described.
    pub fn find(&self, material: &str, route: &str, form: &str, geography: &str, year: i32, field: &str) -> Result<(&MaterialFactor, Option<String>), TansoError> {
        let mut geos = vec![geography.to_string()];
        if !geography.eq_ignore_ascii_case("WORLD") {
            geos.push("WORLD".into());
        }
        for g in &geos {
            let cands: Vec<&MaterialFactor> = self
                .rows
                .iter()
                .filter(|r| self.usable(r) && r.material == material && r.route == route && r.form == form && r.geography.eq_ignore_ascii_case(g))
                .collect();
            let earlier = cands.iter().filter(|r| r.year <= year).max_by_key(|r| r.year);
            let pick = earlier.or_else(|| cands.iter().min_by_key(|r| r.year));
            if let Some(r) = pick {
                let fb = (!r.geography.eq_ignore_ascii_case(geography) || r.year != year)
                    .then(|| format!("{material}/{route}/{form}: asked {geography}/{year}, used {}/{}", r.geography, r.year));
                return Ok((*r, fb));
            }
        }
        Err(MaterialError::MaterialNotFound {
            field: field.to_string(),
            query: format!("{material}/{route}/{form}@{geography}/{year}"),
            available: self.available(material),
        }
        .into())
    }

    fn available(&self, material: &str) -> String {
        let have: BTreeSet<String> = self
            .rows
            .iter()
            .filter(|r| self.usable(r) && r.material == material)
            .map(|r| format!("{}/{}/{}@{}/{}", r.material, r.route, r.form, r.geography, r.year))
            .collect();
        let mats: BTreeSet<&str> = self.rows.iter().filter(|r| self.usable(r)).map(|r| r.material.as_str()).collect();
        if have.is_empty() {
            format!(
                "none for '{material}' (materials: {}); add a user table (material, route, form, geography, year, kg_co2e_per_unit, source)",
                mats.into_iter().collect::<Vec<_>>().join(", ")
            )
        } else {
            format!("{}; or add a user table", have.into_iter().collect::<Vec<_>>().join(", "))
        }
    }

    /// Resolves a query to one factor: blend, smelter, form add-on, fallbacks.
    pub fn resolve(&self, q: &MaterialQuery, field: &str) -> Result<Resolved, TansoError> {
        self.resolve_with(q, field, None)
    }

    /// As [`Library::resolve`], with a factor registry for the smelter's grid lookup.
    pub fn resolve_with(&self, q: &MaterialQuery, field: &str, grid: Option<&FactorRegistry>) -> Result<Resolved, TansoError> {
        let material = q.material.trim().to_lowercase();
        let class = self
            .rows
            .iter()
            .find(|r| r.material == material)
            .map(|r| r.class.clone())
            .unwrap_or_else(|| default_class(&material).to_string());
        let (primary, secondary) = match material.as_str() {
            "steel" => ("bf_bof", "scrap_eaf"),
            "aluminium" => ("primary", "secondary"),
            _ => ("", ""),
        };
        let default_form = match material.as_str() {
            "steel" => "crude",
            "aluminium" if q.route.as_deref().unwrap_or("primary") == "primary" && q.smelter.is_none() => "ingot",
            _ => "",
        };
        let form = match &q.form {
            Some(f) => f.clone(),
            None if !default_form.is_empty() => default_form.to_string(),
            None => self
                .rows
                .iter()
                .filter(|r| self.usable(r) && r.material == material)
                .map(|r| r.form.clone())
                .next()
                .unwrap_or_else(|| "product".into()),
        };
        if let Some(rc) = q.recycled_content {
            if rc < Decimal::ZERO || rc > Decimal::ONE {
                return Err(MaterialError::InvalidRecycledContent {
                    field: format!("{field}.recycled_content"),
                    value: rc.to_string(),
                    expected: "a share from 0 to 1".into(),
                }
                .into());
            }
            if primary.is_empty() || q.route.as_deref().is_some_and(|r| r != primary) {
                return Err(MaterialError::InvalidRecycledContent {
                    field: format!("{field}.recycled_content"),
                    value: rc.to_string(),
                    expected: format!(
                        "recycled content blends routes of steel (bf_bof + scrap_eaf) and aluminium (primary + secondary); for '{material}' route '{}' give the route's own factor instead",
                        q.route.as_deref().unwrap_or("")
                    ),
                }
                .into());
            }
        }
        let route = q.route.clone().unwrap_or_else(|| {
            if !primary.is_empty() && (q.recycled_content.is_some() || q.smelter.is_some()) {
                primary.to_string()
            } else if !primary.is_empty() && material == "steel" {
                "market".to_string()
            } else if material == "aluminium" {
                "primary".to_string()
            } else {
                self.rows
                    .iter()
                    .filter(|r| self.usable(r) && r.material == material && r.form == form)
                    .map(|r| r.route.clone())
                    .next()
                    .unwrap_or_else(|| "average".into())
            }
        });
        let mut fallbacks = Vec::new();
        let mut unverified = false;
        let mut basis_co2 = true;
        let mut components = Vec::new();
        // One route: its row (+ the form add-on), or the smelter.
        let mut one = |route: &str, role: &str, weight: Decimal, smelter: Option<&Smelter>, fallbacks: &mut Vec<String>, components: &mut Vec<Component>| -> Result<Decimal, TansoError> {
            if let (Some(s), true) = (smelter, material == "aluminium" && route == primary) {
                let g = match (s.grid_kg_co2e_per_kwh, &s.grid_geography) {
                    (Some(g), _) => (g, "user grid factor".to_string()),
                    (None, Some(geo)) => {
                        let reg = grid.cloned().unwrap_or_else(FactorRegistry::bundled);
                        let m = reg.lookup("electricity.grid_average", geo, q.year)?;
                        let v = match m.factor.co2e {
                            Some(v) => v,
                            None => m.factor.gases.co2e(crate::ghg::GwpSet::default())?,
                        };
                        if let Some(fb) = &m.fallback {
                            fallbacks.push(format!("smelter grid: asked {}/{}, used {}/{}", fb.requested_geography, fb.requested_year, fb.used_geography, fb.used_year));
                        }
                        (v, format!("{} ({} {}, {})", m.factor.id, m.factor.provenance.publisher, m.factor.provenance.document, m.factor.provenance.table))
                    }
                    (None, None) => {
                        return Err(MaterialError::MaterialNotFound {
                            field: format!("{field}.smelter"),
                            query: "smelter grid".into(),
                            available: "give grid_kg_co2e_per_kwh or grid_geography (e.g. CN, CN-NM)".into(),
                        }
                        .into())
                    }
                };
                components.push(Component { id: "smelter electricity".into(), weight: weight * s.kwh_per_kg, kg_co2e_per_unit: g.0, source: g.1, role: role.into() });
                components.push(Component {
                    id: "smelter other (non-electricity)".into(),
                    weight,
                    kg_co2e_per_unit: s.non_electricity_kg_co2e_per_kg,
                    source: "user smelter data".into(),
                    role: role.into(),
                });
                return Ok(s.non_electricity_kg_co2e_per_kg + s.kwh_per_kg * g.0);
            }
            let direct = self.find(&material, route, &form, &q.geography, q.year, field);
            let (row, add_on) = match direct {
                Ok(r) => (r, None),
                Err(e) if material == "steel" && (form == "hot_rolled" || form == "cold_rolled") => {
                    let base = self.find(&material, route, "crude", &q.geography, q.year, field).map_err(|_| e)?;
                    let add = self.find("sheet_rolling", "add_on", "steel", "WORLD", q.year, field)?;
                    (base, Some(add))
                }
                Err(e) => return Err(e),
            };
            let (row, fb) = row;
            if let Some(fb) = fb {
                fallbacks.push(fb);
            }
            unverified |= !row.usable;
            basis_co2 &= row.basis == "CO2";
            let v = row.kg_co2e_per_unit.unwrap_or_default();
            components.push(Component { id: row.id.clone(), weight, kg_co2e_per_unit: v, source: row.provenance.source.clone(), role: role.into() });
            let mut total = v;
            if let Some((add, fb)) = add_on {
                if let Some(fb) = fb {
                    fallbacks.push(fb);
                }
                basis_co2 = false;
                let a = add.kg_co2e_per_unit.unwrap_or_default();
                components.push(Component { id: add.id.clone(), weight, kg_co2e_per_unit: a, source: add.provenance.source.clone(), role: role.into() });
                total += a;
            }
            Ok(total)
        };
        let (value, route_used) = match q.recycled_content {
            Some(rc) => {
                let p = one(primary, "primary", Decimal::ONE - rc, q.smelter.as_ref(), &mut fallbacks, &mut components)?;
                let s = one(secondary, "secondary", rc, None, &mut fallbacks, &mut components)?;
                ((Decimal::ONE - rc) * p + rc * s, "blend".to_string())
            }
            None => {
                let v = one(&route, if route == primary { "primary" } else if route == secondary { "secondary" } else { "route" }, Decimal::ONE, q.smelter.as_ref(), &mut fallbacks, &mut components)?;
                let r = if q.smelter.is_some() && material == "aluminium" && route == "primary" { "smelter".to_string() } else { route.clone() };
                (v, r)
            }
        };
        if q.smelter.is_some() {
            basis_co2 = false;
        }
        let mut seen = BTreeSet::new();
        fallbacks.retain(|f| seen.insert(f.clone()));
        let unit = self
            .rows
            .iter()
            .find(|r| components.first().is_some_and(|c| c.id == r.id))
            .map(|r| r.unit.clone())
            .unwrap_or_else(|| "kg".into());
        Ok(Resolved {
            material,
            class,
            route: route_used,
            form,
            unit,
            kg_co2e_per_unit: value.normalize(),
            basis: if basis_co2 { "CO2".into() } else { "CO2e".into() },
            components,
            fallbacks,
            unverified,
        })
    }
}

/// The class of a material name for share attribution.
pub fn default_class(material: &str) -> &str {
    match material {
        "steel" | "stainless steel" | "sheet_rolling" => STEEL,
        "aluminium" | "aluminum" => ALUMINIUM,
        "cathode" => "battery",
        m => m,
    }
}

fn bundled_rows() -> Vec<MaterialFactor> {
    let mut out = Vec::new();
    for (file, text) in [("material_routes.csv", ROUTES_CSV), ("materials.csv", MATERIALS_CSV)] {
        let mut rd = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        for (i, rec) in rd.records().enumerate() {
            let Ok(rec) = rec else { continue };
            let get = |k: usize| rec.get(k).unwrap_or("").trim().to_string();
            let (mat, route, metric, value, unit, year, geo, boundary, status, source, notes) =
                (get(0), get(1), get(2), get(3), get(4), get(5), get(6), get(7), get(8), get(9), get(10));
            let Some(m) = ROUTE_MAP.iter().find(|m| m.0 == mat && m.1 == route) else { continue };
            // The duplicate worldsteel/IAI rows of material_routes.csv are read from materials.csv.
            if file == "material_routes.csv" && (route == "all routes (weighted)" || route == "world average (IAI)") {
                continue;
            }
            let year_n: i32 = year
                .split(|c: char| !c.is_ascii_digit())
                .find(|s| s.len() == 4)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let parsed = Decimal::from_str(&value).ok();
            let verified = status.to_lowercase().starts_with("verified") && !status.contains("UNVERIFIED");
            let basis = if metric.starts_with("CO2") { "CO2" } else { "CO2e" };
            let _ = (unit.as_str(), geo.as_str());
            out.push(MaterialFactor {
                id: format!("{}/{}/{}@{}/{}", m.2, m.4, m.5, m.6, year_n),
                material: m.2.into(),
                class: m.3.into(),
                route: m.4.into(),
                form: m.5.into(),
                geography: m.6.into(),
                year: year_n,
                unit: m.7.into(),
                kg_co2e_per_unit: parsed,
                basis: basis.into(),
                usable: verified && parsed.is_some(),
                provenance: MaterialProvenance {
                    source,
                    status: if verified { Status::Verified } else { Status::Unverified },
                    status_note: status,
                    boundary: if geo.is_empty() { boundary } else { format!("{boundary} ({geo}; {unit})") },
                    row: format!("core/data/{file} row {}", i + 2),
                    notes: if parsed.is_none() && !value.is_empty() { format!("range {value} {unit}, not one number; {notes}") } else { notes },
                },
            });
        }
    }
    out
}

/// The seeds' steel-scrap rule (China Association of Metal Scrap Utilization, via the CCCME
/// 2024 cases, seed 003): kg CO2 avoided per kg of steel scrap used. The same constant as
/// `accounting::calculators::SCRAP_CO2_T_PER_T`; materials.csv marks the claim
/// UNVERIFIED as an accounting factor, so it is only an option, reported apart.
pub const SCRAP_CREDIT_KG_CO2_PER_KG: Decimal = dec!(1.6);
/// The same rule: kgce of standard coal avoided per kg of steel scrap used.
pub const SCRAP_CREDIT_KGCE_PER_KG: Decimal = dec!(0.35);

/// Input of the `materials` operation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialsInput {
    /// `list` (default) or `lookup`.
    #[serde(default)]
    pub action: Option<String>,
    /// For `list`: only this material; for `lookup`: the query.
    #[serde(default)]
    pub material: Option<String>,
    /// Lookup: route.
    #[serde(default)]
    pub route: Option<String>,
    /// Lookup: form.
    #[serde(default)]
    pub form: Option<String>,
    /// Lookup: geography (default WORLD).
    #[serde(default)]
    pub geography: Option<String>,
    /// Lookup: year (default 2022).
    #[serde(default)]
    pub year: Option<i32>,
    /// Lookup: recycled content 0..=1.
    #[serde(default, with = "crate::num::opt")]
    pub recycled_content: Option<Decimal>,
    /// Lookup: smelter model of primary aluminium.
    #[serde(default)]
    pub smelter: Option<Smelter>,
    /// Use unverified rows with a single value (flagged).
    #[serde(default)]
    pub include_unverified: bool,
    /// User tables.
    #[serde(default)]
    pub tables: Vec<UserTable>,
}

/// Output of the `materials` operation.
#[derive(Debug, Clone, Serialize)]
pub struct MaterialsOutput {
    /// `list`: the rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<MaterialFactor>>,
    /// `list`: what the data lacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gaps: Option<Vec<String>>,
    /// `lookup`: the resolved factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor: Option<Resolved>,
}

/// Builds a library from the bundled rows and the user's tables.
pub fn library(include_unverified: bool, tables: &[UserTable]) -> Result<Library, TansoError> {
    let mut lib = Library::bundled().with_unverified(include_unverified);
    for t in tables.iter().rev() {
        lib.add_table(t)?;
    }
    Ok(lib)
}

/// The `materials` operation: list the library or look up one factor.
pub fn materials_document(i: &MaterialsInput) -> Result<MaterialsOutput, TansoError> {
    let lib = library(i.include_unverified, &i.tables)?;
    match i.action.as_deref().unwrap_or("list") {
        "list" => Ok(MaterialsOutput {
            rows: Some(
                lib.rows()
                    .iter()
                    .filter(|r| i.material.as_ref().is_none_or(|m| m.eq_ignore_ascii_case(&r.material)))
                    .cloned()
                    .collect(),
            ),
            gaps: Some(GAPS.iter().map(|s| s.to_string()).collect()),
            factor: None,
        }),
        "lookup" => {
            let q = MaterialQuery {
                material: i.material.clone().unwrap_or_default(),
                route: i.route.clone(),
                form: i.form.clone(),
                geography: i.geography.clone().unwrap_or_else(world),
                year: i.year.unwrap_or(2022),
                recycled_content: i.recycled_content,
                smelter: i.smelter.clone(),
            };
            Ok(MaterialsOutput { rows: None, gaps: None, factor: Some(lib.resolve(&q, "material")?) })
        }
        other => Err(crate::error::InputError::InvalidInput {
            operation: "materials".into(),
            message: format!("action: '{other}' is not valid; valid: list, lookup"),
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn worldsteel_routes_are_bundled_and_verified() {
        let lib = Library::bundled();
        let (r, fb) = lib.find("steel", "bf_bof", "crude", "WORLD", 2022, "m").unwrap();
        // worldsteel Sustainability Indicators 2023 (FY2022): BF-BOF 2.32 t CO2/t crude steel
        assert_eq!(r.kg_co2e_per_unit, Some(dec!(2.32)));
        assert!(fb.is_none());
        // China falls back to WORLD, reported
        let (_, fb) = lib.find("steel", "bf_bof", "crude", "CN", 2022, "m").unwrap();
        assert!(fb.unwrap().contains("used WORLD/2022"));
    }

    #[test]
    fn unverified_rows_are_not_defaults() {
        let lib = Library::bundled();
        // China primary aluminium 12.7 has an unverified boundary: CN falls back to WORLD (IAI 15.1)
        let (r, _) = lib.find("aluminium", "primary", "ingot", "CN", 2022, "m").unwrap();
        assert_eq!(r.kg_co2e_per_unit, Some(dec!(15.1)));
        let lib = lib.with_unverified(true);
        let (r, _) = lib.find("aluminium", "primary", "ingot", "CN", 2022, "m").unwrap();
        assert_eq!(r.kg_co2e_per_unit, Some(dec!(12.7)));
    }

    #[test]
    fn hot_rolled_adds_sheet_rolling() {
        let lib = Library::bundled();
        let q = MaterialQuery { material: "steel".into(), route: Some("bf_bof".into()), form: Some("hot_rolled".into()), geography: "WORLD".into(), year: 2022, ..Default::default() };
        // 2.32 (worldsteel BF-BOF) + 0.33 (carculator sheet rolling)
        assert_eq!(lib.resolve(&q, "m").unwrap().kg_co2e_per_unit, dec!(2.65));
        let q = MaterialQuery { form: Some("forged".into()), ..q };
        assert_eq!(lib.resolve(&q, "m").unwrap_err().code(), "MATERIAL_NOT_FOUND");
    }

    #[test]
    fn smelter_grid_moves_primary_aluminium() {
        let lib = Library::bundled();
        let q = MaterialQuery {
            material: "aluminium".into(),
            geography: "CN".into(),
            year: 2022,
            smelter: Some(Smelter { kwh_per_kg: dec!(13.5), non_electricity_kg_co2e_per_kg: dec!(2.5), grid_kg_co2e_per_kwh: Some(dec!(0.5)), grid_geography: None }),
            ..Default::default()
        };
        // hand: 2.5 + 13.5 × 0.5 = 9.25
        assert_eq!(lib.resolve(&q, "m").unwrap().kg_co2e_per_unit, dec!(9.25));
    }

    #[test]
    fn user_table_rows_come_first() {
        let mut lib = Library::bundled();
        lib.add_table(&UserTable { name: "mine".into(), format: TableFormat::Csv, text: "material,route,form,geography,year,kg_co2e_per_unit,source\nsteel,bf_bof,forged,CN,2023,2.9,supplier EPD 123\n".into() }).unwrap();
        let q = MaterialQuery { material: "steel".into(), route: Some("bf_bof".into()), form: Some("forged".into()), geography: "CN".into(), year: 2024, ..Default::default() };
        let r = lib.resolve(&q, "m").unwrap();
        assert_eq!(r.kg_co2e_per_unit, dec!(2.9));
        assert_eq!(r.fallbacks.len(), 1);
    }
}
