#!/usr/bin/env bash
# Builds the npm package into wasm/pkg/: the small, the full and the okta build (the full one
# with the Okta engine, which does not fit the full build's size budget: the page loads it only
# for an Okta export), each for browsers (ES module, `--target web`) and for Node (`--target
# nodejs`), with TypeScript declarations. Each is compiled once; the Node variant is the same
# module with other glue.
# Installs what is missing: the wasm32 target, std's sources (rust-src, for the small build),
# wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock, and the npm
# packages (wasm-opt comes from npm's binaryen).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
target_dir="${CARGO_TARGET_DIR:-$root/target}"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
fi

version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$version" ]; then
    echo "build.sh: no wasm-bindgen in Cargo.lock" >&2
    exit 2
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $version" ]; then
    echo "installing wasm-bindgen-cli $version (a few minutes)" >&2
    cargo install wasm-bindgen-cli --version "$version"
fi

# Installs the npm packages when they are missing or no longer match package-lock.json (a
# node_modules left from an older checkout lacks what was added since).
if [ ! -d "$here/node_modules" ] || ! (cd "$here" && npm ls --silent >/dev/null 2>&1); then
    (cd "$here" && npm ci --no-audit --no-fund)
fi
wasm_opt="$here/node_modules/.bin/wasm-opt"

pkg="$here/pkg"
rm -rf "$pkg"
mkdir -p "$pkg"

# Both builds recompile the standard library with panics that abort at once
# (`-Cpanic=immediate-abort`): the message formatting of every bounds check and `unwrap` goes
# (some 6 KB gzipped of the small build, 10 KB of the full one). That takes std's sources
# (rustup's rust-src) and RUSTC_BOOTSTRAP=1, which lets the stable compiler accept the unstable
# flags: cargo needs it to accept `-Zbuild-std`, and the wasm32 compilations (the target's
# `-Zunstable-options -Cpanic=immediate-abort`) and the standard library's own units need it.
# Cargo would hand it to every compilation, the host's build scripts and proc macros too, where
# it makes proc-macro2 take its nightly-only paths; rustc-wrapper.sh (the RUSTC_WRAPPER below)
# removes it from every compilation but those (it replaces any RUSTC_WRAPPER of the caller's).
# Nothing panics into JavaScript either way (the tests hold the API to that); a panic
# would trap as `unreachable` in both. The rebuilt std is optimized for speed (opt-level 3, as
# rustup's prebuilt one is), the rest for size: std at `z` made validate some 10% slower, and
# saves nothing in the small module and 1.9 KB (0.7%) in the full one. Both builds share the
# target directory, so std is compiled once.
if ! rustup component list --installed 2>/dev/null | grep -qx rust-src; then
    rustup component add rust-src
fi

# (A directory of its own: one built before rustc-wrapper.sh keeps proc-macro2's nightly build
# script output, since cargo does not rerun a build script when only RUSTC_WRAPPER changes.)
build_dir="$target_dir/wasm-std-stable-host"
for build in small full okta; do
    RUSTC_BOOTSTRAP=1 RUSTC_WRAPPER="$here/rustc-wrapper.sh" CARGO_TARGET_DIR="$build_dir" \
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
        cargo build --quiet --locked -p usernorm-wasm --target wasm32-unknown-unknown \
        --profile wasm --no-default-features --features "$build" -Zbuild-std=std,panic_abort \
        --config 'profile.wasm.package.core.opt-level = 3' \
        --config 'profile.wasm.package.alloc.opt-level = 3' \
        --config 'profile.wasm.package.std.opt-level = 3'
    # The host's crates built as on stable: proc-macro2 found no nightly compiler.
    if grep -qsx 'cargo:rustc-cfg=proc_macro_span' "$build_dir"/wasm/build/proc-macro2-*/output; then
        echo "build.sh: RUSTC_BOOTSTRAP reached the host's compilations (proc-macro2 took its nightly paths)" >&2
        exit 2
    fi
    wasm="$build_dir/wasm32-unknown-unknown/wasm/usernorm_wasm.wasm"
    for target in web nodejs; do
        out="$pkg/$build/${target/nodejs/node}"
        wasm-bindgen "$wasm" --out-dir "$out" --out-name usernorm --target "$target"
        # Rust's wasm32 target enables these proposals; wasm-opt must keep to them. Without
        # memory packing, which splits the data at every run of zeros (the transliteration
        # table's ranges without readings): a thousand segments and their headers gzip worse
        # than the zeros (2.8 KB more gzipped in the full build, for 26 KB less raw).
        # `--low-memory-unused` lets it fold constant offsets into loads and stores (0.7 KB
        # gzipped of the full build): Rust's wasm32 modules put the stack first, growing down
        # from 1 MiB, so the lowest kilobyte is touched only by a stack about to overflow.
        "$wasm_opt" -Oz --converge --skip-pass=memory-packing --low-memory-unused \
            --strip-debug --strip-producers --strip-target-features \
            --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
            --enable-mutable-globals --enable-reference-types --enable-multivalue \
            "$out/usernorm_bg.wasm" -o "$out/usernorm_bg.wasm"
        # The imports' generated names (`__wbg_push_c9f4893fc209f768`) made short, in the module
        # and its glue: their hashes hardly compress.
        node "$here/minify-imports.mjs" "$out"
    done
done

# The small build's `explain` is JavaScript (src/explain.js) that loads the rules' documentation
# from explanations.js when first asked (written below, from the full build): the texts are a
# fifth of the small module, and a settings page that checks a name at every keystroke needs
# them only when a person asks why.
for target in web node; do
    out="$pkg/small/$target"
    cat "$here/src/explain.js" >> "$out/usernorm.js"
    cat >> "$out/usernorm.d.ts" <<'EOF'

/**
 * A rule's documentation (Markdown): what it checks, why, an example and the fix; what
 * `usernorm explain CODE` prints. The small build loads the texts from the package's
 * `explanations.js` on the first call, hence the promise (`await explain(code)` works with the
 * full build's `explain`, which returns the string, too).
 *
 * @throws {Error} (the promise rejects) for an unknown code; the message lists the codes.
 */
export function explain(code: RuleCode): Promise<string>;
EOF
done

# The browser glue is minified (esbuild, from npm): the browser downloads it, and its doc
# comments are in usernorm.d.ts too. The Node glue stays as wasm-bindgen writes it.
find "$pkg"/*/web -name '*.js' -exec "$here/node_modules/.bin/esbuild" {} --minify --format=esm \
    --outfile={} --allow-overwrite --log-level=warning \;

# wasm-bindgen writes optional trailing arguments as required ones; the declarations say what
# the functions accept.
find "$pkg" -name usernorm.d.ts -exec sed -i -E \
    's/(policy|options): (PolicySpec|CheckOptions|NormalizeOptions|AuditOptions)\)/\1?: \2)/' {} +

cp "$here/package/package.json" "$here/package/README.md" "$pkg/"
# <usernorm-field> (package/field.js), on the small build's browser module: minified like the
# glue, with its declarations.
"$here/node_modules/.bin/esbuild" "$here/package/field.js" --minify --format=esm \
    --outfile="$pkg/field.js" --log-level=warning
cp "$here/package/field.d.ts" "$pkg/"
# The Node glue is CommonJS; the package is ES modules elsewhere. The glue `require`s the
# JavaScript snippets (src/glue.js), written as ES modules: their `export function`s become
# CommonJS exports.
for build in small full okta; do
    printf '{ "type": "commonjs" }\n' > "$pkg/$build/node/package.json"
    find "$pkg/$build/node/snippets" -name '*.js' -exec sed -i -E \
        's/^export function ([A-Za-z0-9_]+)/exports.\1 = function \1/' {} +
done
sed -i -E 's/^export async function explain/exports.explain = async function explain/' \
    "$pkg/small/node/usernorm.js"

# The rules' documentation for the small build's `explain`, from the full build's.
node "$here/explanations.mjs" "$pkg"

# Sizes, as the issue asks for them: the module and its JS glue (snippets included), raw and
# gzipped, each file on its own.
for build in small full okta; do
    dir="$pkg/$build/web"
    raw=0
    gz=0
    while IFS= read -r file; do
        raw=$(( raw + $(wc -c < "$file") ))
        gz=$(( gz + $(gzip -9 -c "$file" | wc -c) ))
    done < <(find "$dir" -name usernorm_bg.wasm -o -name '*.js' ! -name explanations.js | sort)
    printf 'size %-5s web: %7d bytes raw, %6d bytes gzipped (wasm + JS glue)\n' "$build" "$raw" "$gz"
done
# The custom element with the module it loads, as a settings page downloads them.
field_gz=$(( $(gzip -9 -c "$pkg/field.js" | wc -c) ))
while IFS= read -r file; do
    field_gz=$(( field_gz + $(gzip -9 -c "$file" | wc -c) ))
done < <(find "$pkg/small/web" -name usernorm_bg.wasm -o -name '*.js' ! -name explanations.js)
printf 'size <usernorm-field> + small web: %d bytes gzipped (field.js %d)\n' "$field_gz" \
    "$(gzip -9 -c "$pkg/field.js" | wc -c)"
# Loaded only when `explain` is first called.
file="$pkg/small/web/explanations.js"
printf 'size small web explanations.js, loaded on demand: %d bytes raw, %d bytes gzipped\n' \
    "$(wc -c < "$file")" "$(gzip -9 -c "$file" | wc -c)"
