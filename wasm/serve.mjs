// Serves the demo on 127.0.0.1 for a person to try: `node wasm/serve.mjs [port]`, after
// `bash wasm/build.sh`. The browser tests use the same server on a random port.
import { serve } from "./tests/e2e/harness.mjs";

const { url } = await serve(Number(process.argv[2] ?? 0));
console.log(`usernorm demo: ${url}/www/  (Ctrl-C to stop)`);
