#![allow(clippy::expect_used, clippy::unwrap_used)]
//! The EcoSpold2 importer end to end: small `.spold` documents written by hand from the
//! EcoSpold02 schema (EcoSpold02.xsd, namespace `http://www.EcoInvent.org/EcoSpold02`; the
//! fields as openLCA's olca-ecospold-2 reads them: `spold2/Activity.java` for
//! `activity@id`/`activityName`, `Exchange.java` for `@amount`, `@mathematicalRelation`,
//! `unitName`, `uncertainty`, `property`, `inputGroup`/`outputGroup`,
//! `IntermediateExchange.java` for `@intermediateExchangeId`/`@activityLinkId`,
//! `Parameter.java` for `parameter@variableName`), imported, computed through
//! `tanso::lca::document::Model` and `tanso::api::call("lca_import", …)`, and compared with
//! hand calculations. The fixtures are in `testdata/import/ecospold2/`
//! (`make_fixtures.py` writes them).

use serde_json::{json, Value};
use tanso::exchange::import::{import_database, AllocationChoice, ImportOptions, ImportedDatabase, SourceFile};
use tanso::lca::document::{CalculateRequest, Model};
use tanso::lca::sampling::Distribution;
use tanso::lca::system::{ExchangeType, MethodSpec, NodeId};

macro_rules! fixture {
    ($path:literal) => {
        SourceFile::new(
            $path.rsplit('/').next().unwrap(),
            include_str!(concat!("../../testdata/import/ecospold2/", $path)).as_bytes().to_vec(),
        )
    };
}

fn chain() -> Vec<SourceFile> {
    vec![
        fixture!("chain/electricity_CN.spold"),
        fixture!("chain/electricity_DE.spold"),
        fixture!("chain/coal.spold"),
        fixture!("chain/steel.spold"),
        fixture!("chain/slag_treatment_GLO.spold"),
        fixture!("chain/slag_treatment_US.spold"),
    ]
}

fn gwp() -> MethodSpec {
    serde_json::from_value(json!({"id": "GWP100", "unit": "kg CO2e",
        "factors": [{"flow": "co2-fossil", "factor": 1}, {"flow": "ch4-fossil", "factor": 29.8}]}))
    .unwrap()
}

fn options(allocation: AllocationChoice) -> ImportOptions {
    ImportOptions {
        allocation,
        methods: vec![gwp()],
        ..ImportOptions::default()
    }
}

fn score(db: &ImportedDatabase, activity: &str) -> f64 {
    let model = Model::from_spec(&db.system).unwrap();
    let req: CalculateRequest =
        serde_json::from_value(json!({"demands": [{"name": "d", "amounts": [{"id": activity, "amount": 1}]}]})).unwrap();
    let out = model.calculate(&req).unwrap();
    out["results"][0]["scores"]["GWP100"].as_f64().unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn a_chain_links_converts_and_scores_as_by_hand() {
    let db = import_database(&chain(), &options(AllocationChoice::Default)).unwrap();
    // Steel needs 1.8 MJ = 0.5 kWh of electricity, 0.0006 t = 0.6 kg of coal, and sends
    // 0.2 kg slag to the GLO treatment (input −0.2 against the treatment's reference −1, so
    // x_t = 0.2). x_e = (0.5 + 0.1·0.2 + 0.05·x_c), x_c = 0.6 + 0.4·x_e
    //   ⇒ x_e = 0.55 / (1 − 0.05·0.4) = 0.5612244897959184, x_c = 0.8244897959183674.
    // CO2 = 1.5 + 0.9·x_e + 0.02·0.2 = 2.0091020408163267; CH4 = 0.01·x_c;
    // GWP = 2.0091020408163267 + 29.8·0.008244897959183674 = 2.2548.
    assert!(close(score(&db, "s_steel"), 2.2548), "{}", score(&db, "s_steel"));
    // electricity alone: x_e = 1/(1 − 0.02), GWP = (0.9 + 29.8·0.01·0.4)/0.98
    assert!(close(score(&db, "e_elec"), (0.9 + 29.8 * 0.01 * 0.4) / 0.98));
    let r = &db.report;
    assert_eq!(r.format, "ecospold2");
    assert_eq!((r.counts.processes, r.counts.activities, r.counts.flows), (6, 6, 2));
    assert_eq!((r.counts.technosphere_exchanges, r.counts.biosphere_exchanges), (6, 6));
    // coal in electricity and electricity in the treatment name their provider
    // (activityLinkId); steel and coal mining are in CN like one electricity; the slag goes
    // to the GLO treatment (CN has none); coal has one provider.
    assert_eq!(r.linked.get("default_provider"), Some(&2));
    assert_eq!(r.linked.get("same_location"), Some(&2));
    assert_eq!(r.linked.get("fallback:GLO"), Some(&1));
    assert_eq!(r.linked.get("only_provider"), Some(&1));
    assert_eq!(r.unlinked.len(), 1);
    assert_eq!(r.unlinked[0].product_name.as_deref(), Some("tap water"));
    assert_eq!(r.unlinked[0].activity, NodeId::from("s_steel"));
    assert!(r.unlinked[0].reason.contains("no activity"), "{}", r.unlinked[0].reason);
    let mj = r.conversions.iter().find(|c| c.from == "MJ").unwrap();
    assert_eq!((mj.to.as_str(), mj.count), ("kWh", 1));
    assert!(close(mj.factor, 1.0 / 3.6));
    // the production exchange of the treatment keeps its sign
    let t = db.system.processes.iter().find(|p| p.id == NodeId::from("t_slag")).unwrap();
    assert_eq!(t.exchanges[0].kind, ExchangeType::Production);
    assert_eq!(t.exchanges[0].amount, -1.0);
    assert_eq!(t.location.as_deref(), Some("GLO"));
    let flow = db.system.flows.iter().find(|f| f.id == NodeId::from("co2-fossil")).unwrap();
    assert_eq!(flow.compartment.as_deref(), Some("air/unspecified"));
}

#[test]
fn the_lca_import_operation_reads_files_as_text() {
    let files: Vec<Value> = chain()
        .iter()
        .map(|f| json!({"name": f.name, "text": String::from_utf8(f.bytes.clone()).unwrap()}))
        .collect();
    let out = tanso::api::call(
        "lca_import",
        json!({"files": files, "options": {"methods": [gwp()]},
               "calculate": {"demands": [{"name": "steel", "amounts": [{"id": "s_steel", "amount": 2}]}]}}),
    )
    .unwrap();
    // twice the 2.2548 of one kilogram
    let s = out["results"][0]["scores"]["GWP100"].as_f64().unwrap();
    assert!(close(s, 2.0 * 2.2548), "{s}");
    assert_eq!(out["report"]["counts"]["methods"], 1);
}

#[test]
fn a_multi_output_dataset_is_allocated_by_price_or_by_mass_or_left_out() {
    let files = vec![fixture!("alloc/chlor_alkali.spold"), fixture!("alloc/pvc.spold")];
    // price: revenue 1·0.2 = 0.2 and 1.1·0.3 = 0.33, factors 0.2/0.53 and 0.33/0.53;
    // per kg chlorine 2·0.2/0.53; PVC = 0.1 + 0.5·2·0.2/0.53 = 0.47735849056603774.
    let db = import_database(&files, &options(AllocationChoice::Default)).unwrap();
    assert!(close(score(&db, "pvc_pvc"), 0.1 + 0.5 * 2.0 * 0.2 / 0.53));
    assert!(close(score(&db, "ca_naoh"), 2.0 * (0.33 / 0.53) / 1.1));
    assert_eq!(db.report.allocations.len(), 1);
    assert!(db.report.allocations[0].method.contains("price"));
    let economic = import_database(&files, &options(AllocationChoice::Economic)).unwrap();
    assert_eq!(economic.system, db.system);
    // dry mass: 1·1 and 1.1·1, per kg NaOH 2·(1.1/2.1)/1.1 = 2/2.1
    let db = import_database(&files, &options(AllocationChoice::Physical)).unwrap();
    assert!(close(score(&db, "ca_naoh"), 2.0 / 2.1));
    assert!(db.report.allocations[0].method.contains("dry mass"));
    // none: the dataset is left out, PVC's chlorine is unlinked
    let db = import_database(&files, &options(AllocationChoice::None)).unwrap();
    assert_eq!(db.report.counts.activities, 1);
    assert!(db.report.left_out.iter().any(|l| l.kind == "process" && l.reason.contains("not allocated")));
    assert_eq!(db.report.unlinked[0].product_name.as_deref(), Some("chlorine, gaseous"));
    assert!(close(score(&db, "pvc_pvc"), 0.1));
    // causal is not an EcoSpold2 allocation
    let e = import_database(&files, &options(AllocationChoice::Causal)).unwrap_err();
    assert_eq!(e.code(), "INVALID_SETTING");
}

#[test]
fn parameters_formulas_and_uncertainty() {
    let db = import_database(&[fixture!("params/boiler.spold")], &options(AllocationChoice::Default)).unwrap();
    // load = 2·EFF^2 = 0.5; CO2 = load/EFF·110% = 1.1; CH4's Ref() relation is not read,
    // its amount 0.002 is used: GWP = 1.1 + 29.8·0.002 = 1.1596
    assert!(close(score(&db, "b_heat"), 1.1596), "{}", score(&db, "b_heat"));
    let p = &db.system.processes[0];
    let co2 = p.exchanges.iter().find(|x| x.flow == Some(NodeId::from("co2-fossil"))).unwrap();
    assert_eq!(co2.formula.as_deref(), Some("load / EFF * (110/100)"));
    // sigma = sqrt(varianceWithPedigreeUncertainty) = sqrt(0.04) = 0.2; mu from the amount
    assert_eq!(co2.uncertainty, Some(Distribution::Lognormal { mu: None, sigma: 0.2 }));
    let eff = db.system.parameters.iter().find(|q| q.name == "EFF").unwrap();
    assert_eq!(eff.value, Some(0.5));
    assert_eq!(eff.uncertainty, Some(Distribution::Uniform { min: 0.4, max: 0.6 }));
    assert_eq!(eff.process, Some(NodeId::from("b_heat")));
    let load = db.system.parameters.iter().find(|q| q.name == "load").unwrap();
    assert_eq!(load.formula.as_deref(), Some("2 * EFF ^ 2"));
    assert_eq!(db.report.counts.parameters, 2);
    assert_eq!(db.report.counts.uncertain_amounts, 2);
    let kinds: Vec<&str> = db.report.left_out.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(kinds, vec!["formula", "uncertainty"]);
    assert!(db.report.left_out[0].reason.contains("Ref("));
}

#[test]
fn a_waste_by_product_goes_to_its_treatment() {
    let files = vec![fixture!("waste/furnace.spold"), fixture!("waste/ash_treatment.spold")];
    let db = import_database(&files, &options(AllocationChoice::Default)).unwrap();
    // bw2io: outputGroup 2 is an output (+0.3 in the ash row); the treatment's reference is
    // −1 kg ash, so it runs 0.3 times: CO2 = 1.2 + 0.3·0.1 = 1.23
    assert!(close(score(&db, "f_iron"), 1.23));
    let f = db.system.processes.iter().find(|p| p.id == NodeId::from("f_iron")).unwrap();
    assert_eq!(f.exchanges[1].kind, ExchangeType::Technosphere);
    assert_eq!(f.exchanges[1].amount, -0.3);
}

fn spold(body: &str) -> String {
    format!(
        r#"<ecoSpold xmlns="http://www.EcoInvent.org/EcoSpold02"><activityDataset><activityDescription>
<activity id="a"><activityName>thing</activityName></activity><geography><shortname>GLO</shortname></geography>
</activityDescription><flowData>
<intermediateExchange intermediateExchangeId="p" amount="1"><name>thing</name><unitName>kg</unitName><outputGroup>0</outputGroup></intermediateExchange>
{body}</flowData></activityDataset></ecoSpold>"#
    )
}

fn error_of(files: Vec<SourceFile>) -> (String, String) {
    let e = import_database(&files, &ImportOptions::default()).unwrap_err();
    (e.code().to_string(), e.to_string())
}

#[test]
fn malformed_inputs_name_the_file_and_the_entity() {
    // a missing reference: an exchange without its intermediateExchangeId
    let (code, msg) = error_of(vec![SourceFile::new(
        "m.spold",
        spold(r#"<intermediateExchange id="x9" amount="2"><name>steel</name><unitName>kg</unitName><inputGroup>5</inputGroup></intermediateExchange>"#).into(),
    )]);
    assert_eq!(code, "MISSING_REFERENCE");
    assert!(msg.contains("m.spold") && msg.contains("activity 'a'") && msg.contains("x9"), "{msg}");
    assert!(msg.contains("intermediateExchangeId"), "{msg}");
    // an unknown unit against the provider's kg
    let (code, msg) = error_of(vec![
        SourceFile::new("p.spold", spold("").into()),
        SourceFile::new(
            "q.spold",
            spold(r#"<intermediateExchange intermediateExchangeId="p" amount="2"><name>thing</name><unitName>bushel</unitName><inputGroup>5</inputGroup></intermediateExchange>"#)
                .replace(r#"id="a""#, r#"id="b""#)
                .replace(r#"intermediateExchangeId="p" amount="1""#, r#"intermediateExchangeId="q" amount="1""#)
                .into(),
        ),
    ]);
    assert_eq!(code, "UNCONVERTIBLE_UNIT");
    assert!(msg.contains("q.spold") && msg.contains("b_q") && msg.contains("thing") && msg.contains("bushel"), "{msg}");
    assert!(msg.contains("'kg'"), "{msg}");
    // a unit of another dimension, from the fixtures
    let (code, msg) = error_of(vec![fixture!("chain/electricity_DE.spold"), fixture!("errors/bad_unit.spold")]);
    assert_eq!(code, "UNCONVERTIBLE_UNIT");
    assert!(msg.contains("bad_unit.spold") && msg.contains("electricity, high voltage") && msg.contains("kWh"), "{msg}");
    // a broken zip
    let (code, msg) = error_of(vec![SourceFile::new("db.zip", b"PK\x03\x04 not a zip at all".to_vec())]);
    assert_eq!(code, "MALFORMED_DATA");
    assert!(msg.contains("db.zip"), "{msg}");
    // EcoSpold1
    let (code, msg) = error_of(vec![fixture!("errors/ecospold1.spold")]);
    assert_eq!(code, "UNSUPPORTED_SCHEMA");
    assert!(msg.contains("ecospold1.spold") && msg.contains("EcoSpold01"), "{msg}");
    // another XML root in a .spold file
    let (code, msg) = error_of(vec![SourceFile::new("x.spold", b"<ilcd/>".to_vec())]);
    assert_eq!(code, "UNSUPPORTED_SCHEMA");
    assert!(msg.contains("x.spold") && msg.contains("<ilcd>"), "{msg}");
    // broken XML, and an amount that is not a number
    let (code, msg) = error_of(vec![SourceFile::new("b.spold", spold("<oops>").into())]);
    assert_eq!(code, "MALFORMED_DATA");
    assert!(msg.contains("b.spold"), "{msg}");
    let (code, msg) = error_of(vec![SourceFile::new(
        "n.spold",
        spold(r#"<elementaryExchange id="e7" elementaryExchangeId="co2" amount="lots"><name>CO2</name><unitName>kg</unitName><outputGroup>4</outputGroup></elementaryExchange>"#).into(),
    )]);
    assert_eq!(code, "MALFORMED_DATA");
    assert!(msg.contains("n.spold") && msg.contains("e7") && msg.contains("lots"), "{msg}");
    // no reference product
    let (code, msg) = error_of(vec![SourceFile::new("r.spold", spold("").replace("<outputGroup>0</outputGroup>", "<inputGroup>5</inputGroup>").into())]);
    assert_eq!(code, "MALFORMED_DATA");
    assert!(msg.contains("r.spold") && msg.contains("activity 'a'") && msg.contains("outputGroup 0"), "{msg}");
}

#[test]
fn a_zip_of_spold_files_with_other_entries() {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        for f in [fixture!("waste/furnace.spold"), fixture!("waste/ash_treatment.spold")] {
            z.start_file(format!("datasets/{}", f.name), o).unwrap();
            z.write_all(&f.bytes).unwrap();
        }
        z.start_file("MasterData/Units.xml", o).unwrap();
        z.write_all(b"<validUnits/>").unwrap();
        z.start_file("readme.txt", o).unwrap();
        z.write_all(b"hello").unwrap();
        z.finish().unwrap();
    }
    let db = import_database(&[SourceFile::new("db.zip", buf.into_inner())], &options(AllocationChoice::Default)).unwrap();
    assert_eq!(db.report.counts.activities, 2);
    assert!(close(score(&db, "f_iron"), 1.23));
    assert_eq!(db.report.warnings.len(), 2, "{:?}", db.report.warnings);
    assert!(db.report.warnings.iter().any(|w| w.contains("readme.txt")));
    assert!(db.report.warnings.iter().any(|w| w.contains("Units.xml") && w.contains("validUnits")));
}

#[test]
fn monte_carlo_samples_the_parameters_of_an_imported_dataset() {
    let f = fixture!("params/boiler.spold");
    let out = tanso::api::call(
        "lca_import",
        json!({"files": [{"name": f.name, "text": String::from_utf8(f.bytes).unwrap()}],
               "options": {"methods": [gwp()]},
               "monte_carlo": {"demands": [{"amounts": [{"id": "b_heat", "amount": 1}]}], "iterations": 4000, "seed": 7}}),
    )
    .unwrap();
    let r = &out["monte_carlo"]["results"][0];
    let (min, max, mean) = (r["min"].as_f64().unwrap(), r["max"].as_f64().unwrap(), r["mean"].as_f64().unwrap());
    // EFF ~ uniform(0.4, 0.6); CO2 = (2·EFF²)/EFF·1.1 = 2.2·EFF, the formula giving the
    // amount; CH4 0.002·29.8 = 0.0596 fixed: GWP in [0.88 + 0.0596, 1.32 + 0.0596], mean 1.1596
    // (sd of the mean 2.2·0.2/√12/√4000 ≈ 0.002)
    assert!(min >= 0.9396 - 1e-9 && max <= 1.3796 + 1e-9, "{min} {max}");
    assert!((mean - 1.1596).abs() < 0.01, "{mean}");
}
