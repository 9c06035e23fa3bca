import type { InitInput, PolicySpec, ValidationResult } from "./small/web/usernorm.js";

/**
 * Loads the WebAssembly module once (later calls return the same promise). `<usernorm-field>`
 * calls it itself, with the `.wasm` next to the glue; when a bundler moves the file, call it
 * first with the file's URL, in the module that imports `usernorm/field`, before any `await`.
 */
export function load(wasm?: InitInput | Promise<InitInput>): Promise<unknown>;

/** Whether `name` is free, from the page's availability API; `signal` aborts when it is stale. */
export type AvailabilityCheck = (name: string, options: { signal: AbortSignal }) => Promise<boolean>;

/** The detail of the `usernorm-check` event: the name and its result. */
export interface FieldCheck extends ValidationResult {
  value: string;
}

/**
 * `<usernorm-field name="username" policy="huggingface">`: a form-associated username field.
 *
 * The page's `<form>` submits its value under `name` and refuses to submit while the name breaks
 * the policy, is taken, or its availability is being checked (`ElementInternals.setValidity`).
 * Attributes: `name`, `value` (the initial value; form reset restores it), `policy` (a preset or
 * a policy as JSON), `taken` (names separated by commas or spaces), `disabled`, `placeholder`.
 * Parts for `::part()`: `label`, `input` (also `invalid` while the name breaks a rule), `hint`,
 * `preview` (the name with the characters to change in `<mark>`s), `status` (a polite live
 * region; also `valid` or `invalid`: `::part(status invalid)`), `problems`, `problem`, `fixes`,
 * `fix` (each fix's button; all but the first are also `alternative`). Slots: `label` (default "Username"), `hint`.
 * Fires `usernorm-check` (`CustomEvent<FieldCheck>`) after each result.
 */
export class UsernormField extends HTMLElement {
  static readonly formAssociated: true;
  /** The name typed or set; setting it checks it as typing does. */
  value: string;
  /** The policy: a preset's name or a policy object. */
  policy: PolicySpec;
  /** Names already taken (case-insensitively under the default policy). */
  taken: readonly string[] | ReadonlySet<string>;
  /** The page's availability API, asked after the typing pauses; `null` for none. */
  available: AvailabilityCheck | null;
  /** Milliseconds of quiet typing before `available` is asked (default 300). */
  debounce: number;
  readonly name: string | null;
  readonly form: HTMLFormElement | null;
  readonly labels: NodeList;
  readonly validity: ValidityState;
  readonly validationMessage: string;
  readonly willValidate: boolean;
  checkValidity(): boolean;
  reportValidity(): boolean;
}

declare global {
  interface HTMLElementTagNameMap {
    "usernorm-field": UsernormField;
  }
  interface HTMLElementEventMap {
    "usernorm-check": CustomEvent<FieldCheck>;
  }
}
