//! Hand calculations and invariants of the vehicle model. Numbers quoted from the bundled
//! tables: carculator 1.9.5 (`core/data/vehicle_carculator.csv`, Medium 2020: glider base mass
//! 1350 kg, lightweighting 0.106522 (ICE; 2030 0.128261), WLTC TtW petrol 2336.52 kJ/km (2030
//! 2152.35), HEV-p 2248.21, PHEV-p 1420.4 with UF 0.57294, BEV 609.313 kJ/km and 67.2 kWh (2030
//! 102); charge efficiency 0.8517, CN losses 1.0789), GREET2 2017 (component shares, curb mass ICEV 1427.7 kg, fractions), worldsteel 2022
//! (BF-BOF 2.32, scrap-EAF 0.70) + carculator sheet rolling 0.33, IPCC 2006 (69.3 g CO2/MJ
//! petrol), EU FQD baseline 94.1 g CO2e/MJ.

use proptest::prelude::*;

use super::*;

fn input(size: &str, pt: &str, year: i32) -> VehicleInput {
    VehicleInput { size: size.into(), powertrain: pt.into(), region: "CN".into(), year, ..Default::default() }
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-12)
}

fn material<'a>(o: &'a VehicleOutput, m: &str) -> &'a MaterialResult {
    o.production.by_material.iter().find(|r| r.material == m).unwrap()
}

#[test]
fn production_is_mass_times_factor_hand_calculation() {
    // All material factors 1, no battery, no assembly: production = modelled mass.
    let mut i = input("medium", "petrol", 2020);
    i.overrides.material_factors = MATERIALS.iter().map(|m| (m.to_string(), 1.0)).collect();
    i.overrides.assembly_kg_co2e = Some(0.0);
    let o = evaluate(&i).unwrap();
    // glider 1350 × (1 − 0.106522) + GREET ICEV (powertrain 0.247025218 + transmission 0.052533124)
    // × 1427.7; GREET's engine fractions sum to 1.00002 (platinum 2e-5 on top of rounded
    // fractions), kept as given.
    let hand = 1350.0 * (1.0 - 0.106522) + (0.247025218 * 1.00002 + 0.052533124) * 1427.7;
    assert!(close(o.production.total_kg_co2e, hand, 1e-12), "{} vs {hand}", o.production.total_kg_co2e);
    assert!(close(o.mass_kg.total, hand, 1e-12));
}

#[test]
fn steel_of_a_petrol_medium_car_by_hand() {
    let mut i = input("medium", "petrol", 2020);
    i.background = Some("static".into());
    let o = evaluate(&i).unwrap();
    let bs = 1.0 - 0.247025218 - 0.052533124 - 0.239;
    let cs = 0.239;
    let glider = 1350.0 * (bs * 0.683 + cs * 0.841) / (bs + cs) - 1.8 * 0.106522 * 1350.0;
    let engine = 0.395 * 0.247025218 * 1427.7;
    let transmission = 0.3 * 0.052533124 * 1427.7;
    let steel = material(&o, "steel");
    assert!(close(steel.mass_kg, glider + engine + transmission, 1e-12));
    // BF-BOF 2.32 + sheet rolling 0.33 (worldsteel 2022, carculator)
    assert!(close(steel.factor, 2.65, 1e-12), "{}", steel.factor);
    assert!(close(steel.kg_co2e, steel.mass_kg * 2.65, 1e-12));
    // green steel 0.4: 0.6 × 2.65 + 0.4 × (0.70 + 0.33)
    i.levers.green_steel_share = Some(0.4);
    let g = evaluate(&i).unwrap();
    assert!(close(material(&g, "steel").factor, 0.6 * 2.65 + 0.4 * 1.03, 1e-12));
}

#[test]
fn aluminium_blend_by_hand() {
    // CN production: IAI world primary 15.1 (2022; China's own row has an unverified boundary);
    // GREET recycled wrought 1.716 and cast 1.955 kg CO2e/kg (converted from g/lb in the library).
    let mut i = input("medium", "bev", 2022);
    i.background = Some("static".into());
    i.levers.recycled_aluminium_share = Some(0.3);
    let o = evaluate(&i).unwrap();
    let w = material(&o, "aluminium_wrought").factor;
    let c = material(&o, "aluminium_cast").factor;
    let lib = crate::materials::Library::bundled();
    let sw = lib.find("aluminium", "secondary", "wrought", "US", 2022, "t").unwrap().0.kg_co2e_per_unit.unwrap().to_string().parse::<f64>().unwrap();
    let sc = lib.find("aluminium", "secondary", "cast", "US", 2022, "t").unwrap().0.kg_co2e_per_unit.unwrap().to_string().parse::<f64>().unwrap();
    assert!((sw - 1.716).abs() < 0.01 && (sc - 1.955).abs() < 0.01, "{sw} {sc}");
    assert!(close(w, 0.7 * 15.1 + 0.3 * sw, 1e-12), "{w}");
    assert!(close(c, 0.7 * 15.1 + 0.3 * sc, 1e-12), "{c}");
}

#[test]
fn use_phase_by_hand() {
    // petrol 2020: 2336.52 kJ/km = 2.33652 MJ/km × 69.3 g/MJ exhaust, × (94.1 − 69.3) supply
    let o = evaluate(&input("medium", "petrol", 2020)).unwrap();
    assert!(close(o.g_per_km.exhaust, 2.33652 * 69.3, 1e-12), "{}", o.g_per_km.exhaust);
    assert!(close(o.g_per_km.fuel_or_electricity_supply, 2.33652 * 24.8, 1e-12));
    // 2025: halfway between 2020 and 2030 (2152.35 kJ/km)
    let o = evaluate(&input("medium", "petrol", 2025)).unwrap();
    assert!(close(o.use_phase.fuel_mj_per_km, (2.33652 + 2.15235) / 2.0, 1e-12), "{}", o.use_phase.fuel_mj_per_km);
    // BEV 2020: 609.313 kJ/km ÷ 3600 ÷ 0.8517 at the plug × 1.0789 × 0.5 kg/kWh × 1000
    let kwh = 609.313 / 3600.0 / 0.8517;
    let mut b = input("medium", "bev", 2020);
    b.levers.grid_factor = Some(0.5);
    let o = evaluate(&b).unwrap();
    assert!(close(o.use_phase.electricity_kwh_per_km, kwh, 1e-12));
    assert!(close(o.g_per_km.fuel_or_electricity_supply, kwh * 1.0789 * 0.5 * 1000.0, 1e-12));
    assert_eq!(o.g_per_km.exhaust, 0.0);
    // grid_scale halves it
    b.levers.grid_scale = Some(0.5);
    let h = evaluate(&b).unwrap();
    assert!(close(h.g_per_km.fuel_or_electricity_supply, kwh * 1.0789 * 0.25 * 1000.0, 1e-12));
}

#[test]
fn phev_utility_factor_by_hand() {
    // carculator PHEV-p 2020: 1420.4 kJ/km, UF 0.57294; split in the ratio BEV 609.313 : HEV-p
    // 2248.21 so that UF × e + (1 − UF) × f = 1420.4.
    let mut i = input("medium", "phev", 2020);
    i.levers.grid_factor = Some(0.6);
    let o = evaluate(&i).unwrap();
    let u = 0.57294;
    let k = 1420.4 / (u * 609.313 + (1.0 - u) * 2248.21);
    let kwh = k * 609.313 / 3600.0 / 0.8517;
    let mj = k * 2248.21 / 1000.0;
    assert!(close(o.use_phase.electricity_kwh_per_km, kwh, 1e-12));
    assert!(close(o.use_phase.fuel_mj_per_km, mj, 1e-12));
    let elec = u * kwh * 1.0789 * 0.6 * 1000.0;
    let fuel = (1.0 - u) * mj;
    assert!(close(o.g_per_km.fuel_or_electricity_supply, elec + fuel * 24.8, 1e-12));
    assert!(close(o.g_per_km.exhaust, fuel * 69.3, 1e-12));
    i.overrides.utility_factor = Some(0.45);
    let r = evaluate(&i).unwrap();
    assert!(close(r.g_per_km.exhaust, 0.55 * mj * 69.3, 1e-12));
}

#[test]
fn break_even_formula_static_grid() {
    // x* = (P_ev − P_ice) / (u_ice − u_ev) with a constant grid.
    let mut i = input("medium", "bev", 2025);
    i.grid_mode = Some("static".into());
    i.levers.grid_factor = Some(0.55);
    i.versus = Some(Versus { powertrain: "petrol".into(), size: None });
    let o = evaluate(&i).unwrap();
    let c = o.comparison.as_ref().unwrap();
    let u_ev = o.g_per_km.fuel_or_electricity_supply + o.g_per_km.exhaust;
    let u_ice = c.versus_g_per_km.fuel_or_electricity_supply + c.versus_g_per_km.exhaust;
    let hand = (o.production.total_kg_co2e - c.versus_production_t_co2e * 1000.0) * 1000.0 / (u_ice - u_ev);
    assert!(close(c.break_even_km.unwrap(), hand, 1e-9), "{:?} vs {hand}", c.break_even_km);
    // a grid dirty enough never breaks even
    i.levers.grid_factor = Some(2.0);
    let o = evaluate(&i).unwrap();
    let c = o.comparison.unwrap();
    assert_eq!(c.break_even_km, None);
    assert!(c.reason.unwrap().contains("not lower"));
}

#[test]
fn battery_and_grid_scenario_rules() {
    // battery: 91 kg/kWh (2020) → 24 (2040), linear: 2030 = 57.5
    let o = evaluate(&input("medium", "bev", 2030)).unwrap();
    let b = material(&o, "battery_pack");
    assert!(close(b.factor, 57.5, 1e-12), "{}", b.factor);
    // carculator Medium BEV 2030: 102 kWh
    assert!(close(b.kg_co2e, 102.0 * 57.5, 1e-12));
    // grid 2030, static mode: MEE 2023 0.5306 × fossil(2030) 0.530 / fossil(2023) (0.751 − 0.3 × 0.221)
    let mut i = input("medium", "bev", 2030);
    i.grid_mode = Some("static".into());
    let o = evaluate(&i).unwrap();
    let f2023 = 0.751 + (0.530 - 0.751) * 0.3;
    assert!(close(o.use_phase.grid_kg_per_kwh, 0.5306 * 0.530 / f2023, 1e-12), "{}", o.use_phase.grid_kg_per_kwh);
    // the EU (EEA 2018, 0.281) is held static
    i.region = "EU".into();
    let o = evaluate(&i).unwrap();
    assert!(close(o.use_phase.grid_kg_per_kwh, 0.281, 1e-12));
    assert!(close(o.use_phase.grid_losses, 1.1, 1e-12));
}

#[test]
fn provinces_use_their_own_grid() {
    let mut i = input("medium", "bev", 2022);
    i.region = "Yunnan".into();
    i.grid_mode = Some("static".into());
    let o = evaluate(&i).unwrap();
    assert_eq!(o.region, "CN-YN");
    assert!(close(o.use_phase.grid_kg_per_kwh, 0.1073, 1e-12));
}

#[test]
fn errors_name_field_value_and_valid_values() {
    let e = evaluate(&input("huge", "bev", 2022)).unwrap_err();
    assert_eq!(e.code(), "UNKNOWN_SIZE_CLASS");
    assert!(e.to_string().contains("huge") && e.to_string().contains("medium_suv"));
    assert_eq!(evaluate(&input("medium", "steam", 2022)).unwrap_err().code(), "UNKNOWN_POWERTRAIN");
    assert_eq!(evaluate(&input("medium", "bev", 2019)).unwrap_err().code(), "YEAR_OUT_OF_RANGE");
    let mut i = input("medium", "bev", 2022);
    i.region = "US".into();
    assert_eq!(evaluate(&i).unwrap_err().code(), "UNKNOWN_REGION");
    let mut i = input("medium", "bev", 2022);
    i.levers.green_steel_share = Some(1.5);
    assert_eq!(evaluate(&i).unwrap_err().code(), "INVALID_SHARE");
    assert_eq!(evaluate(&input("medium", "fcev", 2022)).unwrap_err().code(), "VEHICLE_PARAMETER_MISSING");
    let mut i = input("medium", "bev", 2022);
    i.end_of_life = Some("credits".into());
    assert_eq!(evaluate(&i).unwrap_err().code(), "VEHICLE_PARAMETER_MISSING");
    i.end_of_life = Some("landfill".into());
    assert_eq!(evaluate(&i).unwrap_err().code(), "INVALID_VEHICLE_PARAMETER");
    let mut i = input("medium", "bev", 2022);
    i.overrides.component_mass_kg.insert("glider".into(), 900.0);
    let e = evaluate(&i).unwrap_err();
    assert_eq!(e.code(), "INVALID_VEHICLE_PARAMETER");
    assert!(e.to_string().contains("glider_mass_kg"), "{e}");
}

#[test]
fn mini_and_van_evaluate_by_default_and_fcev_with_overrides() {
    // carculator glider base masses: Mini 700, Van 1450, Lower medium 1170 kg
    for (size, g) in [("mini", 700.0), ("van", 1450.0), ("lower_medium", 1170.0)] {
        let o = evaluate(&input(size, "bev", 2020)).unwrap();
        let glider = o.sources.iter().find(|s| s.parameter.starts_with("glider base mass")).unwrap();
        assert_eq!(glider.value, g);
        assert!(glider.source.contains("vehicle_carculator.csv"));
    }
    // HEV now carries carculator's battery (Medium 2020: 3.864 kWh)
    let o = evaluate(&input("medium", "hev", 2020)).unwrap();
    let pack = material(&o, "battery_pack");
    assert!(close(pack.kg_co2e / pack.factor, 3.864, 1e-12));
    let mut f = input("medium", "fcev", 2020);
    f.overrides.component_mass_kg.insert("fuel_cell_system".into(), 100.0);
    f.overrides.fuel_wtw_g_per_mj = Some(100.0);
    let o = evaluate(&f).unwrap();
    // hydrogen: carculator 1184.38 kJ/km ÷ 120,000 kJ/kg (LHV)
    assert!(close(o.use_phase.hydrogen_kg_per_km.unwrap(), 1184.38 / 120_000.0, 1e-12));
    assert!(close(o.g_per_km.fuel_or_electricity_supply, 1.18438 * 100.0, 1e-12));
    f.overrides.energy_mj_per_km = Some(1.0);
    let o = evaluate(&f).unwrap();
    assert!(close(o.g_per_km.fuel_or_electricity_supply, 100.0, 1e-12));
}

#[test]
fn every_carculator_value_used_is_in_the_sources() {
    let o = evaluate(&input("van", "phev", 2035)).unwrap();
    for p in [
        "lightweighting (PHEV-p, Van, 2030)",
        "lightweighting (PHEV-p, Van, 2040)",
        "TtW energy (PHEV-p, Van, 2030)",
        "electric utility factor (PHEV-p, Van, 2040)",
        "electric energy stored (PHEV-p, Van, 2030)",
        "TtW energy (BEV, Van, 2040)",
        "TtW energy (HEV-p, Van, 2030)",
    ] {
        let s = o.sources.iter().find(|s| s.parameter == p).unwrap_or_else(|| panic!("{p} not in sources"));
        assert!(s.source.starts_with("carculator 1.9.5"), "{}", s.source);
    }
}

#[test]
fn aluminium_levers_by_kind() {
    // wrought and cast shares override the combined lever for their kind only
    let mut i = input("medium", "bev", 2022);
    i.levers.recycled_aluminium_share = Some(0.3);
    let both = evaluate(&i).unwrap();
    i.levers.recycled_aluminium_cast_share = Some(0.85);
    let o = evaluate(&i).unwrap();
    assert_eq!(material(&o, "aluminium_wrought").factor, material(&both, "aluminium_wrought").factor);
    assert!(material(&o, "aluminium_cast").factor < material(&both, "aluminium_cast").factor);
    // the defaults given explicitly change nothing
    let mut d = input("medium", "bev", 2022);
    let def = evaluate(&d).unwrap();
    d.levers.recycled_aluminium_wrought_share = Some(0.1101);
    d.levers.recycled_aluminium_cast_share = Some(0.85);
    let same = evaluate(&d).unwrap();
    assert!(close(same.production.total_kg_co2e, def.production.total_kg_co2e, 1e-12));
    d.levers.recycled_aluminium_cast_share = Some(1.2);
    assert_eq!(evaluate(&d).unwrap_err().code(), "INVALID_SHARE");
}

#[test]
fn credits_are_negative_and_sized_by_hand() {
    let mut i = input("medium", "petrol", 2022);
    i.background = Some("static".into());
    i.end_of_life = Some("credits".into());
    i.recovery_rates = Some(RecoveryRates { steel: 1.0, aluminium: 0.0 });
    let o = evaluate(&i).unwrap();
    let ferrous = material(&o, "steel").mass_kg + material(&o, "cast_iron").mass_kg;
    // (BF-BOF − scrap-EAF) = 2.32 − 0.70 per kg recovered
    assert!(close(o.g_per_km.end_of_life, -ferrous * 1.62 * 1000.0 / 200000.0, 1e-9), "{}", o.g_per_km.end_of_life);
}

#[test]
fn grid_rows_equal_single_evaluations() {
    let g = grid(&GridInput {
        sizes: vec!["small".into(), "large_suv".into()],
        regions: vec!["CN".into(), "EU".into()],
        years: Some(YearRange { from: 2020, to: 2050 }),
        baseline: Some("petrol".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(g.count, 2 * 5 * 31 * 2);
    for row in g.rows.iter().filter(|r| r.year % 15 == 5) {
        let mut i = input(row.size, row.powertrain, row.year);
        i.region = row.region.clone();
        i.versus = Some(Versus { powertrain: "petrol".into(), size: None });
        let o = evaluate(&i).unwrap();
        assert!(close(o.production.total_kg_co2e / 1000.0, row.production_t_co2e, 1e-12));
        assert!(close(o.g_per_km.total, row.g_per_km.total, 1e-12));
        assert!(close(o.production.shares.steel, row.steel_share, 1e-12));
        if row.powertrain != "petrol" {
            assert_eq!(o.comparison.unwrap().break_even_km.map(|x| (x * 1e6).round()), row.break_even_km.map(|x| (x * 1e6).round()));
        }
    }
    let all = grid(&GridInput { baseline: Some("petrol".into()), ..Default::default() }).unwrap();
    assert_eq!(all.count, 8 * 5 * 31 * 2, "every size × complete powertrains × years × CN/EU");
    assert!(all.unavailable.is_empty(), "{:?}", all.unavailable);
}

#[test]
fn evaluations_are_fast() {
    // ≥ 10,000 evaluations per second is the target in release builds; debug builds are
    // ~10–30× slower, so this checks a tenth of it.
    let s = super::model::settings("CN", &None, 2030, None, None, &None, &None, &Levers::default(), &None, None).unwrap();
    let series = super::model::grid_series(&s.region, super::data::defaults().unwrap()).unwrap();
    let f = super::model::factor_set(&s, &Overrides::default(), &series).unwrap();
    let p = super::model::profile(3, 4, 2020, &Overrides::default()).unwrap();
    let start = std::time::Instant::now();
    let mut acc = 0.0;
    let n = 20_000;
    for _ in 0..n {
        acc += super::model::numbers(&p, &f, &s).g.total;
    }
    let per_s = f64::from(n) / start.elapsed().as_secs_f64();
    assert!(acc > 0.0);
    assert!(per_s > 1_000.0, "{per_s} evaluations/s");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn totals_and_shares_add_up(size in prop::sample::select(vec!["mini", "small", "lower_medium", "medium", "large", "medium_suv", "large_suv", "van"]),
                                pt in prop::sample::select(vec!["petrol", "diesel", "hev", "phev", "bev"]),
                                year in 2020i32..=2050, green in 0.0f64..=1.0, recycled in 0.0f64..=1.0,
                                eu in any::<bool>()) {
        let mut i = input(size, pt, year);
        if eu { i.region = "EU".into(); }
        i.levers.green_steel_share = Some(green);
        i.levers.recycled_aluminium_share = Some(recycled);
        let o = evaluate(&i).unwrap();
        let s = o.production.shares;
        prop_assert!((s.steel + s.aluminium + s.rest - 1.0).abs() < 1e-12);
        let t = o.production.total_kg_co2e;
        let by_c: f64 = o.production.by_component.iter().map(|c| c.kg_co2e).sum();
        let by_m: f64 = o.production.by_material.iter().map(|m| m.kg_co2e).sum();
        prop_assert!(close(by_c, t, 1e-12) && close(by_m, t, 1e-12), "{} {} {}", by_c, by_m, t);
        let g = o.g_per_km;
        prop_assert!(close(g.total, g.production + g.fuel_or_electricity_supply + g.exhaust + g.maintenance + g.end_of_life, 1e-12));
        let mass_c: f64 = o.mass_kg.components.iter().map(|c| c.mass_kg).sum();
        let mass_m: f64 = o.production.by_material.iter().filter(|m| m.material != "assembly").map(|m| m.mass_kg).sum();
        prop_assert!(close(mass_c, mass_m, 1e-12));
    }

    #[test]
    fn production_per_km_is_inverse_in_lifetime(km in 50_000.0f64..400_000.0, pt in prop::sample::select(vec!["petrol", "bev"])) {
        let mut a = input("medium", pt, 2025);
        a.years_of_use = Some(15.0);
        let mut b = a.clone();
        a.lifetime_km = Some(km);
        b.lifetime_km = Some(2.0 * km);
        let (oa, ob) = (evaluate(&a).unwrap(), evaluate(&b).unwrap());
        prop_assert!(close(oa.g_per_km.production * km, ob.g_per_km.production * 2.0 * km, 1e-12));
        prop_assert!(close(oa.production.total_kg_co2e, ob.production.total_kg_co2e, 1e-12));
    }

    #[test]
    fn more_recycled_aluminium_never_raises_production(r1 in 0.0f64..=1.0, r2 in 0.0f64..=1.0,
            pt in prop::sample::select(vec!["petrol", "bev", "phev"]), eu in any::<bool>()) {
        let (lo, hi) = if r1 <= r2 { (r1, r2) } else { (r2, r1) };
        let mut i = input("large_suv", pt, 2030);
        if eu { i.region = "EU".into(); }
        i.levers.recycled_aluminium_share = Some(lo);
        let a = evaluate(&i).unwrap().production.total_kg_co2e;
        i.levers.recycled_aluminium_share = Some(hi);
        let b = evaluate(&i).unwrap().production.total_kg_co2e;
        prop_assert!(b <= a + 1e-9);
    }

    #[test]
    fn more_recycled_wrought_or_cast_never_raises_production(r1 in 0.0f64..=1.0, r2 in 0.0f64..=1.0, cast in any::<bool>(),
            pt in prop::sample::select(vec!["petrol", "bev", "phev"]), eu in any::<bool>()) {
        let (lo, hi) = if r1 <= r2 { (r1, r2) } else { (r2, r1) };
        let mut i = input("large_suv", pt, 2030);
        if eu { i.region = "EU".into(); }
        let set = |i: &mut VehicleInput, v: f64| if cast { i.levers.recycled_aluminium_cast_share = Some(v) } else { i.levers.recycled_aluminium_wrought_share = Some(v) };
        set(&mut i, lo);
        let a = evaluate(&i).unwrap().production.total_kg_co2e;
        set(&mut i, hi);
        let b = evaluate(&i).unwrap().production.total_kg_co2e;
        prop_assert!(b <= a + 1e-9);
    }
}

#[test]
fn cells_made_elsewhere_move_the_pack_factor_by_the_grid_difference() {
    // 91 kg/kWh in 2020 (carculator, China) + 50 kWh/kWh × (EU 0.281 − CN 0.5568, MEE 2021 held for 2020)
    let mut i = input("medium", "bev", 2020);
    i.overrides.battery_cell_region = Some("EU".into());
    assert_eq!(evaluate(&i).unwrap_err().code(), "VEHICLE_PARAMETER_MISSING");
    i.overrides.cell_electricity_kwh_per_kwh = Some(50.0);
    let o = evaluate(&i).unwrap();
    assert!(close(material(&o, "battery_pack").factor, 91.0 + 50.0 * (0.281 - 0.5568), 1e-12), "{}", material(&o, "battery_pack").factor);
}
