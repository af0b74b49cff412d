//! The data an installation communicates to its EU importer for one good and period (the
//! content of the Commission's communication template for operators, Regulation (EU) 2023/956
//! Art. 10 and Annex IV): the installation, the CN code and production route, the reporting
//! period, the specific embedded emissions (direct and indirect), the electricity consumed with
//! its emission factor and where that factor comes from, the precursors with their SEE, the
//! carbon price paid in the country of origin, and whether the data are actual or default.
//!
//! It round-trips through JSON unchanged (decimals as strings), so an ERP can store it, send it
//! and read it back; an obligation line can take it in place of a `good`
//! ([`SupplierCommunication::to_good`]).
//!
//! ```
//! use tanso::cbam::supplier::SupplierCommunication;
//! let text = r#"{"installation": {"id": "CN-HB-001", "name": "Hebei Steel Works", "country": "CN"},
//!   "cn_code": "7208 51 20", "production_route": "C",
//!   "period": {"start": "2025-01-01", "end": "2025-12-31"},
//!   "data_quality": "actual", "see_direct": "1.916", "see_indirect": "0.3"}"#;
//! let c: SupplierCommunication = serde_json::from_str(text).unwrap();
//! let back: SupplierCommunication = serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
//! assert_eq!(back, c);
//! assert_eq!(c.to_good().see.unwrap().direct.to_string(), "1.916");
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::embedded::{check_country, GivenSee, Good};
use crate::accounting::non_negative;
use crate::error::{AccountingError, TansoError};

/// One communication of an installation to an importer, for one good and reporting period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplierCommunication {
    /// The installation that produced the good.
    pub installation: Installation,
    /// CN code of the good.
    pub cn_code: String,
    /// Production route letter (e.g. `C` BF-BOF, `K` primary aluminium).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production_route: Option<String>,
    /// The reporting period the SEE are for.
    pub period: ReportingPeriod,
    /// Actual data or default values.
    pub data_quality: DataQuality,
    /// Direct SEE, t CO2e per t of good (per MWh for electricity).
    #[serde(with = "crate::num")]
    pub see_direct: Decimal,
    /// Indirect SEE, t CO2e per t of good (reported for every good; counted only for cement
    /// and fertilisers).
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub see_indirect: Option<Decimal>,
    /// Electricity consumed per t of good and its emission factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electricity: Option<ElectricityData>,
    /// Precursors with their SEE.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub precursors: Vec<PrecursorData>,
    /// Carbon price paid in the country of origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carbon_price: Option<CarbonPricePaid>,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// An installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Installation {
    /// Its id (e.g. the identifier in the CBAM registry, or the operator's own).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Country, ISO 3166-1 alpha-2.
    pub country: String,
    /// The operator.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub operator: String,
    /// Address.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address: String,
    /// UN/LOCODE of the site, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub un_locode: Option<String>,
}

/// A reporting period, ISO dates inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportingPeriod {
    /// First day, `YYYY-MM-DD`.
    pub start: String,
    /// Last day, `YYYY-MM-DD`.
    pub end: String,
}

/// Whether communicated values are actual data or default values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataQuality {
    /// Determined from the installation's monitored data.
    Actual,
    /// Default values.
    Default,
}

/// Where the emission factor of consumed electricity comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectricitySource {
    /// The average emission factor of the country's grid.
    GridAverage,
    /// A direct technical connection to a generator.
    DirectConnection,
    /// A power purchase agreement.
    PowerPurchaseAgreement,
    /// Generated at the installation.
    OwnGeneration,
    /// A default value.
    DefaultValue,
    /// Something else (say what in `note`).
    Other,
}

/// Electricity consumed to make the good.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectricityData {
    /// MWh consumed per t of good.
    #[serde(with = "crate::num")]
    pub consumed_mwh_per_t: Decimal,
    /// Emission factor, t CO2e per MWh.
    #[serde(with = "crate::num")]
    pub factor_t_per_mwh: Decimal,
    /// Where the factor comes from.
    pub source: ElectricitySource,
    /// Remarks (the grid, the PPA, the document of the factor).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A precursor as communicated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrecursorData {
    /// CN code of the precursor.
    pub cn_code: String,
    /// Its country of origin.
    pub country: String,
    /// The installation that produced it, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation: Option<String>,
    /// t of precursor per t of good.
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub mass_per_t: Option<Decimal>,
    /// Direct SEE of the precursor, t CO2e per t.
    #[serde(with = "crate::num")]
    pub see_direct: Decimal,
    /// Indirect SEE of the precursor, t CO2e per t.
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub see_indirect: Option<Decimal>,
    /// Actual or default.
    pub data_quality: DataQuality,
}

/// A carbon price paid in the country of origin for the good's emissions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CarbonPricePaid {
    /// The pricing instrument (e.g. China's national ETS).
    pub instrument: String,
    /// Price effectively paid per t CO2e of embedded emissions, after any rebate or
    /// compensation, in `currency`.
    #[serde(with = "crate::num")]
    pub amount_per_t: Decimal,
    /// ISO 4217 currency of `amount_per_t`.
    pub currency: String,
    /// The same in EUR per t CO2e (needed when `currency` is not EUR).
    #[serde(
        default,
        with = "crate::num::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub eur_per_t: Option<Decimal>,
    /// Remarks (rebates, the exchange rate used, evidence).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

fn check_date(d: &str, field: &str) -> Result<(), TansoError> {
    let b = d.as_bytes();
    let ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&d[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&d[8..10].parse::<u8>().unwrap_or(0));
    if ok {
        Ok(())
    } else {
        Err(AccountingError::OutOfRange {
            field: field.to_string(),
            value: d.to_string(),
            expected: "an ISO date YYYY-MM-DD".to_string(),
        }
        .into())
    }
}

impl SupplierCommunication {
    /// Checks the communication: countries, dates (start not after end), no negative numbers.
    pub fn validate(&self, field: &str) -> Result<(), TansoError> {
        check_country(
            &self.installation.country,
            &format!("{field}.installation.country"),
        )?;
        check_date(&self.period.start, &format!("{field}.period.start"))?;
        check_date(&self.period.end, &format!("{field}.period.end"))?;
        if self.period.start > self.period.end {
            return Err(AccountingError::OutOfRange {
                field: format!("{field}.period"),
                value: format!("{} to {}", self.period.start, self.period.end),
                expected: "a start on or before the end".to_string(),
            }
            .into());
        }
        non_negative(&format!("{field}.see_direct"), self.see_direct)?;
        non_negative(
            &format!("{field}.see_indirect"),
            self.see_indirect.unwrap_or_default(),
        )?;
        if let Some(e) = &self.electricity {
            non_negative(
                &format!("{field}.electricity.consumed_mwh_per_t"),
                e.consumed_mwh_per_t,
            )?;
            non_negative(
                &format!("{field}.electricity.factor_t_per_mwh"),
                e.factor_t_per_mwh,
            )?;
        }
        for (i, p) in self.precursors.iter().enumerate() {
            let f = format!("{field}.precursors[{i}]");
            check_country(&p.country, &format!("{f}.country"))?;
            super::goods::normalize(&p.cn_code, &format!("{f}.cn_code"))?;
            non_negative(&format!("{f}.see_direct"), p.see_direct)?;
            non_negative(
                &format!("{f}.see_indirect"),
                p.see_indirect.unwrap_or_default(),
            )?;
            non_negative(&format!("{f}.mass_per_t"), p.mass_per_t.unwrap_or_default())?;
        }
        if let Some(c) = &self.carbon_price {
            non_negative(
                &format!("{field}.carbon_price.amount_per_t"),
                c.amount_per_t,
            )?;
            non_negative(
                &format!("{field}.carbon_price.eur_per_t"),
                c.eur_per_t.unwrap_or_default(),
            )?;
            crate::units::validate_currency(
                &c.currency,
                &format!("{field}.carbon_price.currency"),
            )?;
        }
        Ok(())
    }

    /// The good this communication describes: with actual data, its SEE as given; with
    /// default values, the good without an SEE, so that the importer's calculation applies
    /// the default value of its year (with that year's mark-up).
    pub fn to_good(&self) -> Good {
        let see = (self.data_quality == DataQuality::Actual).then(|| GivenSee {
            direct: self.see_direct,
            indirect: self.see_indirect,
            source: format!(
                "communication of installation {} for {} to {}",
                self.installation.id, self.period.start, self.period.end
            ),
        });
        Good {
            cn_code: self.cn_code.clone(),
            country: Some(self.installation.country.clone()),
            route: self.production_route.clone(),
            installation: Some(self.installation.id.clone()),
            see,
            production: None,
        }
    }

    /// The carbon price effectively paid, EUR per t CO2e: `eur_per_t`, or `amount_per_t` when
    /// the currency is EUR; `MISSING_FIELD` when it was paid in another currency and no EUR
    /// value is given.
    pub fn carbon_price_eur_per_t(&self, field: &str) -> Result<Option<Decimal>, TansoError> {
        match &self.carbon_price {
            None => Ok(None),
            Some(c) => match (c.eur_per_t, c.currency.trim().eq_ignore_ascii_case("EUR")) {
                (Some(v), _) => Ok(Some(v)),
                (None, true) => Ok(Some(c.amount_per_t)),
                (None, false) => Err(AccountingError::MissingField {
                    field: format!("{field}.carbon_price.eur_per_t"),
                    expected: format!(
                        "the carbon price was paid in {}; give its value in EUR per t CO2e (converted at the rate the importer uses)",
                        c.currency
                    ),
                }
                .into()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn full() -> SupplierCommunication {
        SupplierCommunication {
            installation: Installation {
                id: "CN-HB-001".into(),
                name: "Hebei Steel Works".into(),
                country: "CN".into(),
                operator: "Hebei Steel Co.".into(),
                address: "Tangshan, Hebei".into(),
                un_locode: Some("CNTGS".into()),
            },
            cn_code: "7208 51 20".into(),
            production_route: Some("C".into()),
            period: ReportingPeriod {
                start: "2025-01-01".into(),
                end: "2025-12-31".into(),
            },
            data_quality: DataQuality::Actual,
            see_direct: dec!(1.916),
            see_indirect: Some(dec!(0.1234567890123456789012345678)),
            electricity: Some(ElectricityData {
                consumed_mwh_per_t: dec!(0.52),
                factor_t_per_mwh: dec!(0.5366),
                source: ElectricitySource::GridAverage,
                note: "MEE 2023 national average".into(),
            }),
            precursors: vec![PrecursorData {
                cn_code: "7207 11 14".into(),
                country: "CN".into(),
                installation: Some("CN-HB-001".into()),
                mass_per_t: Some(dec!(1.02)),
                see_direct: dec!(1.8),
                see_indirect: None,
                data_quality: DataQuality::Actual,
            }],
            carbon_price: Some(CarbonPricePaid {
                instrument: "China national ETS".into(),
                amount_per_t: dec!(96),
                currency: "CNY".into(),
                eur_per_t: Some(dec!(12.2)),
                note: "".into(),
            }),
            notes: "".into(),
        }
    }

    #[test]
    fn round_trips_through_json_exactly() {
        let c = full();
        let text = serde_json::to_string(&c).unwrap();
        let back: SupplierCommunication = serde_json::from_str(&text).unwrap();
        assert_eq!(back, c);
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
        assert!(
            text.contains(r#""see_indirect":"0.1234567890123456789012345678""#),
            "{text}"
        );
        c.validate("c").unwrap();
    }

    #[test]
    fn unknown_fields_and_bad_values_are_refused() {
        let mut v = serde_json::to_value(full()).unwrap();
        v["see_total"] = "2".into();
        assert!(serde_json::from_value::<SupplierCommunication>(v).is_err());
        let mut c = full();
        c.period.end = "2024-12-31".into();
        assert_eq!(c.validate("c").unwrap_err().code(), "OUT_OF_RANGE");
        let mut c = full();
        c.see_direct = dec!(-1);
        assert_eq!(c.validate("c").unwrap_err().code(), "NEGATIVE_AMOUNT");
    }

    #[test]
    fn carbon_price_in_eur() {
        let mut c = full();
        assert_eq!(c.carbon_price_eur_per_t("c").unwrap(), Some(dec!(12.2)));
        if let Some(p) = c.carbon_price.as_mut() {
            p.eur_per_t = None;
        }
        assert_eq!(
            c.carbon_price_eur_per_t("c").unwrap_err().code(),
            "MISSING_FIELD"
        );
        if let Some(p) = c.carbon_price.as_mut() {
            p.currency = "EUR".into();
        }
        assert_eq!(c.carbon_price_eur_per_t("c").unwrap(), Some(dec!(96)));
    }

    #[test]
    fn default_data_leaves_the_see_to_the_importer() {
        let mut c = full();
        c.data_quality = DataQuality::Default;
        let g = c.to_good();
        assert!(g.see.is_none() && g.production.is_none());
        assert_eq!(g.country.as_deref(), Some("CN"));
    }
}
