//! Prints the numbers `docs/vehicles.md` quotes (the doc test `vehicle_doc_numbers` asserts them).
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let op = args.get(1).map(String::as_str).unwrap_or("vehicle");
    let input = args.get(2).map(String::as_str).unwrap_or(r#"{"size":"medium","powertrain":"bev","region":"CN","year":2021,"versus":{"powertrain":"petrol"}}"#);
    match tanso::api::call_json(op, input) {
        Ok(s) => println!("{s}"),
        Err(e) => println!("error {}: {e}", e.code()),
    }
}
