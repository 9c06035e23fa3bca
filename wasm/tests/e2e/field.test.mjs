// <usernorm-field> (pkg/field.js) in headless Chromium, on a bare page with a form: the form's
// own validation refuses an invalid or taken name and then submits the fixed one, by mouse and
// by keyboard alone; taken names from the attribute, the property and an availability callback,
// debounced, whose stale answers are dropped; ::part styling; reset and disabled.
import { after, before, beforeEach, test } from "node:test";
import assert from "node:assert/strict";

import { browser, openPage, serve, until } from "./harness.mjs";

let server;
let chromium;
let page;
let errors;

before(async () => {
  server = await serve();
  chromium = await browser();
});

after(async () => {
  await chromium?.close();
  await server?.close();
});

beforeEach(async () => {
  await page?.close();
  ({ page, errors } = await openPage(chromium.context, `${server.url}/tests/e2e/field.html`));
  await page.waitForSelector("body[data-ready=true]");
  await until(status, "1 problem: double-dash.");
});

const input = () => page.locator("#field input");
const status = () => page.locator("#field #status").textContent();
const codes = () => page.locator("#field #problems li").evaluateAll((lis) => lis.map((li) => li.dataset.code));
const submissions = () => page.evaluate(() => window.submissions);
const validity = () => page.evaluate(() => {
  const f = document.getElementById("field");
  return { valid: f.validity.valid, message: f.validationMessage, form: f.form.checkValidity(), invalid: f.matches(":invalid") };
});

test("the initial value is checked, and the form refuses to submit it", async () => {
  assert.equal(await input().inputValue(), "jean--luc");
  assert.deepEqual(await codes(), ["double-dash"]);
  const v = await validity();
  assert.deepEqual([v.valid, v.form, v.invalid], [false, false, true]);
  assert.equal(v.message, "“--” is not allowed; use a single “-”", "the message, quoted for the browser's bubble");
  await page.locator("#submit").click();
  assert.deepEqual(await submissions(), [], "the browser blocked the submit");
  assert.equal(await input().getAttribute("aria-invalid"), "true");
  assert.deepEqual(await page.evaluate(() => document.activeElement.shadowRoot?.activeElement?.id), "input",
    "the browser's validation focused the field");
});

test("the fix button makes the name valid and the form then submits it", async () => {
  await page.locator("#field [part~=fix]").first().click();
  assert.equal(await input().inputValue(), "jean-luc");
  assert.equal(await status(), "jean-luc is valid and available.");
  assert.equal((await validity()).valid, true);
  assert.equal(await input().getAttribute("aria-invalid"), "false");
  await page.locator("#submit").click();
  assert.deepEqual(await submissions(), [{ display: "Jean", username: "jean-luc" }]);
});

test("keyboard only: tab in, type, tab to the fix, press it, Enter submits", async () => {
  await page.locator("#before").focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("JDoe");
  assert.deepEqual(await codes(), ["taken"], "taken, from the attribute's list, case-insensitively");
  await page.keyboard.press("Enter");
  assert.deepEqual(await submissions(), [], "Enter in the field submits the form, which refuses");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.textContent), "Use JDoe-2");
  await page.keyboard.press("Space");
  assert.equal(await input().inputValue(), "JDoe-2");
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.id), "input");
  await page.keyboard.press("Enter");
  assert.deepEqual(await submissions(), [{ display: "Jean", username: "JDoe-2" }]);
});

test("the live region announces only changes, and the input is described by it", async () => {
  const region = page.locator("#field #status");
  assert.equal(await region.getAttribute("role"), "status");
  assert.equal(await region.getAttribute("aria-live"), "polite");
  const ids = (await input().getAttribute("aria-describedby")).split(" ");
  for (const id of ids) assert.equal(await page.locator(`#field #${id}`).count(), 1, id);
  await page.evaluate(() => {
    window.mutations = 0;
    const live = document.getElementById("field").shadowRoot.getElementById("status");
    new MutationObserver((m) => { window.mutations += m.length; }).observe(live, { childList: true, characterData: true, subtree: true });
  });
  await input().focus();
  await page.keyboard.press("End");
  await page.keyboard.type("__");
  assert.equal(await status(), "2 problems: invalid-char, double-dash.");
  assert.equal(await page.evaluate(() => window.mutations), 1, "the second _ changed nothing to announce");
});

test("taken names from the property, as a Set; the policy from the property", async () => {
  await page.evaluate(() => {
    const f = document.getElementById("field");
    f.taken = new Set(["jean-luc"]);
    f.value = "Jean-Luc";
  });
  assert.deepEqual(await codes(), ["taken"]);
  await page.evaluate(() => { document.getElementById("field").value = "12345"; });
  assert.deepEqual(await codes(), ["digits-only"]);
  await page.evaluate(() => { document.getElementById("field").policy = "github"; });
  assert.deepEqual(await codes(), []);
  assert.equal((await validity()).valid, true);
});

test("a slow availability answer about an earlier name is discarded", async () => {
  await page.evaluate(() => {
    const f = document.getElementById("field");
    window.calls = [];
    window.results = [];
    f.addEventListener("usernorm-check", (e) => window.results.push([e.detail.value, e.detail.valid]));
    // Long enough that a loaded machine's pauses between two keystrokes do not count as a
    // pause in typing (at 100 ms, `sec` was once asked about between `c` and `o`).
    f.debounce = 400;
    // The API is slow for `first-name` (and would call it free), quick for `second` (taken).
    f.available = (name, { signal }) => new Promise((resolve) => {
      const call = { name, aborted: false };
      window.calls.push(call);
      signal.addEventListener("abort", () => { call.aborted = true; });
      setTimeout(() => resolve(name !== "second"), name === "first-name" ? 800 : 50);
    });
  });
  await input().focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("first-name");
  assert.match(await until(status, "Checking whether first-name is available…"), /Checking whether first-name/);
  assert.equal((await validity()).valid, false, "no submit while the answer is pending");
  await page.waitForFunction(() => window.calls.length === 1);
  await page.keyboard.press("Control+A");
  await page.keyboard.type("second");
  assert.deepEqual(await until(codes, ["taken"]), ["taken"]);
  await page.waitForTimeout(1000); // the slow answer arrives, and must change nothing
  assert.deepEqual(await codes(), ["taken"]);
  assert.equal(await status(), "1 problem: taken.");
  assert.equal((await validity()).valid, false);
  assert.equal(await page.locator("#field [part~=fix]").first().textContent(), "Use second-2");
  const calls = await page.evaluate(() => window.calls);
  assert.deepEqual(calls.map((c) => c.name), ["first-name", "second"], "one call per pause in typing");
  assert.equal(calls[0].aborted, true, "the stale call's signal was aborted");
  const results = await page.evaluate(() => window.results);
  assert.deepEqual(results.filter(([name]) => name === "first-name"), [], "the stale answer never rendered");
  assert.deepEqual(results.at(-1), ["second", false]);
});

test("an availability API that fails keeps the form from submitting", async () => {
  await page.evaluate(() => {
    const f = document.getElementById("field");
    f.debounce = 0;
    f.available = async () => { throw new Error("503"); };
    f.value = "fresh-name";
  });
  assert.equal(await until(status, "Could not check whether fresh-name is available."), "Could not check whether fresh-name is available.");
  assert.equal((await validity()).valid, false);
  await page.locator("#submit").click();
  assert.deepEqual(await submissions(), []);
});

test("styled through ::part, reset restores the value, a disabled fieldset disables it", async () => {
  const border = () => input().evaluate((el) => getComputedStyle(el).borderTopColor);
  assert.equal(await border(), "rgb(200, 0, 0)", "::part(input invalid)");
  assert.equal(await page.locator("#field [part~=fix]").first().evaluate((el) => getComputedStyle(el).color), "rgb(0, 128, 0)");
  await page.evaluate(() => { document.getElementById("field").value = "ok-name"; });
  assert.equal(await border(), "rgb(1, 2, 3)", "::part(input)");
  await page.evaluate(() => document.getElementById("form").reset());
  assert.equal(await input().inputValue(), "jean--luc");
  assert.deepEqual(await codes(), ["double-dash"]);
  await page.evaluate(() => { document.getElementById("group").disabled = true; });
  assert.equal(await input().isDisabled(), true);
  assert.equal(await page.evaluate(() => document.getElementById("field").willValidate), false);
});

test("no errors in the pages", () => {
  assert.deepEqual(errors, []);
});
