// The settings page: validate as you type, mark the offending characters, offer the fix.
import init, { check, suggest } from "../pkg/small/web/usernorm.js";

/** The organization's existing usernames (in a real page: from the server). */
const TAKEN = ["ebrown", "asmith", "bjones", "paypal", "google", "hf-admin", "lars-eriksson",
  "mei-lin", "priyar", "xiaomingwang2", "JohnDoe-2", "ana-lima", "jdoe"];

const $ = (id) => document.getElementById(id);
const field = $("username");
const policySelect = $("policy");
const preview = $("preview");
const status = $("status");
const problems = $("problems");
const fixes = $("fixes");
const fixButton = $("fix");
const alternatives = $("alternatives");

/** `name` as nodes, with every UTF-16 range of `spans` wrapped in <mark>. */
function marked(name, spans) {
  const bad = new Uint8Array(name.length);
  for (const { start, end } of spans) bad.fill(1, start, Math.max(start, end));
  const out = document.createDocumentFragment();
  let i = 0;
  while (i < name.length) {
    let j = i;
    while (j < name.length && bad[j] === bad[i]) j++;
    const text = document.createTextNode(name.slice(i, j).replaceAll(" ", "\u2423"));
    if (bad[i]) {
      const mark = document.createElement("mark");
      mark.append(text);
      out.append(mark);
    } else {
      out.append(text);
    }
    i = j;
  }
  return out;
}

/** A message with `code` spans as <code>. */
function prose(message) {
  const out = document.createDocumentFragment();
  message.split(/(`[^`]*`)/).forEach((part, k) => {
    if (k % 2) {
      const code = document.createElement("code");
      code.textContent = part.slice(1, -1);
      out.append(code);
    } else {
      out.append(part);
    }
  });
  return out;
}

let lastAnnounced = "";
function announce(text, ok) {
  status.className = `status ${ok ? "ok" : "bad"}`;
  // Only a change is announced, so screen readers are not flooded at every keystroke.
  if (text !== lastAnnounced) status.textContent = lastAnnounced = text;
}

function useName(name) {
  field.value = name;
  render();
  field.focus();
}

function render() {
  const name = field.value;
  const policy = policySelect.value;
  const result = check(name, { policy, taken: TAKEN, existing: TAKEN });
  preview.replaceChildren(marked(name, result.violations.filter((v) => v.code !== "taken")));
  problems.replaceChildren(...[...result.violations, ...result.warnings].map((v) => {
    const li = document.createElement("li");
    li.dataset.code = v.code;
    const code = document.createElement("strong");
    code.textContent = `${v.code}: `;
    li.append(code, prose(v.message));
    return li;
  }));
  field.setAttribute("aria-invalid", String(!result.valid));

  if (name === "") {
    announce("Type a username.", false);
  } else if (result.valid) {
    const note = result.warnings.length ? ` (but it reads like ${result.warnings[0].similarTo})` : "";
    announce(`${name} is valid and available${note}.`, true);
  } else {
    const n = result.violations.length;
    announce(`${n} problem${n === 1 ? "" : "s"}: ${result.violations.map((v) => v.code).join(", ")}.`, false);
  }

  const options = result.valid ? [] : suggest(name, TAKEN, 3, policy);
  fixes.hidden = options.length === 0;
  if (options.length) {
    fixButton.textContent = `Use ${options[0]}`;
    fixButton.dataset.name = options[0];
    alternatives.replaceChildren(...options.slice(1).map((alt) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "secondary";
      b.textContent = alt;
      b.addEventListener("click", () => useName(alt));
      return b;
    }));
    $("more-label").hidden = options.length < 2;
  }
}

await init();
$("taken-list").textContent = TAKEN.join(", ");
fixButton.addEventListener("click", () => useName(fixButton.dataset.name));
field.addEventListener("input", render);
policySelect.addEventListener("change", render);
$("form").addEventListener("submit", (e) => e.preventDefault());
field.disabled = false;
document.body.dataset.ready = "true";
render();
field.focus();
