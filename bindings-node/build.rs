// napi-build sets the linker flags a Node addon needs (undefined napi_* symbols resolved at load).
fn main() {
    napi_build::setup();
}
