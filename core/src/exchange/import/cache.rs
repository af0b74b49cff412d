//! The cache's body (after the 12-byte header): an 8-byte checksum of the rest, then one
//! MessagePack array (rmp-serde, compact) of a flat, columnar form of the database.
//!
//! - every string (ids, names, units, locations, compartments, formulas) is stored once, in
//!   a table: one UTF-8 blob and the end offset of each string;
//! - a column of [`NodeId`]s is a tag per row (0 absent, 1 integer, 2 text), the integers
//!   of the rows tagged 1 and the string indices of the rows tagged 2;
//! - an optional string is a string index plus one (0: absent);
//! - the exchanges of all processes are columns (kind, product, provider, flow, amount),
//!   with the number of exchanges of each process; uncertainty and formulas are sparse:
//!   (row, value) lists; the triplets, flows, activities and characterisation factors are
//!   columns likewise;
//! - numeric columns are MessagePack `bin` of little-endian `u32`, `i64` or `f64` (the bits
//!   of every float kept), so they are read with a copy, not element by element;
//! - the small parts (distributions, parameters, the report) are nested MessagePack with
//!   field names, as serde writes them.
//!
//! Reading checks the checksum, every length and every index against its table: altered
//! bytes are `MALFORMED_DATA`, never a panic.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::de::{DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{malformed, ImportedDatabase};
use crate::lca::sampling::Distribution;
use crate::lca::system::{
    ActivityInfo, BiosphereEntry, CharacterizationFactor, Exchange, ExchangeType, FlowInfo, MethodSpec, NodeId,
    ProcessRecord, SystemSpec, TechnosphereEntry,
};
use crate::TansoError;

type R<T> = Result<T, TansoError>;

fn bad(message: impl Into<String>) -> TansoError {
    malformed("cache", "database", message)
}

/// Raw bytes, written as MessagePack `bin` and read borrowed from the input when possible.
#[derive(Debug, Default)]
struct Raw<'a>(Cow<'a, [u8]>);

impl Serialize for Raw<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw<'de>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("bytes")
    }
    fn visit_borrowed_bytes<E>(self, v: &'de [u8]) -> Result<Raw<'de>, E> {
        Ok(Raw(Cow::Borrowed(v)))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Raw<'de>, E> {
        Ok(Raw(Cow::Owned(v.to_vec())))
    }
    fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Raw<'de>, E> {
        Ok(Raw(Cow::Owned(v)))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Raw<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw<'a>, D::Error> {
        d.deserialize_bytes(RawVisitor)
    }
}

impl Raw<'_> {
    fn owned(v: Vec<u8>) -> Raw<'static> {
        Raw(Cow::Owned(v))
    }
}

/// A column of optional node ids.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Refs<'a> {
    #[serde(borrow)]
    tags: Raw<'a>,
    #[serde(borrow)]
    ints: Raw<'a>,
    #[serde(borrow)]
    texts: Raw<'a>,
}

/// Sparse values of a column: the rows (increasing) and, for each, a value.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Sparse<'a> {
    #[serde(borrow)]
    rows: Raw<'a>,
    #[serde(borrow)]
    values: Raw<'a>,
}

/// Sparse distributions: the rows (increasing); per row a shape (0 lognormal without `mu`,
/// 1 lognormal with `mu`, 2 normal, 3 another, in `others`); the parameters of shapes 0–2
/// as little-endian `f64`s (`sigma`; `mu, sigma`; `mean, sd`); the others as nested named
/// MessagePack of a `Vec<Distribution>` (rare: serde's tagged enums read slowly).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Unc<'a> {
    #[serde(borrow)]
    rows: Raw<'a>,
    #[serde(borrow)]
    shapes: Raw<'a>,
    #[serde(borrow)]
    params: Raw<'a>,
    #[serde(borrow)]
    others: Raw<'a>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Triplets<'a> {
    #[serde(borrow)]
    node: Refs<'a>,
    #[serde(borrow)]
    activity: Refs<'a>,
    #[serde(borrow)]
    amount: Raw<'a>,
    #[serde(borrow)]
    uncertainty: Unc<'a>,
    /// Formulas: string indices.
    #[serde(borrow)]
    formula: Sparse<'a>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Flat<'a> {
    #[serde(borrow)]
    blob: Raw<'a>,
    #[serde(borrow)]
    ends: Raw<'a>,
    #[serde(borrow)]
    process_id: Refs<'a>,
    #[serde(borrow)]
    process_name: Raw<'a>,
    #[serde(borrow)]
    process_unit: Raw<'a>,
    #[serde(borrow)]
    process_location: Raw<'a>,
    #[serde(borrow)]
    process_len: Raw<'a>,
    #[serde(borrow)]
    kind: Raw<'a>,
    #[serde(borrow)]
    product: Refs<'a>,
    #[serde(borrow)]
    provider: Refs<'a>,
    #[serde(borrow)]
    flow: Refs<'a>,
    #[serde(borrow)]
    amount: Raw<'a>,
    #[serde(borrow)]
    uncertainty: Unc<'a>,
    #[serde(borrow)]
    formula: Sparse<'a>,
    #[serde(borrow)]
    activity_id: Refs<'a>,
    #[serde(borrow)]
    activity_product: Refs<'a>,
    #[serde(borrow)]
    activity_name: Raw<'a>,
    #[serde(borrow)]
    activity_unit: Raw<'a>,
    #[serde(borrow)]
    activity_location: Raw<'a>,
    #[serde(borrow)]
    technosphere: Triplets<'a>,
    #[serde(borrow)]
    biosphere: Triplets<'a>,
    #[serde(borrow)]
    flow_id: Refs<'a>,
    #[serde(borrow)]
    flow_name: Raw<'a>,
    #[serde(borrow)]
    flow_unit: Raw<'a>,
    #[serde(borrow)]
    flow_compartment: Raw<'a>,
    #[serde(borrow)]
    method_id: Raw<'a>,
    #[serde(borrow)]
    method_name: Raw<'a>,
    #[serde(borrow)]
    method_unit: Raw<'a>,
    method_normalization: Vec<Option<f64>>,
    method_weighting: Vec<Option<f64>>,
    #[serde(borrow)]
    method_len: Raw<'a>,
    #[serde(borrow)]
    factor_flow: Refs<'a>,
    #[serde(borrow)]
    factor: Raw<'a>,
    #[serde(borrow)]
    factor_uncertainty: Unc<'a>,
    /// Nested named MessagePack of the `Vec<ParameterSpec>`.
    #[serde(borrow)]
    parameters: Raw<'a>,
    case_insensitive_parameters: bool,
    /// Nested named MessagePack of the report.
    #[serde(borrow)]
    report: Raw<'a>,
}

// ---------------------------------------------------------------- checksum

/// A 64-bit checksum, eight bytes a step: each step `h → (h ^ word) · K` (K odd) is a
/// bijection of `h` and of `word`, so any change confined to one word always changes the
/// result (every single altered byte is caught); the length is mixed in first.
fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (bytes.len() as u64 ^ 0x7461_6E73_6F2D_6462).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(<[u8; 8]>::try_from(c).unwrap_or_default());
        h = (h ^ w).wrapping_mul(K);
        h ^= h >> 29;
    }
    let mut last = [0u8; 8];
    let rest = chunks.remainder();
    last[..rest.len()].copy_from_slice(rest);
    h = (h ^ u64::from_le_bytes(last)).wrapping_mul(K);
    h ^ (h >> 32)
}

// ---------------------------------------------------------------- writing

#[derive(Default)]
struct Strings<'d> {
    index: HashMap<&'d str, u32>,
    blob: Vec<u8>,
    ends: Vec<u8>,
    count: u32,
}

impl<'d> Strings<'d> {
    fn id(&mut self, s: &'d str) -> R<u32> {
        if let Some(&i) = self.index.get(s) {
            return Ok(i);
        }
        let i = self.count;
        self.count = self.count.checked_add(1).ok_or_else(|| bad("more than 2^32 strings"))?;
        self.blob.extend_from_slice(s.as_bytes());
        let end = u32::try_from(self.blob.len()).map_err(|_| bad("more than 4 GiB of strings"))?;
        self.ends.extend_from_slice(&end.to_le_bytes());
        self.index.insert(s, i);
        Ok(i)
    }

    fn opt(&mut self, s: Option<&'d String>, col: &mut Vec<u8>) -> R<()> {
        let v = match s {
            None => 0,
            Some(s) => self.id(s)?.checked_add(1).ok_or_else(|| bad("too many strings"))?,
        };
        col.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
}

#[derive(Default)]
struct RefsW {
    tags: Vec<u8>,
    ints: Vec<u8>,
    texts: Vec<u8>,
}

impl RefsW {
    fn push<'d>(&mut self, strings: &mut Strings<'d>, id: Option<&'d NodeId>) -> R<()> {
        match id {
            None => self.tags.push(0),
            Some(NodeId::Int(i)) => {
                self.tags.push(1);
                self.ints.extend_from_slice(&i.to_le_bytes());
            }
            Some(NodeId::Text(s)) => {
                self.tags.push(2);
                self.texts.extend_from_slice(&strings.id(s)?.to_le_bytes());
            }
        }
        Ok(())
    }

    fn done(self) -> Refs<'static> {
        Refs { tags: Raw::owned(self.tags), ints: Raw::owned(self.ints), texts: Raw::owned(self.texts) }
    }
}

#[derive(Default)]
struct SparseW {
    rows: Vec<u8>,
    values: Vec<u8>,
}

fn row(k: usize) -> R<[u8; 4]> {
    Ok(u32::try_from(k).map_err(|_| bad("more than 2^32 rows"))?.to_le_bytes())
}

fn len_u32(n: usize) -> R<[u8; 4]> {
    row(n)
}

fn named<T: Serialize + ?Sized>(v: &T) -> R<Vec<u8>> {
    let mut out = Vec::new();
    rmp_serde::encode::write_named(&mut out, v).map_err(|e| bad(e.to_string()))?;
    Ok(out)
}

/// Distributions of a column, sparse.
#[derive(Default)]
struct UncW<'d> {
    rows: Vec<u8>,
    shapes: Vec<u8>,
    params: Vec<u8>,
    others: Vec<&'d Distribution>,
}

impl<'d> UncW<'d> {
    fn push(&mut self, k: usize, d: Option<&'d Distribution>) -> R<()> {
        let Some(d) = d else { return Ok(()) };
        self.rows.extend_from_slice(&row(k)?);
        let mut put = |x: f64| self.params.extend_from_slice(&x.to_le_bytes());
        let shape = match d {
            Distribution::Lognormal { mu: None, sigma } => {
                put(*sigma);
                0
            }
            Distribution::Lognormal { mu: Some(mu), sigma } => {
                put(*mu);
                put(*sigma);
                1
            }
            Distribution::Normal { mean, sd } => {
                put(*mean);
                put(*sd);
                2
            }
            other => {
                self.others.push(other);
                3
            }
        };
        self.shapes.push(shape);
        Ok(())
    }
    fn done(self) -> R<Unc<'static>> {
        Ok(Unc {
            rows: Raw::owned(self.rows),
            shapes: Raw::owned(self.shapes),
            params: Raw::owned(self.params),
            others: Raw::owned(named(&self.others)?),
        })
    }
}

impl SparseW {
    fn formula<'d>(&mut self, strings: &mut Strings<'d>, k: usize, f: Option<&'d String>) -> R<()> {
        if let Some(f) = f {
            self.rows.extend_from_slice(&row(k)?);
            self.values.extend_from_slice(&strings.id(f)?.to_le_bytes());
        }
        Ok(())
    }
    fn done(self) -> Sparse<'static> {
        Sparse { rows: Raw::owned(self.rows), values: Raw::owned(self.values) }
    }
}

fn triplets<'d, I>(strings: &mut Strings<'d>, entries: I) -> R<Triplets<'static>>
where
    I: Iterator<Item = (&'d NodeId, &'d NodeId, f64, Option<&'d Distribution>, Option<&'d String>)>,
{
    let (mut node, mut activity, mut amount) = (RefsW::default(), RefsW::default(), Vec::new());
    let (mut unc, mut formula) = (UncW::default(), SparseW::default());
    for (k, (n, a, x, u, f)) in entries.enumerate() {
        node.push(strings, Some(n))?;
        activity.push(strings, Some(a))?;
        amount.extend_from_slice(&x.to_le_bytes());
        unc.push(k, u)?;
        formula.formula(strings, k, f)?;
    }
    Ok(Triplets {
        node: node.done(),
        activity: activity.done(),
        amount: Raw::owned(amount),
        uncertainty: unc.done()?,
        formula: formula.done(),
    })
}

/// Appends the cache body of `db` to `out`.
pub(super) fn encode(db: &ImportedDatabase, out: &mut Vec<u8>) -> R<()> {
    let s = &db.system;
    let mut strings = Strings::default();
    let mut flat = Flat::default();

    let (mut pid, mut pname, mut punit, mut ploc, mut plen) = (RefsW::default(), vec![], vec![], vec![], vec![]);
    let (mut kind, mut product, mut provider, mut flow) = (vec![], RefsW::default(), RefsW::default(), RefsW::default());
    let n: usize = s.processes.iter().map(|p| p.exchanges.len()).sum();
    let mut amount = Vec::with_capacity(n * 8);
    let (mut unc, mut formula) = (UncW::default(), SparseW::default());
    let mut k = 0;
    for p in &s.processes {
        pid.push(&mut strings, Some(&p.id))?;
        strings.opt(p.name.as_ref(), &mut pname)?;
        strings.opt(p.unit.as_ref(), &mut punit)?;
        strings.opt(p.location.as_ref(), &mut ploc)?;
        plen.extend_from_slice(&len_u32(p.exchanges.len())?);
        for x in &p.exchanges {
            kind.push(match x.kind {
                ExchangeType::Production => 0,
                ExchangeType::Technosphere => 1,
                ExchangeType::Biosphere => 2,
            });
            product.push(&mut strings, x.product.as_ref())?;
            provider.push(&mut strings, x.provider.as_ref())?;
            flow.push(&mut strings, x.flow.as_ref())?;
            amount.extend_from_slice(&x.amount.to_le_bytes());
            unc.push(k, x.uncertainty.as_ref())?;
            formula.formula(&mut strings, k, x.formula.as_ref())?;
            k += 1;
        }
    }
    flat.process_id = pid.done();
    flat.process_name = Raw::owned(pname);
    flat.process_unit = Raw::owned(punit);
    flat.process_location = Raw::owned(ploc);
    flat.process_len = Raw::owned(plen);
    flat.kind = Raw::owned(kind);
    flat.product = product.done();
    flat.provider = provider.done();
    flat.flow = flow.done();
    flat.amount = Raw::owned(amount);
    flat.uncertainty = unc.done()?;
    flat.formula = formula.done();

    let (mut aid, mut aproduct, mut aname, mut aunit, mut aloc) = (RefsW::default(), RefsW::default(), vec![], vec![], vec![]);
    for a in &s.activities {
        aid.push(&mut strings, Some(&a.id))?;
        aproduct.push(&mut strings, a.product.as_ref())?;
        strings.opt(a.name.as_ref(), &mut aname)?;
        strings.opt(a.unit.as_ref(), &mut aunit)?;
        strings.opt(a.location.as_ref(), &mut aloc)?;
    }
    flat.activity_id = aid.done();
    flat.activity_product = aproduct.done();
    flat.activity_name = Raw::owned(aname);
    flat.activity_unit = Raw::owned(aunit);
    flat.activity_location = Raw::owned(aloc);

    flat.technosphere = triplets(
        &mut strings,
        s.technosphere.iter().map(|e| (&e.product, &e.activity, e.amount, e.uncertainty.as_ref(), e.formula.as_ref())),
    )?;
    flat.biosphere = triplets(
        &mut strings,
        s.biosphere.iter().map(|e| (&e.flow, &e.activity, e.amount, e.uncertainty.as_ref(), e.formula.as_ref())),
    )?;

    let (mut fid, mut fname, mut funit, mut fcomp) = (RefsW::default(), vec![], vec![], vec![]);
    for f in &s.flows {
        fid.push(&mut strings, Some(&f.id))?;
        strings.opt(f.name.as_ref(), &mut fname)?;
        strings.opt(f.unit.as_ref(), &mut funit)?;
        strings.opt(f.compartment.as_ref(), &mut fcomp)?;
    }
    flat.flow_id = fid.done();
    flat.flow_name = Raw::owned(fname);
    flat.flow_unit = Raw::owned(funit);
    flat.flow_compartment = Raw::owned(fcomp);

    let (mut mid, mut mname, mut munit, mut mlen) = (vec![], vec![], vec![], vec![]);
    let (mut cflow, mut cfactor, mut cunc) = (RefsW::default(), vec![], UncW::default());
    let mut k = 0;
    for m in &s.methods {
        mid.extend_from_slice(&strings.id(&m.id)?.to_le_bytes());
        strings.opt(m.name.as_ref(), &mut mname)?;
        strings.opt(m.unit.as_ref(), &mut munit)?;
        flat.method_normalization.push(m.normalization);
        flat.method_weighting.push(m.weighting);
        mlen.extend_from_slice(&len_u32(m.factors.len())?);
        for c in &m.factors {
            cflow.push(&mut strings, Some(&c.flow))?;
            cfactor.extend_from_slice(&c.factor.to_le_bytes());
            cunc.push(k, c.uncertainty.as_ref())?;
            k += 1;
        }
    }
    flat.method_id = Raw::owned(mid);
    flat.method_name = Raw::owned(mname);
    flat.method_unit = Raw::owned(munit);
    flat.method_len = Raw::owned(mlen);
    flat.factor_flow = cflow.done();
    flat.factor = Raw::owned(cfactor);
    flat.factor_uncertainty = cunc.done()?;

    flat.parameters = Raw::owned(named(&s.parameters)?);
    flat.case_insensitive_parameters = s.case_insensitive_parameters;
    flat.report = Raw::owned(named(&db.report)?);
    flat.blob = Raw::owned(std::mem::take(&mut strings.blob));
    flat.ends = Raw::owned(std::mem::take(&mut strings.ends));

    let body = rmp_serde::to_vec(&flat).map_err(|e| bad(e.to_string()))?;
    out.reserve(body.len() + 8);
    out.extend_from_slice(&checksum(&body).to_le_bytes());
    out.extend_from_slice(&body);
    Ok(())
}

// ---------------------------------------------------------------- reading

fn words<'b, const N: usize>(b: &'b [u8], what: &str) -> R<std::slice::ChunksExact<'b, u8>> {
    if b.len() % N != 0 {
        return Err(bad(format!("{what}: {} bytes, not a multiple of {N}", b.len())));
    }
    Ok(b.chunks_exact(N))
}

fn u32s(b: &[u8], what: &str) -> R<Vec<u32>> {
    Ok(words::<4>(b, what)?.map(|c| u32::from_le_bytes(<[u8; 4]>::try_from(c).unwrap_or_default())).collect())
}

fn i64s(b: &[u8], what: &str) -> R<Vec<i64>> {
    Ok(words::<8>(b, what)?.map(|c| i64::from_le_bytes(<[u8; 8]>::try_from(c).unwrap_or_default())).collect())
}

fn floats(b: &[u8], n: usize, what: &str) -> R<Vec<f64>> {
    let v: Vec<f64> =
        words::<8>(b, what)?.map(|c| f64::from_le_bytes(<[u8; 8]>::try_from(c).unwrap_or_default())).collect();
    if v.len() != n {
        return Err(bad(format!("{what}: {} values for {n} rows", v.len())));
    }
    Ok(v)
}

fn nested<T: DeserializeOwned>(b: &[u8], what: &str) -> R<T> {
    rmp_serde::from_slice(b).map_err(|e| bad(format!("{what}: {e}")))
}

struct Table<'a> {
    strings: Vec<&'a str>,
}

impl<'a> Table<'a> {
    fn read(blob: &'a [u8], ends: &[u8]) -> R<Table<'a>> {
        let text = std::str::from_utf8(blob).map_err(|e| bad(format!("string table: {e}")))?;
        let ends = u32s(ends, "string table")?;
        let mut strings = Vec::with_capacity(ends.len());
        let mut start = 0usize;
        for end in ends {
            let end = end as usize;
            let s = text.get(start..end).ok_or_else(|| bad("string table: an offset out of order or in a character"))?;
            strings.push(s);
            start = end;
        }
        if start != text.len() {
            return Err(bad("string table: bytes after the last string"));
        }
        Ok(Table { strings })
    }

    fn get(&self, i: u32) -> R<&'a str> {
        self.strings.get(i as usize).copied().ok_or_else(|| bad(format!("string {i} out of the table")))
    }

    fn opt_column(&self, b: &[u8], n: usize, what: &str) -> R<Vec<Option<String>>> {
        let v = u32s(b, what)?;
        if v.len() != n {
            return Err(bad(format!("{what}: {} values for {n} rows", v.len())));
        }
        v.into_iter().map(|i| if i == 0 { Ok(None) } else { self.get(i - 1).map(|s| Some(s.to_string())) }).collect()
    }
}

/// Reads a column of node ids, row by row.
struct RefsR<'a> {
    what: &'static str,
    tags: &'a [u8],
    ints: Vec<i64>,
    texts: Vec<u32>,
    row: usize,
    int: usize,
    text: usize,
}

impl<'a> RefsR<'a> {
    fn new(r: &'a Refs<'_>, n: usize, what: &'static str) -> R<RefsR<'a>> {
        if r.tags.0.len() != n {
            return Err(bad(format!("{what}: {} ids for {n} rows", r.tags.0.len())));
        }
        Ok(RefsR {
            what,
            tags: &r.tags.0,
            ints: i64s(&r.ints.0, what)?,
            texts: u32s(&r.texts.0, what)?,
            row: 0,
            int: 0,
            text: 0,
        })
    }

    fn next(&mut self, table: &Table) -> R<Option<NodeId>> {
        let tag = self.tags.get(self.row).copied();
        self.row += 1;
        match tag {
            Some(0) => Ok(None),
            Some(1) => {
                let i = self.ints.get(self.int).copied().ok_or_else(|| bad(format!("{}: too few integers", self.what)))?;
                self.int += 1;
                Ok(Some(NodeId::Int(i)))
            }
            Some(2) => {
                let i = self.texts.get(self.text).copied().ok_or_else(|| bad(format!("{}: too few strings", self.what)))?;
                self.text += 1;
                Ok(Some(NodeId::Text(table.get(i)?.to_string())))
            }
            Some(t) => Err(bad(format!("{}: tag {t}", self.what))),
            None => Err(bad(format!("{}: too few rows", self.what))),
        }
    }

    fn required(&mut self, table: &Table) -> R<NodeId> {
        self.next(table)?.ok_or_else(|| bad(format!("{}: a required id is absent", self.what)))
    }

    fn finish(&self) -> R<()> {
        if self.row != self.tags.len() || self.int != self.ints.len() || self.text != self.texts.len() {
            return Err(bad(format!("{}: values left over", self.what)));
        }
        Ok(())
    }
}

/// Reads sparse values in row order: rows strictly increasing, each below `n`.
struct SparseR<T> {
    rows: Vec<u32>,
    values: std::vec::IntoIter<T>,
    at: usize,
}

impl<T> SparseR<T> {
    fn new(rows: &[u8], values: Vec<T>, n: usize, what: &str) -> R<SparseR<T>> {
        let rows = u32s(rows, what)?;
        if rows.len() != values.len() {
            return Err(bad(format!("{what}: {} rows for {} values", rows.len(), values.len())));
        }
        if rows.windows(2).any(|w| w[0] >= w[1]) || rows.last().is_some_and(|&r| r as usize >= n) {
            return Err(bad(format!("{what}: rows out of order or out of range")));
        }
        Ok(SparseR { rows, values: values.into_iter(), at: 0 })
    }

    fn at(&mut self, k: usize) -> Option<T> {
        if self.rows.get(self.at).is_some_and(|&r| r as usize == k) {
            self.at += 1;
            self.values.next()
        } else {
            None
        }
    }
}

fn uncertainty(u: &Unc, n: usize, what: &str) -> R<SparseR<Distribution>> {
    let params = floats(&u.params.0, u.params.0.len() / 8, what)?;
    let mut params = params.into_iter();
    let mut others = nested::<Vec<Distribution>>(&u.others.0, what)?.into_iter();
    let mut values = Vec::with_capacity(u.shapes.0.len());
    let short = || bad(format!("{what}: too few parameters"));
    for &shape in u.shapes.0.iter() {
        let mut p = || params.next().ok_or_else(short);
        values.push(match shape {
            0 => Distribution::Lognormal { mu: None, sigma: p()? },
            1 => Distribution::Lognormal { mu: Some(p()?), sigma: p()? },
            2 => Distribution::Normal { mean: p()?, sd: p()? },
            3 => others.next().ok_or_else(|| bad(format!("{what}: too few distributions")))?,
            s => return Err(bad(format!("{what}: shape {s}"))),
        });
    }
    if params.next().is_some() || others.next().is_some() {
        return Err(bad(format!("{what}: values left over")));
    }
    SparseR::new(&u.rows.0, values, n, what)
}

fn formulas(s: &Sparse, table: &Table, n: usize, what: &str) -> R<SparseR<String>> {
    let values = u32s(&s.values.0, what)?.into_iter().map(|i| table.get(i).map(str::to_string)).collect::<R<Vec<_>>>()?;
    SparseR::new(&s.rows.0, values, n, what)
}

type Triplet = (NodeId, NodeId, f64, Option<Distribution>, Option<String>);

fn read_triplets(t: &Triplets, table: &Table, what: &'static str) -> R<Vec<Triplet>> {
    let n = t.node.tags.0.len();
    let mut node = RefsR::new(&t.node, n, what)?;
    let mut activity = RefsR::new(&t.activity, n, what)?;
    let amount = floats(&t.amount.0, n, what)?;
    let mut unc = uncertainty(&t.uncertainty, n, what)?;
    let mut formula = formulas(&t.formula, table, n, what)?;
    let mut out = Vec::with_capacity(n);
    for (k, x) in amount.into_iter().enumerate() {
        out.push((node.required(table)?, activity.required(table)?, x, unc.at(k), formula.at(k)));
    }
    node.finish()?;
    activity.finish()?;
    Ok(out)
}

/// Splits `total` rows by the lengths in `lens`, which must add up to `total`.
fn lengths(b: &[u8], n: usize, total: usize, what: &str) -> R<Vec<usize>> {
    let lens = u32s(b, what)?;
    if lens.len() != n {
        return Err(bad(format!("{what}: {} lengths for {n} rows", lens.len())));
    }
    let sum = lens.iter().try_fold(0usize, |a, &l| a.checked_add(l as usize));
    if sum != Some(total) {
        return Err(bad(format!("{what}: lengths do not add up to {total}")));
    }
    Ok(lens.into_iter().map(|l| l as usize).collect())
}

/// Reads a cache body written by [`encode`].
pub(super) fn decode(bytes: &[u8]) -> R<ImportedDatabase> {
    let (sum, body) = match bytes.split_first_chunk::<8>() {
        Some((sum, body)) => (u64::from_le_bytes(*sum), body),
        None => return Err(bad("truncated before the checksum")),
    };
    if checksum(body) != sum {
        return Err(bad("checksum mismatch: the cache is truncated or altered"));
    }
    let flat: Flat = rmp_serde::from_slice(body).map_err(|e| bad(e.to_string()))?;
    let table = Table::read(&flat.blob.0, &flat.ends.0)?;

    // processes and their exchanges
    let np = flat.process_id.tags.0.len();
    let nx = flat.kind.0.len();
    let mut pid = RefsR::new(&flat.process_id, np, "process ids")?;
    let pname = table.opt_column(&flat.process_name.0, np, "process names")?;
    let punit = table.opt_column(&flat.process_unit.0, np, "process units")?;
    let ploc = table.opt_column(&flat.process_location.0, np, "process locations")?;
    let plen = lengths(&flat.process_len.0, np, nx, "exchanges per process")?;
    let mut product = RefsR::new(&flat.product, nx, "exchange products")?;
    let mut provider = RefsR::new(&flat.provider, nx, "exchange providers")?;
    let mut flow = RefsR::new(&flat.flow, nx, "exchange flows")?;
    let amount = floats(&flat.amount.0, nx, "exchange amounts")?;
    let mut unc = uncertainty(&flat.uncertainty, nx, "exchange uncertainty")?;
    let mut formula = formulas(&flat.formula, &table, nx, "exchange formulas")?;
    let mut processes = Vec::with_capacity(np);
    let mut k = 0;
    for (((len, name), unit), location) in plen.into_iter().zip(pname).zip(punit).zip(ploc) {
        let id = pid.required(&table)?;
        let mut exchanges = Vec::with_capacity(len);
        for _ in 0..len {
            let kind = match flat.kind.0.get(k) {
                Some(0) => ExchangeType::Production,
                Some(1) => ExchangeType::Technosphere,
                Some(2) => ExchangeType::Biosphere,
                other => return Err(bad(format!("exchange kind {other:?}"))),
            };
            exchanges.push(Exchange {
                kind,
                product: product.next(&table)?,
                provider: provider.next(&table)?,
                flow: flow.next(&table)?,
                amount: amount.get(k).copied().ok_or_else(|| bad("too few amounts"))?,
                uncertainty: unc.at(k),
                formula: formula.at(k),
            });
            k += 1;
        }
        processes.push(ProcessRecord { id, name, unit, location, exchanges });
    }
    for r in [&pid, &product, &provider, &flow] {
        r.finish()?;
    }

    // activities
    let na = flat.activity_id.tags.0.len();
    let mut aid = RefsR::new(&flat.activity_id, na, "activity ids")?;
    let mut aproduct = RefsR::new(&flat.activity_product, na, "activity products")?;
    let aname = table.opt_column(&flat.activity_name.0, na, "activity names")?;
    let aunit = table.opt_column(&flat.activity_unit.0, na, "activity units")?;
    let aloc = table.opt_column(&flat.activity_location.0, na, "activity locations")?;
    let mut activities = Vec::with_capacity(na);
    for ((name, unit), location) in aname.into_iter().zip(aunit).zip(aloc) {
        activities.push(ActivityInfo { id: aid.required(&table)?, product: aproduct.next(&table)?, name, unit, location });
    }
    aid.finish()?;
    aproduct.finish()?;

    let technosphere = read_triplets(&flat.technosphere, &table, "technosphere")?
        .into_iter()
        .map(|(product, activity, amount, uncertainty, formula)| TechnosphereEntry {
            product,
            activity,
            amount,
            uncertainty,
            formula,
        })
        .collect();
    let biosphere = read_triplets(&flat.biosphere, &table, "biosphere")?
        .into_iter()
        .map(|(flow, activity, amount, uncertainty, formula)| BiosphereEntry { flow, activity, amount, uncertainty, formula })
        .collect();

    // flows
    let nf = flat.flow_id.tags.0.len();
    let mut fid = RefsR::new(&flat.flow_id, nf, "flow ids")?;
    let fname = table.opt_column(&flat.flow_name.0, nf, "flow names")?;
    let funit = table.opt_column(&flat.flow_unit.0, nf, "flow units")?;
    let fcomp = table.opt_column(&flat.flow_compartment.0, nf, "flow compartments")?;
    let mut flows = Vec::with_capacity(nf);
    for ((name, unit), compartment) in fname.into_iter().zip(funit).zip(fcomp) {
        flows.push(FlowInfo { id: fid.required(&table)?, name, unit, compartment });
    }
    fid.finish()?;

    // methods
    let mid = u32s(&flat.method_id.0, "method ids")?;
    let nm = mid.len();
    let mname = table.opt_column(&flat.method_name.0, nm, "method names")?;
    let munit = table.opt_column(&flat.method_unit.0, nm, "method units")?;
    if flat.method_normalization.len() != nm || flat.method_weighting.len() != nm {
        return Err(bad("method normalization or weighting: wrong length"));
    }
    let nc = flat.factor_flow.tags.0.len();
    let mlen = lengths(&flat.method_len.0, nm, nc, "factors per method")?;
    let mut cflow = RefsR::new(&flat.factor_flow, nc, "factor flows")?;
    let cfactor = floats(&flat.factor.0, nc, "factors")?;
    let mut cunc = uncertainty(&flat.factor_uncertainty, nc, "factor uncertainty")?;
    let mut methods = Vec::with_capacity(nm);
    let mut k = 0;
    let meta = mid.into_iter().zip(mname).zip(munit).zip(&flat.method_normalization).zip(&flat.method_weighting);
    for ((((id, name), unit), normalization), weighting) in meta {
        let len = mlen.get(methods.len()).copied().unwrap_or(0);
        let mut factors = Vec::with_capacity(len);
        for _ in 0..len {
            factors.push(CharacterizationFactor {
                flow: cflow.required(&table)?,
                factor: cfactor.get(k).copied().ok_or_else(|| bad("too few factors"))?,
                uncertainty: cunc.at(k),
            });
            k += 1;
        }
        methods.push(MethodSpec {
            id: table.get(id)?.to_string(),
            name,
            unit,
            factors,
            normalization: *normalization,
            weighting: *weighting,
        });
    }
    cflow.finish()?;

    let system = SystemSpec {
        activities,
        processes,
        technosphere,
        biosphere,
        flows,
        methods,
        parameters: nested(&flat.parameters.0, "parameters")?,
        case_insensitive_parameters: flat.case_insensitive_parameters,
    };
    Ok(ImportedDatabase { system, report: nested(&flat.report.0, "report")? })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::{import_database, DocumentFile, ImportFormat, ImportOptions, ImportReport, SourceFile};
    use super::*;
    use proptest::prelude::*;

    /// The round trip, exact: equal, and equal to the bit (Debug prints -0.0 and every
    /// float's shortest exact form).
    fn round_trip(db: &ImportedDatabase) {
        let bytes = db.to_cache().unwrap();
        let back = ImportedDatabase::from_cache(&bytes).unwrap();
        assert_eq!(&back, db);
        assert_eq!(format!("{back:?}"), format!("{db:?}"));
    }

    fn testdata(path: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata").join(path)
    }

    fn small() -> ImportedDatabase {
        let system: SystemSpec = serde_json::from_value(serde_json::json!({
            "processes": [
                {"id": "kWh", "name": "electricity", "unit": "kWh", "location": "CN", "exchanges": [
                    {"type": "production", "product": "kWh", "amount": 1},
                    {"type": "technosphere", "product": 7, "provider": -3, "amount": 0.4,
                     "uncertainty": {"kind": "lognormal", "sigma": 0.1}},
                    {"type": "biosphere", "flow": "CO2", "amount": 0.9, "formula": "f * 0.9"}]},
                {"id": 7, "exchanges": [{"type": "production", "product": 7, "amount": 1}]}],
            "flows": [{"id": "CO2", "name": "carbon dioxide", "compartment": "air"}],
            "parameters": [{"name": "f", "value": 1.0, "uncertainty": {"kind": "normal", "mean": 1.0, "sd": 0.1}}],
            "methods": [{"id": "GWP100", "unit": "kg CO2e", "normalization": 2.0,
                         "factors": [{"flow": "CO2", "factor": 1, "uncertainty": {"kind": "normal", "mean": 1, "sd": 0.1}},
                                     {"flow": 5, "factor": 25}]},
                        {"id": "empty", "factors": []}]
        }))
        .unwrap();
        let mut report = ImportReport::new(ImportFormat::Olca, "db.zip");
        report.count_link(&super::super::LinkHow::Fallback("GLO".into()));
        report.count_conversion("t", "kg", 1000.0);
        report.leave_out("exchange", "x1", Some("water"), "no provider");
        ImportedDatabase { system, report }
    }

    #[test]
    fn process_records_read_back_exactly() {
        round_trip(&small());
        round_trip(&ImportedDatabase {
            system: SystemSpec::default(),
            report: ImportReport::new(ImportFormat::Ecospold2, ""),
        });
    }

    #[test]
    fn triplets_read_back_exactly() {
        let system: SystemSpec = serde_json::from_value(serde_json::json!({
            "activities": [{"id": 1, "product": 11, "name": "steel", "unit": "kg", "location": "CN"}, {"id": "b"}],
            "technosphere": [{"product": 11, "activity": 1, "amount": 1.0},
                             {"product": 11, "activity": "b", "amount": -0.5,
                              "uncertainty": {"kind": "lognormal", "mu": -0.7, "sigma": 0.2}, "formula": "a + 1"}],
            "biosphere": [{"flow": 100, "activity": 1, "amount": 2.5, "uncertainty": {"kind": "normal", "mean": 2.5, "sd": 0.1}},
                          {"flow": "ch4", "activity": "b", "amount": 0.0}],
            "flows": [{"id": 100, "name": "CO2", "unit": "kg"}, {"id": "ch4"}],
            "case_insensitive_parameters": true
        }))
        .unwrap();
        round_trip(&ImportedDatabase { system, report: ImportReport::new(ImportFormat::Datapackage, "x.zip") });
    }

    #[test]
    fn imported_fixtures_read_back_exactly() {
        let mut spold = Vec::new();
        for entry in std::fs::read_dir(testdata("import/mini")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "spold") {
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                spold.push(SourceFile::new(name, std::fs::read(&path).unwrap()));
            }
        }
        assert_eq!(spold.len(), 2);
        spold.sort_by(|a, b| a.name.cmp(&b.name));
        let db = import_database(&spold, &ImportOptions::default()).unwrap();
        assert!(!db.system.processes.is_empty());
        round_trip(&db);

        let steel = std::fs::read(testdata("import/datapackage/steel.zip")).unwrap();
        let db = import_database(&[SourceFile::new("steel.zip", steel)], &ImportOptions::default()).unwrap();
        assert!(!db.system.technosphere.is_empty());
        round_trip(&db);

        let mut imported = 0;
        for vectors in ["vectors/import_olca.json", "vectors/import_ecospold2.json"] {
            let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(testdata(vectors)).unwrap()).unwrap();
            for case in doc["cases"].as_array().unwrap() {
                let files: Vec<DocumentFile> = serde_json::from_value(case["input"]["files"].clone()).unwrap();
                let files: Vec<SourceFile> =
                    files.iter().enumerate().map(|(k, f)| f.decode(&format!("files[{k}]")).unwrap()).collect();
                let options: ImportOptions = match case["input"].get("options") {
                    Some(o) => serde_json::from_value(o.clone()).unwrap(),
                    None => ImportOptions::default(),
                };
                // cases that expect an error import nothing to cache
                if let Ok(db) = import_database(&files, &options) {
                    round_trip(&db);
                    imported += 1;
                }
            }
        }
        assert!(imported >= 10, "{imported}");
    }

    #[test]
    fn truncated_and_altered_caches_are_refused() {
        let bytes = small().to_cache().unwrap();
        for len in 0..bytes.len() {
            let e = ImportedDatabase::from_cache(&bytes[..len]).unwrap_err();
            let code = if len < 12 { "UNSUPPORTED_SCHEMA" } else { "MALFORMED_DATA" };
            assert_eq!(e.code(), code, "{len}");
        }
        for at in 0..bytes.len() {
            for mask in [0x01u8, 0x80, 0xff, 0x5a] {
                let mut altered = bytes.clone();
                altered[at] ^= mask;
                let e = ImportedDatabase::from_cache(&altered).unwrap_err();
                if at >= 12 {
                    assert_eq!(e.code(), "MALFORMED_DATA", "{at}");
                    assert!(e.to_string().starts_with("cache: database"), "{e}");
                }
            }
        }
    }

    /// A body with a valid checksum but altered content (as a bug or a hand-made file would
    /// give) is refused by the index checks, not by the checksum.
    #[test]
    fn bodies_with_a_valid_checksum_but_bad_indices_are_refused() {
        let bytes = small().to_cache().unwrap();
        let body = &bytes[20..];
        let mut n = 0;
        for at in 0..body.len() {
            for mask in [0x01u8, 0x02, 0x10, 0x80, 0xff] {
                let mut altered = body.to_vec();
                altered[at] ^= mask;
                let mut cache = bytes[..12].to_vec();
                cache.extend_from_slice(&checksum(&altered).to_le_bytes());
                cache.extend_from_slice(&altered);
                // never a panic; an Err is MALFORMED_DATA
                if let Err(e) = ImportedDatabase::from_cache(&cache) {
                    assert_eq!(e.code(), "MALFORMED_DATA");
                    n += 1;
                }
            }
        }
        assert!(n > body.len(), "{n}");
    }

    fn node() -> impl Strategy<Value = NodeId> {
        prop_oneof![any::<i64>().prop_map(NodeId::Int), "[a-cé]{0,3}".prop_map(NodeId::Text)]
    }

    fn amount() -> impl Strategy<Value = f64> {
        use proptest::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
        prop_oneof![POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO, Just(-0.0), Just(0.0), Just(f64::from_bits(1))]
    }

    fn text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of("[a-d ]{0,4}")
    }

    fn distribution() -> impl Strategy<Value = Option<Distribution>> {
        proptest::option::of(prop_oneof![
            (proptest::option::of(amount()), amount()).prop_map(|(mu, sigma)| Distribution::Lognormal { mu, sigma }),
            (amount(), amount()).prop_map(|(mean, sd)| Distribution::Normal { mean, sd }),
        ])
    }

    fn exchange() -> impl Strategy<Value = Exchange> {
        (
            0..3u8,
            proptest::option::of(node()),
            proptest::option::of(node()),
            proptest::option::of(node()),
            amount(),
            distribution(),
            text(),
        )
            .prop_map(|(k, product, provider, flow, amount, uncertainty, formula)| Exchange {
                kind: [ExchangeType::Production, ExchangeType::Technosphere, ExchangeType::Biosphere][k as usize],
                product,
                provider,
                flow,
                amount,
                uncertainty,
                formula,
            })
    }

    fn system() -> impl Strategy<Value = SystemSpec> {
        let process = (node(), text(), text(), text(), proptest::collection::vec(exchange(), 0..4))
            .prop_map(|(id, name, unit, location, exchanges)| ProcessRecord { id, name, unit, location, exchanges });
        let activity = (node(), proptest::option::of(node()), text(), text(), text())
            .prop_map(|(id, product, name, unit, location)| ActivityInfo { id, product, name, unit, location });
        let triplet = || (node(), node(), amount(), distribution(), text());
        let flow = (node(), text(), text(), text()).prop_map(|(id, name, unit, compartment)| FlowInfo { id, name, unit, compartment });
        let factor = (node(), amount(), distribution())
            .prop_map(|(flow, factor, uncertainty)| CharacterizationFactor { flow, factor, uncertainty });
        let method = (
            "[a-c]{0,2}",
            text(),
            text(),
            proptest::collection::vec(factor, 0..3),
            proptest::option::of(amount()),
            proptest::option::of(amount()),
        )
            .prop_map(|(id, name, unit, factors, normalization, weighting)| MethodSpec {
                id,
                name,
                unit,
                factors,
                normalization,
                weighting,
            });
        (
            proptest::collection::vec(process, 0..4),
            proptest::collection::vec(activity, 0..3),
            proptest::collection::vec(triplet(), 0..3),
            proptest::collection::vec(triplet(), 0..3),
            proptest::collection::vec(flow, 0..3),
            proptest::collection::vec(method, 0..3),
            any::<bool>(),
        )
            .prop_map(|(processes, activities, tech, bio, flows, methods, case_insensitive_parameters)| SystemSpec {
                activities,
                processes,
                technosphere: tech
                    .into_iter()
                    .map(|(product, activity, amount, uncertainty, formula)| TechnosphereEntry {
                        product,
                        activity,
                        amount,
                        uncertainty,
                        formula,
                    })
                    .collect(),
                biosphere: bio
                    .into_iter()
                    .map(|(flow, activity, amount, uncertainty, formula)| BiosphereEntry {
                        flow,
                        activity,
                        amount,
                        uncertainty,
                        formula,
                    })
                    .collect(),
                flows,
                methods,
                parameters: Vec::new(),
                case_insensitive_parameters,
            })
    }

    proptest! {
        #[test]
        fn random_systems_read_back_to_the_bit(system in system()) {
            let db = ImportedDatabase { system, report: ImportReport::new(ImportFormat::Olca, "p") };
            let bytes = db.to_cache().unwrap();
            let back = ImportedDatabase::from_cache(&bytes).unwrap();
            prop_assert_eq!(format!("{back:?}"), format!("{db:?}"));
            prop_assert_eq!(back, db);
        }
    }

    /// A synthetic database of 20,000 processes and 540,000 exchanges (UUID ids, a
    /// lognormal on every tenth exchange): cache size and times, and the same for the
    /// previous format (named MessagePack of the whole struct).
    /// `cargo test -p tanso --release --lib exchange::import::cache -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn timing_of_a_large_database() {
        use std::time::Instant;
        let uuid = |kind: u64, i: u64| {
            let h = (i.wrapping_add(kind << 40)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            format!("{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}", h >> 32, (h >> 16) & 0xffff, h & 0xfff, i & 0xfff, h & 0xffff_ffff_ffff)
        };
        let (np, nflows) = (20_000u64, 2_000u64);
        let locations = ["CN", "GLO", "RoW", "DE", "US"];
        let mut k = 0u64;
        let mut processes = Vec::new();
        for p in 0..np {
            let mut exchanges = vec![Exchange {
                kind: ExchangeType::Production,
                product: Some(NodeId::Text(uuid(1, p))),
                provider: None,
                flow: None,
                amount: 1.0,
                uncertainty: None,
                formula: None,
            }];
            for j in 0..26u64 {
                k += 1;
                let amount = ((k * 7919) % 10_007) as f64 / 997.0;
                let uncertainty = (k % 10 == 0).then_some(Distribution::Lognormal { mu: None, sigma: 0.1 + (k % 7) as f64 / 50.0 });
                let x = if j < 20 {
                    Exchange {
                        kind: ExchangeType::Technosphere,
                        product: Some(NodeId::Text(uuid(1, (p * 31 + j * 977) % np))),
                        provider: None,
                        flow: None,
                        amount,
                        uncertainty,
                        formula: None,
                    }
                } else {
                    Exchange {
                        kind: ExchangeType::Biosphere,
                        product: None,
                        provider: None,
                        flow: Some(NodeId::Text(uuid(2, (p * 13 + j * 101) % nflows))),
                        amount,
                        uncertainty,
                        formula: None,
                    }
                };
                exchanges.push(x);
            }
            processes.push(ProcessRecord {
                id: NodeId::Text(uuid(1, p)),
                name: Some(format!("market for product {p}")),
                unit: Some(["kg", "kWh", "MJ", "m3"][(p % 4) as usize].into()),
                location: Some(locations[(p % 5) as usize].into()),
                exchanges,
            });
        }
        let flows = (0..nflows)
            .map(|f| FlowInfo {
                id: NodeId::Text(uuid(2, f)),
                name: Some(format!("flow {f}")),
                unit: Some("kg".into()),
                compartment: Some(["air", "water", "soil"][(f % 3) as usize].into()),
            })
            .collect();
        let methods = vec![MethodSpec {
            id: "GWP100".into(),
            name: Some("IPCC 2021 GWP100".into()),
            unit: Some("kg CO2e".into()),
            factors: (0..nflows / 4)
                .map(|f| CharacterizationFactor { flow: NodeId::Text(uuid(2, f)), factor: f as f64, uncertainty: None })
                .collect(),
            normalization: None,
            weighting: None,
        }];
        let system = SystemSpec { processes, flows, methods, ..SystemSpec::default() };
        let db = ImportedDatabase { system, report: ImportReport::new(ImportFormat::Ecospold2, "synthetic") };
        let n: usize = db.system.processes.iter().map(|p| p.exchanges.len()).sum();
        assert_eq!(n, 540_000);

        let t = Instant::now();
        let mut old = Vec::new();
        rmp_serde::encode::write_named(&mut old, &db).unwrap();
        let old_write = t.elapsed();
        let t = Instant::now();
        let old_back: ImportedDatabase = rmp_serde::from_slice(&old).unwrap();
        let old_read = t.elapsed();
        assert_eq!(old_back, db);

        let best = |f: &mut dyn FnMut()| {
            (0..3)
                .map(|_| {
                    let t = Instant::now();
                    f();
                    t.elapsed()
                })
                .min()
                .unwrap()
        };
        let mut bytes = Vec::new();
        let write = best(&mut || bytes = db.to_cache().unwrap());
        let mut back = None;
        let read = best(&mut || back = Some(ImportedDatabase::from_cache(&bytes).unwrap()));
        assert_eq!(back.as_ref(), Some(&db));
        println!(
            "previous format (named MessagePack): {:.1} MB, write {:?}, read {:?}",
            old.len() as f64 / 1e6,
            old_write,
            old_read
        );
        println!("columnar cache: {:.1} MB, to_cache {:?}, from_cache {:?} (best of 3)", bytes.len() as f64 / 1e6, write, read);
        let t = Instant::now();
        drop(back);
        println!("dropping the restored database: {:?}", t.elapsed());
    }
}
