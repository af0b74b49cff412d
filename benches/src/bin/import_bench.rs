//! Times an import of an LCA database (openLCA JSON-LD, EcoSpold2, Brightway datapackage)
//! and what follows it, and prints one JSON object: reading the files, the import, the
//! report's counts and unlinked exchanges, the binary cache (size, write, read), the
//! factorization (`Model::from_spec`), peak memory (VmHWM) right after the first import and
//! at the end, and the scores of one unit of each requested activity for the first method
//! (or `--method`), to be checked against an independent solve by the caller
//! (`benches/import_compare.py`). Timings are the median of `--runs` runs (default 3).
//!
//! Usage: `import_bench <file or folder> [--format olca|ecospold2|datapackage]
//! [--demand-ids ID,ID,…] [--methods methods.json] [--method ID] [--runs N]`
//!
//! A folder is read recursively into `SourceFile`s named by their path relative to it.
//! `--methods` is a JSON list of `MethodSpec`s given in `ImportOptions::methods` (EcoSpold2
//! carries no impact methods). `--demand-indices` is read as `--demand-ids`.

use std::path::Path;
use std::time::Instant;

use serde_json::json;
use tanso_benches::{median, peak_rss_mb};
use tanso::exchange::import::{import_database, ImportFormat, ImportOptions, ImportedDatabase, SourceFile};
use tanso::lca::document::Model;
use tanso::lca::system::MethodSpec;

/// The files of a folder, recursively, named by their path relative to `root` (with `/`),
/// in a stable (sorted) order; or the one file.
fn read_source(path: &Path) -> std::io::Result<Vec<SourceFile>> {
    if path.is_file() {
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        return Ok(vec![SourceFile::new(name, std::fs::read(path)?)]);
    }
    let mut paths = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let p = entry.path();
            if entry.file_type()?.is_dir() {
                stack.push(p);
            } else {
                paths.push(p);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(path).unwrap_or(&p);
            let name = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            Ok(SourceFile::new(name, std::fs::read(&p)?))
        })
        .collect()
}

struct Args {
    path: String,
    format: Option<ImportFormat>,
    demand_ids: Vec<String>,
    methods: Option<String>,
    method: Option<String>,
    runs: usize,
}

const USAGE: &str = "usage: import_bench <file or folder> [--format olca|ecospold2|datapackage] [--demand-ids ID,ID,...] [--methods methods.json] [--method ID] [--runs N]";

fn parse_args() -> Result<Args, Box<dyn std::error::Error>> {
    let mut it = std::env::args().skip(1);
    let mut args = Args { path: String::new(), format: None, demand_ids: Vec::new(), methods: None, method: None, runs: 3 };
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value; {USAGE}"));
        match a.as_str() {
            "--format" => {
                args.format = Some(match value("--format")?.as_str() {
                    "olca" => ImportFormat::Olca,
                    "ecospold2" => ImportFormat::Ecospold2,
                    "datapackage" => ImportFormat::Datapackage,
                    other => return Err(format!("unknown format {other}; {USAGE}").into()),
                })
            }
            "--demand-ids" | "--demand-indices" => {
                args.demand_ids.extend(value(&a)?.split(',').filter(|s| !s.is_empty()).map(str::to_string))
            }
            "--methods" => args.methods = Some(value("--methods")?),
            "--method" => args.method = Some(value("--method")?),
            "--runs" => args.runs = value("--runs")?.parse::<usize>()?.max(1),
            "-h" | "--help" => return Err(USAGE.into()),
            _ if args.path.is_empty() && !a.starts_with("--") => args.path = a,
            _ => return Err(format!("unexpected argument {a}; {USAGE}").into()),
        }
    }
    if args.path.is_empty() {
        return Err(USAGE.into());
    }
    Ok(args)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let path = Path::new(&args.path);
    let mut options = ImportOptions { format: args.format, ..ImportOptions::default() };
    if let Some(m) = &args.methods {
        let methods: Vec<MethodSpec> = serde_json::from_slice(&std::fs::read(m)?)?;
        options.methods = methods;
    }

    // reading the files (not repeated: a second read would come from the page cache anyway)
    let t = Instant::now();
    let files = read_source(path)?;
    let read_s = t.elapsed().as_secs_f64();
    let source_bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    let rss_after_read = peak_rss_mb();

    // the import, one database in memory at a time; the peak after the first one
    let mut import_s = Vec::new();
    let mut db: Option<ImportedDatabase> = None;
    let mut peak_after_import = None;
    for _ in 0..args.runs {
        drop(db.take());
        let t = Instant::now();
        let d = import_database(&files, &options)?;
        import_s.push(t.elapsed().as_secs_f64());
        if peak_after_import.is_none() {
            peak_after_import = peak_rss_mb();
        }
        db = Some(d);
    }
    let db = db.ok_or("no import run")?;
    drop(files);

    // the cache
    let mut to_cache_s = Vec::new();
    let mut cache = Vec::new();
    for _ in 0..args.runs {
        let t = Instant::now();
        cache = db.to_cache()?;
        to_cache_s.push(t.elapsed().as_secs_f64());
    }
    let mut from_cache_s = Vec::new();
    let mut restored = None;
    for _ in 0..args.runs {
        drop(restored.take());
        let t = Instant::now();
        restored = Some(ImportedDatabase::from_cache(&cache)?);
        from_cache_s.push(t.elapsed().as_secs_f64());
    }
    let cache_roundtrip_equal = restored.as_ref() == Some(&db);
    drop(restored);

    // matrices and factorization
    let mut from_spec_s = Vec::new();
    let mut model = None;
    for _ in 0..args.runs {
        drop(model.take());
        let t = Instant::now();
        model = Some(Model::from_spec(&db.system)?);
        from_spec_s.push(t.elapsed().as_secs_f64());
    }
    let model = model.ok_or("no factorization run")?;

    // scores of one unit of each requested activity
    let ids: Vec<String> = model.activity_ids().iter().map(ToString::to_string).collect();
    let index: std::collections::HashMap<&str, usize> = ids.iter().enumerate().map(|(k, s)| (s.as_str(), k)).collect();
    let method_ids = model.method_ids();
    let method_k = match &args.method {
        Some(m) => method_ids.iter().position(|x| x == m).ok_or_else(|| format!("no method {m}; the system has {method_ids:?}"))?,
        None => 0,
    };
    let mut scores = Vec::new();
    let mut solve_s = Vec::new();
    for id in &args.demand_ids {
        let Some(&k) = index.get(id.as_str()) else {
            scores.push(json!({"id": id, "error": "no such activity"}));
            continue;
        };
        let mut f = vec![0.0; ids.len()];
        f[k] = 1.0;
        let t = Instant::now();
        let s = model.scores_array(&f)?;
        solve_s.push(t.elapsed().as_secs_f64());
        scores.push(json!({"id": id, "score": s.get(method_k)}));
    }

    let r = &db.report;
    let out = json!({
        "engine": "tanso",
        "version": env!("CARGO_PKG_VERSION"),
        "path": args.path,
        "format": r.format,
        "schema_version": r.schema_version,
        "runs": args.runs,
        "source_files": r.source,
        "source_bytes": source_bytes,
        "read_s": read_s,
        "import_s": median(import_s.clone()),
        "import_runs_s": import_s,
        "counts": r.counts,
        "linked": r.linked,
        "unlinked": r.unlinked.len(),
        "unlinked_first": r.unlinked.iter().take(3).collect::<Vec<_>>(),
        "left_out": r.left_out.len(),
        "left_out_first": r.left_out.iter().take(3).collect::<Vec<_>>(),
        "conversions": r.conversions,
        "warnings": r.warnings.iter().take(5).collect::<Vec<_>>(),
        "cache_bytes": cache.len(),
        "to_cache_s": median(to_cache_s),
        "from_cache_s": median(from_cache_s),
        "cache_roundtrip_equal": cache_roundtrip_equal,
        "from_spec_s": median(from_spec_s),
        "model": model.describe(),
        "method": method_ids.get(method_k),
        "scores": scores,
        "solve_and_score_s": if solve_s.is_empty() { None } else { Some(median(solve_s)) },
        "peak_rss_mb_after_read": rss_after_read,
        "peak_rss_mb_after_import": peak_after_import,
        "peak_rss_mb_whole_run": peak_rss_mb(),
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
