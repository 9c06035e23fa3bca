// The settings page in headless Chromium: its <usernorm-field> shows the right messages and
// marks for bad names, offers the fix with the keyboard alone, asks the page's (simulated)
// availability API, and the page's form submits only a valid, free name.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { browser, openPage, screenshotPath, serve, until } from "./harness.mjs";

let server;
let chromium;
let page;
let errors;

before(async () => {
  server = await serve();
  chromium = await browser();
  ({ page, errors } = await openPage(chromium.context, `${server.url}/www/settings.html`));
  await page.waitForSelector("body[data-ready=true]");
});

after(async () => {
  await chromium?.close();
  await server?.close();
});

// Playwright's CSS selectors pierce the element's open shadow root.
const input = () => page.locator("usernorm-field input");
const codes = () => page.locator("usernorm-field #problems li").evaluateAll((lis) => lis.map((li) => li.dataset.code));
const marks = () => page.locator("usernorm-field #preview mark").allTextContents();
const status = () => page.locator("usernorm-field #status").textContent();
const fix = () => page.locator("usernorm-field [part~=fix]").first();
const focused = () => page.evaluate(() => [document.activeElement.id, document.activeElement.shadowRoot?.activeElement?.id ?? null]);

async function typeName(name) {
  await input().focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(name);
}

test("the field is labelled, focused and announces through a live region", async () => {
  assert.equal(await page.locator("usernorm-field label").textContent(), "Username");
  assert.equal(await page.getByLabel("Username").count(), 1, "the input has the label's name");
  assert.deepEqual(await focused(), ["username", "input"]);
  assert.equal(await page.locator("usernorm-field #status").getAttribute("aria-live"), "polite");
  assert.equal(await input().getAttribute("aria-describedby"), "hint status problems");
});

test("a bad name shows every violation, marks the characters and offers the fix", async () => {
  await typeName("jean--luc_");
  assert.deepEqual(await codes(), ["invalid-char", "double-dash"]);
  assert.deepEqual(await marks(), ["--", "_"]);
  assert.equal(await status(), "2 problems: invalid-char, double-dash.");
  assert.equal(await input().getAttribute("aria-invalid"), "true");
  assert.match(await page.locator("usernorm-field #problems li").first().textContent(), /_ is not allowed/);
  assert.equal(await fix().textContent(), "Use jean-luc");
  await page.screenshot({ path: screenshotPath("settings-invalid"), fullPage: true });
});

test("the fix is one keypress away and makes the name valid", async () => {
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.shadowRoot.activeElement.textContent), "Use jean-luc");
  await page.keyboard.press("Enter");
  assert.equal(await input().inputValue(), "jean-luc");
  assert.deepEqual(await codes(), []);
  assert.equal(await until(status, "jean-luc is valid and available."), "jean-luc is valid and available.");
  assert.equal(await page.locator("usernorm-field #fixes").isHidden(), true);
  assert.deepEqual(await focused(), ["username", "input"], "focus goes back to the field");
  await page.screenshot({ path: screenshotPath("settings-fixed"), fullPage: true });
});

test("marks follow UTF-16 offsets past accents and emoji", async () => {
  await typeName("zoë🎉 x");
  assert.deepEqual(await codes(), ["invalid-char"], "one violation per maximal run");
  assert.deepEqual(await marks(), ["ë🎉\u2423"], "the space is shown as ␣");
  assert.equal(await fix().textContent(), "Use zoe-x");
  await page.screenshot({ path: screenshotPath("settings-emoji"), fullPage: true });
});

test("availability: a taken name, a lookalike, the fix for both", async () => {
  await typeName("JDoe");
  assert.deepEqual(await codes(), ["taken"]);
  assert.equal(await status(), "1 problem: taken.");
  assert.equal(await fix().textContent(), "Use JDoe-2");
  await fix().click();
  assert.equal(await until(status, "JDoe-2 is valid and available."), "JDoe-2 is valid and available.");
  await typeName("paypa1");
  assert.equal(await until(status, "paypa1 is valid and available (but it reads like paypal)."),
    "paypa1 is valid and available (but it reads like paypal).");
  assert.deepEqual(await codes(), ["lookalike"]);
  await page.screenshot({ path: screenshotPath("settings-lookalike"), fullPage: true });
});

test("the form saves a valid name, and the API then knows it as taken", async () => {
  await typeName("new-person");
  await until(status, "new-person is valid and available.");
  await page.keyboard.press("Enter");
  assert.equal(await until(() => page.locator("#saved").textContent(), "Saved: new-person"), "Saved: new-person");
  await typeName("New-Person");
  assert.deepEqual(await until(codes, ["taken"]), ["taken"], "taken, by the availability API");
  assert.equal(await fix().textContent(), "Use New-Person-2");
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("#saved").textContent(), "", "a taken name is not submitted");
});

test("the GitHub rules apply when chosen, by keyboard", async () => {
  await typeName("12345");
  assert.deepEqual(await codes(), ["digits-only"]);
  await page.locator("#policy").focus();
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.locator("#policy").inputValue(), "github");
  assert.deepEqual(await codes(), []);
});

test("no errors in the page", () => {
  assert.deepEqual(errors, []);
});
