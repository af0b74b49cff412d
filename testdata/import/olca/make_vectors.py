"""Writes testdata/vectors/import_olca.json: small openLCA JSON-LD exports written by hand
from the published schema (GreenDelta/olca-schema yaml/*.yaml; 2.x names with
olca-schema.json {"version": 2}, 1.x names as openLCA 1.10/1.11 exports them), imported by
the `lca_import` operation and computed; expected scores are the hand calculations in each
case's `source`. Run from the repository root: python3 testdata/import/olca/make_vectors.py"""
import base64, io, json, zipfile

def f(name, value):
    return {"name": name, "text": json.dumps(value, separators=(",", ":"))}

FP_MASS = [{"flowProperty": {"@id": "mass"}, "conversionFactor": 1.0, "isRefFlowProperty": True}]
FP_ENERGY = [{"flowProperty": {"@id": "energy"}, "conversionFactor": 1.0, "isRefFlowProperty": True}]

def ref2():
    return [
        f("olca-schema.json", {"version": 2}),
        f("unit_groups/mass.json", {"@id": "ug-mass", "name": "Units of mass", "units": [
            {"@id": "kg", "name": "kg", "conversionFactor": 1.0, "isRefUnit": True},
            {"@id": "g", "name": "g", "conversionFactor": 0.001},
            {"@id": "t", "name": "t", "conversionFactor": 1000.0}]}),
        f("unit_groups/energy.json", {"@id": "ug-energy", "name": "Units of energy", "units": [
            {"@id": "MJ", "name": "MJ", "conversionFactor": 1.0, "isRefUnit": True},
            {"@id": "kWh", "name": "kWh", "conversionFactor": 3.6}]}),
        f("flow_properties/mass.json", {"@id": "mass", "name": "Mass", "unitGroup": {"@id": "ug-mass"}}),
        f("flow_properties/energy.json", {"@id": "energy", "name": "Energy", "unitGroup": {"@id": "ug-energy"}}),
        f("flows/steel.json", {"@id": "steel", "name": "steel", "flowType": "PRODUCT_FLOW", "flowProperties": FP_MASS}),
        f("flows/coal.json", {"@id": "coal", "name": "coal", "flowType": "PRODUCT_FLOW", "flowProperties": FP_MASS}),
        f("flows/elec.json", {"@id": "elec", "name": "electricity", "flowType": "PRODUCT_FLOW", "flowProperties": FP_ENERGY}),
        f("flows/slag.json", {"@id": "slag", "name": "slag", "flowType": "WASTE_FLOW", "flowProperties": FP_MASS}),
        f("flows/co2.json", {"@id": "co2", "name": "carbon dioxide", "flowType": "ELEMENTARY_FLOW",
                             "category": "Elementary flows/Emission to air", "flowProperties": FP_MASS}),
        f("locations/cn.json", {"@id": "l-cn", "name": "China", "code": "CN"}),
        f("locations/de.json", {"@id": "l-de", "name": "Germany", "code": "DE"}),
        f("locations/fr.json", {"@id": "l-fr", "name": "France", "code": "FR"}),
        f("lcia_methods/ipcc.json", {"@id": "m", "name": "IPCC 2021", "impactCategories": [{"@id": "gwp"}]}),
        f("lcia_categories/gwp.json", {"@id": "gwp", "name": "GWP100", "refUnit": "kg CO2e", "impactFactors": [
            {"flow": {"@id": "co2"}, "unit": {"@id": "g"}, "value": 0.001}]}),
    ]

def x(flow, amount, unit, input=False, **kw):
    e = {"flow": {"@id": flow}, "amount": amount, "unit": {"@id": unit}, "isInput": input}
    e.update(kw)
    return e

def proc(pid, name, loc, exchanges):
    p = {"@id": pid, "name": name, "exchanges": exchanges}
    if loc:
        p["location"] = {"@id": loc}
    return f(f"processes/{pid}.json", p)

def chain():
    return ref2() + [
        proc("elec-cn", "electricity, CN", "l-cn", [x("elec", 1, "kWh", isQuantitativeReference=True), x("coal", 0.4, "kg", True), x("co2", 900, "g")]),
        proc("elec-de", "electricity, DE", "l-de", [x("elec", 1, "MJ", isQuantitativeReference=True), x("co2", 0.1, "kg")]),
        proc("coal", "coal mining", None, [x("coal", 1, "kg", isQuantitativeReference=True), x("elec", 0.05, "kWh", True, defaultProvider={"@id": "elec-cn"}), x("co2", 0.02, "kg")]),
        proc("steel", "steel making", "l-cn", [x("steel", 1, "t", isQuantitativeReference=True), x("elec", 500, "kWh", True), x("coal", 600, "kg", True),
                                               x("slag", 200, "kg"), x("co2", 1500, "kg")]),
        proc("slag-treatment", "slag treatment", None, [x("slag", 1, "kg", True, isQuantitativeReference=True), x("co2", 0.01, "kg")]),
    ]

c = 0.8 / 0.98
e = 1.8 + 0.18 * c
steel_co2 = 1.5 + 0.25 * e + 0.02 * c + 0.01 * 0.2
CHAIN_SRC = ("hand calculation per kg steel (1 t process / 1000): electricity 0.5 kWh = 1.8 MJ (CN, same location), coal 0.6 kg, slag 0.2 kg, CO2 1.5 kg; "
             "electricity CN per MJ: coal 0.4/3.6 kg, CO2 0.9/3.6 = 0.25 kg; coal per kg: 0.05 kWh = 0.18 MJ, CO2 0.02; slag: CO2 0.01 per kg; "
             "c = 0.6 + (0.4/3.6)e, e = 1.8 + 0.18c -> c = 0.8/0.98, e = 1.8 + 0.18c; CO2 = 1.5 + 0.25e + 0.02c + 0.002 = 2.0050612244897956; "
             "the GWP factor 0.001 per g = 1 per kg (olca-core ReferenceAmount: amount x unit.conversionFactor / flowPropertyFactor.conversionFactor)")

def v1():
    ctx = "http://greendelta.github.io/olca-schema/context.jsonld"
    fpm = [{"flowProperty": {"@id": "mass"}, "conversionFactor": 1.0, "referenceFlowProperty": True}]
    fpe = [{"flowProperty": {"@id": "energy"}, "conversionFactor": 1.0, "referenceFlowProperty": True}]
    def x1(flow, amount, unit, input, iid, **kw):
        e = {"@type": "Exchange", "internalId": iid, "flow": {"@id": flow}, "amount": amount, "unit": {"@id": unit}, "input": input}
        e.update(kw)
        return e
    def af(t, flow, v):
        return {"allocationType": t, "product": {"@id": flow}, "value": v}
    return [
        f("unit_groups/mass.json", {"@context": ctx, "@type": "UnitGroup", "@id": "ug-mass", "name": "Units of mass", "units": [
            {"@id": "kg", "name": "kg", "conversionFactor": 1.0, "referenceUnit": True}, {"@id": "g", "name": "g", "conversionFactor": 0.001}]}),
        f("unit_groups/energy.json", {"@context": ctx, "@type": "UnitGroup", "@id": "ug-energy", "name": "Units of energy", "units": [
            {"@id": "MJ", "name": "MJ", "conversionFactor": 1.0, "referenceUnit": True}]}),
        f("flow_properties/mass.json", {"@context": ctx, "@type": "FlowProperty", "@id": "mass", "name": "Mass", "unitGroup": {"@id": "ug-mass"}}),
        f("flow_properties/energy.json", {"@context": ctx, "@type": "FlowProperty", "@id": "energy", "name": "Energy", "unitGroup": {"@id": "ug-energy"}}),
        f("flows/steel.json", {"@context": ctx, "@type": "Flow", "@id": "steel", "name": "steel", "flowType": "PRODUCT_FLOW", "flowProperties": fpm}),
        f("flows/coal.json", {"@context": ctx, "@type": "Flow", "@id": "coal", "name": "coal", "flowType": "PRODUCT_FLOW", "flowProperties": fpm}),
        f("flows/elec.json", {"@context": ctx, "@type": "Flow", "@id": "elec", "name": "electricity", "flowType": "PRODUCT_FLOW", "flowProperties": fpe}),
        f("flows/heat.json", {"@context": ctx, "@type": "Flow", "@id": "heat", "name": "heat", "flowType": "PRODUCT_FLOW", "flowProperties": fpe}),
        f("flows/co2.json", {"@context": ctx, "@type": "Flow", "@id": "co2", "name": "carbon dioxide", "flowType": "ELEMENTARY_FLOW",
                             "category": {"@type": "Category", "@id": "cat-air"}, "flowProperties": fpm}),
        f("categories/air.json", {"@context": ctx, "@type": "Category", "@id": "cat-air", "name": "Emission to air", "modelType": "FLOW"}),
        f("parameters/ef.json", {"@context": ctx, "@type": "Parameter", "@id": "ef", "name": "ef", "parameterScope": "GLOBAL_SCOPE", "inputParameter": True, "value": 0.05}),
        f("processes/chp.json", {"@context": ctx, "@type": "Process", "@id": "chp", "name": "CHP plant", "defaultAllocationMethod": "PHYSICAL_ALLOCATION",
            "exchanges": [x1("elec", 1, "MJ", False, 1, quantitativeReference=True), x1("heat", 3, "MJ", False, 2), x1("coal", 1, "kg", True, 3), x1("co2", 2, "kg", False, 4)],
            "allocationFactors": [af("PHYSICAL_ALLOCATION", "elec", 0.4), af("PHYSICAL_ALLOCATION", "heat", 0.6),
                                  af("ECONOMIC_ALLOCATION", "elec", 0.7), af("ECONOMIC_ALLOCATION", "heat", 0.3)]}),
        f("processes/coal.json", {"@context": ctx, "@type": "Process", "@id": "coal-mining", "name": "coal mining",
            "exchanges": [x1("coal", 1, "kg", False, 1, quantitativeReference=True), x1("co2", 0.1, "kg", False, 2, amountFormula="2 * EF")]}),
        f("processes/rec.json", {"@context": ctx, "@type": "Process", "@id": "rec", "name": "steel recycling",
            "parameters": [{"name": "share", "parameterScope": "PROCESS_SCOPE", "inputParameter": True, "value": 0.5},
                           {"name": "elec_demand", "parameterScope": "PROCESS_SCOPE", "inputParameter": False, "value": 0.5, "formula": "SHARE * 1"}],
            "exchanges": [x1("steel", 1, "kg", False, 1, quantitativeReference=True), x1("elec", 0.5, "MJ", True, 2, amountFormula="Elec_Demand"),
                          x1("coal", 100, "g", True, 3, avoidedProduct=True),
                          x1("co2", 0.3, "kg", False, 4, uncertainty={"distributionType": "LOG_NORMAL_DISTRIBUTION", "geomMean": 0.3, "geomSd": 1.2})]}),
        f("lcia_methods/cml.json", {"@context": ctx, "@type": "ImpactMethod", "@id": "cml", "name": "CML", "impactCategories": [{"@id": "cc"}]}),
        f("lcia_categories/cc.json", {"@context": ctx, "@type": "ImpactCategory", "@id": "cc", "name": "climate change", "referenceUnitName": "kg CO2 eq",
            "impactFactors": [{"flow": {"@id": "co2"}, "unit": {"@id": "kg"}, "value": 1.0}]}),
    ]

def demand(pid, amount=1):
    return {"demands": [{"amounts": [{"id": pid, "amount": amount}]}]}

def zipped(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for fl in files:
            z.writestr(fl["name"], fl["text"])
    return {"name": "export.zip", "base64": base64.b64encode(buf.getvalue()).decode()}

V1_SRC = ("hand calculation per kg recycled steel: electricity = elec_demand = SHARE * 1 = 0.5 MJ from CHP|electricity; CHP physical factor 0.4: "
          "coal 0.4 kg, CO2 0.8 kg per MJ; coal 0.5*0.4 = 0.2 minus the avoided 100 g = 0.1 kg net; coal mining CO2 = 2*ef = 0.1 kg/kg; "
          "CO2 = 0.3 + 0.5*0.8 + 0.1*0.1 = 0.71")

cases = [
    {"name": "olca 2.x chain: kWh and t converted, same-location and default providers, waste treatment",
     "source": CHAIN_SRC, "operation": "lca_import", "tolerance": 1e-9,
     "input": {"files": chain(), "calculate": demand("steel")},
     "expected": {"report": {"format": "olca", "schema_version": "2",
                             "counts": {"processes": 5, "activities": 5, "flows": 1, "technosphere_exchanges": 5, "biosphere_exchanges": 5,
                                        "methods": 1, "characterization_factors": 1},
                             "linked": {"default_provider": 1, "same_location": 1, "only_provider": 3}, "unlinked": []},
                  "results": {"results": [{"scores": {"IPCC 2021 | GWP100": steel_co2}}]}}},
    {"name": "olca 2.x: an input no rule can link is reported by name and left out of the matrix",
     "source": "electricity is made in CN and DE; the consumer is in FR and neither GLO nor RoW exists; 2 kWh = 7.2 MJ; "
               "the wire process then has only its production: score 0",
     "operation": "lca_import", "tolerance": 1e-9,
     "input": {"files": chain() + [proc("wire", "wire drawing, FR", "l-fr", [x("steel", 1, "kg", isQuantitativeReference=True), x("elec", 2, "kWh", True)])],
               "calculate": demand("wire")},
     "expected": {"report": {"unlinked": [{"activity": "wire", "activity_name": "wire drawing, FR", "product": "elec", "product_name": "electricity",
                                          "amount": 7.2, "unit": "MJ", "candidates": ["elec-cn", "elec-de"]}]},
                  "results": {"results": [{"scores": {"IPCC 2021 | GWP100": 0.0}}]}}},
    {"name": "olca 1.x: physical allocation of a CHP plant, avoided product, parameters and formulas",
     "source": V1_SRC, "operation": "lca_import", "tolerance": 1e-9,
     "input": {"files": v1(), "calculate": demand("rec")},
     "expected": {"report": {"schema_version": "1", "counts": {"processes": 3, "activities": 4, "parameters": 3, "uncertain_amounts": 1},
                             "allocations": [{"process": "chp", "method": "physical", "products": [["chp|elec", 0.4], ["chp|heat", 0.6]]}]},
                  "results": {"results": [{"scores": {"CML | climate change": 0.71}}]}}},
    {"name": "olca 1.x: economic allocation chosen in the options",
     "source": "3 MJ heat, the CHP plant's whole heat output, with the economic factor 0.3 for heat: coal 1*0.3 = 0.3 kg, CO2 2*0.3 = 0.6 kg; "
               "coal mining CO2 2*ef = 0.1 kg/kg; CO2 = 0.6 + 0.3*0.1 = 0.63",
     "operation": "lca_import", "tolerance": 1e-9,
     "input": {"files": v1(), "options": {"allocation": "economic"}, "calculate": demand("chp|heat", 3)},
     "expected": {"report": {"allocations": [{"method": "economic", "products": [["chp|elec", 0.7], ["chp|heat", 0.3]]}]},
                  "results": {"results": [{"scores": {"CML | climate change": 2 * 0.3 + 0.3 * 0.1}}]}}},
    {"name": "olca 1.x: without allocation the CHP plant is left out and its consumers unlinked",
     "source": "recycled steel alone: CO2 0.3 kg and the avoided 0.1 kg coal credited 0.1*0.1 kg CO2: 0.29",
     "operation": "lca_import", "tolerance": 1e-9,
     "input": {"files": v1(), "options": {"allocation": "none"}, "calculate": demand("rec")},
     "expected": {"report": {"counts": {"activities": 2}, "unlinked": [{"activity": "rec", "product_name": "electricity"}]},
                  "results": {"results": [{"scores": {"CML | climate change": 0.29}}]}}},
    {"name": "olca 2.x zip (base64): the export as openLCA writes it",
     "source": CHAIN_SRC + "; 10 kg steel: 10 x 2.0050612244897956",
     "operation": "lca_import", "tolerance": 1e-9,
     "input": {"files": [zipped(chain())], "calculate": demand("steel", 10)},
     "expected": {"report": {"source": "export.zip", "counts": {"activities": 5}},
                  "results": {"results": [{"scores": {"IPCC 2021 | GWP100": 10 * steel_co2}}]}}},
    {"name": "olca: an exchange naming a flow that is not in the export",
     "operation": "lca_import",
     "input": {"files": chain() + [proc("bad", "bad process", None, [x("steel", 1, "kg", isQuantitativeReference=True), x("nowhere", 1, "kg", True)])]},
     "error": "MISSING_REFERENCE"},
    {"name": "olca: kWh for a mass flow",
     "operation": "lca_import",
     "input": {"files": chain() + [proc("bad", "bad process", None, [x("steel", 1, "kWh", isQuantitativeReference=True)])]},
     "error": "UNCONVERTIBLE_UNIT"},
    {"name": "olca: olca-schema.json version 3",
     "operation": "lca_import",
     "input": {"files": [f("olca-schema.json", {"version": 3})] + chain()[1:]},
     "error": "UNSUPPORTED_SCHEMA"},
]
doc = {"description": "The openLCA JSON-LD importer (olca-schema 1.x and 2.x) through the lca_import operation: unit conversion, linking, "
                      "allocation, avoided products, parameters, methods, unlinked exchanges and errors (floats with the case's relative tolerance)",
       "cases": cases}
with open("testdata/vectors/import_olca.json", "w") as out:
    json.dump(doc, out, indent=1, ensure_ascii=False)
    out.write("\n")
