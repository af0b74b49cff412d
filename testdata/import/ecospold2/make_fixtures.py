"""Writes the EcoSpold2 test fixtures of tanso (testdata/import/ecospold2/*.spold) and the
shared vectors (testdata/vectors/import_ecospold2.json).

Element and attribute names follow the EcoSpold02 schema (EcoSpold02.xsd, namespace
http://www.EcoInvent.org/EcoSpold02; field by field as in openLCA's olca-ecospold-2
spold2/Activity.java, Exchange.java, IntermediateExchange.java, Parameter.java, Normal.java):
activityDescription/activity@id + activityName, geography/shortname, flowData/
intermediateExchange@intermediateExchangeId@amount@activityLinkId@mathematicalRelation with
name, unitName, uncertainty, property, inputGroup/outputGroup; elementaryExchange@
elementaryExchangeId with compartment/compartment + subcompartment; parameter@variableName.
Run: python3 make_fixtures.py (from this folder).
"""
import base64, io, itertools, json, os, zipfile

NS = "http://www.EcoInvent.org/EcoSpold02"
IDS = itertools.count(1)


def doc(act, name, geo, exchanges, ns=NS, parameters=""):
    return (f'<ecoSpold xmlns="{ns}">\n<activityDataset>\n'
            f' <activityDescription>\n  <activity id="{act}" type="1">'
            f'<activityName>{name}</activityName></activity>\n'
            f'  <geography geographyId="{geo}-id"><shortname>{geo}</shortname></geography>\n'
            f' </activityDescription>\n <flowData>\n{exchanges}{parameters} </flowData>\n</activityDataset>\n</ecoSpold>\n')


def product(flow, name, amount, unit, extra="", props=""):
    return (f'  <intermediateExchange id="{flow}-out" intermediateExchangeId="{flow}" amount="{amount}" {extra}>'
            f'<name>{name}</name><unitName>{unit}</unitName>{props}'
            f'<outputGroup>0</outputGroup></intermediateExchange>\n')


def byproduct(flow, name, amount, unit):
    return (f'  <intermediateExchange id="{flow}-by" intermediateExchangeId="{flow}" amount="{amount}">'
            f'<name>{name}</name><unitName>{unit}</unitName>'
            f'<outputGroup>2</outputGroup></intermediateExchange>\n')


def input_(flow, name, amount, unit, link=None, extra="", inner=""):
    link = f' activityLinkId="{link}"' if link else ""
    return (f'  <intermediateExchange id="{flow}-in-{next(IDS)}" intermediateExchangeId="{flow}" amount="{amount}"{link} {extra}>'
            f'<name>{name}</name><unitName>{unit}</unitName>{inner}'
            f'<inputGroup>5</inputGroup></intermediateExchange>\n')


def emission(flow, name, amount, unit="kg", extra="", inner=""):
    return (f'  <elementaryExchange id="{flow}-em-{next(IDS)}" elementaryExchangeId="{flow}" amount="{amount}" {extra}>'
            f'<name>{name}</name><unitName>{unit}</unitName>{inner}'
            f'<compartment subcompartmentId="air-u"><compartment>air</compartment>'
            f'<subcompartment>unspecified</subcompartment></compartment>'
            f'<outputGroup>4</outputGroup></elementaryExchange>\n')


def prop(name, amount, unit):
    return (f'<property propertyId="{name}-id" amount="{amount}"><name>{name}</name>'
            f'<unitName>{unit}</unitName></property>')


CO2, CH4 = "co2-fossil", "ch4-fossil"
files = {}

# 1. a chain: electricity (CN, DE), coal, steel (inputs in MJ and t), slag treatment (GLO, US)
files["chain/electricity_CN.spold"] = doc("e", "electricity production, coal", "CN",
    product("elec", "electricity, high voltage", 1, "kWh")
    + input_("coal", "hard coal", 0.4, "kg", link="c")
    + emission(CO2, "Carbon dioxide, fossil", 0.9))
files["chain/electricity_DE.spold"] = doc("e-de", "electricity production, mix", "DE",
    product("elec", "electricity, high voltage", 1, "kWh")
    + emission(CO2, "Carbon dioxide, fossil", 0.5))
files["chain/coal.spold"] = doc("c", "hard coal mining", "CN",
    product("coal", "hard coal", 1, "kg")
    + input_("elec", "electricity, high voltage", 0.05, "kWh")
    + emission(CH4, "Methane, fossil", 0.01))
files["chain/steel.spold"] = doc("s", "steel production, BF-BOF", "CN",
    product("steel", "steel, low-alloyed", 1, "kg")
    + input_("elec", "electricity, high voltage", 1.8, "MJ")
    + input_("coal", "hard coal", 0.0006, "t")
    + input_("slag", "basic oxygen furnace slag", -0.2, "kg")
    + input_("water", "tap water", 3, "kg")
    + emission(CO2, "Carbon dioxide, fossil", 1.5))
files["chain/slag_treatment_GLO.spold"] = doc("t", "treatment of basic oxygen furnace slag", "GLO",
    product("slag", "basic oxygen furnace slag", -1, "kg")
    + input_("elec", "electricity, high voltage", 0.1, "kWh", link="e")
    + emission(CO2, "Carbon dioxide, fossil", 0.02))
files["chain/slag_treatment_US.spold"] = doc("t-us", "treatment of basic oxygen furnace slag", "US",
    product("slag", "basic oxygen furnace slag", -1, "kg")
    + emission(CO2, "Carbon dioxide, fossil", 0.07))

# 2. a multi-output dataset (chlor-alkali electrolysis) and a consumer of chlorine
files["alloc/chlor_alkali.spold"] = doc("ca", "chlor-alkali electrolysis", "GLO",
    product("chlorine", "chlorine, gaseous", 1, "kg", props=prop("price", 0.2, "EUR2005") + prop("dry mass", 1, "kg"))
    + product("naoh", "sodium hydroxide", 1.1, "kg", props=prop("price", 0.3, "EUR2005") + prop("dry mass", 1, "kg"))
    + emission(CO2, "Carbon dioxide, fossil", 2.0))
files["alloc/pvc.spold"] = doc("pvc", "polyvinylchloride production", "GLO",
    product("pvc", "polyvinylchloride", 1, "kg")
    + input_("chlorine", "chlorine, gaseous", 0.5, "kg")
    + emission(CO2, "Carbon dioxide, fossil", 0.1))

# 3. parameters, mathematical relations and uncertainty
files["params/boiler.spold"] = doc("b", "heat production, boiler", "GLO",
    product("heat", "heat", 1, "MJ")
    + emission(CO2, "Carbon dioxide, fossil", 1, extra='mathematicalRelation="load / EFF * 110%" isCalculatedAmount="true"',
               inner='<uncertainty><lognormal meanValue="1" mu="0" variance="0.01" varianceWithPedigreeUncertainty="0.04"/></uncertainty>')
    + emission(CH4, "Methane, fossil", 0.002, extra='mathematicalRelation="Ref(\'6f3b\') * 2" isCalculatedAmount="true"',
               inner='<uncertainty><undefined minValue="0" maxValue="1" standardDeviation95="0"/></uncertainty>'),
    parameters=('  <parameter parameterId="p1" variableName="EFF" amount="0.5"><name>efficiency</name>'
                '<uncertainty><uniform minValue="0.4" maxValue="0.6"/></uncertainty></parameter>\n'
                '  <parameter parameterId="p2" variableName="load" amount="0.5" mathematicalRelation="2 * EFF ^ 2" isCalculatedAmount="true">'
                '<name>load factor</name></parameter>\n'))

# 4. a by-product waste (outputGroup 2) and its treatment (reference amount -1)
files["waste/furnace.spold"] = doc("f", "furnace operation", "GLO",
    product("iron", "pig iron", 1, "kg")
    + byproduct("ash", "furnace ash", 0.3, "kg")
    + emission(CO2, "Carbon dioxide, fossil", 1.2))
files["waste/ash_treatment.spold"] = doc("at", "treatment of furnace ash, landfill", "GLO",
    product("ash", "furnace ash", -1, "kg")
    + emission(CO2, "Carbon dioxide, fossil", 0.1))

# errors
files["errors/ecospold1.spold"] = doc("x", "old", "GLO", product("p", "p", 1, "kg"), ns="http://www.EcoInvent.org/EcoSpold01")
files["errors/bad_unit.spold"] = doc("bu", "consumer with a unit of another dimension", "GLO",
    product("q", "q", 1, "kg") + input_("elec", "electricity, high voltage", 2, "kg"))

here = os.path.dirname(os.path.abspath(__file__))
for name, text in files.items():
    path = os.path.join(here, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)

GWP = {"id": "GWP100", "unit": "kg CO2e", "factors": [{"flow": CO2, "factor": 1}, {"flow": CH4, "factor": 29.8}]}


def fl(prefix):
    return [{"name": n.split("/")[-1], "text": t} for n, t in sorted(files.items()) if n.startswith(prefix)]


def zipped(prefix, extra):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, t in sorted(files.items()):
            if n.startswith(prefix):
                z.writestr(zipfile.ZipInfo("datasets/" + n.split("/")[-1], (2024, 1, 1, 0, 0, 0)), t)
        for n, t in extra.items():
            z.writestr(zipfile.ZipInfo(n, (2024, 1, 1, 0, 0, 0)), t)
    return base64.b64encode(buf.getvalue()).decode()


cases = [
    {"name": "a chain of six .spold files: linking by activityLinkId, location and GLO, MJ→kWh and t→kg, a waste treatment, an unlinked input",
     "source": "hand calculation: slag x_t = 0.2 (steel's input −0.2 kg against the treatment's −1); x_e = (0.5 + 0.1·0.2 + 0.05·0.6)/(1 − 0.05·0.4) = 0.55/0.98 = 0.5612244897959184; x_c = 0.6 + 0.4·x_e = 0.8244897959183674; CO2 = 1.5 + 0.9·x_e + 0.02·0.2 = 2.0091020408163267; GWP = CO2 + 29.8·0.01·x_c = 2.2548 (as lca.json's first case, the same system written as EcoSpold2)",
     "operation": "lca_import", "tolerance": 1e-9,
     "input": {"files": fl("chain/"), "options": {"methods": [GWP]},
               "calculate": {"demands": [{"name": "1 kg steel", "amounts": [{"id": "s_steel", "amount": 1}]}]}},
     "expected": {"report": {"format": "ecospold2", "counts": {"processes": 6, "activities": 6, "flows": 2, "technosphere_exchanges": 6,
                                                               "biosphere_exchanges": 6, "methods": 1, "characterization_factors": 2},
                             "linked": {"default_provider": 2, "fallback:GLO": 1, "only_provider": 1, "same_location": 2},
                             "unlinked": [{"activity": "s_steel", "product": "water", "product_name": "tap water", "amount": 3}],
                             "conversions": [{"from": "MJ", "to": "kWh", "count": 1}, {"from": "t", "to": "kg", "factor": 1000, "count": 1}]},
                  "results": {"results": [{"demand": "1 kg steel", "scores": {"GWP100": 2.2548}}]}}},
    {"name": "a multi-output dataset allocated by price (default): revenue shares 0.2 : 0.33",
     "source": "hand calculation: revenue chlorine 1 kg × 0.2 = 0.2, NaOH 1.1 kg × 0.3 = 0.33; factor chlorine 0.2/0.53; CO2 per kg chlorine = 2 × 0.2/0.53 = 0.7547169811320755; PVC = 0.1 + 0.5 × 0.7547169811320755 = 0.47735849056603774; per kg NaOH = 2 × (0.33/0.53)/1.1 = 1.1320754716981132",
     "operation": "lca_import", "tolerance": 1e-9,
     "input": {"files": fl("alloc/"), "options": {"methods": [GWP]},
               "calculate": {"demands": [{"name": "pvc", "amounts": [{"id": "pvc_pvc", "amount": 1}]},
                                         {"name": "naoh", "amounts": [{"id": "ca_naoh", "amount": 1}]}]}},
     "expected": {"report": {"counts": {"processes": 2, "activities": 3},
                             "allocations": [{"process": "ca", "products": [["ca_chlorine", 0.37735849056603776], ["ca_naoh", 0.6226415094339622]]}]},
                  "results": {"results": [{"demand": "pvc", "scores": {"GWP100": 0.47735849056603774}},
                              {"demand": "naoh", "scores": {"GWP100": 1.1320754716981132}}]}}},
    {"name": "the same dataset allocated physically, by the dry mass property",
     "source": "hand calculation: dry mass 1 kg × 1 and 1.1 kg × 1; factor NaOH 1.1/2.1; CO2 per kg NaOH = 2 × (1.1/2.1)/1.1 = 2/2.1 = 0.9523809523809523",
     "operation": "lca_import", "tolerance": 1e-9,
     "input": {"files": fl("alloc/chlor"), "options": {"methods": [GWP], "allocation": "physical"},
               "calculate": {"demands": [{"name": "naoh", "amounts": [{"id": "ca_naoh", "amount": 1}]}]}},
     "expected": {"results": {"results": [{"demand": "naoh", "scores": {"GWP100": 0.9523809523809523}}]}}},
    {"name": "parameters and mathematical relations (EFF ^ 2, 110%), Ref() and undefined uncertainty left out",
     "source": "hand calculation: load = 2 × 0.5^2 = 0.5; CO2 = load / EFF × 110% = 0.5/0.5 × 1.1 = 1.1; CH4's relation Ref('6f3b') × 2 is not read, its amount 0.002 is used: GWP = 1.1 + 29.8 × 0.002 = 1.1596",
     "operation": "lca_import", "tolerance": 1e-9,
     "input": {"files": fl("params/"), "options": {"methods": [GWP]},
               "calculate": {"demands": [{"name": "heat", "amounts": [{"id": "b_heat", "amount": 1}]}]}},
     "expected": {"report": {"counts": {"parameters": 2, "uncertain_amounts": 2}},
                  "results": {"results": [{"demand": "heat", "scores": {"GWP100": 1.1596}}]}}},
    {"name": "a by-product waste (outputGroup 2) sent to its treatment (reference amount −1), from a zip with a readme",
     "source": "hand calculation: the furnace's 0.3 kg ash output is a −0.3 input; treatment x = 0.3; CO2 = 1.2 + 0.3 × 0.1 = 1.23",
     "operation": "lca_import", "tolerance": 1e-9,
     "input": {"files": [{"name": "waste.zip", "base64": zipped("waste/", {"README.txt": "two datasets"})}], "options": {"methods": [GWP]},
               "calculate": {"demands": [{"name": "iron", "amounts": [{"id": "f_iron", "amount": 1}]}]}},
     "expected": {"report": {"counts": {"processes": 2, "activities": 2, "technosphere_exchanges": 1}, "linked": {"only_provider": 1}},
                  "results": {"results": [{"demand": "iron", "scores": {"GWP100": 1.23}}]}}},
    {"name": "an EcoSpold1 document is refused", "operation": "lca_import",
     "input": {"files": fl("errors/ecospold1")}, "error": "UNSUPPORTED_SCHEMA"},
    {"name": "an input in kg of a product made in kWh is refused", "operation": "lca_import",
     "input": {"files": fl("chain/electricity_DE") + fl("errors/bad_unit")}, "error": "UNCONVERTIBLE_UNIT"},
    {"name": "a broken zip is refused", "operation": "lca_import",
     "input": {"files": [{"name": "broken.zip", "base64": base64.b64encode(b"PK\x03\x04 this is not a zip").decode()}]},
     "error": "MALFORMED_DATA"},
]
vectors = {"description": "lca_import of EcoSpold2 .spold files (EcoSpold02 schema, ecoinvent 3): linking, unit conversion, waste treatment, allocation of multi-output datasets, parameters and formulas; generated by testdata/import/ecospold2/make_fixtures.py",
           "cases": cases}
with open(os.path.join(here, "..", "..", "vectors", "import_ecospold2.json"), "w") as f:
    json.dump(vectors, f, indent=1, ensure_ascii=False)
    f.write("\n")
