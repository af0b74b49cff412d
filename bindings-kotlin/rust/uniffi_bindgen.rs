//! `uniffi-bindgen` built with the exact uniffi version of the library, so generated Kotlin
//! always matches the library's scaffolding. Used by `test.sh`:
//! `uniffi-bindgen generate --library target/release/libtanso_kotlin.so --language kotlin --out-dir …`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
