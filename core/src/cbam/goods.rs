//! CBAM goods: CN code → sector, by Annex I of Regulation (EU) 2023/956; the Annex II flag
//! (direct emissions only); whether indirect emissions count; the de-minimis scope; and the
//! production-route letters of the benchmark and default-value tables.
//!
//! A CN code is matched by prefix against the Annex I list (a heading such as `7208` covers
//! every subheading under it; an exception such as `7204` inside chapter 72 is removed). A code
//! too short to tell (`7202`: ferro-manganese is covered, ferro-silicon is not) is
//! [`Coverage::Partly`]. A 10-digit TARIC code is classified by its digits like any other; the
//! default-value and benchmark tables are keyed by its first 8 digits (the CN code).
//!
//! ```
//! use tanso::cbam::goods::{classify, Coverage, Sector};
//! let c = classify("7208 51 20", "cn_code").unwrap();
//! assert_eq!(c.coverage, Coverage::Covered);
//! assert_eq!(c.sector, Some(Sector::IronAndSteel));
//! assert!(c.annex_ii);
//! assert_eq!(classify("7204 10 00", "cn_code").unwrap().coverage, Coverage::NotCovered); // scrap
//! ```

use serde::{Deserialize, Serialize};

use crate::error::{CbamError, TansoError};

/// The source of the goods list.
pub const ANNEX_I: &str = "Regulation (EU) 2023/956 (CBAM), OJ L 130, 16.5.2023, Annex I";
/// The source of the direct-emissions-only list.
pub const ANNEX_II: &str = "Regulation (EU) 2023/956 (CBAM), Annex II";

/// A CBAM sector of Annex I.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// Cement (CN 2507 00 80, 2523 …).
    Cement,
    /// Electricity (CN 2716 00 00).
    Electricity,
    /// Fertilisers (CN 2808, 2814, 2834 21, 3102, 3105).
    Fertilisers,
    /// Iron and steel (CN 2601 12 00, chapter 72 with exceptions, 7301–7326 headings).
    IronAndSteel,
    /// Aluminium (CN 7601–7616 headings).
    Aluminium,
    /// Hydrogen (CN 2804 10 00).
    Hydrogen,
}

impl Sector {
    /// Every sector, in Annex I order.
    pub const ALL: [Sector; 6] = [
        Sector::Cement,
        Sector::Electricity,
        Sector::Fertilisers,
        Sector::IronAndSteel,
        Sector::Aluminium,
        Sector::Hydrogen,
    ];

    /// The snake_case id (`iron_and_steel`, …).
    pub fn id(self) -> &'static str {
        match self {
            Sector::Cement => "cement",
            Sector::Electricity => "electricity",
            Sector::Fertilisers => "fertilisers",
            Sector::IronAndSteel => "iron_and_steel",
            Sector::Aluminium => "aluminium",
            Sector::Hydrogen => "hydrogen",
        }
    }

    /// In Annex II: only direct emissions are embedded (iron and steel, aluminium, hydrogen).
    pub fn annex_ii(self) -> bool {
        matches!(
            self,
            Sector::IronAndSteel | Sector::Aluminium | Sector::Hydrogen
        )
    }

    /// Whether indirect emissions (electricity consumed) count in the embedded emissions:
    /// cement and fertilisers only. Electricity has no indirect part: its embedded emissions
    /// are those of generating it.
    pub fn indirect_counted(self) -> bool {
        matches!(self, Sector::Cement | Sector::Fertilisers)
    }

    /// Whether the good counts toward the 50 t de-minimis threshold (Regulation (EU)
    /// 2025/2083): iron and steel, aluminium, cement, fertilisers; not electricity or hydrogen,
    /// which are always in scope.
    pub fn de_minimis_counted(self) -> bool {
        !matches!(self, Sector::Electricity | Sector::Hydrogen)
    }

    /// The unit that quantities of the good are measured in: `MWh` for electricity, else `t`.
    pub fn unit(self) -> &'static str {
        match self {
            Sector::Electricity => "MWh",
            _ => "t",
        }
    }

    /// Whether the good has free allocation under the EU ETS to adjust for (electricity does not).
    pub fn has_free_allocation(self) -> bool {
        self != Sector::Electricity
    }
}

/// One entry of Annex I: a CN prefix, its sector and description, and the prefixes excluded
/// under it.
struct Entry {
    prefix: &'static str,
    sector: Sector,
    description: &'static str,
    except: &'static [&'static str],
}

const fn e(prefix: &'static str, sector: Sector, description: &'static str) -> Entry {
    Entry {
        prefix,
        sector,
        description,
        except: &[],
    }
}

use Sector::*;

/// Annex I of Regulation (EU) 2023/956, by CN code (digits only).
static ANNEX: &[Entry] = &[
    e("25070080", Cement, "Other kaolinic clays"),
    e("25231000", Cement, "Cement clinkers"),
    e("25232100", Cement, "White Portland cement, whether or not artificially coloured"),
    e("25232900", Cement, "Other Portland cement"),
    e("25233000", Cement, "Aluminous cement"),
    e("25239000", Cement, "Other hydraulic cements"),
    e("27160000", Electricity, "Electrical energy"),
    e("28080000", Fertilisers, "Nitric acid; sulphonitric acids"),
    e("2814", Fertilisers, "Ammonia, anhydrous or in aqueous solution"),
    e("28342100", Fertilisers, "Nitrates of potassium"),
    e("3102", Fertilisers, "Mineral or chemical fertilisers, nitrogenous"),
    Entry {
        prefix: "3105",
        sector: Fertilisers,
        description: "Mineral or chemical fertilisers containing two or three of the fertilising elements nitrogen, phosphorus and potassium; other fertilisers",
        except: &["31056000"],
    },
    e("26011200", IronAndSteel, "Agglomerated iron ores and concentrates, other than roasted iron pyrites"),
    Entry {
        prefix: "72",
        sector: IronAndSteel,
        description: "Iron and steel",
        except: &[
            "72022", "72023000", "72025000", "72027000", "72028000", "72029100", "72029200",
            "72029300", "720299", "7204",
        ],
    },
    e("7301", IronAndSteel, "Sheet piling of iron or steel; welded angles, shapes and sections"),
    e("7302", IronAndSteel, "Railway or tramway track construction material of iron or steel"),
    e("730300", IronAndSteel, "Tubes, pipes and hollow profiles, of cast iron"),
    e("7304", IronAndSteel, "Tubes, pipes and hollow profiles, seamless, of iron or steel"),
    e("7305", IronAndSteel, "Other tubes and pipes, external diameter exceeding 406.4 mm, of iron or steel"),
    e("7306", IronAndSteel, "Other tubes, pipes and hollow profiles, of iron or steel"),
    e("7307", IronAndSteel, "Tube or pipe fittings, of iron or steel"),
    e("7308", IronAndSteel, "Structures and parts of structures, of iron or steel"),
    e("730900", IronAndSteel, "Reservoirs, tanks, vats and similar containers, of iron or steel, over 300 l"),
    e("7310", IronAndSteel, "Tanks, casks, drums, cans, boxes and similar containers, of iron or steel, not over 300 l"),
    e("731100", IronAndSteel, "Containers for compressed or liquefied gas, of iron or steel"),
    e("7318", IronAndSteel, "Screws, bolts, nuts, rivets, washers and similar articles, of iron or steel"),
    e("7326", IronAndSteel, "Other articles of iron or steel"),
    e("7601", Aluminium, "Unwrought aluminium"),
    e("7603", Aluminium, "Aluminium powders and flakes"),
    e("7604", Aluminium, "Aluminium bars, rods and profiles"),
    e("7605", Aluminium, "Aluminium wire"),
    e("7606", Aluminium, "Aluminium plates, sheets and strip, of a thickness exceeding 0.2 mm"),
    e("7607", Aluminium, "Aluminium foil, of a thickness not exceeding 0.2 mm"),
    e("7608", Aluminium, "Aluminium tubes and pipes"),
    e("76090000", Aluminium, "Aluminium tube or pipe fittings"),
    e("7610", Aluminium, "Aluminium structures and parts of structures"),
    e("76110000", Aluminium, "Aluminium reservoirs, tanks, vats and similar containers, over 300 l"),
    e("7612", Aluminium, "Aluminium casks, drums, cans, boxes and similar containers, not over 300 l"),
    e("76130000", Aluminium, "Aluminium containers for compressed or liquefied gas"),
    e("7614", Aluminium, "Stranded wire, cables, plaited bands and the like, of aluminium, not electrically insulated"),
    e("7616", Aluminium, "Other articles of aluminium"),
    e("28041000", Hydrogen, "Hydrogen"),
];

/// A production route letter of the benchmark and default-value tables, with its meaning
/// where the project's data states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Route {
    /// The letter, e.g. `C`.
    pub letter: &'static str,
    /// The sector it belongs to.
    pub sector: Sector,
    /// What it means, e.g. `BF-BOF`.
    pub name: &'static str,
}

/// The route letters whose meaning `cbam_parameters.csv` states (benchmark and default-value
/// rows of IR (EU) 2025/2620 and 2025/2621). Other letters of those tables pass through
/// without a name.
pub const ROUTES: &[Route] = &[
    Route {
        letter: "A",
        sector: Cement,
        name: "grey cement clinker",
    },
    Route {
        letter: "C",
        sector: IronAndSteel,
        name: "BF-BOF (blast furnace, basic oxygen furnace)",
    },
    Route {
        letter: "D",
        sector: IronAndSteel,
        name: "DRI-EAF (direct reduced iron, electric arc furnace)",
    },
    Route {
        letter: "E",
        sector: IronAndSteel,
        name: "scrap-EAF (electric arc furnace on scrap)",
    },
    Route {
        letter: "K",
        sector: Aluminium,
        name: "primary aluminium",
    },
    Route {
        letter: "L",
        sector: Aluminium,
        name: "secondary aluminium (mainly scrap)",
    },
];

/// Whether a CN code is a CBAM good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Every good under the code is in Annex I.
    Covered,
    /// Some subheadings are in Annex I, others not: give a longer code.
    Partly,
    /// Not in Annex I.
    NotCovered,
}

/// The classification of one CN code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The code as given.
    pub input: String,
    /// Its digits.
    pub cn_code: String,
    /// Covered, partly or not covered.
    pub coverage: Coverage,
    /// The sector (also for `partly`, when all covered subheadings are of one sector). The
    /// flags below are the sector's; `coverage` says whether this code itself is covered.
    pub sector: Option<Sector>,
    /// The Annex I entry that covers it (e.g. `7208 … within chapter 72 Iron and steel`).
    pub annex_i_entry: Option<String>,
    /// In Annex II: direct emissions only.
    pub annex_ii: bool,
    /// Indirect emissions count (cement, fertilisers).
    pub indirect_counted: bool,
    /// Counts toward the 50 t de-minimis threshold.
    pub de_minimis_counted: bool,
    /// The unit quantities of the good are in (`t`, or `MWh` for electricity).
    pub unit: Option<&'static str>,
    /// Route letters with a known meaning for this sector.
    pub routes: Vec<Route>,
    /// For `partly` and `not_covered`: what is and is not covered.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The digits of a CN code (spaces, dots and dashes between digits are dropped): 2 to 10 digits.
pub fn normalize(code: &str, field: &str) -> Result<String, CbamError> {
    let digits: String = code
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .collect();
    if digits.len() < 2 || digits.len() > 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(CbamError::InvalidCnCode {
            field: field.to_string(),
            value: code.to_string(),
        });
    }
    Ok(digits)
}

/// The first 8 digits of a code (the CN code of a 10-digit TARIC code), the key of the
/// default-value and benchmark tables.
pub fn cn8(digits: &str) -> &str {
    &digits[..digits.len().min(8)]
}

/// Writes digits grouped as CN codes are printed: `7208 51 20`.
pub fn display(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i >= 4 && i % 2 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Classifies a CN code against Annex I.
pub fn classify(code: &str, field: &str) -> Result<Classification, CbamError> {
    let digits = normalize(code, field)?;
    let mut covered: Option<&Entry> = None;
    let mut partial: Vec<&Entry> = Vec::new();
    let mut excluded_by: Option<(&Entry, &str)> = None;
    for entry in ANNEX {
        if digits.starts_with(entry.prefix) {
            if let Some(x) = entry.except.iter().find(|x| digits.starts_with(**x)) {
                excluded_by = Some((entry, x));
            } else if entry
                .except
                .iter()
                .any(|x| x.starts_with(digits.as_str()) && x.len() > digits.len())
            {
                partial.push(entry);
            } else {
                covered = Some(entry);
            }
        } else if entry.prefix.starts_with(digits.as_str()) {
            partial.push(entry);
        }
    }
    let mut c = Classification {
        input: code.to_string(),
        cn_code: digits.clone(),
        coverage: Coverage::NotCovered,
        sector: None,
        annex_i_entry: None,
        annex_ii: false,
        indirect_counted: false,
        de_minimis_counted: false,
        unit: None,
        routes: Vec::new(),
        note: String::new(),
    };
    let sector = if let Some(entry) = covered {
        c.coverage = Coverage::Covered;
        c.annex_i_entry = Some(format!("{} {}", display(entry.prefix), entry.description));
        Some(entry.sector)
    } else if !partial.is_empty() {
        c.coverage = Coverage::Partly;
        let listed: Vec<String> = partial
            .iter()
            .take(6)
            .map(|p| {
                let mut s = format!("{} {}", display(p.prefix), p.description);
                if !p.except.is_empty() {
                    let ex: Vec<String> = p.except.iter().map(|x| display(x)).collect();
                    s.push_str(&format!(" (except {})", ex.join(", ")));
                }
                s
            })
            .collect();
        let more = if partial.len() > 6 {
            format!(" and {} more", partial.len() - 6)
        } else {
            String::new()
        };
        c.note = format!(
            "only some goods under {} are CBAM goods: {}{more}; give the 8-digit CN code",
            display(&digits),
            listed.join("; ")
        );
        let first = partial[0].sector;
        partial.iter().all(|p| p.sector == first).then_some(first)
    } else {
        if let Some((entry, x)) = excluded_by {
            c.note = format!(
                "{} is excluded from Annex I entry {} {}",
                display(x),
                display(entry.prefix),
                entry.description
            );
        } else {
            c.note = format!("{} is not in {ANNEX_I}", display(&digits));
        }
        None
    };
    if let Some(s) = sector {
        c.sector = Some(s);
        c.annex_ii = s.annex_ii();
        c.indirect_counted = s.indirect_counted();
        c.de_minimis_counted = s.de_minimis_counted();
        c.unit = Some(s.unit());
        c.routes = ROUTES.iter().filter(|r| r.sector == s).copied().collect();
    }
    Ok(c)
}

/// Classifies a code that must be a CBAM good, returning its digits and sector.
pub fn require(code: &str, field: &str) -> Result<(String, Sector), TansoError> {
    let c = classify(code, field)?;
    match (c.coverage, c.sector) {
        (Coverage::Covered, Some(s)) => Ok((c.cn_code, s)),
        _ => Err(CbamError::NotCbamGood {
            field: field.to_string(),
            cn_code: display(&c.cn_code),
            detail: c.note,
        }
        .into()),
    }
}

/// Checks a route letter for a good: one letter A–Z, and not a letter that the data gives to
/// another sector. Returns it upper-cased.
pub fn check_route(
    route: &str,
    digits: &str,
    sector: Sector,
    field: &str,
) -> Result<String, CbamError> {
    let r = route.trim().to_ascii_uppercase();
    let own: Vec<String> = ROUTES
        .iter()
        .filter(|x| x.sector == sector)
        .map(|x| format!("{} ({})", x.letter, x.name))
        .collect();
    let valid = || {
        if own.is_empty() {
            "a route letter of the default-value tables (A–Z)".to_string()
        } else {
            own.join(", ")
        }
    };
    let single_letter = r.len() == 1 && r.chars().all(|c| c.is_ascii_uppercase());
    let foreign = ROUTES.iter().any(|x| x.letter == r && x.sector != sector)
        && !ROUTES.iter().any(|x| x.letter == r && x.sector == sector);
    if !single_letter || foreign {
        return Err(CbamError::UnknownRoute {
            field: field.to_string(),
            cn_code: display(digits),
            value: route.to_string(),
            valid: valid(),
        });
    }
    Ok(r)
}

/// The meaning of a route letter for a sector, if the data states it.
pub fn route_name(letter: &str, sector: Sector) -> Option<&'static str> {
    ROUTES
        .iter()
        .find(|r| r.letter == letter && r.sector == sector)
        .map(|r| r.name)
}

/// Input of the `cbam_goods` operation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoodsInput {
    /// CN codes to classify.
    pub cn_codes: Vec<String>,
}

/// Output of the `cbam_goods` operation.
#[derive(Debug, Clone, Serialize)]
pub struct GoodsOutput {
    /// One classification per code, in input order.
    pub goods: Vec<Classification>,
    /// The legal sources of the classification.
    pub sources: Vec<&'static str>,
}

/// Runs `cbam_goods`. A code that is not a CBAM good is classified, not refused; a code that
/// is not a CN code at all is the error `INVALID_CN_CODE`.
pub fn goods_document(i: &GoodsInput) -> Result<GoodsOutput, TansoError> {
    let goods = i
        .cn_codes
        .iter()
        .enumerate()
        .map(|(k, c)| classify(c, &format!("cn_codes[{k}]")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(GoodsOutput {
        goods,
        sources: vec![ANNEX_I, ANNEX_II, crate::cbam::data::DE_MINIMIS_SOURCE],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cov(code: &str) -> (Coverage, Option<Sector>) {
        let c = classify(code, "x").unwrap();
        (c.coverage, c.sector)
    }

    #[test]
    fn annex_i_by_prefix_with_exceptions() {
        assert_eq!(cov("7208"), (Coverage::Covered, Some(IronAndSteel)));
        assert_eq!(cov("72085120"), (Coverage::Covered, Some(IronAndSteel)));
        assert_eq!(cov("7202 11 20"), (Coverage::Covered, Some(IronAndSteel))); // ferro-manganese
        assert_eq!(cov("7202 21 00").0, Coverage::NotCovered); // ferro-silicon
        assert_eq!(cov("7202 99 80").0, Coverage::NotCovered);
        assert_eq!(cov("7204 49").0, Coverage::NotCovered); // scrap
        assert_eq!(cov("7202"), (Coverage::Partly, Some(IronAndSteel)));
        assert_eq!(cov("72"), (Coverage::Partly, Some(IronAndSteel)));
        assert_eq!(cov("7601 10 00"), (Coverage::Covered, Some(Aluminium)));
        assert_eq!(cov("7602").0, Coverage::NotCovered); // aluminium waste and scrap
        assert_eq!(cov("7615").0, Coverage::NotCovered); // household articles
        assert_eq!(cov("2523 29 00"), (Coverage::Covered, Some(Cement)));
        assert_eq!(cov("2523"), (Coverage::Partly, Some(Cement)));
        assert_eq!(cov("3105 60 00").0, Coverage::NotCovered);
        assert_eq!(cov("3105 20"), (Coverage::Covered, Some(Fertilisers)));
        assert_eq!(cov("2804 10 00"), (Coverage::Covered, Some(Hydrogen)));
        assert_eq!(cov("2804"), (Coverage::Partly, Some(Hydrogen)));
        assert_eq!(cov("2716 00 00"), (Coverage::Covered, Some(Electricity)));
        assert_eq!(cov("8708 29").0, Coverage::NotCovered);
        assert_eq!(cov("73"), (Coverage::Partly, Some(IronAndSteel)));
        assert_eq!(cov("7312").0, Coverage::NotCovered); // stranded wire of steel: not in Annex I
        assert_eq!(cov("7208512000"), (Coverage::Covered, Some(IronAndSteel))); // TARIC
    }

    #[test]
    fn flags_by_sector() {
        let hrc = classify("7208", "x").unwrap();
        assert!(hrc.annex_ii && !hrc.indirect_counted && hrc.de_minimis_counted);
        let cement = classify("25232900", "x").unwrap();
        assert!(!cement.annex_ii && cement.indirect_counted && cement.de_minimis_counted);
        let h2 = classify("28041000", "x").unwrap();
        assert!(h2.annex_ii && !h2.indirect_counted && !h2.de_minimis_counted);
        let el = classify("27160000", "x").unwrap();
        assert!(!el.annex_ii && !el.indirect_counted && !el.de_minimis_counted);
        assert_eq!(el.unit, Some("MWh"));
    }

    #[test]
    fn bad_codes() {
        for bad in ["", "7", "72O8", "720851200011"] {
            assert_eq!(
                classify(bad, "x").unwrap_err().code(),
                "INVALID_CN_CODE",
                "{bad}"
            );
        }
        assert_eq!(normalize("7208.51.20", "x").unwrap(), "72085120");
        assert_eq!(display("72085120"), "7208 51 20");
    }

    #[test]
    fn routes_are_checked_against_the_sector() {
        assert_eq!(
            check_route("c", "7208", IronAndSteel, "route").unwrap(),
            "C"
        );
        assert_eq!(
            check_route("K", "7208", IronAndSteel, "route")
                .unwrap_err()
                .code(),
            "UNKNOWN_ROUTE"
        );
        assert_eq!(
            check_route("BF-BOF", "7208", IronAndSteel, "route")
                .unwrap_err()
                .code(),
            "UNKNOWN_ROUTE"
        );
        assert_eq!(
            check_route("F", "7208", IronAndSteel, "route").unwrap(),
            "F"
        );
        assert_eq!(route_name("K", Aluminium), Some("primary aluminium"));
    }
}
