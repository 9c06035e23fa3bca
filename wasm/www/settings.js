// The settings page: <usernorm-field> does the checking; the page gives it the org's names, an
// availability API (simulated here, with a network's delay) and handles the submitted form.
import "../pkg/field.js";

/** The organization's existing usernames (in a real page: from the server). */
const TAKEN = ["ebrown", "asmith", "bjones", "paypal", "google", "hf-admin", "lars-eriksson",
  "mei-lin", "priyar", "xiaomingwang2", "JohnDoe-2", "ana-lima", "jdoe"];
/** Names saved in this page, which the simulated server then knows as taken. */
const saved = new Set();

const $ = (id) => document.getElementById(id);
const field = $("username");

field.taken = TAKEN;
field.available = (name, { signal }) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => resolve(!saved.has(name.toLowerCase())), 150);
  signal.addEventListener("abort", () => {
    clearTimeout(timer);
    reject(signal.reason);
  });
});
$("policy").addEventListener("change", (e) => { field.policy = e.target.value; });
$("taken-list").textContent = TAKEN.join(", ");

// Reached only when the field is valid: the browser refuses to submit an invalid form.
$("form").addEventListener("submit", (e) => {
  e.preventDefault();
  const name = new FormData(e.target).get("username");
  saved.add(name.toLowerCase());
  $("saved").textContent = `Saved: ${name}`;
});
field.addEventListener("usernorm-check", () => { $("saved").textContent = ""; });

await customElements.whenDefined("usernorm-field");
document.body.dataset.ready = "true";
field.focus();
