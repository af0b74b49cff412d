//! The openLCA JSON-LD importer on small exports written by hand from the published schema
//! (GreenDelta/olca-schema, `yaml/*.yaml`: Process, Exchange, Flow, FlowPropertyFactor,
//! FlowProperty, UnitGroup, Unit, Location, ImpactMethod, ImpactCategory, ImpactFactor,
//! Parameter, AllocationFactor, Uncertainty; 2.x field names as openLCA 2 writes them with
//! `olca-schema.json` `{"version": 2}`, 1.x names as openLCA 1.10/1.11 writes them), imported
//! and computed through `tanso::lca::document::Model` and `tanso::api::call("lca_import")`,
//! against hand calculations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;

use serde_json::{json, Value};
use tanso::exchange::import::{import_database, AllocationChoice, ImportOptions, SourceFile};
use tanso::lca::document::{CalculateRequest, Model};

fn file(name: &str, v: Value) -> SourceFile {
    SourceFile::new(name, serde_json::to_vec(&v).unwrap())
}

/// Unit groups, flow properties and flows shared by the tests (2.x names).
fn reference_data() -> Vec<SourceFile> {
    let fp = |id: &str| json!([{"flowProperty": {"@id": id}, "conversionFactor": 1.0, "isRefFlowProperty": true}]);
    vec![
        file("olca-schema.json", json!({"version": 2})),
        file(
            "unit_groups/mass.json",
            json!({"@type": "UnitGroup", "@id": "ug-mass", "name": "Units of mass", "units": [
                {"@id": "u-kg", "name": "kg", "conversionFactor": 1.0, "isRefUnit": true},
                {"@id": "u-g", "name": "g", "conversionFactor": 0.001},
                {"@id": "u-t", "name": "t", "conversionFactor": 1000.0}]}),
        ),
        file(
            "unit_groups/energy.json",
            json!({"@type": "UnitGroup", "@id": "ug-energy", "name": "Units of energy", "units": [
                {"@id": "u-MJ", "name": "MJ", "conversionFactor": 1.0, "isRefUnit": true},
                {"@id": "u-kWh", "name": "kWh", "conversionFactor": 3.6}]}),
        ),
        file("flow_properties/mass.json", json!({"@type": "FlowProperty", "@id": "fp-mass", "name": "Mass", "unitGroup": {"@id": "ug-mass"}})),
        file("flow_properties/energy.json", json!({"@type": "FlowProperty", "@id": "fp-energy", "name": "Energy", "unitGroup": {"@id": "ug-energy"}})),
        file("flows/steel.json", json!({"@type": "Flow", "@id": "f-steel", "name": "steel", "flowType": "PRODUCT_FLOW", "flowProperties": fp("fp-mass")})),
        file("flows/coal.json", json!({"@type": "Flow", "@id": "f-coal", "name": "coal", "flowType": "PRODUCT_FLOW", "flowProperties": fp("fp-mass")})),
        file("flows/electricity.json", json!({"@type": "Flow", "@id": "f-elec", "name": "electricity", "flowType": "PRODUCT_FLOW", "flowProperties": fp("fp-energy")})),
        file("flows/heat.json", json!({"@type": "Flow", "@id": "f-heat", "name": "heat", "flowType": "PRODUCT_FLOW", "flowProperties": fp("fp-energy")})),
        file("flows/slag.json", json!({"@type": "Flow", "@id": "f-slag", "name": "slag", "flowType": "WASTE_FLOW", "flowProperties": fp("fp-mass")})),
        file(
            "flows/co2.json",
            json!({"@type": "Flow", "@id": "f-co2", "name": "carbon dioxide", "flowType": "ELEMENTARY_FLOW",
                   "category": "Elementary flows/Emission to air/unspecified", "flowProperties": fp("fp-mass")}),
        ),
        file("locations/cn.json", json!({"@type": "Location", "@id": "l-cn", "name": "China", "code": "CN"})),
        file("locations/de.json", json!({"@type": "Location", "@id": "l-de", "name": "Germany", "code": "DE"})),
        file("locations/fr.json", json!({"@type": "Location", "@id": "l-fr", "name": "France", "code": "FR"})),
    ]
}

/// An exchange (2.x names).
fn x(flow: &str, amount: f64, unit: &str, input: bool) -> Value {
    json!({"@type": "Exchange", "flow": {"@id": flow}, "amount": amount, "unit": {"@id": unit}, "isInput": input})
}

fn reference(mut e: Value) -> Value {
    e["isQuantitativeReference"] = json!(true);
    e
}

fn process(id: &str, name: &str, location: Option<&str>, exchanges: Vec<Value>) -> SourceFile {
    let mut p = json!({"@type": "Process", "@id": id, "name": name, "processType": "UNIT_PROCESS", "exchanges": exchanges});
    if let Some(l) = location {
        p["location"] = json!({"@id": l});
    }
    file(&format!("processes/{id}.json"), p)
}

fn gwp_method() -> Vec<SourceFile> {
    vec![
        file("lcia_methods/ipcc.json", json!({"@type": "ImpactMethod", "@id": "m-ipcc", "name": "IPCC 2021", "impactCategories": [{"@id": "c-gwp", "name": "GWP100"}]})),
        // 0.001 kg CO2e per g = 1 per kg after conversion
        file(
            "lcia_categories/gwp.json",
            json!({"@type": "ImpactCategory", "@id": "c-gwp", "name": "GWP100", "refUnit": "kg CO2e", "impactFactors": [
                {"flow": {"@id": "f-co2"}, "flowProperty": {"@id": "fp-mass"}, "unit": {"@id": "u-g"}, "value": 0.001}]}),
        ),
    ]
}

/// The 2.x chain: steel (1 t in CN) ← electricity (kWh, CN and DE) ← coal, slag to treatment.
fn chain() -> Vec<SourceFile> {
    let mut files = reference_data();
    files.extend(gwp_method());
    files.push(process(
        "p-elec-cn",
        "electricity, coal, CN",
        Some("l-cn"),
        vec![reference(x("f-elec", 1.0, "u-kWh", false)), x("f-coal", 0.4, "u-kg", true), x("f-co2", 900.0, "u-g", false)],
    ));
    files.push(process("p-elec-de", "electricity, DE", Some("l-de"), vec![reference(x("f-elec", 1.0, "u-MJ", false)), x("f-co2", 0.1, "u-kg", false)]));
    let mut coal_elec = x("f-elec", 0.05, "u-kWh", true);
    coal_elec["defaultProvider"] = json!({"@id": "p-elec-cn"});
    files.push(process("p-coal", "coal mining", None, vec![reference(x("f-coal", 1.0, "u-kg", false)), coal_elec, x("f-co2", 0.02, "u-kg", false)]));
    files.push(process(
        "p-steel",
        "steel making",
        Some("l-cn"),
        vec![
            reference(x("f-steel", 1.0, "u-t", false)),
            x("f-elec", 500.0, "u-kWh", true),
            x("f-coal", 600.0, "u-kg", true),
            x("f-slag", 200.0, "u-kg", false),
            x("f-co2", 1500.0, "u-kg", false),
        ],
    ));
    files.push(process("p-slag", "slag treatment", None, vec![reference(x("f-slag", 1.0, "u-kg", true)), x("f-co2", 0.01, "u-kg", false)]));
    files
}

fn score(model: &Model, activity: &str, amount: f64, method: &str) -> f64 {
    let req: CalculateRequest = serde_json::from_value(json!({"demands": [{"amounts": [{"id": activity, "amount": amount}]}]})).unwrap();
    let out = model.calculate(&req).unwrap();
    out["results"][0]["scores"][method].as_f64().unwrap_or_else(|| panic!("no score {method} in {out}"))
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} != {b}");
}

#[test]
fn a_2x_chain_with_units_locations_providers_and_waste() {
    let db = import_database(&chain(), &ImportOptions::default()).unwrap();
    let r = &db.report;
    assert_eq!(r.format, "olca");
    assert_eq!(r.schema_version.as_deref(), Some("2"));
    assert_eq!((r.counts.processes, r.counts.activities, r.counts.flows), (5, 5, 1));
    assert_eq!((r.counts.technosphere_exchanges, r.counts.biosphere_exchanges), (5, 5));
    assert_eq!((r.counts.methods, r.counts.characterization_factors), (1, 1));
    // coal → electricity by its defaultProvider, steel's electricity by location CN,
    // steel's coal and slag and electricity's coal: the only provider
    assert_eq!(r.linked.get("default_provider"), Some(&1));
    assert_eq!(r.linked.get("same_location"), Some(&1));
    assert_eq!(r.linked.get("only_provider"), Some(&3));
    assert!(r.unlinked.is_empty(), "{:?}", r.unlinked);
    // kWh → MJ (×3.6) three times, g → kg twice (the exchange and the factor), t → kg once
    let conv = |from: &str| r.conversions.iter().find(|c| c.from == from).map(|c| (c.factor, c.count));
    assert_eq!(conv("kWh"), Some((3.6, 3)));
    assert_eq!(conv("g"), Some((0.001, 2)));
    assert_eq!(conv("t"), Some((1000.0, 1)));
    let co2 = &db.system.flows[0];
    assert_eq!(co2.compartment.as_deref(), Some("Elementary flows/Emission to air/unspecified"));
    assert_eq!(co2.unit.as_deref(), Some("kg"));
    assert_eq!(db.system.methods[0].id, "IPCC 2021 | GWP100");
    assert_eq!(db.system.methods[0].factors[0].factor, 1.0);
    let slag = db.system.processes.iter().find(|p| p.id == "p-slag".into()).unwrap();
    assert_eq!(slag.exchanges[0].amount, -1.0, "a waste treatment's reference is negative");

    // Hand calculation per 1 kg steel (1 t process ÷ 1000), all in kg and MJ:
    //   steel needs 500 kWh/1000 = 0.5 kWh = 1.8 MJ electricity (CN), 0.6 kg coal, 0.2 kg slag, 1.5 kg CO2
    //   electricity CN per MJ: 1 kWh = 3.6 MJ made from 0.4 kg coal and 0.9 kg CO2
    //     → 0.4/3.6 kg coal and 0.25 kg CO2 per MJ
    //   coal per kg: 0.05 kWh = 0.18 MJ electricity, 0.02 kg CO2; slag per kg: 0.01 kg CO2
    //   c = 0.6 + (0.4/3.6)·e, e = 1.8 + 0.18·c → c = 0.8/0.98 = 0.816326…, e = 1.946938…
    //   CO2 = 1.5 + 0.25·e + 0.02·c + 0.01·0.2 = 2.005061224489796
    let model = Model::from_spec(&db.system).unwrap();
    let c = 0.8 / 0.98;
    let e = 1.8 + 0.18 * c;
    close(score(&model, "p-steel", 1.0, "IPCC 2021 | GWP100"), 1.5 + 0.25 * e + 0.02 * c + 0.01 * 0.2);
}

#[test]
fn an_unlinkable_input_is_reported_not_put_in_the_matrix() {
    // a consumer in FR: electricity is made in CN and DE, neither is FR, GLO or RoW
    let mut files = chain();
    files.push(process("p-fr", "wire drawing, FR", Some("l-fr"), vec![reference(x("f-steel", 1.0, "u-kg", false)), x("f-elec", 2.0, "u-kWh", true)]));
    let db = import_database(&files, &ImportOptions::default()).unwrap();
    assert_eq!(db.report.unlinked.len(), 1);
    let u = &db.report.unlinked[0];
    assert_eq!(u.activity, "p-fr".into());
    assert_eq!(u.product_name.as_deref(), Some("electricity"));
    assert_eq!(u.amount, 7.2, "2 kWh = 7.2 MJ");
    assert_eq!(u.unit.as_deref(), Some("MJ"));
    assert_eq!(u.candidates.len(), 2);
    assert!(u.reason.contains("FR"), "{}", u.reason);
    let fr = db.system.processes.iter().find(|p| p.id == "p-fr".into()).unwrap();
    assert_eq!(fr.exchanges.len(), 1, "only the production exchange is kept");
    // steel is now made by two activities: the steel one is still computable by its id
    let model = Model::from_spec(&db.system).unwrap();
    assert_eq!(score(&model, "p-fr", 1.0, "IPCC 2021 | GWP100"), 0.0);
}

/// A 1.x export (openLCA 1.10/1.11 names, no olca-schema.json, categories/ entities) with a
/// multi-output CHP process (allocation), an avoided product, parameters with formulas and
/// uncertainty.
fn v1_export() -> Vec<SourceFile> {
    let fp = |id: &str| json!([{"@type": "FlowPropertyFactor", "flowProperty": {"@type": "FlowProperty", "@id": id}, "conversionFactor": 1.0, "referenceFlowProperty": true}]);
    let ctx = "http://greendelta.github.io/olca-schema/context.jsonld";
    let x1 = |flow: &str, amount: f64, unit: &str, input: bool, id: i64| {
        json!({"@type": "Exchange", "internalId": id, "flow": {"@type": "Flow", "@id": flow}, "amount": amount,
               "unit": {"@type": "Unit", "@id": unit}, "input": input, "avoidedProduct": false, "quantitativeReference": false})
    };
    let mut chp_elec = x1("f-elec", 1.0, "u-MJ", false, 1);
    chp_elec["quantitativeReference"] = json!(true);
    let af = |t: &str, flow: &str, v: f64| json!({"@type": "AllocationFactor", "allocationType": t, "product": {"@type": "Flow", "@id": flow}, "value": v});
    let caf = |flow: &str, ex: i64, v: f64| {
        json!({"@type": "AllocationFactor", "allocationType": "CAUSAL_ALLOCATION", "product": {"@type": "Flow", "@id": flow}, "value": v,
               "exchange": {"@type": "Exchange", "internalId": ex}})
    };
    let chp = json!({"@context": ctx, "@type": "Process", "@id": "p-chp", "name": "CHP plant", "processType": "UNIT_PROCESS",
        "defaultAllocationMethod": "PHYSICAL_ALLOCATION",
        "exchanges": [chp_elec, x1("f-heat", 3.0, "u-MJ", false, 2), x1("f-coal", 1.0, "u-kg", true, 3), x1("f-co2", 2.0, "u-kg", false, 4)],
        "allocationFactors": [
            af("PHYSICAL_ALLOCATION", "f-elec", 0.4), af("PHYSICAL_ALLOCATION", "f-heat", 0.6),
            af("ECONOMIC_ALLOCATION", "f-elec", 0.7), af("ECONOMIC_ALLOCATION", "f-heat", 0.3),
            caf("f-elec", 3, 0.5), caf("f-heat", 3, 0.5), caf("f-elec", 4, 0.25), caf("f-heat", 4, 0.75)]});
    let mut coal_ref = x1("f-coal", 1.0, "u-kg", false, 1);
    coal_ref["quantitativeReference"] = json!(true);
    let mut coal_co2 = x1("f-co2", 0.1, "u-kg", false, 2);
    coal_co2["amountFormula"] = json!("2 * EF");
    let coal = json!({"@context": ctx, "@type": "Process", "@id": "p-coal", "name": "coal mining", "exchanges": [coal_ref, coal_co2]});
    let mut rec_ref = x1("f-steel", 1.0, "u-kg", false, 1);
    rec_ref["quantitativeReference"] = json!(true);
    let mut rec_elec = x1("f-elec", 0.5, "u-MJ", true, 2);
    rec_elec["amountFormula"] = json!("Elec_Demand");
    let mut avoided = x1("f-coal", 100.0, "u-g", true, 3);
    avoided["avoidedProduct"] = json!(true);
    let mut rec_co2 = x1("f-co2", 0.3, "u-kg", false, 4);
    rec_co2["uncertainty"] = json!({"@type": "Uncertainty", "distributionType": "LOG_NORMAL_DISTRIBUTION", "geomMean": 0.3, "geomSd": 1.2});
    let recycling = json!({"@context": ctx, "@type": "Process", "@id": "p-rec", "name": "steel recycling", "exchanges": [rec_ref, rec_elec, avoided, rec_co2],
        "parameters": [
            {"@type": "Parameter", "name": "share", "parameterScope": "PROCESS_SCOPE", "inputParameter": true, "value": 0.5,
             "uncertainty": {"distributionType": "UNIFORM_DISTRIBUTION", "minimum": 0.4, "maximum": 0.6}},
            {"@type": "Parameter", "name": "elec_demand", "parameterScope": "PROCESS_SCOPE", "inputParameter": false, "value": 0.5, "formula": "SHARE * 1"}]});
    vec![
        file(
            "unit_groups/mass.json",
            json!({"@context": ctx, "@type": "UnitGroup", "@id": "ug-mass", "name": "Units of mass", "units": [
                {"@type": "Unit", "@id": "u-kg", "name": "kg", "conversionFactor": 1.0, "referenceUnit": true},
                {"@type": "Unit", "@id": "u-g", "name": "g", "conversionFactor": 0.001}]}),
        ),
        file(
            "unit_groups/energy.json",
            json!({"@context": ctx, "@type": "UnitGroup", "@id": "ug-energy", "name": "Units of energy", "units": [
                {"@type": "Unit", "@id": "u-MJ", "name": "MJ", "conversionFactor": 1.0, "referenceUnit": true}]}),
        ),
        file("flow_properties/mass.json", json!({"@context": ctx, "@type": "FlowProperty", "@id": "fp-mass", "name": "Mass", "unitGroup": {"@type": "UnitGroup", "@id": "ug-mass"}})),
        file("flow_properties/energy.json", json!({"@context": ctx, "@type": "FlowProperty", "@id": "fp-energy", "name": "Energy", "unitGroup": {"@type": "UnitGroup", "@id": "ug-energy"}})),
        file("flows/steel.json", json!({"@context": ctx, "@type": "Flow", "@id": "f-steel", "name": "steel", "flowType": "PRODUCT_FLOW", "flowProperties": fp("fp-mass")})),
        file("flows/coal.json", json!({"@context": ctx, "@type": "Flow", "@id": "f-coal", "name": "coal", "flowType": "PRODUCT_FLOW", "flowProperties": fp("fp-mass")})),
        file("flows/electricity.json", json!({"@context": ctx, "@type": "Flow", "@id": "f-elec", "name": "electricity", "flowType": "PRODUCT_FLOW", "flowProperties": fp("fp-energy")})),
        file("flows/heat.json", json!({"@context": ctx, "@type": "Flow", "@id": "f-heat", "name": "heat", "flowType": "PRODUCT_FLOW", "flowProperties": fp("fp-energy")})),
        file(
            "flows/co2.json",
            json!({"@context": ctx, "@type": "Flow", "@id": "f-co2", "name": "carbon dioxide", "flowType": "ELEMENTARY_FLOW",
                   "category": {"@type": "Category", "@id": "cat-air"}, "flowProperties": fp("fp-mass")}),
        ),
        file("categories/elem.json", json!({"@context": ctx, "@type": "Category", "@id": "cat-elem", "name": "Elementary flows", "modelType": "FLOW"})),
        file("categories/air.json", json!({"@context": ctx, "@type": "Category", "@id": "cat-air", "name": "Emission to air", "modelType": "FLOW", "category": {"@type": "Category", "@id": "cat-elem"}})),
        file("parameters/ef.json", json!({"@context": ctx, "@type": "Parameter", "@id": "par-ef", "name": "ef", "parameterScope": "GLOBAL_SCOPE", "inputParameter": true, "value": 0.05})),
        file("processes/chp.json", chp),
        file("processes/coal.json", coal),
        file("processes/recycling.json", recycling),
        file("lcia_methods/m.json", json!({"@context": ctx, "@type": "ImpactMethod", "@id": "m-1", "name": "CML", "impactCategories": [{"@type": "ImpactCategory", "@id": "c-1"}]})),
        file(
            "lcia_categories/c1.json",
            json!({"@context": ctx, "@type": "ImpactCategory", "@id": "c-1", "name": "climate change", "referenceUnitName": "kg CO2 eq", "impactFactors": [
                {"@type": "ImpactFactor", "flow": {"@type": "Flow", "@id": "f-co2"}, "unit": {"@type": "Unit", "@id": "u-kg"}, "value": 1.0,
                 "uncertainty": {"distributionType": "NORMAL_DISTRIBUTION", "mean": 1.0, "sd": 0.1}}]}),
        ),
        file("lcia_categories/c2.json", json!({"@context": ctx, "@type": "ImpactCategory", "@id": "c-2", "name": "CO2 in grams", "referenceUnitName": "g",
            "impactFactors": [{"@type": "ImpactFactor", "flow": {"@id": "f-co2"}, "unit": {"@id": "u-kg"}, "value": 1000.0}]})),
        file("actors/a.json", json!({"@context": ctx, "@type": "Actor", "@id": "a-1", "name": "someone"})),
    ]
}

#[test]
fn a_1x_export_with_allocation_avoided_products_parameters_and_uncertainty() {
    let db = import_database(&v1_export(), &ImportOptions::default()).unwrap();
    let r = &db.report;
    assert_eq!(r.schema_version.as_deref(), Some("1"));
    assert!(r.warnings.iter().any(|w| w.contains("olca-schema.json")), "{:?}", r.warnings);
    // CHP split into two activities by its default (physical) factors
    assert_eq!((r.counts.processes, r.counts.activities), (3, 4));
    assert_eq!(r.allocations.len(), 1);
    assert_eq!(r.allocations[0].method, "physical");
    assert_eq!(r.allocations[0].products, vec![("p-chp|f-elec".into(), 0.4), ("p-chp|f-heat".into(), 0.6)]);
    assert_eq!(db.system.flows[0].compartment.as_deref(), Some("Elementary flows/Emission to air"));
    assert!(db.system.case_insensitive_parameters);
    // ef (global), share and elec_demand (process)
    assert_eq!(db.system.parameters.len(), 3);
    // the lognormal CO2, the uniform share and the normal factor
    assert_eq!(r.counts.uncertain_amounts, 3);
    assert!(r.left_out.iter().any(|l| l.id == "actors/"), "{:?}", r.left_out);
    // methods: the listed one with the method's name, the unlisted one alone
    let ids: Vec<&str> = db.system.methods.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, vec!["CML | climate change", "CO2 in grams"]);

    // Hand calculation per 1 kg recycled steel:
    //   electricity = elec_demand = share = 0.5 MJ from CHP|electricity (the only provider)
    //   CHP|electricity per MJ (physical factor 0.4): coal 1·0.4 = 0.4 kg, CO2 2·0.4 = 0.8 kg
    //   coal: 0.5·0.4 = 0.2 kg, minus the avoided 100 g = 0.1 kg → net 0.1 kg
    //   coal mining CO2 = 2·ef = 0.1 kg per kg
    //   CO2 = 0.3 + 0.5·0.8 + 0.1·0.1 = 0.71 kg
    let model = Model::from_spec(&db.system).unwrap();
    close(score(&model, "p-rec", 1.0, "CML | climate change"), 0.71);
    close(score(&model, "p-rec", 1.0, "CO2 in grams"), 710.0);
    // heat alone: 1 MJ of the 3 MJ output carries 0.6/3 of the coal and CO2:
    //   coal 0.2 kg, CO2 0.4 + 0.2·0.1 = 0.42 kg
    close(score(&model, "p-chp|f-heat", 1.0, "CML | climate change"), 0.42);

    // economic factors 0.7/0.3 for electricity: CO2 = 0.3 + 0.5·1.4 + (0.5·0.7 − 0.1)·0.1 = 1.025
    let econ = ImportOptions {
        allocation: AllocationChoice::Economic,
        ..ImportOptions::default()
    };
    let db = import_database(&v1_export(), &econ).unwrap();
    let model = Model::from_spec(&db.system).unwrap();
    close(score(&model, "p-rec", 1.0, "CML | climate change"), 1.025);

    // causal: coal (exchange 3) 0.5 to electricity, CO2 (exchange 4) 0.25:
    //   per MJ electricity: coal 0.5 kg, CO2 0.5 kg → CO2 = 0.3 + 0.25 + (0.25 − 0.1)·0.1 = 0.565
    let causal = ImportOptions {
        allocation: AllocationChoice::Causal,
        ..ImportOptions::default()
    };
    let db = import_database(&v1_export(), &causal).unwrap();
    let model = Model::from_spec(&db.system).unwrap();
    close(score(&model, "p-rec", 1.0, "CML | climate change"), 0.565);
}

#[test]
fn without_allocation_the_multi_output_process_is_left_out_and_its_consumers_unlinked() {
    let none = ImportOptions {
        allocation: AllocationChoice::None,
        ..ImportOptions::default()
    };
    let db = import_database(&v1_export(), &none).unwrap();
    assert!(db.report.left_out.iter().any(|l| l.kind == "process" && l.id == "p-chp"), "{:?}", db.report.left_out);
    assert_eq!(db.report.counts.activities, 2);
    let u = &db.report.unlinked[0];
    assert_eq!((u.activity.to_string().as_str(), u.product_name.as_deref()), ("p-rec", Some("electricity")));
    assert!(u.reason.contains("no activity"), "{}", u.reason);
    // recycled steel: CO2 0.3 and the avoided 0.1 kg coal (0.1·0.1 kg CO2 credit) = 0.29
    let model = Model::from_spec(&db.system).unwrap();
    close(score(&model, "p-rec", 1.0, "CML | climate change"), 0.29);
}

#[test]
fn a_formula_the_evaluator_rejects_is_reported_and_the_amount_used() {
    let mut files = v1_export();
    for f in &mut files {
        if f.name == "processes/coal.json" {
            let mut v: Value = serde_json::from_slice(&f.bytes).unwrap();
            v["exchanges"][1]["amountFormula"] = json!("2 * no_such_parameter");
            f.bytes = serde_json::to_vec(&v).unwrap();
        }
    }
    let db = import_database(&files, &ImportOptions::default()).unwrap();
    let l = db.report.left_out.iter().find(|l| l.kind == "formula").unwrap();
    assert!(l.id.contains("processes/coal.json") && l.reason.contains("no_such_parameter"), "{l:?}");
    let model = Model::from_spec(&db.system).unwrap();
    close(score(&model, "p-rec", 1.0, "CML | climate change"), 0.71);
}

fn zip(files: &[SourceFile]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for f in files {
        w.start_file(f.name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(&f.bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn the_lca_import_operation_reads_a_zip_and_calculates() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(zip(&chain()));
    let out = tanso::api::call(
        "lca_import",
        json!({"files": [{"name": "export.zip", "base64": b64}],
               "calculate": {"demands": [{"name": "1 t steel", "amounts": [{"id": "p-steel", "amount": 1000}]}]}}),
    )
    .unwrap();
    assert_eq!(out["report"]["source"], "export.zip");
    assert_eq!(out["report"]["counts"]["activities"], 5);
    let c = 0.8 / 0.98;
    let e = 1.8 + 0.18 * c;
    close(out["results"][0]["scores"]["IPCC 2021 | GWP100"].as_f64().unwrap(), 1000.0 * (1.5 + 0.25 * e + 0.02 * c + 0.002));
}

fn error_of(files: &[SourceFile]) -> (String, String) {
    match import_database(files, &ImportOptions::default()) {
        Ok(_) => panic!("expected an error"),
        Err(e) => (e.code().to_string(), e.to_string()),
    }
}

#[test]
fn malformed_inputs_are_refused_with_their_file_and_entity() {
    // an exchange naming a flow the export lacks
    let mut files = chain();
    files.push(process("p-bad", "bad process", None, vec![reference(x("f-steel", 1.0, "u-kg", false)), x("f-nowhere", 1.0, "u-kg", true)]));
    let (code, msg) = error_of(&files);
    assert_eq!(code, "MISSING_REFERENCE");
    assert!(msg.contains("processes/p-bad.json") && msg.contains("bad process") && msg.contains("f-nowhere"), "{msg}");

    // a unit outside the flow's unit group: kWh for a mass flow
    let mut files = chain();
    files.push(process("p-bad", "bad process", None, vec![reference(x("f-steel", 1.0, "u-kWh", false))]));
    let (code, msg) = error_of(&files);
    assert_eq!(code, "UNCONVERTIBLE_UNIT");
    assert!(msg.contains("processes/p-bad.json") && msg.contains("bad process") && msg.contains("steel") && msg.contains("kg, g, t"), "{msg}");

    // a flow property the flow does not have
    let mut files = chain();
    let mut e = reference(x("f-steel", 1.0, "u-MJ", false));
    e["flowProperty"] = json!({"@id": "fp-energy", "name": "Energy"});
    files.push(process("p-bad", "bad process", None, vec![e]));
    let (code, msg) = error_of(&files);
    assert_eq!(code, "UNCONVERTIBLE_UNIT");
    assert!(msg.contains("Energy") && msg.contains("bad process"), "{msg}");

    // a method listing a category that is not exported
    let mut files = chain();
    files.push(file("lcia_methods/x.json", json!({"@id": "m-x", "name": "ReCiPe", "impactCategories": [{"@id": "c-missing", "name": "water use"}]})));
    let (code, msg) = error_of(&files);
    assert_eq!(code, "MISSING_REFERENCE");
    assert!(msg.contains("lcia_methods/x.json") && msg.contains("ReCiPe") && msg.contains("water use"), "{msg}");

    // a schema version that is not read
    let mut files = chain();
    files[0] = file("olca-schema.json", json!({"version": 3}));
    let (code, msg) = error_of(&files);
    assert_eq!(code, "UNSUPPORTED_SCHEMA");
    assert!(msg.contains("olca-schema.json") && msg.contains('3'), "{msg}");

    // an entity that is not JSON
    let mut files = chain();
    files.push(SourceFile::new("processes/broken.json", b"{\"@id\": \"p\", \"exchanges\": [".to_vec()));
    let (code, msg) = error_of(&files);
    assert_eq!(code, "MALFORMED_DATA");
    assert!(msg.contains("processes/broken.json") && msg.contains("process"), "{msg}");

    // a broken zip
    let mut bytes = zip(&chain());
    bytes.truncate(bytes.len() / 2);
    let (code, msg) = error_of(&[SourceFile::new("export.zip", bytes)]);
    assert_eq!(code, "MALFORMED_DATA");
    assert!(msg.contains("export.zip"), "{msg}");
}

/// A synthetic export of 20,000 processes and 500,000 exchanges (20 product inputs, half with
/// a defaultProvider, in g; 4 elementary flows per process), imported and timed. Run with
/// `cargo test -p tanso --release --test import_olca -- --ignored --nocapture`.
#[test]
#[ignore]
fn twenty_thousand_processes_import_in_seconds() {
    let n = 20_000usize;
    let mut files = reference_data();
    let fp = r#"[{"flowProperty": {"@id": "fp-mass"}, "conversionFactor": 1.0, "isRefFlowProperty": true}]"#;
    for i in 0..n {
        files.push(SourceFile::new(
            format!("flows/p{i}.json"),
            format!(r#"{{"@id": "fp{i}", "name": "product {i}", "flowType": "PRODUCT_FLOW", "flowProperties": {fp}}}"#).into_bytes(),
        ));
    }
    for k in 0..100 {
        files.push(SourceFile::new(
            format!("flows/e{k}.json"),
            format!(r#"{{"@id": "fe{k}", "name": "emission {k}", "flowType": "ELEMENTARY_FLOW", "category": "air", "flowProperties": {fp}}}"#).into_bytes(),
        ));
    }
    let mut state = 12345u64;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for i in 0..n {
        let mut ex = format!(r#"{{"flow": {{"@id": "fp{i}"}}, "amount": 1, "unit": {{"@id": "u-kg"}}, "isQuantitativeReference": true}}"#);
        for j in 0..20 {
            let src = next() % n;
            let provider = if j % 2 == 0 { format!(r#", "defaultProvider": {{"@id": "p{src}"}}"#) } else { String::new() };
            ex.push_str(&format!(
                r#", {{"internalId": {j}, "flow": {{"@id": "fp{src}"}}, "amount": {}, "unit": {{"@id": "u-g"}}, "isInput": true{provider},
                "uncertainty": {{"distributionType": "LOG_NORMAL_DISTRIBUTION", "geomMean": 1.0, "geomSd": 1.1}}}}"#,
                1 + next() % 10
            ));
        }
        for _ in 0..4 {
            ex.push_str(&format!(r#", {{"flow": {{"@id": "fe{}"}}, "amount": 0.5}}"#, next() % 100));
        }
        files.push(SourceFile::new(format!("processes/p{i}.json"), format!(r#"{{"@id": "p{i}", "name": "process {i}", "exchanges": [{ex}]}}"#).into_bytes()));
    }
    // CPU time of this thread (Linux: utime + stime in clock ticks of 1/100 s), beside the wall
    // time, which a machine shared with other builds inflates
    let cpu = || -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
        Some((fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?) / 100.0)
    };
    let cpu0 = cpu();
    let start = std::time::Instant::now();
    let db = import_database(&files, &ImportOptions::default()).unwrap();
    let took = start.elapsed();
    let cpu_s = cpu().zip(cpu0).map(|(a, b)| format!("{:.2} s", a - b)).unwrap_or_else(|| "?".into());
    println!(
        "imported {} activities, {} technosphere and {} biosphere exchanges in {took:?} (CPU {cpu_s})",
        db.report.counts.activities, db.report.counts.technosphere_exchanges, db.report.counts.biosphere_exchanges
    );
    assert_eq!(db.report.counts.activities, n);
    assert_eq!(db.report.counts.technosphere_exchanges + db.report.counts.biosphere_exchanges, n * 24);
    // about 1.5 s of CPU on one core; the bound leaves room for a machine shared with other builds
    assert!(took.as_secs_f64() < 30.0, "{took:?}");
}

#[test]
fn monte_carlo_on_the_imported_uncertainty() {
    // Distributions carried: CO2 of recycling lognormal(mu = ln 0.3, sigma = ln 1.2), the
    // parameter share uniform(0.4, 0.6) driving the electricity formula, the factor normal(1, 0.1).
    // The score is linear in share and in the factor (independent, mean 1), so its mean is
    //   E = 0.3·exp(ln(1.2)²/2) + 0.5·0.8 + (0.5·0.4 − 0.1)·0.1 = 0.30503… + 0.4 + 0.01 = 0.71503
    // (lognormal mean exp(mu + sigma²/2)); 4000 draws put the sample mean within ±0.01.
    let files: Vec<Value> = v1_export()
        .iter()
        .map(|f| json!({"name": f.name, "text": String::from_utf8(f.bytes.clone()).unwrap()}))
        .collect();
    let out = tanso::api::call(
        "lca_import",
        json!({"files": files, "monte_carlo": {"demands": [{"amounts": [{"id": "p-rec", "amount": 1}]}],
               "methods": ["CML | climate change"], "iterations": 4000, "seed": 7, "threads": 1}}),
    )
    .unwrap();
    let r = &out["monte_carlo"]["results"][0];
    let expected = 0.3 * (1.2f64.ln().powi(2) / 2.0).exp() + 0.4 + 0.01;
    let mean = r["mean"].as_f64().unwrap();
    assert!((mean - expected).abs() < 0.01, "mean {mean}, expected {expected}: {r}");
    assert!(r["sd"].as_f64().unwrap() > 0.01, "{r}");
}
