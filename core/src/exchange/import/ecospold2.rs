//! The EcoSpold2 importer: `.spold` files (ecoinvent 3's format) read into process records.
//!
//! The files are streamed with `quick_xml` (no document tree is built); only what the
//! system needs is kept. Element and attribute names are those of the EcoSpold02 schema
//! (`EcoSpold02.xsd`, namespace `http://www.EcoInvent.org/EcoSpold02`), as also read by
//! openLCA's `olca-ecospold-2` (`spold2/IntermediateExchange.java`, `Exchange.java`,
//! `Parameter.java`, …) and Brightway's `bw2io/extractors/ecospold2.py`:
//!
//! - `activityDescription/activity@id`, `activityName`, `@type` (1 unit process, 2 system
//!   terminated), `@specialActivityType` (0 ordinary, 1 market, …, 10 market group);
//!   `geography/shortname`;
//! - `flowData/intermediateExchange@intermediateExchangeId`, `@amount`, `@activityLinkId`,
//!   `@mathematicalRelation`, `@isCalculatedAmount`, `@variableName`, with child elements
//!   `name`, `unitName`, `uncertainty`, `property`, `inputGroup` (1–3 and 5: from the
//!   technosphere), `outputGroup` (0 reference product, 2 by-product, 3 material for
//!   treatment, 5 stock addition);
//! - `flowData/elementaryExchange@elementaryExchangeId`, `@amount`, with `name`, `unitName`,
//!   `compartment/compartment` and `compartment/subcompartment`, `inputGroup` 4 (from the
//!   environment) or `outputGroup` 4 (to the environment);
//! - `flowData/parameter@parameterId`, `@variableName`, `@amount`, `@mathematicalRelation`,
//!   `@isCalculatedAmount`;
//! - `uncertainty/lognormal` (`@varianceWithPedigreeUncertainty`, else `@variance`: sigma
//!   is its square root, mu is derived from the amount as Brightway's `set_lognormal_loc_value`
//!   does), `normal` (`@meanValue`, variances), `triangular` (`@minValue`,
//!   `@mostLikelyValue`, `@maxValue`), `uniform` (`@minValue`, `@maxValue`); `undefined` and
//!   other distributions are reported in `left_out`.
//!
//! Activities: one per (dataset, reference product), with id `"<activity id>_<intermediate
//! exchange id>"`, ecoinvent's file naming. The reference products are the intermediate
//! exchanges in `outputGroup` 0 with a non-zero amount (allocated ecoinvent datasets keep the
//! other co-products with amount 0, which are skipped, as bw2io does). Several are a
//! multi-output dataset, allocated by [`AllocationChoice`]: `default`/`economic` by the
//! `price` property (revenue = amount × price), `physical` by `dry mass` (else `wet mass`),
//! `none` leaves it out; every allocation is noted in the report.
//!
//! Signs follow bw2io (`extract_exchange`: `outputGroup` 0 and 2 are outputs, the rest of the
//! intermediate exchanges inputs; the matrix builder adds outputs positive and inputs
//! negated): an input (`inputGroup` 1–5) keeps its amount (positive consumed; negative, a
//! waste sent to treatment in ecoinvent's cut-off data), a by-product output (`outputGroup`
//! 2) becomes an input of the opposite sign, and a reference product keeps its sign (−1 for
//! a waste treatment).
//!
//! Inputs link to the activity making their `intermediateExchangeId` as reference product:
//! the one named by `activityLinkId` first, then the [`Linker`] rule. Amounts in another unit
//! than the provider's reference product are converted through [`crate::units`].
//!
//! Formulas: ecoinvent's mathematical relations are translated by [`translate_formula`];
//! parameters, and exchanges and properties with a `variableName`, become parameters scoped
//! to the activity. A relation that does not translate or evaluate is reported in
//! `left_out` and the plain amount used. EcoSpold2 carries no impact methods: give them in
//! [`ImportOptions::methods`](super::ImportOptions::methods), by elementary exchange id.
//!
//! ```
//! use tanso::exchange::import::{ecospold2, ImportOptions, SourceFile};
//! let spold = r#"<ecoSpold xmlns="http://www.EcoInvent.org/EcoSpold02"><activityDataset>
//!  <activityDescription><activity id="a1"><activityName>heat</activityName></activity>
//!   <geography><shortname>GLO</shortname></geography></activityDescription>
//!  <flowData><intermediateExchange intermediateExchangeId="p1" amount="1">
//!   <name>heat</name><unitName>MJ</unitName><outputGroup>0</outputGroup></intermediateExchange>
//!  </flowData></activityDataset></ecoSpold>"#;
//! let db = ecospold2::import("heat.spold", &[SourceFile::new("heat.spold", spold.into())],
//!     &ImportOptions::default()).unwrap();
//! assert_eq!(db.system.processes[0].id.to_string(), "a1_p1");
//! assert_eq!(ecospold2::translate_formula("LOG(x) * 5%").unwrap(), "log10(x) * (5/100)");
//! ```

// `TansoError` is large and clippy's `result_large_err` flags every function returning it,
// throughout the crate (about 230 places with the current clippy); the error type is shared,
// so it is allowed here rather than boxed in one module.
#![allow(clippy::result_large_err)]

use std::collections::{HashMap, HashSet};

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use rust_decimal::prelude::ToPrimitive;

use super::link::{Link, Linker};
use super::{
    malformed, AllocationChoice, AllocationNote, ImportFormat, ImportOptions, ImportReport, ImportedDatabase,
    SourceFile, UnlinkedExchange,
};
use crate::error::LcaError;
use crate::lca::formula::{FormulaError, ParameterDef, ParameterTable, ParseOptions, Scope, FUNCTIONS};
use crate::lca::sampling::Distribution;
use crate::lca::system::{Exchange, ExchangeType, FlowInfo, NodeId, ParameterSpec, ProcessRecord, SystemSpec};
use crate::TansoError;

/// The EcoSpold2 namespace, the only one read.
pub const NAMESPACE: &str = "http://www.EcoInvent.org/EcoSpold02";

// ---------------------------------------------------------------------------------------
// What is kept of a file

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Intermediate,
    Elementary,
}

#[derive(Debug, Clone, Default)]
struct RawProperty {
    name: String,
    amount: f64,
    variable: Option<String>,
    relation: Option<String>,
    calculated: Option<bool>,
}

#[derive(Debug, Clone)]
struct RawExchange {
    kind: Kind,
    flow: String,
    name: Option<String>,
    unit: Option<String>,
    amount: f64,
    input_group: Option<u8>,
    output_group: Option<u8>,
    link: Option<String>,
    relation: Option<String>,
    calculated: Option<bool>,
    variable: Option<String>,
    uncertainty: Option<Result<Distribution, String>>,
    properties: Vec<RawProperty>,
    compartment: Option<String>,
    subcompartment: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct RawParameter {
    id: Option<String>,
    variable: Option<String>,
    name: Option<String>,
    amount: f64,
    relation: Option<String>,
    calculated: Option<bool>,
    uncertainty: Option<Result<Distribution, String>>,
}

#[derive(Debug, Clone, Default)]
struct Dataset {
    file: usize,
    id: Option<String>,
    name: Option<String>,
    location: Option<String>,
    activity_type: Option<u32>,
    special_type: Option<u32>,
    exchanges: Vec<RawExchange>,
    parameters: Vec<RawParameter>,
}

impl Dataset {
    fn label(&self) -> String {
        format!(
            "activity '{}' ({})",
            self.id.as_deref().unwrap_or("?"),
            self.name.as_deref().unwrap_or("no name")
        )
    }
}

/// The elements the reader tracks; everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Root,
    Dataset,
    Description,
    Activity,
    ActivityName,
    Geography,
    Shortname,
    FlowData,
    Intermediate,
    Elementary,
    Parameter,
    Name,
    UnitName,
    Property,
    PropertyName,
    Uncertainty,
    InputGroup,
    OutputGroup,
    Compartment,
    CompartmentName,
    Subcompartment,
    Other,
}

impl Tag {
    fn captures_text(self) -> bool {
        matches!(
            self,
            Tag::ActivityName
                | Tag::Shortname
                | Tag::Name
                | Tag::UnitName
                | Tag::PropertyName
                | Tag::InputGroup
                | Tag::OutputGroup
                | Tag::CompartmentName
                | Tag::Subcompartment
        )
    }
}

fn classify(parent: Tag, local: &str) -> Tag {
    match (parent, local) {
        (Tag::Root, "activityDataset" | "childActivityDataset") => Tag::Dataset,
        (Tag::Dataset, "activityDescription") => Tag::Description,
        (Tag::Dataset, "flowData") => Tag::FlowData,
        (Tag::Description, "activity") => Tag::Activity,
        (Tag::Description, "geography") => Tag::Geography,
        (Tag::Activity, "activityName") => Tag::ActivityName,
        (Tag::Geography, "shortname") => Tag::Shortname,
        (Tag::FlowData, "intermediateExchange") => Tag::Intermediate,
        (Tag::FlowData, "elementaryExchange") => Tag::Elementary,
        (Tag::FlowData, "parameter") => Tag::Parameter,
        (Tag::Intermediate | Tag::Elementary | Tag::Parameter, "name") => Tag::Name,
        (Tag::Intermediate | Tag::Elementary | Tag::Parameter, "unitName") => Tag::UnitName,
        (Tag::Intermediate | Tag::Elementary | Tag::Parameter, "uncertainty") => Tag::Uncertainty,
        (Tag::Intermediate | Tag::Elementary, "property") => Tag::Property,
        (Tag::Intermediate | Tag::Elementary, "inputGroup") => Tag::InputGroup,
        (Tag::Intermediate | Tag::Elementary, "outputGroup") => Tag::OutputGroup,
        (Tag::Elementary, "compartment") => Tag::Compartment,
        (Tag::Property, "name") => Tag::PropertyName,
        (Tag::Compartment, "compartment") => Tag::CompartmentName,
        (Tag::Compartment, "subcompartment") => Tag::Subcompartment,
        _ => Tag::Other,
    }
}

/// The attributes of an element as (local name, value) pairs.
fn attributes(file: &str, e: &BytesStart<'_>) -> Result<Vec<(String, String)>, TansoError> {
    let element = e.local_name().as_ref().to_string();
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| malformed(file, format!("element <{element}>"), err.to_string()))?;
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|err| malformed(file, format!("element <{element}>"), err.to_string()))?;
        out.push((a.key.as_ref().to_string(), value.into_owned()));
    }
    Ok(out)
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name || k.rsplit(':').next() == Some(name) && !k.starts_with("xmlns"))
        .map(|(_, v)| v.as_str())
}

/// The entity named in an error, built only when there is one.
type Entity<'a> = &'a dyn Fn() -> String;

fn number(file: &str, entity: Entity<'_>, field: &str, value: &str) -> Result<f64, TansoError> {
    match value.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(malformed(file, entity(), format!("{field} '{value}' is not a finite number"))),
    }
}

fn opt_number(file: &str, entity: Entity<'_>, attrs: &[(String, String)], field: &str) -> Result<Option<f64>, TansoError> {
    attr(attrs, field).map(|v| number(file, entity, field, v)).transpose()
}

fn boolean(value: Option<&str>) -> Option<bool> {
    match value.map(str::trim) {
        Some("true") | Some("1") => Some(true),
        Some("false") | Some("0") => Some(false),
        _ => None,
    }
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// The distribution of an `uncertainty` child element (`amount` is the exchange's), or the
/// reason it is not carried.
fn distribution(
    file: &str,
    entity: Entity<'_>,
    local: &str,
    attrs: &[(String, String)],
    amount: f64,
) -> Result<Option<Result<Distribution, String>>, TansoError> {
    let num = |f: &str| opt_number(file, entity, attrs, f);
    let out = match local {
        "lognormal" => {
            let var = match num("varianceWithPedigreeUncertainty")? {
                Some(v) => Some(v),
                None => num("variance")?,
            };
            match var {
                Some(v) if v > 0.0 => Ok(Distribution::Lognormal {
                    mu: None,
                    sigma: v.sqrt(),
                }),
                _ => Err(format!(
                    "lognormal with variance {}: a positive variance is needed; the amount is used without a distribution",
                    var.map_or("(none)".to_string(), |v| v.to_string())
                )),
            }
        }
        "normal" => {
            let var = match num("varianceWithPedigreeUncertainty")? {
                Some(v) => Some(v),
                None => num("variance")?,
            };
            let mean = num("meanValue")?.unwrap_or(amount);
            match var {
                Some(v) if v >= 0.0 => Ok(Distribution::Normal { mean, sd: v.sqrt() }),
                _ => Err("normal without a non-negative variance; the amount is used without a distribution".into()),
            }
        }
        "triangular" => match (num("minValue")?, num("mostLikelyValue")?, num("maxValue")?) {
            (Some(min), Some(mode), Some(max)) if min < max && min <= mode && mode <= max => {
                Ok(Distribution::Triangular { min, mode, max })
            }
            (min, mode, max) => Err(format!(
                "triangular with minValue {min:?}, mostLikelyValue {mode:?}, maxValue {max:?}: min ≤ mode ≤ max and min < max are needed; the amount is used without a distribution"
            )),
        },
        "uniform" => match (num("minValue")?, num("maxValue")?) {
            (Some(min), Some(max)) if min < max => Ok(Distribution::Uniform { min, max }),
            (min, max) => Err(format!(
                "uniform with minValue {min:?}, maxValue {max:?}: min < max is needed; the amount is used without a distribution"
            )),
        },
        "undefined" => Err("undefined uncertainty (EcoSpold2 `undefined`): the amount is used without a distribution".into()),
        "pedigreeMatrix" | "comment" => return Ok(None),
        other => Err(format!(
            "{} distribution is not read; the amount is used without a distribution",
            other
        )),
    };
    Ok(Some(out))
}

/// What a file held.
enum FileContent {
    /// This many datasets.
    Datasets(usize),
    /// An XML file with another root element (e.g. ecoinvent's master data).
    OtherXml(String),
}

struct FileReader<'a> {
    file: &'a str,
    file_index: usize,
    stack: Vec<Tag>,
    text: String,
    dataset: Option<Dataset>,
    exchange: Option<RawExchange>,
    parameter: Option<RawParameter>,
    property: Option<RawProperty>,
}

fn parse_file(index: usize, f: &SourceFile, out: &mut Vec<Dataset>) -> Result<FileContent, TansoError> {
    let file = f.name.as_str();
    let text = std::str::from_utf8(&f.bytes)
        .map_err(|e| malformed(file, "file", format!("not UTF-8 text (EcoSpold2 files are UTF-8 XML): {e}")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::from_str(text);
    let mut r = FileReader {
        file,
        file_index: index,
        stack: Vec::with_capacity(16),
        text: String::new(),
        dataset: None,
        exchange: None,
        parameter: None,
        property: None,
    };
    let before = out.len();
    loop {
        let event = reader.read_event().map_err(|e| {
            malformed(file, format!("XML at byte {}", reader.error_position()), e.to_string())
        })?;
        match event {
            Event::Start(e) => {
                if let Some(other) = r.open(&e)? {
                    return Ok(FileContent::OtherXml(other));
                }
            }
            Event::Empty(e) => {
                if let Some(other) = r.open(&e)? {
                    return Ok(FileContent::OtherXml(other));
                }
                r.close(out)?;
            }
            Event::End(_) => r.close(out)?,
            Event::Text(t) if r.capturing() => r.text.push_str(&t.xml10_content()),
            Event::CData(t) if r.capturing() => r.text.push_str(&t.into_inner()),
            Event::GeneralRef(g) if r.capturing() => {
                if g.is_char_ref() {
                    if let Ok(Some(c)) = g.resolve_char_ref() {
                        r.text.push(c);
                    }
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&g) {
                    r.text.push_str(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if r.stack.is_empty() && out.len() == before && r.dataset.is_none() {
        // an empty document, or a root without datasets
        return Ok(FileContent::Datasets(0));
    }
    if !r.stack.is_empty() {
        return Err(malformed(file, "XML", "the document ends inside an element"));
    }
    Ok(FileContent::Datasets(out.len() - before))
}

impl FileReader<'_> {
    fn capturing(&self) -> bool {
        self.stack.last().is_some_and(|t| t.captures_text())
    }

    fn entity(&self) -> String {
        match &self.dataset {
            Some(d) => {
                let what = match (&self.exchange, &self.parameter) {
                    (Some(x), _) => format!(
                        ", exchange '{}' ({})",
                        x.name.as_deref().unwrap_or("no name"),
                        if x.flow.is_empty() { "no id" } else { x.flow.as_str() }
                    ),
                    (None, Some(p)) => format!(", parameter '{}'", p.variable.as_deref().unwrap_or("no variableName")),
                    _ => String::new(),
                };
                format!("{}{what}", d.label())
            }
            None => "ecoSpold".to_string(),
        }
    }

    /// Opens an element; returns the root's name when the file is another XML document.
    fn open(&mut self, e: &BytesStart<'_>) -> Result<Option<String>, TansoError> {
        let local_name = e.local_name();
        let local = local_name.as_ref();
        let Some(&parent) = self.stack.last() else {
            let attrs = attributes(self.file, e)?;
            let root = local.to_string();
            if root != "ecoSpold" {
                return Ok(Some(root));
            }
            let ns_key = match e.name().prefix() {
                Some(p) => format!("xmlns:{}", p.as_ref()),
                None => "xmlns".to_string(),
            };
            let ns = attrs.iter().find(|(k, _)| *k == ns_key).map(|(_, v)| v.as_str());
            if ns != Some(NAMESPACE) {
                return Err(LcaError::UnsupportedSchema {
                    source_name: self.file.to_string(),
                    what: "EcoSpold root element's namespace".into(),
                    found: match ns {
                        Some(n) if n.contains("EcoSpold01") => format!("{n} (EcoSpold1)"),
                        Some(n) => n.to_string(),
                        None => "no namespace".into(),
                    },
                    supported: format!("EcoSpold2: <ecoSpold xmlns=\"{NAMESPACE}\">"),
                }
                .into());
            }
            self.stack.push(Tag::Root);
            return Ok(None);
        };
        let tag = classify(parent, local);
        match tag {
            Tag::Dataset => {
                self.dataset = Some(Dataset {
                    file: self.file_index,
                    ..Dataset::default()
                })
            }
            Tag::Activity => {
                let attrs = attributes(self.file, e)?;
                let entity = self.entity();
                if let Some(d) = self.dataset.as_mut() {
                    d.id = non_empty(attr(&attrs, "id"));
                    d.activity_type = attr(&attrs, "type").and_then(|v| v.trim().parse().ok());
                    d.special_type = attr(&attrs, "specialActivityType").and_then(|v| v.trim().parse().ok());
                    if d.id.is_none() {
                        return Err(malformed(self.file, entity, "activity without an id attribute"));
                    }
                }
            }
            Tag::Intermediate | Tag::Elementary => {
                let attrs = attributes(self.file, e)?;
                let kind = if tag == Tag::Intermediate { Kind::Intermediate } else { Kind::Elementary };
                let id_attr = if kind == Kind::Intermediate { "intermediateExchangeId" } else { "elementaryExchangeId" };
                let dataset = &self.dataset;
                let entity = || {
                    format!(
                        "{}, {} exchange {}",
                        dataset.as_ref().map_or("?".into(), Dataset::label),
                        if kind == Kind::Intermediate { "intermediate" } else { "elementary" },
                        attr(&attrs, "id").unwrap_or("(no id)")
                    )
                };
                let flow = non_empty(attr(&attrs, id_attr)).ok_or_else(|| {
                    super::missing_reference(
                        self.file,
                        entity(),
                        if kind == Kind::Intermediate { "intermediate exchange (product)" } else { "elementary exchange (flow)" },
                        format!("none: the {id_attr} attribute is missing"),
                    )
                })?;
                let amount = match attr(&attrs, "amount") {
                    Some(v) => number(self.file, &entity, "amount", v)?,
                    None => return Err(malformed(self.file, entity(), "no amount attribute")),
                };
                self.exchange = Some(RawExchange {
                    kind,
                    flow,
                    name: None,
                    unit: None,
                    amount,
                    input_group: None,
                    output_group: None,
                    link: non_empty(attr(&attrs, "activityLinkId")),
                    relation: non_empty(attr(&attrs, "mathematicalRelation")),
                    calculated: boolean(attr(&attrs, "isCalculatedAmount")),
                    variable: non_empty(attr(&attrs, "variableName")),
                    uncertainty: None,
                    properties: Vec::new(),
                    compartment: None,
                    subcompartment: None,
                });
            }
            Tag::Parameter => {
                let attrs = attributes(self.file, e)?;
                let dataset = &self.dataset;
                let entity = || {
                    format!(
                        "{}, parameter '{}'",
                        dataset.as_ref().map_or("?".into(), Dataset::label),
                        attr(&attrs, "variableName").unwrap_or("(no variableName)")
                    )
                };
                let amount = match attr(&attrs, "amount") {
                    Some(v) => number(self.file, &entity, "amount", v)?,
                    None => 0.0,
                };
                self.parameter = Some(RawParameter {
                    id: non_empty(attr(&attrs, "parameterId")),
                    variable: non_empty(attr(&attrs, "variableName")),
                    name: None,
                    amount,
                    relation: non_empty(attr(&attrs, "mathematicalRelation")),
                    calculated: boolean(attr(&attrs, "isCalculatedAmount")),
                    uncertainty: None,
                });
            }
            Tag::Property => {
                let attrs = attributes(self.file, e)?;
                let amount = opt_number(self.file, &|| self.entity(), &attrs, "amount")?.unwrap_or(0.0);
                self.property = Some(RawProperty {
                    name: String::new(),
                    amount,
                    variable: non_empty(attr(&attrs, "variableName")),
                    relation: non_empty(attr(&attrs, "mathematicalRelation")),
                    calculated: boolean(attr(&attrs, "isCalculatedAmount")),
                });
            }
            Tag::Other if parent == Tag::Uncertainty => {
                let attrs = attributes(self.file, e)?;
                let amount = match (&self.exchange, &self.parameter) {
                    (Some(x), _) => Some(x.amount),
                    (None, Some(p)) => Some(p.amount),
                    _ => None,
                };
                if let Some(amount) = amount {
                    if let Some(d) = distribution(self.file, &|| self.entity(), local, &attrs, amount)? {
                        if let Some(x) = self.exchange.as_mut() {
                            x.uncertainty.get_or_insert(d);
                        } else if let Some(p) = self.parameter.as_mut() {
                            p.uncertainty.get_or_insert(d);
                        }
                    }
                }
            }
            _ => {}
        }
        if tag.captures_text() {
            self.text.clear();
        }
        self.stack.push(tag);
        Ok(None)
    }

    fn group(&self) -> Result<u8, TansoError> {
        self.text
            .trim()
            .parse::<u8>()
            .map_err(|_| malformed(self.file, self.entity(), format!("group '{}' is not a number 0–5", self.text.trim())))
    }

    fn close(&mut self, out: &mut Vec<Dataset>) -> Result<(), TansoError> {
        let Some(tag) = self.stack.pop() else {
            return Ok(());
        };
        let text = || non_empty(Some(self.text.as_str()));
        match tag {
            Tag::ActivityName => {
                if let Some(d) = self.dataset.as_mut() {
                    if d.name.is_none() {
                        d.name = text();
                    }
                }
            }
            Tag::Shortname => {
                if let Some(d) = self.dataset.as_mut() {
                    if d.location.is_none() {
                        d.location = text();
                    }
                }
            }
            Tag::Name => {
                let t = text();
                if let Some(x) = self.exchange.as_mut() {
                    x.name = x.name.take().or(t);
                } else if let Some(p) = self.parameter.as_mut() {
                    p.name = p.name.take().or(t);
                }
            }
            Tag::UnitName => {
                let t = text();
                if let Some(x) = self.exchange.as_mut() {
                    x.unit = x.unit.take().or(t);
                }
            }
            Tag::PropertyName => {
                let t = text();
                if let (Some(p), Some(t)) = (self.property.as_mut(), t) {
                    if p.name.is_empty() {
                        p.name = t;
                    }
                }
            }
            Tag::InputGroup => {
                let g = self.group()?;
                if let Some(x) = self.exchange.as_mut() {
                    x.input_group = Some(g);
                }
            }
            Tag::OutputGroup => {
                let g = self.group()?;
                if let Some(x) = self.exchange.as_mut() {
                    x.output_group = Some(g);
                }
            }
            Tag::CompartmentName => {
                let t = text();
                if let Some(x) = self.exchange.as_mut() {
                    x.compartment = t;
                }
            }
            Tag::Subcompartment => {
                let t = text();
                if let Some(x) = self.exchange.as_mut() {
                    x.subcompartment = t;
                }
            }
            Tag::Property => {
                if let (Some(p), Some(x)) = (self.property.take(), self.exchange.as_mut()) {
                    if p.variable.is_some() || allocation_property(&p.name) {
                        x.properties.push(p);
                    }
                }
            }
            Tag::Intermediate | Tag::Elementary => {
                if let Some(mut x) = self.exchange.take() {
                    if x.output_group != Some(0) {
                        x.properties.retain(|p| p.variable.is_some());
                    }
                    x.properties.shrink_to_fit();
                    if let Some(d) = self.dataset.as_mut() {
                        d.exchanges.push(x);
                    }
                }
            }
            Tag::Parameter => {
                if let (Some(p), Some(d)) = (self.parameter.take(), self.dataset.as_mut()) {
                    d.parameters.push(p);
                }
            }
            Tag::Dataset => {
                if let Some(d) = self.dataset.take() {
                    if d.id.is_none() {
                        return Err(malformed(
                            self.file,
                            "activityDataset",
                            "no activityDescription/activity with an id attribute",
                        ));
                    }
                    out.push(d);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

fn allocation_property(name: &str) -> bool {
    matches!(name, "price" | "dry mass" | "wet mass")
}

// ---------------------------------------------------------------------------------------
// Formulas

/// Translates an ecoinvent mathematical relation into tanso's formula language
/// ([`crate::lca::formula`], which already reads `^` as power, `;` and `,` between
/// arguments, `=` and `<>` as comparisons):
///
/// - function names are read without regard to case (`ABS(x)` → `abs(x)`), `LOG` is the
///   base-10 logarithm as in spreadsheets and openLCA (`log10`; tanso's `log` is the natural
///   one, as Python's), `LN` the natural one, `POWER(a;b)` is `pow`;
/// - a number followed by `%` is a percentage: `5%` → `(5/100)`;
/// - anything else is copied.
///
/// Returns the reason when the relation uses what tanso does not read: `Ref(…)` and text in
/// quotes (references to other exchanges' fields), a `%` after anything but a number, or an
/// unknown function.
pub fn translate_formula(src: &str) -> Result<String, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' || c == '"' {
            return Err("it contains quoted text (references such as Ref('…') to other exchanges' fields are not read)".into());
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                }
            }
            let number: String = chars[start..i].iter().collect();
            if chars.get(i) == Some(&'%') {
                out.push_str(&format!("({number}/100)"));
                i += 1;
            } else {
                out.push_str(&number);
            }
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if chars.get(j) == Some(&'(') {
                let lower = name.to_ascii_lowercase();
                let mapped = match lower.as_str() {
                    "ref" => return Err("it refers to another exchange or property by Ref(…), which is not read".into()),
                    "log" => "log10".to_string(),
                    "power" => "pow".to_string(),
                    f if FUNCTIONS.contains(&f) => lower.clone(),
                    _ => return Err(format!("function {name}(…) is not read (known: {})", FUNCTIONS.join(", "))),
                };
                out.push_str(&mapped);
            } else {
                out.push_str(&name);
            }
            continue;
        }
        if c == '%' {
            return Err("'%' after something other than a number is not read".into());
        }
        out.push(c);
        i += 1;
    }
    Ok(out)
}

/// A parameter of a dataset before checking.
struct ParamCandidate {
    name: String,
    value: f64,
    formula: Option<String>,
    uncertainty: Option<Distribution>,
}

/// Parameters and exchange formulas of a dataset that evaluate.
struct Resolved {
    parameters: Vec<ParamCandidate>,
    /// Per exchange index: the translated formula when it evaluates.
    formulas: Vec<Option<String>>,
}

/// The distribution of `m ×` an amount that follows `d` (a lognormal's sign follows the
/// scaled amount, its mu when given moves by ln |m|).
fn scale_dist(d: &Distribution, m: f64) -> Distribution {
    let bounds = |a: f64, b: f64| if m >= 0.0 { (a * m, b * m) } else { (b * m, a * m) };
    match d {
        Distribution::Lognormal { mu, sigma } => Distribution::Lognormal {
            mu: mu.map(|u| u + m.abs().ln()),
            sigma: *sigma,
        },
        Distribution::Normal { mean, sd } => Distribution::Normal {
            mean: mean * m,
            sd: sd * m.abs(),
        },
        Distribution::Uniform { min, max } => {
            let (min, max) = bounds(*min, *max);
            Distribution::Uniform { min, max }
        }
        Distribution::Triangular { min, mode, max } => {
            let (min, max) = bounds(*min, *max);
            Distribution::Triangular { min, mode: mode * m, max }
        }
        other => other.clone(),
    }
}

// ---------------------------------------------------------------------------------------
// The import

/// Imports EcoSpold2 files (`.spold` or `.xml`, zips already unpacked): entries of other
/// types are counted in the warnings; `.xml` files whose root is not `ecoSpold` (ecoinvent's
/// master data) are skipped with a warning; an `ecoSpold` root of another namespace (e.g.
/// EcoSpold1) is `UNSUPPORTED_SCHEMA`, as is a set of files without any dataset.
pub fn import(source: &str, files: &[SourceFile], options: &ImportOptions) -> Result<ImportedDatabase, TansoError> {
    let mut report = ImportReport::new(ImportFormat::Ecospold2, source);
    report.schema_version = Some(format!("EcoSpold2 ({NAMESPACE})"));
    if options.allocation == AllocationChoice::Causal {
        return Err(LcaError::InvalidSetting {
            field: "options.allocation".into(),
            value: "causal".into(),
            valid: "default, economic (by the price property), physical (by dry mass, else wet mass) or none for EcoSpold2, which has no causal allocation factors".into(),
        }
        .into());
    }
    let mut datasets = Vec::new();
    let mut ignored = Vec::new();
    for (k, f) in files.iter().enumerate() {
        let lower = f.name.to_ascii_lowercase();
        let is_spold = lower.ends_with(".spold");
        if !is_spold && !lower.ends_with(".xml") {
            ignored.push(f.name.as_str());
            continue;
        }
        let root = match parse_file(k, f, &mut datasets)? {
            FileContent::Datasets(0) => {
                report.warnings.push(format!("{}: an ecoSpold document without any dataset", f.name));
                continue;
            }
            FileContent::Datasets(_) => continue,
            FileContent::OtherXml(root) => root,
        };
        if is_spold {
            return Err(LcaError::UnsupportedSchema {
                source_name: f.name.clone(),
                what: "EcoSpold root element".into(),
                found: format!("<{root}>"),
                supported: format!("EcoSpold2: <ecoSpold xmlns=\"{NAMESPACE}\">"),
            }
            .into());
        }
        report.warnings.push(format!(
            "{}: root element <{root}> is not an EcoSpold2 dataset (master data?); the file was skipped",
            f.name
        ));
    }
    if !ignored.is_empty() {
        let shown: Vec<&str> = ignored.iter().take(5).copied().collect();
        report.warnings.push(format!(
            "{} files that are not .spold or .xml were ignored: {}{}",
            ignored.len(),
            shown.join(", "),
            if ignored.len() > 5 { ", …" } else { "" }
        ));
    }
    if datasets.is_empty() {
        return Err(LcaError::UnsupportedSchema {
            source_name: source.to_string(),
            what: "EcoSpold2 datasets".into(),
            found: "no activityDataset or childActivityDataset in any .spold or .xml file".into(),
            supported: format!("EcoSpold2 .spold files: <ecoSpold xmlns=\"{NAMESPACE}\"><activityDataset>…"),
        }
        .into());
    }
    let system = build(files, &datasets, options, &mut report)?;
    Ok(ImportedDatabase { system, report })
}

/// One activity to make: the dataset, its reference exchange, the allocation factor.
struct Planned {
    dataset: usize,
    reference: usize,
    id: NodeId,
    factor: f64,
}

fn plan(
    files: &[SourceFile],
    datasets: &[Dataset],
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Result<Vec<Planned>, TansoError> {
    let mut planned = Vec::with_capacity(datasets.len());
    let mut seen: HashMap<NodeId, usize> = HashMap::with_capacity(datasets.len());
    let mut ghosts = 0usize;
    for (k, d) in datasets.iter().enumerate() {
        let file = file_name(files, d);
        let act = d.id.as_deref().unwrap_or("?");
        let refs: Vec<usize> = d
            .exchanges
            .iter()
            .enumerate()
            .filter(|(_, x)| x.kind == Kind::Intermediate && x.output_group == Some(0))
            .map(|(i, _)| i)
            .collect();
        if refs.is_empty() {
            return Err(malformed(
                file,
                d.label(),
                "no reference product: no intermediateExchange with outputGroup 0",
            ));
        }
        let products: Vec<usize> = refs.iter().copied().filter(|&i| d.exchanges[i].amount != 0.0).collect();
        ghosts += refs.len() - products.len();
        if products.is_empty() {
            return Err(malformed(
                file,
                d.label(),
                "every reference product (outputGroup 0) has amount 0; one needs a non-zero amount",
            ));
        }
        let mut add = |planned: &mut Vec<Planned>, reference: usize, factor: f64| -> Result<NodeId, TansoError> {
            let id = NodeId::Text(format!("{act}_{}", d.exchanges[reference].flow));
            if let Some(&other) = seen.get(&id) {
                return Err(malformed(
                    file,
                    d.label(),
                    format!(
                        "activity {id} is also made by {} in {}; (activity id, reference product) must be unique",
                        datasets[other].label(),
                        file_name(files, &datasets[other])
                    ),
                ));
            }
            seen.insert(id.clone(), k);
            planned.push(Planned {
                dataset: k,
                reference,
                id: id.clone(),
                factor,
            });
            Ok(id)
        };
        if products.len() == 1 {
            add(&mut planned, products[0], 1.0)?;
            continue;
        }
        // a multi-output dataset
        let names: Vec<String> = products
            .iter()
            .map(|&i| d.exchanges[i].name.clone().unwrap_or_else(|| d.exchanges[i].flow.clone()))
            .collect();
        let property = match options.allocation {
            AllocationChoice::None => {
                report.leave_out(
                    "process",
                    format!("{act} ({file})"),
                    d.name.as_deref(),
                    format!(
                        "multi-output dataset ({} products with outputGroup 0: {}) not allocated: allocation is none",
                        products.len(),
                        names.join(", ")
                    ),
                );
                continue;
            }
            AllocationChoice::Physical => {
                let all = |p: &str| products.iter().all(|&i| d.exchanges[i].properties.iter().any(|q| q.name == p));
                if all("dry mass") || !all("wet mass") {
                    "dry mass"
                } else {
                    "wet mass"
                }
            }
            _ => "price",
        };
        let mut weights = Vec::with_capacity(products.len());
        let mut missing = None;
        for &i in &products {
            let x = &d.exchanges[i];
            match x.properties.iter().find(|q| q.name == property) {
                Some(q) => weights.push(x.amount * q.amount),
                None => {
                    missing = Some(x.name.clone().unwrap_or_else(|| x.flow.clone()));
                    break;
                }
            }
        }
        let total: f64 = weights.iter().sum();
        let problem = match missing {
            Some(name) => Some(format!("product '{name}' has no '{property}' property")),
            None if !(total.is_finite() && total > 0.0) || weights.iter().any(|w| *w < 0.0) => Some(format!(
                "the products' amount × {property} ({}) must be non-negative with a positive sum",
                weights.iter().map(|w| w.to_string()).collect::<Vec<_>>().join(", ")
            )),
            None => None,
        };
        if let Some(problem) = problem {
            report.leave_out(
                "process",
                format!("{act} ({file})"),
                d.name.as_deref(),
                format!(
                    "multi-output dataset ({}) cannot be allocated by {property}: {problem}",
                    names.join(", ")
                ),
            );
            continue;
        }
        let mut note = AllocationNote {
            process: act.to_string(),
            name: d.name.clone(),
            method: if property == "price" {
                "economic (price property: revenue = amount × price)".into()
            } else {
                format!("physical ({property} property: amount × {property})")
            },
            products: Vec::with_capacity(products.len()),
        };
        for (&i, w) in products.iter().zip(&weights) {
            let factor = w / total;
            let id = add(&mut planned, i, factor)?;
            note.products.push((id, factor));
        }
        report.allocations.push(note);
    }
    if ghosts > 0 {
        report.warnings.push(format!(
            "{ghosts} co-products with outputGroup 0 and amount 0 (the other products of allocated datasets) were skipped"
        ));
    }
    Ok(planned)
}

fn file_name<'a>(files: &'a [SourceFile], d: &Dataset) -> &'a str {
    files.get(d.file).map_or("?", |f| f.name.as_str())
}

/// The parameters and formulas of a dataset that evaluate; the others reported.
fn resolve(file: &str, d: &Dataset, report: &mut ImportReport) -> Resolved {
    let act = d.id.as_deref().unwrap_or("?");
    let mut cands: Vec<ParamCandidate> = Vec::new();
    let mut names: HashSet<String> = HashSet::new();
    let formula_of = |relation: &Option<String>, calculated: Option<bool>, what: &str, report: &mut ImportReport| {
        let rel = relation.as_deref()?;
        if calculated == Some(false) {
            report.leave_out(
                "formula",
                format!("{what} of {act} ({file})"),
                None,
                format!("mathematicalRelation '{rel}' with isCalculatedAmount false: the amount as entered is used"),
            );
            return None;
        }
        match translate_formula(rel) {
            Ok(f) => Some(f),
            Err(why) => {
                report.leave_out(
                    "formula",
                    format!("{what} of {act} ({file})"),
                    None,
                    format!("mathematicalRelation '{rel}' is not used: {why}; the plain amount is used"),
                );
                None
            }
        }
    };
    let mut push = |name: &str,
                    value: f64,
                    formula: Option<String>,
                    uncertainty: Option<Distribution>,
                    report: &mut ImportReport,
                    cands: &mut Vec<ParamCandidate>| {
        if !names.insert(name.to_string()) {
            report.leave_out(
                "parameter",
                format!("{name} of {act} ({file})"),
                None,
                "a second variable of this name in the dataset; the first is used",
            );
            return;
        }
        cands.push(ParamCandidate {
            name: name.to_string(),
            value,
            formula,
            uncertainty,
        });
    };
    for p in &d.parameters {
        let Some(var) = p.variable.as_deref() else {
            report.leave_out(
                "parameter",
                format!("{} of {act} ({file})", p.id.as_deref().unwrap_or("?")),
                p.name.as_deref(),
                "parameter without a variableName: no formula can read it",
            );
            continue;
        };
        let f = formula_of(&p.relation, p.calculated, &format!("parameter {var}"), report);
        let unc = match &p.uncertainty {
            Some(Ok(dist)) if f.is_none() => Some(dist.clone()),
            Some(Ok(_)) => {
                report.leave_out(
                    "uncertainty",
                    format!("parameter {var} of {act} ({file})"),
                    p.name.as_deref(),
                    "the parameter is calculated by its mathematicalRelation; its own distribution is not sampled",
                );
                None
            }
            Some(Err(why)) => {
                report.leave_out("uncertainty", format!("parameter {var} of {act} ({file})"), p.name.as_deref(), why.clone());
                None
            }
            _ => None,
        };
        push(var, p.amount, f, unc, report, &mut cands);
    }
    let mut exchange_formulas: Vec<Option<String>> = Vec::with_capacity(d.exchanges.len());
    for x in &d.exchanges {
        let what = format!("exchange {} ({})", x.name.as_deref().unwrap_or("?"), x.flow);
        let f = formula_of(&x.relation, x.calculated, &what, report);
        if let Some(var) = x.variable.as_deref() {
            push(var, x.amount, f.clone(), None, report, &mut cands);
        }
        for p in &x.properties {
            if let Some(var) = p.variable.as_deref() {
                let pf = formula_of(&p.relation, p.calculated, &format!("property {} of {what}", p.name), report);
                push(var, p.amount, pf, None, report, &mut cands);
            }
        }
        exchange_formulas.push(f);
    }
    if cands.is_empty() && exchange_formulas.iter().all(Option::is_none) {
        return Resolved {
            parameters: cands,
            formulas: exchange_formulas,
        };
    }
    // check that the parameters compile and evaluate; drop the formulas that do not
    let scope = Scope::Process(act.to_string());
    let opts = ParseOptions::default();
    let table = loop {
        let defs: Vec<ParameterDef> = cands
            .iter()
            .map(|c| match &c.formula {
                Some(f) => ParameterDef::formula(&c.name, scope.clone(), f),
                None => ParameterDef::value(&c.name, scope.clone(), c.value),
            })
            .collect();
        let failed: Result<(), FormulaError> = match ParameterTable::new(&defs, &opts) {
            Ok(t) => match t.evaluated_values() {
                Ok(values) => break Some((t, values)),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        let Err(e) = failed else { break None };
        // which parameter: the one named by the error, else every formula parameter
        let named = match &e {
            FormulaError::InParameter { name, .. } => cands
                .iter()
                .position(|c| &c.name == name && c.formula.is_some())
                .map(|i| vec![i]),
            FormulaError::ParameterCycle { cycle } => {
                // "c1 (process 'a') -> c2 (process 'a') -> c1 (process 'a')"
                let in_cycle: HashSet<&str> =
                    cycle.split(" -> ").filter_map(|n| n.split_whitespace().next()).collect();
                let found: Vec<usize> =
                    (0..cands.len()).filter(|&i| cands[i].formula.is_some() && in_cycle.contains(cands[i].name.as_str())).collect();
                (!found.is_empty()).then_some(found)
            }
            _ => None,
        };
        let targets: Vec<usize> =
            named.unwrap_or_else(|| (0..cands.len()).filter(|&i| cands[i].formula.is_some()).collect());
        if targets.is_empty() {
            break None;
        }
        for i in targets {
            let c = &mut cands[i];
            report.leave_out(
                "formula",
                format!("parameter {} of {act} ({file})", c.name),
                None,
                format!(
                    "formula '{}' does not evaluate ({e}); the amount {} is used",
                    c.formula.as_deref().unwrap_or(""),
                    c.value
                ),
            );
            c.formula = None;
        }
    };
    for (x, f) in d.exchanges.iter().zip(exchange_formulas.iter_mut()) {
        let Some(src) = f.as_deref() else { continue };
        let result = match &table {
            Some((t, values)) => t.compile(src, &scope).and_then(|b| b.eval(values)).map(|_| ()),
            None => ParameterTable::new(&[], &opts)
                .and_then(|t| t.compile(src, &scope))
                .and_then(|b| b.eval(&[]))
                .map(|_| ()),
        };
        if let Err(e) = result {
            report.leave_out(
                "formula",
                format!("exchange {} ({}) of {act} ({file})", x.name.as_deref().unwrap_or("?"), x.flow),
                x.name.as_deref(),
                format!("formula '{src}' does not evaluate ({e}); the amount {} is used", x.amount),
            );
            *f = None;
        }
    }
    Resolved {
        parameters: cands,
        formulas: exchange_formulas,
    }
}

/// ecoinvent unit names that differ from tanso's symbols.
fn unit_symbol(unit: &str) -> &str {
    match unit {
        "metric ton*km" => "tkm",
        "l" => "L",
        other => other,
    }
}

/// The factor converting an amount in `from` into `to`, when both are tanso units of one
/// dimension.
fn unit_factor(from: &str, to: &str) -> Option<f64> {
    let f = crate::units::Unit::parse(unit_symbol(from), "unit").ok()?;
    let t = crate::units::Unit::parse(unit_symbol(to), "unit").ok()?;
    f.factor_to(t, "unit").ok()?.to_f64()
}

fn unconvertible(file: &str, entity: String, from: &str, to: &str, whose: &str) -> TansoError {
    let same_dimension = crate::units::Unit::parse(unit_symbol(to), "unit")
        .map(|u| crate::units::Unit::symbols_of(u.dimension()).join(", "))
        .unwrap_or_default();
    LcaError::UnconvertibleUnit {
        source_name: file.to_string(),
        entity,
        unit: from.to_string(),
        valid: if same_dimension.is_empty() {
            format!("'{to}', the unit of {whose}")
        } else {
            format!("'{to}', the unit of {whose}, or a unit of its dimension: {same_dimension}")
        },
    }
    .into()
}

/// `f × m` as a formula (`f` unchanged when `m` is 1).
fn scaled_formula(f: &str, m: f64) -> String {
    if m == 1.0 {
        f.to_string()
    } else {
        format!("({f}) * ({m:?})")
    }
}

fn build(
    files: &[SourceFile],
    datasets: &[Dataset],
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Result<SystemSpec, TansoError> {
    let planned = plan(files, datasets, options, report)?;
    // providers: reference product → activities, and each activity's unit
    let mut linker = Linker::new(options.fallback_locations.clone());
    let mut units: HashMap<NodeId, (Option<&str>, Option<&str>)> = HashMap::with_capacity(planned.len());
    for p in &planned {
        let d = &datasets[p.dataset];
        let x = &d.exchanges[p.reference];
        linker.add(&x.flow, p.id.clone(), d.location.as_deref());
        units.insert(p.id.clone(), (x.unit.as_deref(), d.name.as_deref()));
    }
    let mut flows: Vec<FlowInfo> = Vec::new();
    let mut flow_units: HashMap<String, Option<String>> = HashMap::new();
    let mut processes: Vec<ProcessRecord> = Vec::with_capacity(planned.len());
    let mut parameters: Vec<ParameterSpec> = Vec::new();
    let mut counts_uncertain = 0usize;
    let mut system_terminated = 0usize;
    let mut special: std::collections::BTreeMap<u32, usize> = std::collections::BTreeMap::new();
    let mut resolved: Option<(usize, Resolved)> = None;
    let mut reported_uncertainty: HashSet<usize> = HashSet::new();
    for p in &planned {
        let d = &datasets[p.dataset];
        let file = file_name(files, d);
        let act_name = d.name.as_deref();
        if resolved.as_ref().is_none_or(|(k, _)| *k != p.dataset) {
            resolved = Some((p.dataset, resolve(file, d, report)));
            if d.activity_type == Some(2) {
                system_terminated += 1;
            }
            if let Some(s) = d.special_type.filter(|s| *s != 0) {
                *special.entry(s).or_default() += 1;
            }
        }
        let Some((_, res)) = resolved.as_ref() else { continue };
        let first_of_dataset = !reported_uncertainty.contains(&p.dataset);
        reported_uncertainty.insert(p.dataset);
        let mut uncertainty = |x: &RawExchange, m: f64, report: &mut ImportReport| -> Option<Distribution> {
            match &x.uncertainty {
                Some(Ok(dist)) => {
                    counts_uncertain += 1;
                    Some(if m == 1.0 { dist.clone() } else { scale_dist(dist, m) })
                }
                Some(Err(why)) => {
                    if first_of_dataset {
                        report.leave_out(
                            "uncertainty",
                            format!("exchange {} of {} ({file})", x.flow, d.id.as_deref().unwrap_or("?")),
                            x.name.as_deref(),
                            why.clone(),
                        );
                    }
                    None
                }
                None => None,
            }
        };
        let reference = &d.exchanges[p.reference];
        let mut exchanges = Vec::with_capacity(d.exchanges.len());
        exchanges.push(Exchange {
            kind: ExchangeType::Production,
            product: Some(p.id.clone()),
            provider: None,
            flow: None,
            amount: reference.amount,
            uncertainty: uncertainty(reference, 1.0, report),
            formula: res.formulas.get(p.reference).cloned().flatten(),
        });
        for (i, x) in d.exchanges.iter().enumerate() {
            if i == p.reference {
                continue;
            }
            let formula = res.formulas.get(i).and_then(Option::as_deref);
            match x.kind {
                Kind::Elementary => {
                    let mut conv = 1.0;
                    match flow_units.get(&x.flow) {
                        None => {
                            flow_units.insert(x.flow.clone(), x.unit.clone());
                            let compartment = match (&x.compartment, &x.subcompartment) {
                                (Some(c), Some(s)) => Some(format!("{c}/{s}")),
                                (Some(c), None) => Some(c.clone()),
                                _ => None,
                            };
                            flows.push(FlowInfo {
                                id: NodeId::Text(x.flow.clone()),
                                name: x.name.clone(),
                                unit: x.unit.clone(),
                                compartment,
                            });
                        }
                        Some(first) => {
                            if let (Some(u), Some(f)) = (x.unit.as_deref(), first.as_deref()) {
                                if u != f {
                                    conv = unit_factor(u, f).ok_or_else(|| {
                                        unconvertible(
                                            file,
                                            format!("{}, elementary exchange '{}' ({})", d.label(), x.name.as_deref().unwrap_or("?"), x.flow),
                                            u,
                                            f,
                                            "this elementary flow in the first dataset that has it",
                                        )
                                    })?;
                                    report.count_conversion(u, f, conv);
                                }
                            }
                        }
                    }
                    let m = p.factor * conv;
                    exchanges.push(Exchange {
                        kind: ExchangeType::Biosphere,
                        product: None,
                        provider: None,
                        flow: Some(NodeId::Text(x.flow.clone())),
                        amount: x.amount * m,
                        uncertainty: uncertainty(x, m, report),
                        formula: formula.map(|f| scaled_formula(f, m)),
                    });
                    report.counts.biosphere_exchanges += 1;
                }
                Kind::Intermediate => {
                    let sign = match (x.input_group, x.output_group) {
                        (Some(1..=3 | 5), _) => 1.0,
                        (_, Some(2)) => -1.0,
                        (_, Some(0)) => continue, // another co-product: carried by allocation
                        (ig, og) => {
                            if first_of_dataset {
                                report.leave_out(
                                    "exchange",
                                    format!("{} of {} ({file})", x.flow, d.id.as_deref().unwrap_or("?")),
                                    x.name.as_deref(),
                                    format!(
                                        "intermediate exchange with {}: only inputs (inputGroup 1–3, 5), reference products (outputGroup 0) and by-products (outputGroup 2) are read",
                                        match (ig, og) {
                                            (Some(g), _) => format!("inputGroup {g}"),
                                            (None, Some(g)) => format!("outputGroup {g} (3 material for treatment, 5 stock addition)"),
                                            _ => "no inputGroup or outputGroup".to_string(),
                                        }
                                    ),
                                );
                            }
                            continue;
                        }
                    };
                    let named = x.link.as_ref().map(|l| NodeId::Text(format!("{l}_{}", x.flow)));
                    match linker.link(&x.flow, named.as_ref(), d.location.as_deref()) {
                        Link::Linked { activity, how } => {
                            let (provider_unit, provider_name) = units.get(&activity).copied().unwrap_or((None, None));
                            let mut conv = 1.0;
                            if let (Some(u), Some(r)) = (x.unit.as_deref(), provider_unit) {
                                if u != r {
                                    conv = unit_factor(u, r).ok_or_else(|| {
                                        unconvertible(
                                            file,
                                            format!(
                                                "{}, intermediate exchange '{}' ({})",
                                                p_label(&p.id, act_name),
                                                x.name.as_deref().unwrap_or("?"),
                                                x.flow
                                            ),
                                            u,
                                            r,
                                            &format!("provider {activity} ({})", provider_name.unwrap_or("no name")),
                                        )
                                    })?;
                                    report.count_conversion(u, r, conv);
                                }
                            }
                            report.count_link(&how);
                            let m = sign * p.factor * conv;
                            exchanges.push(Exchange {
                                kind: ExchangeType::Technosphere,
                                product: Some(activity),
                                provider: None,
                                flow: None,
                                amount: x.amount * m,
                                uncertainty: uncertainty(x, m, report),
                                formula: formula.map(|f| scaled_formula(f, m)),
                            });
                            report.counts.technosphere_exchanges += 1;
                        }
                        Link::Unlinked { reason, candidates } => {
                            report.unlinked.push(UnlinkedExchange {
                                activity: p.id.clone(),
                                activity_name: d.name.clone(),
                                product: x.flow.clone(),
                                product_name: x.name.clone(),
                                amount: x.amount * sign * p.factor,
                                unit: x.unit.clone(),
                                reason,
                                candidates,
                            });
                        }
                    }
                }
            }
        }
        for c in &res.parameters {
            parameters.push(ParameterSpec {
                name: c.name.clone(),
                process: Some(p.id.clone()),
                value: if c.formula.is_some() { None } else { Some(c.value) },
                formula: c.formula.clone(),
                uncertainty: c.uncertainty.clone(),
            });
            if c.uncertainty.is_some() {
                counts_uncertain += 1;
            }
        }
        processes.push(ProcessRecord {
            id: p.id.clone(),
            name: d.name.clone(),
            unit: reference.unit.clone(),
            location: d.location.clone(),
            exchanges,
        });
    }
    if system_terminated > 0 {
        report.warnings.push(format!(
            "{system_terminated} datasets are system-terminated (activity type 2, aggregated LCI results): their elementary exchanges already include their supply chains"
        ));
    }
    if !special.is_empty() {
        let kinds: Vec<String> = special
            .iter()
            .map(|(t, n)| format!("{n} of specialActivityType {t} ({})", special_name(*t)))
            .collect();
        report
            .warnings
            .push(format!("activity types read as ordinary activities: {}", kinds.join(", ")));
    }
    report.counts.processes = datasets.len();
    report.counts.activities = processes.len();
    report.counts.flows = flows.len();
    report.counts.uncertain_amounts = counts_uncertain;
    Ok(SystemSpec {
        processes,
        flows,
        parameters,
        ..SystemSpec::default()
    })
}

fn p_label(id: &NodeId, name: Option<&str>) -> String {
    format!("activity {id} ({})", name.unwrap_or("no name"))
}

/// The names of EcoSpold2's `specialActivityType` values.
fn special_name(t: u32) -> &'static str {
    match t {
        1 => "market activity",
        2 => "IO activity",
        3 => "residual activity",
        4 => "production mix",
        5 => "import activity",
        6 => "supply mix",
        7 => "export activity",
        8 => "re-export activity",
        9 => "correction activity",
        10 => "market group",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// A dataset written as the EcoSpold02 schema has it (`activityDescription/activity`,
    /// `geography/shortname`, `flowData/intermediateExchange` with `outputGroup` 0).
    fn spold(id: &str, location: &str, product: &str, unit: &str, body: &str) -> SourceFile {
        SourceFile::new(
            format!("{id}.spold"),
            format!(
                r#"<ecoSpold xmlns="{NAMESPACE}"><activityDataset><activityDescription>
<activity id="{id}" type="1"><activityName>{id} name</activityName></activity><geography><shortname>{location}</shortname></geography>
</activityDescription><flowData>
<intermediateExchange intermediateExchangeId="{product}" amount="1"><name>{product}</name><unitName>{unit}</unitName><outputGroup>0</outputGroup></intermediateExchange>
{body}</flowData></activityDataset></ecoSpold>"#
            )
            .into_bytes(),
        )
    }

    fn run(files: &[SourceFile]) -> ImportedDatabase {
        import("test", files, &ImportOptions::default()).unwrap()
    }

    #[test]
    fn translates_ecoinvent_formulas() {
        assert_eq!(translate_formula("ABS(x) + Sqrt(y)").unwrap(), "abs(x) + sqrt(y)");
        // LOG is base 10 (spreadsheets, openLCA manual "Formulas in openLCA": log(x) the
        // base 10 logarithm); LN the natural logarithm
        assert_eq!(translate_formula("LOG(100) * LN(x)").unwrap(), "log10(100) * ln(x)");
        assert_eq!(translate_formula("IF(a>1;2;3)").unwrap(), "if(a>1;2;3)");
        assert_eq!(translate_formula("POWER(a;2)").unwrap(), "pow(a;2)");
        assert_eq!(translate_formula("x * 12.5%").unwrap(), "x * (12.5/100)");
        assert_eq!(translate_formula("1.5e-3*y").unwrap(), "1.5e-3*y");
        assert_eq!(translate_formula("a ^ 2 <> b").unwrap(), "a ^ 2 <> b");
        assert!(translate_formula("Ref('abc')").unwrap_err().contains("Ref("));
        assert!(translate_formula("a + 'b'").unwrap_err().contains("quoted"));
        assert!(translate_formula("REF(x)").unwrap_err().contains("Ref("));
        assert!(translate_formula("a % 2").unwrap_err().contains('%'));
        assert!(translate_formula("FOO(1)").unwrap_err().contains("FOO"));
    }

    #[test]
    fn scales_distributions() {
        // uniform [1, 2] × −2 → [−4, −2]; triangular the same with the mode; normal
        // mean 1 sd 0.1 × 3 → mean 3 sd 0.3 (to the last bit: 0.1·3 = 0.30000000000000004)
        assert_eq!(scale_dist(&Distribution::Uniform { min: 1.0, max: 2.0 }, -2.0), Distribution::Uniform { min: -4.0, max: -2.0 });
        assert_eq!(
            scale_dist(&Distribution::Triangular { min: 1.0, mode: 1.5, max: 2.0 }, -2.0),
            Distribution::Triangular { min: -4.0, mode: -3.0, max: -2.0 }
        );
        assert_eq!(scale_dist(&Distribution::Normal { mean: 1.0, sd: 0.1 }, 3.0), Distribution::Normal { mean: 3.0, sd: 0.1 * 3.0 });
        assert_eq!(
            scale_dist(&Distribution::Lognormal { mu: None, sigma: 0.2 }, 5.0),
            Distribution::Lognormal { mu: None, sigma: 0.2 }
        );
    }

    #[test]
    fn reads_every_distribution_and_reports_the_rest() {
        let body = r#"
<elementaryExchange elementaryExchangeId="n" amount="2"><name>n</name><unitName>kg</unitName><uncertainty><normal meanValue="2" variance="0.09"/></uncertainty><outputGroup>4</outputGroup></elementaryExchange>
<elementaryExchange elementaryExchangeId="t" amount="2"><name>t</name><unitName>kg</unitName><uncertainty><triangular minValue="1" mostLikelyValue="2" maxValue="4"/></uncertainty><outputGroup>4</outputGroup></elementaryExchange>
<elementaryExchange elementaryExchangeId="l" amount="2"><name>l</name><unitName>kg</unitName><uncertainty><lognormal meanValue="2" mu="0.69" variance="0.0025"/><pedigreeMatrix reliability="1"/></uncertainty><outputGroup>4</outputGroup></elementaryExchange>
<elementaryExchange elementaryExchangeId="z" amount="2"><name>z</name><unitName>kg</unitName><uncertainty><lognormal meanValue="2" variance="0"/></uncertainty><outputGroup>4</outputGroup></elementaryExchange>
<elementaryExchange elementaryExchangeId="b" amount="2"><name>b</name><unitName>kg</unitName><uncertainty><beta minValue="0" mostLikelyValue="1" maxValue="3"/></uncertainty><outputGroup>4</outputGroup></elementaryExchange>
"#;
        let db = run(&[spold("a", "GLO", "p", "kg", body)]);
        let unc: Vec<Option<Distribution>> = db.system.processes[0].exchanges[1..].iter().map(|x| x.uncertainty.clone()).collect();
        assert_eq!(unc[0], Some(Distribution::Normal { mean: 2.0, sd: 0.3 }));
        assert_eq!(unc[1], Some(Distribution::Triangular { min: 1.0, mode: 2.0, max: 4.0 }));
        // sigma = sqrt(variance) = 0.05 without a pedigree variance
        assert_eq!(unc[2], Some(Distribution::Lognormal { mu: None, sigma: 0.05 }));
        assert_eq!((unc[3].clone(), unc[4].clone()), (None, None));
        assert_eq!(db.report.counts.uncertain_amounts, 3);
        let reasons: Vec<&str> = db.report.left_out.iter().map(|l| l.reason.as_str()).collect();
        assert!(reasons[0].contains("variance 0") && reasons[1].contains("beta"), "{reasons:?}");
        assert_eq!(db.system.flows[0].compartment, None);
    }

    #[test]
    fn formulas_that_do_not_evaluate_fall_back_to_the_amount() {
        let body = r#"
<elementaryExchange elementaryExchangeId="c" amount="3" mathematicalRelation="nothing * 2"><name>c</name><unitName>kg</unitName><outputGroup>4</outputGroup></elementaryExchange>
<elementaryExchange elementaryExchangeId="d" amount="4" mathematicalRelation="k / 0" isCalculatedAmount="true"><name>d</name><unitName>kg</unitName><outputGroup>4</outputGroup></elementaryExchange>
<elementaryExchange elementaryExchangeId="e" amount="5" mathematicalRelation="k * 100" isCalculatedAmount="false"><name>e</name><unitName>kg</unitName><outputGroup>4</outputGroup></elementaryExchange>
<elementaryExchange elementaryExchangeId="f" amount="6" variableName="f_out" mathematicalRelation="k + 1"><name>f</name><unitName>kg</unitName><outputGroup>4</outputGroup></elementaryExchange>
<parameter variableName="k" amount="2"><name>k</name></parameter>
<parameter variableName="c1" amount="1" mathematicalRelation="c2 + 1"><name>c1</name></parameter>
<parameter variableName="c2" amount="7" mathematicalRelation="c1 + 1"><name>c2</name></parameter>
"#;
        let db = run(&[spold("a", "GLO", "p", "kg", body)]);
        let x = &db.system.processes[0].exchanges;
        // unknown name, division by zero: plain amounts; isCalculatedAmount false: the
        // amount as entered; k + 1 = 3 evaluates and also defines the parameter f_out
        assert_eq!((x[1].formula.as_deref(), x[1].amount), (None, 3.0));
        assert_eq!((x[2].formula.as_deref(), x[2].amount), (None, 4.0));
        assert_eq!((x[3].formula.as_deref(), x[3].amount), (None, 5.0));
        assert_eq!(x[4].formula.as_deref(), Some("k + 1"));
        let params: Vec<(&str, Option<f64>, Option<&str>)> =
            db.system.parameters.iter().map(|p| (p.name.as_str(), p.value, p.formula.as_deref())).collect();
        // the cycle c1 → c2 → c1 is broken by giving both their amounts
        assert_eq!(params, vec![("k", Some(2.0), None), ("c1", Some(1.0), None), ("c2", Some(7.0), None), ("f_out", None, Some("k + 1"))]);
        assert_eq!(db.report.left_out.iter().filter(|l| l.kind == "formula").count(), 5, "{:#?}", db.report.left_out);
        // and the engine accepts them
        assert!(crate::lca::document::Model::from_spec(&db.system).is_ok());
    }

    #[test]
    fn named_providers_child_datasets_prefixes_and_units_of_elementary_flows() {
        // two providers of "p" in DE; the consumer in FR names one by activityLinkId
        let consumer = spold(
            "c",
            "FR",
            "q",
            "kg",
            r#"<intermediateExchange intermediateExchangeId="p" activityLinkId="d2" amount="2"><name>p</name><unitName>kg</unitName><inputGroup>5</inputGroup></intermediateExchange>
<intermediateExchange intermediateExchangeId="p" amount="1"><name>p</name><unitName>kg</unitName><inputGroup>5</inputGroup></intermediateExchange>
<elementaryExchange elementaryExchangeId="co2" amount="500"><name>CO2</name><unitName>g</unitName><outputGroup>4</outputGroup></elementaryExchange>"#,
        );
        let mut d1 = spold("d1", "DE", "p", "kg", r#"<elementaryExchange elementaryExchangeId="co2" amount="1"><name>CO2</name><unitName>kg</unitName><outputGroup>4</outputGroup></elementaryExchange>"#);
        // a childActivityDataset with a prefixed root, as some exports write it
        let d2 = SourceFile::new(
            "d2.spold",
            format!(
                r#"<?xml version="1.0"?><es:ecoSpold xmlns:es="{NAMESPACE}"><es:childActivityDataset><es:activityDescription>
<es:activity id="d2" specialActivityType="1"><es:activityName>market for p &amp; co</es:activityName></es:activity><es:geography><es:shortname>DE</es:shortname></es:geography>
</es:activityDescription><es:flowData>
<es:intermediateExchange intermediateExchangeId="p" amount="1"><es:name>p</es:name><es:unitName>kg</es:unitName><es:outputGroup>0</es:outputGroup></es:intermediateExchange>
</es:flowData></es:childActivityDataset></es:ecoSpold>"#
            )
            .into_bytes(),
        );
        d1.name = "sub/d1.SPOLD".into();
        let db = run(&[d1, d2, consumer]);
        assert_eq!(db.report.linked.get("default_provider"), Some(&1));
        assert_eq!(db.report.unlinked.len(), 1);
        assert_eq!(db.report.unlinked[0].candidates.len(), 2);
        assert!(db.report.unlinked[0].reason.contains("FR"), "{}", db.report.unlinked[0].reason);
        let d2 = db.system.processes.iter().find(|p| p.id == NodeId::from("d2_p")).unwrap();
        assert_eq!(d2.name.as_deref(), Some("market for p & co"));
        // 500 g = 0.5 kg, the unit the flow first had
        let c = db.system.processes.iter().find(|p| p.id == NodeId::from("c_q")).unwrap();
        assert_eq!(c.exchanges.last().unwrap().amount, 0.5);
        assert_eq!(db.report.conversions[0].from, "g");
        assert!(db.report.warnings.iter().any(|w| w.contains("market activity")), "{:?}", db.report.warnings);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        let dup = [spold("a", "GLO", "p", "kg", ""), spold("a", "GLO", "p", "kg", "")];
        let e = import("test", &dup, &ImportOptions::default()).unwrap_err();
        assert_eq!(e.code(), "MALFORMED_DATA");
        assert!(e.to_string().contains("a_p"), "{e}");
        let none = [SourceFile::new("notes.txt", b"x".to_vec())];
        let e = import("notes.txt", &none, &ImportOptions::default()).unwrap_err();
        assert_eq!(e.code(), "UNSUPPORTED_SCHEMA");
        let zero = spold("z", "GLO", "p", "kg", "");
        let zero = SourceFile::new("z.spold", String::from_utf8(zero.bytes).unwrap().replace(r#"amount="1""#, r#"amount="0""#).into_bytes());
        let e = import("z.spold", &[zero], &ImportOptions::default()).unwrap_err();
        assert!(e.to_string().contains("amount 0"), "{e}");
        // a multi-output dataset without prices is left out, with the reason
        let multi = spold("m", "GLO", "p", "kg", r#"<intermediateExchange intermediateExchangeId="p2" amount="2"><name>p2</name><unitName>kg</unitName><outputGroup>0</outputGroup></intermediateExchange>"#);
        let db = run(&[multi, spold("o", "GLO", "x", "kg", "")]);
        assert_eq!(db.report.counts.activities, 1);
        assert!(db.report.left_out[0].reason.contains("no 'price' property"), "{:?}", db.report.left_out);
    }

    /// 20,000 datasets, 25 exchanges each (20 linked inputs, 4 emissions, the reference):
    /// 500,000 exchanges. Run with `cargo test --release -p tanso --lib
    /// exchange::import::ecospold2 -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn imports_20000_datasets_in_seconds() {
        let n = 20_000usize;
        let mut files = Vec::with_capacity(n);
        for k in 0..n {
            let mut body = String::new();
            // inputs from the 20 activities made before this one (an acyclic, banded system,
            // so the factorization timed after the import stays small); the first ones
            // name products nobody makes and are reported unlinked
            for j in 1..=20 {
                let p = if k >= j { k - j } else { n + j };
                let link = if j % 2 == 0 { format!(r#" activityLinkId="a{p}""#) } else { String::new() };
                body.push_str(&format!(
                    r#"<intermediateExchange id="i{j}" intermediateExchangeId="p{p}"{link} amount="0.00{j}"><name>product {p}</name><unitName>kg</unitName><uncertainty><lognormal meanValue="1" mu="0" variance="0.01" varianceWithPedigreeUncertainty="0.02"/></uncertainty><property propertyId="x" amount="1"><name>carbon content</name><unitName>dimensionless</unitName></property><inputGroup>5</inputGroup></intermediateExchange>
"#
                ));
            }
            for j in 0..4 {
                body.push_str(&format!(
                    r#"<elementaryExchange id="e{j}" elementaryExchangeId="flow{}" amount="0.{j}1"><name>flow</name><unitName>kg</unitName><compartment><compartment>air</compartment><subcompartment>unspecified</subcompartment></compartment><outputGroup>4</outputGroup></elementaryExchange>
"#,
                    (k + j) % 1000
                ));
            }
            files.push(spold(&format!("a{k}"), if k % 2 == 0 { "GLO" } else { "CN" }, &format!("p{k}"), "kg", &body));
        }
        let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
        let start = std::time::Instant::now();
        let db = import("synthetic", &files, &ImportOptions::default()).unwrap();
        let elapsed = start.elapsed();
        println!("imported {n} datasets ({} MB of XML, {} exchanges) in {elapsed:.2?}", bytes / 1_000_000, 25 * n);
        assert_eq!(db.report.counts.activities, n);
        // activity k < 20 has 20 − k inputs nobody makes: 20 + 19 + … + 1 = 210 unlinked
        assert_eq!(db.report.unlinked.len(), 210);
        assert_eq!(db.report.counts.technosphere_exchanges, 20 * n - 210);
        assert_eq!(db.report.counts.biosphere_exchanges, 4 * n);
        let start_model = std::time::Instant::now();
        let model = crate::lca::document::Model::from_spec(&db.system);
        println!("Model::from_spec {:.2?} ({})", start_model.elapsed(), if model.is_ok() { "ok" } else { "failed" });
    }
}
