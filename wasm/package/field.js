// <usernorm-field>: a drop-in username field for settings pages, on the small build. A
// form-associated custom element: the page's own <form> submits its value under its `name`, and
// refuses to submit while the name breaks the policy, is taken, or its availability is unknown.
// No framework; styled through ::part (see field.d.ts for the parts, attributes and properties).
import init, { check, suggest } from "./small/web/usernorm.js";

let loading;

/**
 * Loads the WebAssembly module, once (later calls return the same promise). The element calls
 * it itself with the module next to the glue; call it first, in the module that imports this
 * one and before any `await`, with the `.wasm`'s URL when a bundler moves the file.
 */
export function load(wasm) {
  loading ??= init(wasm === undefined ? undefined : { module_or_path: wasm });
  return loading;
}

const TEMPLATE = `<style>
:host { display: block; }
[hidden] { display: none !important; }
mark { background: #ffd7d5; color: inherit; }
#preview { font-family: ui-monospace, monospace; white-space: pre; }
</style>
<label part="label" for="input"><slot name="label">Username</slot></label>
<input part="input" id="input" type="text" autocomplete="username" spellcheck="false"
  autocapitalize="off" aria-describedby="hint status problems">
<p part="hint" id="hint"><slot name="hint"></slot></p>
<div part="preview" id="preview" hidden></div>
<p part="status" id="status" role="status" aria-live="polite"></p>
<ul part="problems" id="problems"></ul>
<div part="fixes" id="fixes" hidden></div>`;

/** `name` as nodes, every UTF-16 range of `spans` in a <mark>, spaces shown as ␣. */
function marked(name, spans) {
  const bad = new Uint8Array(name.length);
  for (const { start, end } of spans) bad.fill(1, start, Math.max(start, end));
  const out = [];
  for (let i = 0, j; i < name.length; i = j) {
    for (j = i; j < name.length && bad[j] === bad[i];) j++;
    const text = name.slice(i, j).replaceAll(" ", "\u2423");
    if (!bad[i]) out.push(text);
    else {
      const mark = document.createElement("mark");
      mark.textContent = text;
      out.push(mark);
    }
  }
  return out;
}

/** `message` with its `code` spans as <code> elements. */
function prose(message) {
  return message.split(/(`[^`]*`)/).map((part, k) => {
    if (!(k % 2)) return part;
    const code = document.createElement("code");
    code.textContent = part.slice(1, -1);
    return code;
  });
}

function policyOf(text) {
  if (!text) return "huggingface";
  return text.trim().startsWith("{") ? JSON.parse(text) : text;
}

export class UsernormField extends HTMLElement {
  static formAssociated = true;
  static observedAttributes = ["policy", "taken", "disabled", "placeholder"];

  #internals = this.attachInternals();
  #root = this.attachShadow({ mode: "open", delegatesFocus: true });
  #input;
  #taken;
  #available = null;
  #debounce = 300;
  #seq = 0;
  #pending = null;
  #timer = 0;
  #announced = "";
  #ready = false;
  #policy = null;

  constructor() {
    super();
    this.#root.innerHTML = TEMPLATE;
    this.#input = this.#root.getElementById("input");
    this.#input.addEventListener("input", () => this.#update());
    this.#input.addEventListener("keydown", (e) => {
      // Enter submits the page's form, as in a plain text field (the inner field has no form).
      if (e.key === "Enter" && !e.isComposing) {
        e.preventDefault();
        this.#internals.form?.requestSubmit();
      }
    });
  }

  connectedCallback() {
    if (!this.#input.value && this.hasAttribute("value")) this.#input.value = this.getAttribute("value");
    // After a microtask, so that the importing module has run and could call `load(url)`.
    queueMicrotask(() => load().then(() => {
      this.#ready = true;
      this.#update();
    }, (e) => this.#show({ status: `The username checker could not load: ${e.message}`, invalid: "The username checker could not load." })));
    if (!this.#ready) this.#internals.setValidity({ customError: true }, "Loading the username checker…", this.#input);
  }

  disconnectedCallback() {
    clearTimeout(this.#timer);
    this.#pending?.abort();
  }

  attributeChangedCallback(name, _old, value) {
    if (name === "disabled") this.#input.disabled = value !== null;
    else if (name === "placeholder") this.#input.placeholder = value ?? "";
    else if (name === "policy") this.#policy = null;
    if (name !== "disabled" && name !== "placeholder") this.#update();
  }

  /** The name typed (or set). Setting it checks it, as typing does. */
  get value() { return this.#input.value; }
  set value(v) {
    this.#input.value = String(v ?? "");
    this.#update();
  }

  /** The policy: a preset name or a policy object (the `policy` attribute takes JSON too). */
  get policy() { return this.#policy ??= policyOf(this.getAttribute("policy")); }
  set policy(p) {
    this.#policy = p;
    this.#update();
  }

  /** Names already taken: an array or a Set (the `taken` attribute: separated by commas or spaces). */
  get taken() { return this.#taken ?? (this.getAttribute("taken") ?? "").split(/[\s,]+/).filter(Boolean); }
  set taken(list) {
    this.#taken = list;
    this.#update();
  }

  /**
   * `async (name, { signal }) => boolean`: whether the name is free, from the page's own
   * availability API. Asked after the typing pauses (`debounce` ms), for names valid otherwise.
   */
  get available() { return this.#available; }
  set available(fn) {
    this.#available = typeof fn === "function" ? fn : null;
    this.#update();
  }

  /** Milliseconds of quiet typing before `available` is asked (default 300). */
  get debounce() { return this.#debounce; }
  set debounce(ms) { this.#debounce = Math.max(0, Number(ms) || 0); }

  get name() { return this.getAttribute("name"); }
  get form() { return this.#internals.form; }
  get labels() { return this.#internals.labels; }
  get validity() { return this.#internals.validity; }
  get validationMessage() { return this.#internals.validationMessage; }
  get willValidate() { return this.#internals.willValidate; }
  checkValidity() { return this.#internals.checkValidity(); }
  reportValidity() { return this.#internals.reportValidity(); }

  formResetCallback() { this.value = this.getAttribute("value") ?? ""; }
  formStateRestoreCallback(state) { this.value = state ?? ""; }
  formDisabledCallback(disabled) { this.#input.disabled = disabled; }

  /** Checks the current name at once, and asks `available` after the debounce. */
  #update() {
    if (!this.#ready) return;
    const name = this.#input.value;
    this.#internals.setFormValue(name);
    clearTimeout(this.#timer);
    this.#pending?.abort();
    this.#pending = null;
    const seq = ++this.#seq;
    let result;
    try {
      result = check(name, { policy: this.policy, taken: this.taken, existing: this.taken });
    } catch (e) {
      this.#show({ status: e.message, invalid: e.message });
      return;
    }
    if (!result.valid || !this.#available) {
      this.#render(name, result, result.valid ? null : suggest(name, this.taken, 3, this.policy));
      return;
    }
    this.#show({ status: `Checking whether ${name} is available…`, invalid: `Checking whether ${name} is available…`, warnings: result.warnings });
    const ask = this.#available;
    this.#timer = setTimeout(async () => {
      const controller = (this.#pending = new AbortController());
      let free;
      try {
        free = await ask(name, { signal: controller.signal });
      } catch (e) {
        if (seq === this.#seq) {
          const message = `Could not check whether ${name} is available.`;
          this.#show({ status: message, invalid: message, warnings: result.warnings });
        }
        return;
      }
      // An answer about an earlier name, or to a question since withdrawn, is dropped.
      if (seq !== this.#seq || controller.signal.aborted) return;
      this.#pending = null;
      if (free === true) {
        this.#render(name, result, null);
      } else {
        const taken = [...this.taken, name];
        const answer = check(name, { policy: this.policy, taken, existing: this.taken });
        this.#render(name, answer, suggest(name, taken, 3, this.policy));
      }
    }, this.#debounce);
  }

  #render(name, result, fixes) {
    let status;
    if (name === "") status = "Type a username.";
    else if (result.valid) {
      const note = result.warnings.length ? ` (but it reads like ${result.warnings[0].similarTo})` : "";
      status = `${name} is valid${this.#available || this.taken.length ? " and available" : ""}${note}.`;
    } else {
      const n = result.violations.length;
      status = `${n} problem${n === 1 ? "" : "s"}: ${result.violations.map((v) => v.code).join(", ")}.`;
    }
    // The browser shows the message as plain text: `code` spans in quotes.
    const invalid = result.valid ? null : (result.violations[0]?.message ?? status).replace(/`([^`]*)`/g, "“$1”");
    this.#show({ status, invalid, violations: result.violations, warnings: result.warnings, fixes });
    this.dispatchEvent(new CustomEvent("usernorm-check", { detail: { value: name, ...result }, bubbles: true, composed: true }));
  }

  #show({ status, invalid = null, violations = [], warnings = [], fixes = null }) {
    const $ = (id) => this.#root.getElementById(id);
    if (invalid) this.#internals.setValidity({ customError: true }, invalid, this.#input);
    else this.#internals.setValidity({});
    // Invalid to a screen reader when the name breaks a rule, not while it is being checked.
    this.#input.setAttribute("aria-invalid", String(violations.length > 0));
    this.#input.setAttribute("part", violations.length ? "input invalid" : "input");
    const line = $("status");
    line.setAttribute("part", invalid ? "status invalid" : "status valid");
    // Only a change is announced, so screen readers are not flooded at every keystroke.
    if (status !== this.#announced) line.textContent = this.#announced = status;
    // The name with the characters to change marked (a taken name has none).
    const spans = violations.filter((v) => v.code !== "taken" && v.end > v.start);
    $("preview").hidden = !spans.length;
    $("preview").replaceChildren(...marked(this.#input.value, spans));
    $("problems").replaceChildren(...[...violations, ...warnings].map((v) => {
      const li = document.createElement("li");
      li.setAttribute("part", "problem");
      li.dataset.code = v.code;
      li.append(...prose(v.message));
      return li;
    }));
    const box = $("fixes");
    box.hidden = !fixes?.length;
    box.replaceChildren(...(fixes ?? []).map((fix, i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.setAttribute("part", i ? "fix alternative" : "fix");
      button.textContent = i ? fix : `Use ${fix}`;
      button.addEventListener("click", () => {
        this.value = fix;
        this.#input.focus();
      });
      return button;
    }));
  }
}

if (!customElements.get("usernorm-field")) customElements.define("usernorm-field", UsernormField);
