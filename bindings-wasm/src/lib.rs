//! JS/WASM binding of tanso.
//!
//! The exported surface is one function, [`call`]: an operation name of
//! `tanso::api::OPERATIONS` and a JSON text in, a JSON text out; and one class,
//! [`lca::LcaModelHandle`]: core's LCA model kept between calls (documents as JSON text,
//! vectors as typed arrays). Decimals are JSON strings in core's documents, so `JSON.parse`
//! on the JS side never turns one into a float. Errors are thrown as a JS `Error` carrying
//! `code` and `area`; the hand-written wrapper (`js/index.js`) turns it into a `TansoError`
//! subclass, exports one function per operation and wraps the class as `LcaModel`. This
//! crate converts and calls core; it computes nothing itself, and nothing in it can panic.

#![deny(missing_docs)]

use wasm_bindgen::prelude::*;

mod import;
mod lca;

#[wasm_bindgen]
extern "C" {
    /// The JS `Error` class, through which failures are thrown.
    #[wasm_bindgen(js_name = Error)]
    type JsErrorObject;

    /// `new Error(message)`.
    #[wasm_bindgen(constructor, js_class = "Error")]
    fn new(message: &str) -> JsErrorObject;

    /// `error.code = …`: the stable error code, e.g. `UNIT_MISMATCH`.
    #[wasm_bindgen(method, setter = code, js_class = "Error")]
    fn set_code(this: &JsErrorObject, code: &str);

    /// `error.area = …`: the domain area, e.g. `units`.
    #[wasm_bindgen(method, setter = area, js_class = "Error")]
    fn set_area(this: &JsErrorObject, area: &str);
}

/// A failure of an operation, as it crosses into JS: stable code, area and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    code: &'static str,
    area: &'static str,
    message: String,
}

impl From<tanso::TansoError> for Failure {
    fn from(e: tanso::TansoError) -> Self {
        Failure { code: e.code(), area: e.area(), message: e.to_string() }
    }
}

/// The JS `Error` of a failure, with `code` and `area`.
pub(crate) fn to_js(f: Failure) -> JsValue {
    let err = JsErrorObject::new(&f.message);
    err.set_code(f.code);
    err.set_area(f.area);
    err.into()
}

/// Runs one operation on JSON text; the part of [`call`] that does not touch JS.
fn dispatch(operation: &str, input: &str) -> Result<String, Failure> {
    tanso::api::call_json(operation, input).map_err(Failure::from)
}

/// Runs the operation `operation` of tanso's document API on the JSON document `input` and
/// returns the result document as JSON text (decimals as strings).
///
/// On failure it throws a JS `Error` whose `message` names the field, the value and what is
/// valid, with `code` (stable, e.g. `"UNIT_MISMATCH"`) and `area` (`"units"`, `"ghg"`,
/// `"factors"`, `"accounting"`, `"input"`, `"lca"`, `"cbam"`, `"exchange"`, `"materials"`,
/// `"product"`, `"supply"` or `"vehicle"`).
#[wasm_bindgen]
pub fn call(operation: &str, input: &str) -> Result<String, JsValue> {
    dispatch(operation, input).map_err(to_js)
}

std::thread_local! {
    /// The message of the last panic, kept by the hook for [`panic_failure`].
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Installs the panic hook that keeps a panic's message (wasm-bindgen runs this when the
/// module is instantiated, and again after the wrapper resets it). On wasm32 a panic aborts
/// the instance (there is no unwinding); the JS wrapper then asks [`panic_failure`] what
/// happened, so an arithmetic overflow is the same typed `OUT_OF_RANGE` error as in the
/// native bindings.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string());
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
    }));
}

/// After a trap: the typed error of the panic that caused it, as core reports a panic in
/// `operation` natively ([`tanso::api::panic_error`]), or `undefined` when the trap was no
/// panic (out of memory). Takes the kept message, so it answers once per panic.
#[wasm_bindgen(js_name = panicFailure)]
pub fn panic_failure(operation: &str) -> JsValue {
    LAST_PANIC
        .with(|p| p.borrow_mut().take())
        .map_or(JsValue::UNDEFINED, |message| to_js(Failure::from(tanso::api::panic_error(operation, &message))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_through_json_text() {
        let out = dispatch("convert", r#"{"value":"1","from":"tce","to":"GJ"}"#);
        assert_eq!(out, Ok(r#"{"value":"29.3076","unit":"GJ"}"#.to_string()));
    }

    #[test]
    fn failure_carries_code_area_and_message() {
        let f = dispatch("convert", r#"{"value":"1","from":"kg","to":"kWh"}"#).unwrap_err();
        assert_eq!((f.code, f.area), ("UNIT_MISMATCH", "units"));
        assert!(f.message.contains("kWh"), "{}", f.message);
        let f = dispatch("nope", "{}").unwrap_err();
        assert_eq!((f.code, f.area), ("UNKNOWN_OPERATION", "input"));
    }
}
