//! Prints the numbers `docs/vehicles.md` quotes (the doc test `vehicle_doc_numbers` asserts them).
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let op = args.get(1).map(String::as_str).unwrap_or("vehicle");
    if op == "bench" {
        // The whole default grid (6 sizes × 5 powertrains × 31 years × CN/EU), repeatedly.
        let start = std::time::Instant::now();
        let mut rows = 0;
        for _ in 0..20 {
            match tanso::vehicle::grid(&tanso::vehicle::GridInput { baseline: Some("petrol".into()), ..Default::default() }) {
                Ok(g) => rows += g.count,
                Err(e) => return println!("error {e}"),
            }
        }
        let s = start.elapsed().as_secs_f64();
        return println!("{rows} vehicle evaluations (with break-even) in {s:.3} s: {:.0} per second", rows as f64 / s);
    }
    let input = args.get(2).map(String::as_str).unwrap_or(r#"{"size":"medium","powertrain":"bev","region":"CN","year":2021,"versus":{"powertrain":"petrol"}}"#);
    match tanso::api::call_json(op, input) {
        Ok(s) => println!("{s}"),
        Err(e) => println!("error {}: {e}", e.code()),
    }
}
