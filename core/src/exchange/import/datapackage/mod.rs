//! Brightway datapackages (`bw_processing` 0.9 to 1.x): a zip or folder with a
//! `datapackage.json` descriptor and `.npy` arrays, as `bw2data` writes a processed
//! database or impact method, read into the engine's triplet form.
//!
//! What is read, and where each name is defined:
//! - the descriptor (`bw_processing/datapackage.py`, `Datapackage._create` and
//!   `_add_numpy_array_resource`): `profile` must be `"data-package"`; each resource has
//!   `name`, `path`, `format` (`npy`; `pqt` Parquet is refused), `matrix`, `kind`
//!   (`indices`, `data`, `flip`, `distributions`), `group` and `category` (`vector` static,
//!   `array` presamples); the package's `sum_intra_duplicates` (default true) and
//!   `sum_inter_duplicates` (default false) flags;
//! - the arrays (`bw_processing/constants.py`): indices `INDICES_DTYPE` (`row`, `col`, int32
//!   in 0.9, int64 in 1.x), data `<f8`, flip `|b1` (true: the value enters the matrix
//!   negated), distributions stats_arrays' `UNCERTAINTY_DTYPE` (`uncertainty_type` u1,
//!   `loc`, `scale`, `shape`, `minimum`, `maximum` f4 or f8, `negative` b1); the `.npy`
//!   files by the reader in [`npy`] (written here: the library takes no NumPy crate);
//! - the matrices as `bw2calc` (`lca.py`) and `matrix_utils` (`mapped_matrix.py`) build
//!   them: technosphere rows are product ids and columns activity ids, a product sharing its
//!   maker's id (Brightway 2.5); biosphere rows are flow ids; the characterization matrix is
//!   diagonal, from the row ids only (its columns, locations, are not used).
//!
//! The system: one activity per technosphere column id (`NodeId::Int`), ids sorted as
//! `bw2calc` orders them; an entry (row r, column c) with r ≠ c is an input of product r,
//! linked by [`super::link::Linker`] to activity r (`only_provider`); a row id that is no
//! column is unlinked and reported (bw2calc would refuse the non-square matrix); the
//! diagonal is the production. Within a resource group duplicates are summed (or the last
//! kept when `sum_intra_duplicates` is false); a later group's entry replaces an earlier one
//! at the same (row, column) unless `sum_inter_duplicates` is true, as
//! `MappedMatrix.rebuild_matrix` does. Each characterization group is one method, its id the
//! group name. Presample arrays give their first column (bw2calc, by default
//! `use_arrays=False`, would leave them out; with arrays, its sequential indexer starts at
//! the first column); dynamic interfaces, other
//! matrices and distributions the engine does not sample are listed in the report's
//! `left_out`, with the static value kept.
//!
//! ```
//! use tanso::exchange::import::datapackage::npy::write;
//! use tanso::exchange::import::{import_database, ImportOptions, SourceFile};
//! // one activity (id 1) making 1 kg and emitting 2 kg of flow 7; method "gwp": 7 → 1.5
//! let descriptor = r#"{"profile": "data-package", "name": "tiny", "resources": [
//!   {"name": "a.indices", "path": "a.indices.npy", "matrix": "technosphere_matrix", "kind": "indices", "group": "a", "category": "vector"},
//!   {"name": "a.data", "path": "a.data.npy", "matrix": "technosphere_matrix", "kind": "data", "group": "a", "category": "vector"},
//!   {"name": "b.indices", "path": "b.indices.npy", "matrix": "biosphere_matrix", "kind": "indices", "group": "b", "category": "vector"},
//!   {"name": "b.data", "path": "b.data.npy", "matrix": "biosphere_matrix", "kind": "data", "group": "b", "category": "vector"},
//!   {"name": "gwp.indices", "path": "gwp.indices.npy", "matrix": "characterization_matrix", "kind": "indices", "group": "gwp", "category": "vector"},
//!   {"name": "gwp.data", "path": "gwp.data.npy", "matrix": "characterization_matrix", "kind": "data", "group": "gwp", "category": "vector"}]}"#;
//! let indices = |r: i32, c: i32| write("[('row', '<i4'), ('col', '<i4')]", &[1], &[r.to_le_bytes(), c.to_le_bytes()].concat());
//! let data = |x: f64| write("<f8", &[1], &x.to_le_bytes());
//! let files = vec![
//!     SourceFile::new("datapackage.json", descriptor.as_bytes().to_vec()),
//!     SourceFile::new("a.indices.npy", indices(1, 1)),
//!     SourceFile::new("a.data.npy", data(1.0)),
//!     SourceFile::new("b.indices.npy", indices(7, 1)),
//!     SourceFile::new("b.data.npy", data(2.0)),
//!     SourceFile::new("gwp.indices.npy", indices(7, 0)),
//!     SourceFile::new("gwp.data.npy", data(1.5)),
//! ];
//! let db = import_database(&files, &ImportOptions::default()).unwrap();
//! assert_eq!((db.report.counts.activities, db.report.counts.flows, db.report.counts.methods), (1, 1, 1));
//! assert_eq!(db.system.methods[0].id, "gwp");
//! ```

pub mod build;
pub mod npy;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use serde::Deserialize;

use super::link::{Link, Linker};
use super::{malformed, missing_reference, ImportFormat, ImportOptions, ImportReport, ImportedDatabase, SourceFile, UnlinkedExchange};
use crate::error::LcaError;
use crate::lca::sampling::Distribution;
use crate::lca::system::{ActivityInfo, BiosphereEntry, CharacterizationFactor, FlowInfo, MethodSpec, NodeId, SystemSpec, TechnosphereEntry};
use crate::TansoError;

/// The matrices read into the system.
const READ_MATRICES: [&str; 3] = ["technosphere_matrix", "biosphere_matrix", "characterization_matrix"];

/// Matrices Brightway writes that the system does not carry, and why.
const NOT_CARRIED_MATRICES: [(&str, &str); 3] = [
    (
        "inv_geomapping_matrix",
        "the activity → location mapping is used only by regionalized calculations (bw2regional)",
    ),
    (
        "normalization_matrix",
        "bw2calc's per-flow normalization matrix is not carried; give a method's normalization in the options instead",
    ),
    (
        "weighting_matrix",
        "bw2calc's weighting matrix is not carried; give a method's weighting in the options instead",
    ),
];

/// How many examples a grouped left-out note lists.
const EXAMPLES: usize = 5;

#[derive(Debug, Deserialize)]
struct Descriptor {
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    resources: Vec<ResourceDescriptor>,
    #[serde(default)]
    sum_intra_duplicates: Option<bool>,
    #[serde(default)]
    sum_inter_duplicates: Option<bool>,
}

#[derive(Debug, Clone, Deserialize)]
struct ResourceDescriptor {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    matrix: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    nrows: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Matrix {
    Technosphere,
    Biosphere,
    Characterization,
}

/// One resource group of one matrix: its label and its resources by kind.
#[derive(Debug)]
struct Group {
    matrix: Matrix,
    matrix_name: String,
    label: String,
    indices: Option<ResourceDescriptor>,
    data: Option<ResourceDescriptor>,
    flip: Option<ResourceDescriptor>,
    distributions: Option<ResourceDescriptor>,
}

/// One package: its descriptor's folder and flags.
struct Package<'f> {
    descriptor_path: String,
    folder: String,
    name: String,
    sum_intra: bool,
    sum_inter: bool,
    files: &'f HashMap<String, &'f SourceFile>,
}

/// An entry read from a group, the flip applied.
#[derive(Debug, Clone)]
struct Entry {
    row: i64,
    col: i64,
    amount: f64,
    uncertainty: Option<Distribution>,
    alive: bool,
}

/// Left-out notes grouped by (kind, group, reason), with a count and a few examples.
#[derive(Default)]
struct Tally {
    keys: HashMap<(String, String, String), usize>,
    notes: Vec<(String, String, String, usize, Vec<String>)>,
}

impl Tally {
    fn add(&mut self, kind: &str, group: &str, reason: &str, example: impl FnOnce() -> String) {
        let key = (kind.to_string(), group.to_string(), reason.to_string());
        let k = *self.keys.entry(key).or_insert_with(|| {
            self.notes.push((kind.to_string(), group.to_string(), reason.to_string(), 0, Vec::new()));
            self.notes.len() - 1
        });
        if let Some(note) = self.notes.get_mut(k) {
            note.3 += 1;
            if note.4.len() < EXAMPLES {
                note.4.push(example());
            }
        }
    }

    fn into_report(self, report: &mut ImportReport) {
        for (kind, group, reason, count, examples) in self.notes {
            let more = if count > examples.len() { ", …" } else { "" };
            report.leave_out(
                &kind,
                format!("{group}: {count} {} ({}{more})", if count == 1 { "entry" } else { "entries" }, examples.join("; ")),
                None,
                reason,
            );
        }
    }
}

/// Imports a Brightway datapackage (or several, each with its own `datapackage.json` in
/// its own folder, read in file order as `bw2calc` reads a list of packages).
pub fn import(source: &str, files: &[SourceFile], options: &ImportOptions) -> Result<ImportedDatabase, TansoError> {
    let mut report = ImportReport::new(ImportFormat::Datapackage, source);
    let mut by_name: HashMap<String, &SourceFile> = HashMap::with_capacity(files.len());
    for f in files {
        let name = normalize(&f.name);
        if by_name.insert(name.clone(), f).is_some() {
            // two zips unpacked side by side: their entries cannot be told apart
            return Err(malformed(
                source,
                name,
                "two files have this name (two datapackages unpacked into the same folder?); give each datapackage its own folder, or import them one at a time",
            ));
        }
    }
    let descriptors: Vec<&SourceFile> = files
        .iter()
        .filter(|f| base_name(&normalize(&f.name)).eq_ignore_ascii_case("datapackage.json"))
        .collect();
    if descriptors.is_empty() {
        return Err(malformed(
            source,
            "datapackage.json",
            format!("no datapackage.json among the {} files; a Brightway datapackage has one beside its .npy files", files.len()),
        ));
    }
    if options.allocation != super::AllocationChoice::Default {
        report
            .warnings
            .push("the allocation option is ignored: a datapackage holds matrices, already allocated".into());
    }

    let mut tech: Vec<Entry> = Vec::new();
    let mut bio: Vec<Entry> = Vec::new();
    let mut tech_positions: Option<HashMap<(i64, i64), Vec<usize>>> = None;
    let mut bio_positions: Option<HashMap<(i64, i64), Vec<usize>>> = None;
    let mut tech_groups = 0usize;
    let mut bio_groups = 0usize;
    let mut replaced = (0usize, 0usize);
    let mut methods: Vec<MethodSpec> = Vec::new();
    let mut tally = Tally::default();
    let mut profiles = BTreeSet::new();

    for descriptor_file in descriptors {
        let descriptor_path = normalize(&descriptor_file.name);
        let folder = match descriptor_path.rfind('/') {
            Some(k) => descriptor_path[..=k].to_string(),
            None => String::new(),
        };
        let label = file_label(source, &descriptor_path);
        let descriptor: Descriptor = serde_json::from_slice(&descriptor_file.bytes)
            .map_err(|e| malformed(&label, "descriptor", format!("not a datapackage descriptor: {e}")))?;
        match descriptor.profile.as_deref() {
            Some("data-package") => {}
            None => report.warnings.push(format!(
                "{label}: the descriptor has no profile; read as a \"data-package\" (the Frictionless default)"
            )),
            Some(other) => {
                return Err(LcaError::UnsupportedSchema {
                    source_name: label,
                    what: "datapackage profile".into(),
                    found: format!("'{other}'"),
                    supported: "\"data-package\" (bw_processing)".into(),
                }
                .into())
            }
        }
        profiles.insert(descriptor.profile.clone().unwrap_or_else(|| "data-package".into()));
        if descriptor.sum_intra_duplicates.is_none() || descriptor.sum_inter_duplicates.is_none() {
            report.warnings.push(format!(
                "{label}: sum_intra_duplicates/sum_inter_duplicates not given; bw_processing's defaults assumed (true, false)"
            ));
        }
        let package = Package {
            folder,
            name: descriptor.name.clone().unwrap_or_else(|| descriptor_path.clone()),
            sum_intra: descriptor.sum_intra_duplicates.unwrap_or(true),
            sum_inter: descriptor.sum_inter_duplicates.unwrap_or(false),
            descriptor_path,
            files: &by_name,
        };
        let groups = collect_groups(source, &package, &descriptor, &mut report)?;
        for group in groups {
            let entries = read_group(source, &package, &group, &mut report, &mut tally)?;
            match group.matrix {
                Matrix::Technosphere => {
                    tech_groups += 1;
                    replaced.0 += merge(&mut tech, &mut tech_positions, entries, tech_groups > 1, package.sum_inter);
                }
                Matrix::Biosphere => {
                    bio_groups += 1;
                    replaced.1 += merge(&mut bio, &mut bio_positions, entries, bio_groups > 1, package.sum_inter);
                }
                Matrix::Characterization => {
                    let mut id = group.label.clone();
                    if methods.iter().any(|m| m.id == id) {
                        let mut k = 2;
                        while methods.iter().any(|m| m.id == format!("{} ({k})", group.label)) {
                            k += 1;
                        }
                        id = format!("{} ({k})", group.label);
                        report.warnings.push(format!(
                            "{}: a second characterization group '{}' is method '{id}'",
                            package.name, group.label
                        ));
                    }
                    methods.push(MethodSpec {
                        id,
                        name: Some(group.label.clone()),
                        unit: None,
                        factors: entries
                            .into_iter()
                            .filter(|e| e.alive)
                            .map(|e| CharacterizationFactor {
                                flow: NodeId::Int(e.row),
                                factor: e.amount,
                                uncertainty: e.uncertainty,
                            })
                            .collect(),
                        normalization: None,
                        weighting: None,
                    });
                }
            }
        }
    }
    report.schema_version = Some(profiles.into_iter().collect::<Vec<_>>().join(", "));
    if tech_groups > 1 || bio_groups > 1 {
        report.warnings.push(format!(
            "{tech_groups} technosphere and {bio_groups} biosphere resource groups were combined in order, as bw2calc's MappedMatrix does: \
             within a package with sum_inter_duplicates true their entries are summed, otherwise a later group's entry replaces an \
             earlier one at the same (row, column); {} technosphere and {} biosphere entries were replaced",
            replaced.0, replaced.1
        ));
    }
    if methods.len() > 1 {
        report.warnings.push(format!(
            "{} characterization groups, each made a method of its own (bw2calc would add the groups of one package into one matrix)",
            methods.len()
        ));
    }

    // activities: the technosphere's column ids, sorted as bw2calc's ArrayMapper sorts them
    let columns: BTreeSet<i64> = tech.iter().map(|e| e.col).collect();
    let mut linker = Linker::new(options.fallback_locations.clone());
    let mut key = String::new();
    for &c in &columns {
        key.clear();
        let _ = write!(key, "{c}");
        linker.add(&key, NodeId::Int(c), None);
    }
    let activities: Vec<ActivityInfo> = columns
        .iter()
        .map(|&c| ActivityInfo {
            id: NodeId::Int(c),
            product: Some(NodeId::Int(c)),
            name: None,
            unit: None,
            location: None,
        })
        .collect();

    let mut technosphere = Vec::with_capacity(tech.len());
    let mut produced: HashSet<i64> = HashSet::with_capacity(columns.len());
    let mut uncertain = 0usize;
    let mut linked = 0usize;
    for e in tech.into_iter().filter(|e| e.alive) {
        if e.row == e.col {
            produced.insert(e.col);
        } else {
            key.clear();
            let _ = write!(key, "{}", e.row);
            match linker.link(&key, None, None) {
                Link::Linked { how, .. } => {
                    report.count_link(&how);
                    linked += 1;
                }
                Link::Unlinked { reason, candidates } => {
                    report.unlinked.push(UnlinkedExchange {
                        activity: NodeId::Int(e.col),
                        activity_name: None,
                        product: key.clone(),
                        product_name: None,
                        amount: e.amount,
                        unit: None,
                        reason: format!(
                            "product {} is no column of the technosphere ({reason}); bw2calc would refuse the non-square matrix",
                            e.row
                        ),
                        candidates,
                    });
                    continue;
                }
            }
        }
        uncertain += usize::from(e.uncertainty.is_some());
        technosphere.push(TechnosphereEntry {
            product: NodeId::Int(e.row),
            activity: NodeId::Int(e.col),
            amount: e.amount,
            uncertainty: e.uncertainty,
            formula: None,
        });
    }
    if !report.unlinked.is_empty() {
        let ids: BTreeSet<&str> = report.unlinked.iter().map(|u| u.product.as_str()).collect();
        report.warnings.push(format!(
            "{} technosphere entries consume {} product ids that are no activity of the datapackage ({}); they are left out (see unlinked)",
            report.unlinked.len(),
            ids.len(),
            examples(ids.iter())
        ));
    }
    let unproduced: Vec<i64> = columns.iter().copied().filter(|c| !produced.contains(c)).collect();
    if !unproduced.is_empty() {
        report.warnings.push(format!(
            "{} activities have no diagonal (production) entry: {}; as in bw2calc their production is 0 (no default of 1 is assumed), \
             so the technosphere matrix is singular unless another entry fills the row",
            unproduced.len(),
            examples(unproduced.iter())
        ));
    }

    let mut biosphere = Vec::with_capacity(bio.len());
    let mut flow_ids = BTreeSet::new();
    for e in bio.into_iter().filter(|e| e.alive) {
        if !columns.contains(&e.col) {
            tally.add(
                "exchange",
                "biosphere_matrix",
                "the column is no activity of the technosphere; bw2calc drops such entries (its column mapper has no such id)",
                || format!("flow {} of activity {}: {}", e.row, e.col, e.amount),
            );
            continue;
        }
        flow_ids.insert(e.row);
        uncertain += usize::from(e.uncertainty.is_some());
        biosphere.push(BiosphereEntry {
            flow: NodeId::Int(e.row),
            activity: NodeId::Int(e.col),
            amount: e.amount,
            uncertainty: e.uncertainty,
            formula: None,
        });
    }
    let flows: Vec<FlowInfo> = flow_ids
        .into_iter()
        .map(|id| FlowInfo {
            id: NodeId::Int(id),
            name: None,
            unit: None,
            compartment: None,
        })
        .collect();
    uncertain += methods.iter().flat_map(|m| &m.factors).filter(|f| f.uncertainty.is_some()).count();
    tally.into_report(&mut report);

    report.counts.processes = activities.len();
    report.counts.activities = activities.len();
    report.counts.flows = flows.len();
    report.counts.technosphere_exchanges = linked;
    report.counts.biosphere_exchanges = biosphere.len();
    report.counts.methods = methods.len();
    report.counts.characterization_factors = methods.iter().map(|m| m.factors.len()).sum();
    report.counts.uncertain_amounts = uncertain;
    let system = SystemSpec {
        activities,
        technosphere,
        biosphere,
        flows,
        methods,
        ..SystemSpec::default()
    };
    Ok(ImportedDatabase { system, report })
}

/// Adds a group's entries to a matrix's entries: with `replace` (a later group of a package
/// with `sum_inter_duplicates` false), entries of earlier groups at the same (row, column)
/// are dropped first. Returns how many were replaced.
fn merge(all: &mut Vec<Entry>, positions: &mut Option<HashMap<(i64, i64), Vec<usize>>>, group: Vec<Entry>, later: bool, sum_inter: bool) -> usize {
    let mut replaced = 0;
    if later && !sum_inter {
        let map = positions.get_or_insert_with(|| {
            let mut m: HashMap<(i64, i64), Vec<usize>> = HashMap::with_capacity(all.len());
            for (k, e) in all.iter().enumerate().filter(|(_, e)| e.alive) {
                m.entry((e.row, e.col)).or_default().push(k);
            }
            m
        });
        for e in group.iter().filter(|e| e.alive) {
            if let Some(earlier) = map.remove(&(e.row, e.col)) {
                for k in earlier {
                    if let Some(old) = all.get_mut(k) {
                        if old.alive {
                            old.alive = false;
                            replaced += 1;
                        }
                    }
                }
            }
        }
    }
    let start = all.len();
    all.extend(group);
    if let Some(map) = positions.as_mut() {
        for (k, e) in all.iter().enumerate().skip(start).filter(|(_, e)| e.alive) {
            map.entry((e.row, e.col)).or_default().push(k);
        }
    }
    replaced
}

/// The resource groups of the matrices read, in order of first appearance; resources of
/// other matrices, interfaces and metadata are reported as left out.
fn collect_groups(source: &str, package: &Package<'_>, descriptor: &Descriptor, report: &mut ImportReport) -> Result<Vec<Group>, TansoError> {
    let label = file_label(source, &package.descriptor_path);
    let mut groups: Vec<Group> = Vec::new();
    let mut interfaces: HashSet<(String, String)> = HashSet::new();
    // dynamic interfaces first: their whole group is left out
    for r in &descriptor.resources {
        if r.profile.as_deref() == Some("interface") || r.category.as_deref() == Some("interface") {
            let group = group_of(r);
            report.leave_out(
                "resource",
                format!("{}: {}", label, r.name.as_deref().unwrap_or(&group)),
                None,
                format!(
                    "a dynamic interface of matrix {}: its data is made at run time by Python code and is not stored, so group '{group}' is left out",
                    r.matrix.as_deref().unwrap_or("(none)")
                ),
            );
            interfaces.insert((r.matrix.clone().unwrap_or_default(), group));
        }
    }
    let mut reported_matrices: HashSet<String> = HashSet::new();
    for (k, r) in descriptor.resources.iter().enumerate() {
        let name = r.name.clone().unwrap_or_else(|| format!("resources[{k}]"));
        let Some(matrix_name) = r.matrix.clone() else {
            report.leave_out(
                "resource",
                format!("{label}: {name}"),
                None,
                "a resource without a matrix (metadata such as a mapping or a CSV/JSON table) is not carried",
            );
            continue;
        };
        let group_label = group_of(r);
        if interfaces.contains(&(matrix_name.clone(), group_label.clone())) {
            continue;
        }
        let matrix = match matrix_name.as_str() {
            "technosphere_matrix" => Matrix::Technosphere,
            "biosphere_matrix" => Matrix::Biosphere,
            "characterization_matrix" => Matrix::Characterization,
            other => {
                if let Some((_, why)) = NOT_CARRIED_MATRICES.iter().find(|(m, _)| *m == other) {
                    if reported_matrices.insert(format!("{other}/{group_label}")) {
                        report.leave_out("resource", format!("{label}: group '{group_label}' ({other})"), None, *why);
                    }
                    continue;
                }
                return Err(LcaError::UnsupportedSchema {
                    source_name: label,
                    what: format!("resource '{name}': matrix"),
                    found: format!("'{other}'"),
                    supported: format!(
                        "{} (read), {} (reported as left out)",
                        READ_MATRICES.join(", "),
                        NOT_CARRIED_MATRICES.iter().map(|(m, _)| *m).collect::<Vec<_>>().join(", ")
                    ),
                }
                .into());
            }
        };
        let format = r
            .format
            .clone()
            .or_else(|| r.path.as_deref().and_then(|p| p.rsplit_once('.')).map(|(_, ext)| ext.to_ascii_lowercase()));
        match format.as_deref() {
            Some("npy") => {}
            found => {
                return Err(LcaError::UnsupportedSchema {
                    source_name: label,
                    what: format!("resource '{name}' ({matrix_name}): format"),
                    found: format!("'{}'", found.unwrap_or("none")),
                    supported: "npy (NumPy arrays; save the datapackage with matrix_serialize_format_type=numpy rather than parquet)".into(),
                }
                .into())
            }
        }
        let kind = r.kind.clone().unwrap_or_else(|| {
            name.rsplit_once('.').map(|(_, k)| k.to_string()).unwrap_or_default()
        });
        let k = match groups.iter().position(|g| g.label == group_label && g.matrix_name == matrix_name) {
            Some(k) => k,
            None => {
                groups.push(Group {
                    matrix,
                    matrix_name: matrix_name.clone(),
                    label: group_label.clone(),
                    indices: None,
                    data: None,
                    flip: None,
                    distributions: None,
                });
                groups.len() - 1
            }
        };
        let Some(group) = groups.get_mut(k) else { continue };
        let slot = match kind.as_str() {
            "indices" => &mut group.indices,
            "data" => &mut group.data,
            "flip" => &mut group.flip,
            "distributions" => &mut group.distributions,
            other => {
                return Err(malformed(
                    &label,
                    format!("resource '{name}' ({matrix_name})"),
                    format!("kind '{other}' is not a bw_processing kind; valid: indices, data, flip, distributions"),
                ))
            }
        };
        if slot.is_some() {
            return Err(malformed(
                &label,
                format!("resource '{name}' ({matrix_name})"),
                format!("group '{group_label}' has a second '{kind}' resource"),
            ));
        }
        let mut r = r.clone();
        r.name = Some(name);
        *slot = Some(r);
    }
    Ok(groups)
}

fn group_of(r: &ResourceDescriptor) -> String {
    r.group.clone().unwrap_or_else(|| {
        let name = r.name.as_deref().unwrap_or("");
        match name.rsplit_once('.') {
            Some((g, "indices" | "data" | "flip" | "distributions")) => g.to_string(),
            _ => name.to_string(),
        }
    })
}

/// A resource's file and its `.npy` array.
fn open<'f>(source: &str, package: &Package<'f>, group: &Group, r: &ResourceDescriptor) -> Result<(String, npy::NpyArray<'f>), TansoError> {
    let name = r.name.clone().unwrap_or_default();
    let entity = format!("resource '{name}' ({}, group '{}')", group.matrix_name, group.label);
    let Some(path) = r.path.as_deref() else {
        return Err(malformed(&file_label(source, &package.descriptor_path), entity, "has no path"));
    };
    let full = normalize(&format!("{}{}", package.folder, path));
    let Some(file) = package.files.get(&full) else {
        return Err(missing_reference(&file_label(source, &package.descriptor_path), entity, "file", full));
    };
    let label = file_label(source, &full);
    let array = npy::read(&file.bytes).map_err(|m| malformed(&label, entity, m))?;
    Ok((label, array))
}

/// Reads a group's entries (static values, flip applied, distributions mapped).
fn read_group(source: &str, package: &Package<'_>, group: &Group, report: &mut ImportReport, tally: &mut Tally) -> Result<Vec<Entry>, TansoError> {
    let where_ = format!("{} ({})", group.label, group.matrix_name);
    let Some(indices_r) = &group.indices else {
        return Err(malformed(
            &file_label(source, &package.descriptor_path),
            format!("group '{}' ({})", group.label, group.matrix_name),
            "has no indices resource (kind \"indices\"): its entries have no row and column",
        ));
    };
    let Some(data_r) = &group.data else {
        return Err(malformed(
            &file_label(source, &package.descriptor_path),
            format!("group '{}' ({})", group.label, group.matrix_name),
            "has no data resource (kind \"data\"): its entries have no values",
        ));
    };
    let (indices_file, indices) = open(source, package, group, indices_r)?;
    let indices_entity = format!("resource '{}' ({})", indices_r.name.as_deref().unwrap_or(""), group.matrix_name);
    let (Some(row_f), Some(col_f)) = (indices.field("row"), indices.field("col")) else {
        return Err(malformed(
            &indices_file,
            indices_entity,
            format!("dtype {} has no 'row' and 'col' fields; expected [('row', '<i4'), ('col', '<i4')] (or <i8)", indices.dtype()),
        ));
    };
    if indices.shape.len() != 1 || !matches!(row_f.kind, npy::Kind::Int | npy::Kind::Uint) || !matches!(col_f.kind, npy::Kind::Int | npy::Kind::Uint) {
        return Err(malformed(
            &indices_file,
            indices_entity,
            format!("expected a 1-D array of integer (row, col) pairs; found dtype {} and shape {:?}", indices.dtype(), indices.shape),
        ));
    }
    let n = indices.len();
    if let Some(nrows) = indices_r.nrows.filter(|&k| k != n as u64) {
        return Err(malformed(&indices_file, indices_entity, format!("has {n} rows but the descriptor says nrows {nrows}")));
    }

    let (data_file, data) = open(source, package, group, data_r)?;
    let data_entity = format!("resource '{}' ({})", data_r.name.as_deref().unwrap_or(""), group.matrix_name);
    let Some(value_f) = data.plain().filter(|f| f.kind != npy::Kind::Bool) else {
        return Err(malformed(&data_file, data_entity, format!("dtype {} is not a plain number type; expected <f8", data.dtype())));
    };
    let is_array = match (data_r.category.as_deref(), data.shape.len()) {
        (Some("array") | None, 2) => true,
        (Some("vector") | None, 1) => false,
        (category, dims) => {
            return Err(malformed(
                &data_file,
                data_entity,
                format!(
                    "category {} with a {dims}-D array; expected a 1-D array for a vector, 2-D (rows × samples) for an array",
                    category.unwrap_or("(none)")
                ),
            ))
        }
    };
    let data_rows = data.shape.first().copied().unwrap_or(0);
    if data_rows != n {
        return Err(malformed(
            &data_file,
            data_entity,
            format!("has {data_rows} rows but its group's indices ('{}', {indices_file}) have {n}", indices_r.name.as_deref().unwrap_or("")),
        ));
    }
    let samples = data.shape.get(1).copied().unwrap_or(1);
    if is_array {
        if samples == 0 {
            return Err(malformed(&data_file, data_entity, "a presample array with no column has no value"));
        }
        if samples > 1 {
            report.leave_out(
                "presamples",
                format!("{data_file}: group '{}' ({})", group.label, group.matrix_name),
                None,
                format!(
                    "{n} entries × {samples} presample columns: the first column is used as the static value (where bw2calc's sequential \
                     indexer starts; bw2calc with use_arrays=False, its default, leaves array groups out), the other {} are not carried",
                    samples - 1
                ),
            );
        }
    }

    let flip = match &group.flip {
        Some(r) => {
            let (file, array) = open(source, package, group, r)?;
            let entity = format!("resource '{}' ({})", r.name.as_deref().unwrap_or(""), group.matrix_name);
            let Some(f) = array.plain().filter(|_| array.shape.len() == 1) else {
                return Err(malformed(&file, entity, format!("expected a 1-D |b1 array; found dtype {} shape {:?}", array.dtype(), array.shape)));
            };
            if array.len() != n {
                return Err(malformed(&file, entity, format!("has {} rows but its group's indices ({indices_file}) have {n}", array.len())));
            }
            Some((array.clone(), f.clone()))
        }
        None => None,
    };
    let distributions = match &group.distributions {
        Some(_) if is_array => {
            report.leave_out(
                "uncertainty",
                format!("group '{}' ({})", group.label, group.matrix_name),
                None,
                "distributions of a presample array are not used (bw2calc samples arrays by column, not by distribution)",
            );
            None
        }
        Some(r) => {
            let (file, array) = open(source, package, group, r)?;
            let entity = format!("resource '{}' ({})", r.name.as_deref().unwrap_or(""), group.matrix_name);
            if array.len() != n || array.shape.len() != 1 {
                return Err(malformed(&file, entity, format!("has shape {:?} but its group's indices ({indices_file}) have {n} rows", array.shape)));
            }
            let mut fields = Vec::with_capacity(7);
            for name in ["uncertainty_type", "loc", "scale", "shape", "minimum", "maximum", "negative"] {
                match array.field(name) {
                    Some(f) => fields.push(f.clone()),
                    None => {
                        return Err(malformed(
                            &file,
                            entity,
                            format!("dtype {} lacks field '{name}' of stats_arrays' UNCERTAINTY_DTYPE", array.dtype()),
                        ))
                    }
                }
            }
            Some((array.clone(), fields))
        }
        None => None,
    };

    let mut entries = Vec::with_capacity(n);
    let mut last_at: Option<HashMap<(i64, i64), usize>> = (!package.sum_intra).then(HashMap::new);
    for i in 0..n {
        let (Some(row), Some(col)) = (indices.int(row_f, i), indices.int(col_f, i)) else {
            return Err(malformed(&indices_file, indices_entity, format!("entry {i} is not a readable (row, col) pair")));
        };
        let position = if is_array { data.position(i, 0) } else { Some(i) };
        let Some(raw) = position.and_then(|p| data.float(value_f, p)) else {
            return Err(malformed(&data_file, data_entity, format!("entry {i} cannot be read")));
        };
        let flipped = flip.as_ref().is_some_and(|(a, f)| a.bool(f, i).unwrap_or(false));
        let amount = if flipped { -raw } else { raw };
        if !amount.is_finite() {
            tally.add("exchange", &where_, "the value is not a finite number", || format!("index {i} (row {row}, col {col}): {raw}"));
            continue;
        }
        let uncertainty = match &distributions {
            Some((array, f)) => {
                let get = |k: usize| f.get(k).and_then(|f| array.float(f, i)).unwrap_or(f64::NAN);
                let code = f.first().and_then(|f| array.int(f, i)).unwrap_or(0);
                let negative = f.get(6).and_then(|f| array.bool(f, i)).unwrap_or(false);
                let params = Params {
                    code,
                    loc: get(1),
                    scale: get(2),
                    shape: get(3),
                    minimum: get(4),
                    maximum: get(5),
                    negative,
                };
                if matches!(code, 2 | 3 | 9) && (params.minimum.is_finite() || params.maximum.is_finite()) {
                    // stats_arrays draws bounded variates again until they fall inside
                    tally.add(
                        "uncertainty",
                        &where_,
                        &format!("the bounds (minimum, maximum) of a {} are not carried: the engine samples it untruncated", type_name(code)),
                        || format!("index {i} (row {row}, col {col}): [{}, {}]", params.minimum, params.maximum),
                    );
                }
                match distribution(&params, raw, flipped) {
                    Ok(None) => None,
                    // the entry's name is formatted only for a refused distribution (a
                    // string per entry was a tenth of a 500,000-entry import)
                    Ok(Some(d)) => match d.validate(&where_, amount) {
                        Ok(()) => Some(d),
                        Err(unnamed) => {
                            let e = d.validate(&format!("{where_}[{i}]"), amount).err().unwrap_or(unnamed);
                            tally.add("uncertainty", &where_, &format!("{} parameters the engine refuses; the static value is kept", type_name(code)), || {
                                format!("index {i} (row {row}, col {col}): {e}")
                            });
                            None
                        }
                    },
                    Err(reason) => {
                        tally.add("uncertainty", &where_, &reason, || format!("index {i} (row {row}, col {col})"));
                        None
                    }
                }
            }
            None => None,
        };
        if let Some(last) = last_at.as_mut() {
            // sum_intra_duplicates false: the last value at a position is kept
            if let Some(&k) = last.get(&(row, col)) {
                if let Some(old) = entries.get_mut(k) {
                    let old: &mut Entry = old;
                    old.alive = false;
                }
                tally.add("exchange", &where_, "a duplicate (row, column) in a package with sum_intra_duplicates false: the last value is kept", || {
                    format!("index {i} (row {row}, col {col})")
                });
            }
            last.insert((row, col), entries.len());
        }
        entries.push(Entry {
            row,
            col,
            amount,
            uncertainty,
            alive: true,
        });
    }
    Ok(entries)
}

/// A row of stats_arrays' parameters.
struct Params {
    code: i64,
    loc: f64,
    scale: f64,
    shape: f64,
    minimum: f64,
    maximum: f64,
    negative: bool,
}

/// stats_arrays' distribution names by id (`stats_arrays/distributions/*.py`).
fn type_name(code: i64) -> String {
    let name = match code {
        0 => "undefined",
        1 => "no uncertainty",
        2 => "lognormal",
        3 => "normal",
        4 => "uniform",
        5 => "triangular",
        6 => "Bernoulli",
        7 => "discrete uniform",
        8 => "Weibull",
        9 => "gamma",
        10 => "beta",
        11 => "generalized extreme value",
        12 => "Student's t",
        _ => "unknown",
    };
    format!("stats_arrays type {code} ({name})")
}

/// The engine's distribution for stats_arrays' parameters: `Ok(None)` for no uncertainty,
/// `Err(reason)` for a distribution left out. `value` is the static value before the flip;
/// a flipped entry's distribution is negated (as bw2calc negates the sample).
fn distribution(p: &Params, value: f64, flipped: bool) -> Result<Option<Distribution>, String> {
    let s = if flipped { -1.0 } else { 1.0 };
    let finite = |x: f64, what: &str| if x.is_finite() { Ok(x) } else { Err(format!("{} without a finite {what}; the static value is kept", type_name(p.code))) };
    Ok(Some(match p.code {
        0 | 1 => return Ok(None),
        // lognormal.py: loc = mu of ln|X|, scale = sigma; the sign is `negative`, which bw2data
        // sets from the amount: the engine negates the sample of a negative amount alike
        2 => Distribution::Lognormal {
            mu: p.loc.is_finite().then_some(p.loc),
            sigma: finite(p.scale, "scale (sigma)")?,
        },
        // normal.py: loc = mean, scale = standard deviation
        3 => Distribution::Normal {
            mean: s * if p.loc.is_finite() { p.loc } else { value },
            sd: finite(p.scale, "scale (standard deviation)")?,
        },
        // uniform.py: [minimum, maximum]
        4 => {
            let (lo, hi) = (finite(p.minimum, "minimum")?, finite(p.maximum, "maximum")?);
            if flipped {
                Distribution::Uniform { min: -hi, max: -lo }
            } else {
                Distribution::Uniform { min: lo, max: hi }
            }
        }
        // triangular.py: loc = mode, [minimum, maximum]
        5 => {
            let (lo, mode, hi) = (finite(p.minimum, "minimum")?, finite(p.loc, "loc (mode)")?, finite(p.maximum, "maximum")?);
            if flipped {
                Distribution::Triangular { min: -hi, mode: -mode, max: -lo }
            } else {
                Distribution::Triangular { min: lo, mode, max: hi }
            }
        }
        // discrete_uniform.py: the integers from minimum (NaN: 0) up to, not including, maximum
        7 => {
            let lo = if p.minimum.is_nan() { 0.0 } else { p.minimum };
            let hi = finite(p.maximum, "maximum")?;
            if lo.fract() != 0.0 || hi.fract() != 0.0 || hi <= lo || hi - lo > 10_000.0 {
                return Err(format!(
                    "{} with bounds [{lo}, {hi}) that are not integers at most 10,000 apart; the static value is kept",
                    type_name(p.code)
                ));
            }
            let mut values = Vec::new();
            let mut v = lo;
            while v < hi {
                values.push(s * v);
                v += 1.0;
            }
            Distribution::Discrete { values, weights: Vec::new() }
        }
        // gamma.py: shape = k, scale = theta, loc = offset (NaN: 0), negated when `negative`
        9 => {
            if p.negative || flipped {
                return Err(format!(
                    "{} that is negated (negative flag or flip): a negated gamma is not a gamma the engine samples; the static value is kept",
                    type_name(p.code)
                ));
            }
            Distribution::Gamma {
                shape: finite(p.shape, "shape (k)")?,
                scale: finite(p.scale, "scale (theta)")?,
                offset: if p.loc.is_nan() { 0.0 } else { p.loc },
            }
        }
        // beta.py: alpha = loc, beta = shape, scaled to [0, scale] (scale NaN: 1);
        // -scale·B(a, b) is B(b, a) on [-scale, 0]
        10 => {
            let (a, b) = (finite(p.loc, "loc (alpha)")?, finite(p.shape, "shape (beta)")?);
            let scale = if p.scale.is_nan() { 1.0 } else { p.scale };
            if flipped {
                Distribution::Beta { alpha: b, beta: a, min: -scale, max: 0.0 }
            } else {
                Distribution::Beta { alpha: a, beta: b, min: 0.0, max: scale }
            }
        }
        _ => return Err(format!("{} is not a distribution the engine samples; the static value is kept", type_name(p.code))),
    }))
}

/// A file name without `./` or `\`, as zip entries and resource paths are compared.
fn normalize(name: &str) -> String {
    let name = name.replace('\\', "/");
    let mut s = name.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.replace("/./", "/")
}

fn base_name(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// The file named in errors: `archive.zip: path` when the input was a zip.
fn file_label(source: &str, path: &str) -> String {
    if source == path {
        path.to_string()
    } else if source.to_ascii_lowercase().ends_with(".zip") {
        format!("{source}: {path}")
    } else {
        path.to_string()
    }
}

fn examples<T: std::fmt::Display>(items: impl Iterator<Item = T>) -> String {
    let mut out = Vec::new();
    let mut more = false;
    for (k, x) in items.enumerate() {
        if k >= EXAMPLES {
            more = true;
            break;
        }
        out.push(x.to_string());
    }
    format!("{}{}", out.join(", "), if more { ", …" } else { "" })
}

#[cfg(test)]
mod tests;
