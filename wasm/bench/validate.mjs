// `validate` from JavaScript in Node: time per call, string crossing and result object included.
// A million calls per workload, in 20 batches of 50,000; prints the median batch's time per
// call (and the fastest and slowest) for valid names, invalid names and non-ASCII names.
//
//   node bench/validate.mjs [small|full]
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const build = process.argv[2] ?? "small";
const um = require(`../pkg/${build}/node/usernorm.js`);

const workloads = {
  "valid ASCII": ["jdoe", "jane-doe", "John-Smith-2", "a1b2c3", "maximilian-alexander"],
  "invalid ASCII": ["jean--luc_", "-jdoe", "john.doe", "12345", "x"],
  "non-ASCII": ["José-García", "Łukasz", "王小明", "zoë🎉", "Ærøskøbing"],
};

const BATCHES = 20;
const PER_BATCH = 50_000;
let sink = 0;

function measure(names) {
  // Warm up: let V8 and the wasm tier-up settle.
  for (let i = 0; i < 200_000; i++) sink += um.validate(names[i % names.length]).violations.length;
  const perCall = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < PER_BATCH; i++) sink += um.validate(names[i % names.length]).violations.length;
    perCall.push(Number(process.hrtime.bigint() - t0) / PER_BATCH);
  }
  perCall.sort((a, b) => a - b);
  return { median: perCall[BATCHES >> 1], min: perCall[0], max: perCall[BATCHES - 1] };
}

console.log(`validate, ${build} build, Node ${process.version}: ${BATCHES * PER_BATCH} calls per workload`);
for (const [label, names] of Object.entries(workloads)) {
  const { median, min, max } = measure(names);
  console.log(`${label.padEnd(14)} median ${median.toFixed(0).padStart(5)} ns/call  (batches ${min.toFixed(0)}..${max.toFixed(0)} ns)`);
}
if (sink < 0) console.log(sink);
