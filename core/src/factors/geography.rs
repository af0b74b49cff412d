//! Geographies and their fallback chains: province → grid region → country → world.
//!
//! Codes: `GLO` (world), ISO 3166-1 alpha-2 countries (`CN`, `DE`), `EU` (EU-27), ISO 3166-2
//! provinces of China (`CN-ZJ` Zhejiang, …) and China's seven regional grids
//! (`CN-GRID-EAST`, …). A province's grid region follows the regional grids of the MEE/NBS
//! electricity CO2 factor announcements (2021–2023 series, seven regions with the Southwest
//! split from Central China). Inner Mongolia straddles the North China and Northeast grids,
//! so it falls back to the national value, never to one of the two.
//! Any other two-letter upper-case code is taken as a country whose parent is `GLO`.
//!
//! ```
//! use tanso::factors::geography::chain;
//! assert_eq!(chain("CN-ZJ").unwrap(), vec!["CN-ZJ", "CN-GRID-EAST", "CN", "GLO"]);
//! ```

use crate::error::{nearest, FactorError};

/// (code, English name, parent code).
pub static GEOGRAPHIES: &[(&str, &str, &str)] = &[
    ("GLO", "World", ""),
    ("CN", "China", "GLO"),
    ("EU", "European Union (EU-27)", "GLO"),
    ("CN-GRID-NORTH", "North China grid", "CN"),
    ("CN-GRID-NORTHEAST", "Northeast China grid", "CN"),
    ("CN-GRID-EAST", "East China grid", "CN"),
    ("CN-GRID-CENTRAL", "Central China grid", "CN"),
    ("CN-GRID-NORTHWEST", "Northwest China grid", "CN"),
    (
        "CN-GRID-SOUTH",
        "South China grid (China Southern Power Grid)",
        "CN",
    ),
    ("CN-GRID-SOUTHWEST", "Southwest China grid", "CN"),
    ("CN-BJ", "Beijing", "CN-GRID-NORTH"),
    ("CN-TJ", "Tianjin", "CN-GRID-NORTH"),
    ("CN-HE", "Hebei", "CN-GRID-NORTH"),
    ("CN-SX", "Shanxi", "CN-GRID-NORTH"),
    ("CN-SD", "Shandong", "CN-GRID-NORTH"),
    ("CN-NM", "Inner Mongolia", "CN"),
    ("CN-LN", "Liaoning", "CN-GRID-NORTHEAST"),
    ("CN-JL", "Jilin", "CN-GRID-NORTHEAST"),
    ("CN-HL", "Heilongjiang", "CN-GRID-NORTHEAST"),
    ("CN-SH", "Shanghai", "CN-GRID-EAST"),
    ("CN-JS", "Jiangsu", "CN-GRID-EAST"),
    ("CN-ZJ", "Zhejiang", "CN-GRID-EAST"),
    ("CN-AH", "Anhui", "CN-GRID-EAST"),
    ("CN-FJ", "Fujian", "CN-GRID-EAST"),
    ("CN-HA", "Henan", "CN-GRID-CENTRAL"),
    ("CN-HB", "Hubei", "CN-GRID-CENTRAL"),
    ("CN-HN", "Hunan", "CN-GRID-CENTRAL"),
    ("CN-JX", "Jiangxi", "CN-GRID-CENTRAL"),
    ("CN-SN", "Shaanxi", "CN-GRID-NORTHWEST"),
    ("CN-GS", "Gansu", "CN-GRID-NORTHWEST"),
    ("CN-QH", "Qinghai", "CN-GRID-NORTHWEST"),
    ("CN-NX", "Ningxia", "CN-GRID-NORTHWEST"),
    ("CN-XJ", "Xinjiang", "CN-GRID-NORTHWEST"),
    ("CN-GD", "Guangdong", "CN-GRID-SOUTH"),
    ("CN-GX", "Guangxi", "CN-GRID-SOUTH"),
    ("CN-YN", "Yunnan", "CN-GRID-SOUTH"),
    ("CN-GZ", "Guizhou", "CN-GRID-SOUTH"),
    ("CN-HI", "Hainan", "CN-GRID-SOUTH"),
    ("CN-SC", "Sichuan", "CN-GRID-SOUTHWEST"),
    ("CN-CQ", "Chongqing", "CN-GRID-SOUTHWEST"),
    ("CN-XZ", "Tibet", "CN-GRID-SOUTHWEST"),
    ("DE", "Germany", "EU"),
    ("PL", "Poland", "EU"),
    ("FR", "France", "EU"),
    ("IT", "Italy", "EU"),
    ("ES", "Spain", "EU"),
    ("NL", "Netherlands", "EU"),
];

/// Every known geography code.
pub fn codes() -> Vec<String> {
    GEOGRAPHIES.iter().map(|g| g.0.to_string()).collect()
}

/// The code for a name or code (`Zhejiang` → `CN-ZJ`, `East China grid` → `CN-GRID-EAST`).
pub fn resolve(name: &str) -> Option<&'static str> {
    let t = name.trim();
    GEOGRAPHIES
        .iter()
        .find(|g| g.0.eq_ignore_ascii_case(t) || g.1.eq_ignore_ascii_case(t))
        .map(|g| g.0)
}

fn parent(code: &str) -> Option<&'static str> {
    GEOGRAPHIES
        .iter()
        .find(|g| g.0 == code)
        .map(|g| g.2)
        .filter(|p| !p.is_empty())
}

fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// The fallback chain of a geography, most specific first, ending at `GLO`.
pub fn chain(code: &str) -> Result<Vec<String>, FactorError> {
    let start = match resolve(code) {
        Some(c) => c.to_string(),
        None if is_country_code(code.trim()) => code.trim().to_string(),
        None => {
            return Err(FactorError::UnknownGeography {
                field: "geography".to_string(),
                value: code.to_string(),
                suggestions: nearest(
                    code,
                    GEOGRAPHIES
                        .iter()
                        .map(|g| g.0)
                        .chain(GEOGRAPHIES.iter().map(|g| g.1)),
                    3,
                ),
            })
        }
    };
    let mut out = vec![start.clone()];
    let mut cur = start;
    while let Some(p) = parent(&cur) {
        out.push(p.to_string());
        cur = p.to_string();
    }
    if out.last().map(String::as_str) != Some("GLO") {
        out.push("GLO".to_string());
    }
    Ok(out)
}

/// Maps the region names of the bundled `grid_factors.csv` to geography codes.
pub(crate) fn from_grid_csv(region: &str, country: &str) -> Option<&'static str> {
    let r = region.trim();
    let base = r.split(" (").next().unwrap_or(r);
    let base = base.trim_end_matches(" excl. market-traded non-fossil");
    let by_name = match base {
        "China national" => Some("CN"),
        "North China grid" => Some("CN-GRID-NORTH"),
        "Northeast grid" => Some("CN-GRID-NORTHEAST"),
        "East China grid" => Some("CN-GRID-EAST"),
        "Central China grid" => Some("CN-GRID-CENTRAL"),
        "Northwest grid" => Some("CN-GRID-NORTHWEST"),
        "South China grid" => Some("CN-GRID-SOUTH"),
        "Southwest grid" => Some("CN-GRID-SOUTHWEST"),
        "EU-27" => Some("EU"),
        _ => None,
    };
    by_name.or_else(|| {
        if country == "CN" {
            resolve(base).or_else(|| base.starts_with("China").then_some("CN"))
        } else {
            resolve(country)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains() {
        assert_eq!(
            chain("Hebei").unwrap(),
            vec!["CN-HE", "CN-GRID-NORTH", "CN", "GLO"]
        );
        assert_eq!(chain("CN-NM").unwrap(), vec!["CN-NM", "CN", "GLO"]);
        assert_eq!(chain("US").unwrap(), vec!["US", "GLO"]);
        assert_eq!(chain("DE").unwrap(), vec!["DE", "EU", "GLO"]);
        assert_eq!(chain("Zhejaing").unwrap_err().code(), "UNKNOWN_GEOGRAPHY");
    }

    #[test]
    fn every_parent_exists() {
        for g in GEOGRAPHIES {
            if !g.2.is_empty() {
                assert!(GEOGRAPHIES.iter().any(|p| p.0 == g.2), "{}", g.0);
            }
        }
    }
}
