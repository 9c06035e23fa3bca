// The settings page in headless Chromium: type bad names, see the right messages and marks, fix
// them with the keyboard alone.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { browser, openPage, screenshotPath, serve } from "./harness.mjs";

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

const field = () => page.locator("#username");
const codes = () => page.locator("#problems li").evaluateAll((lis) => lis.map((li) => li.dataset.code));
const marks = () => page.locator("#preview mark").allTextContents();
const status = () => page.locator("#status").textContent();

async function typeName(name) {
  await field().focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(name);
}

test("the field is labelled, focused and announces through a live region", async () => {
  assert.equal(await page.locator("label[for=username]").textContent(), "Username");
  assert.equal(await page.evaluate(() => document.activeElement.id), "username");
  assert.equal(await page.locator("#status").getAttribute("aria-live"), "polite");
});

test("a bad name shows every violation, marks the characters and offers the fix", async () => {
  await typeName("jean--luc_");
  assert.deepEqual(await codes(), ["invalid-char", "double-dash"]);
  assert.deepEqual(await marks(), ["--", "_"]);
  assert.equal(await status(), "2 problems: invalid-char, double-dash.");
  assert.equal(await field().getAttribute("aria-invalid"), "true");
  assert.match(await page.locator("#problems li").first().textContent(), /`?_`? is not allowed|not allowed/);
  assert.equal(await page.locator("#fix").textContent(), "Use jean-luc");
  await page.screenshot({ path: screenshotPath("settings-invalid"), fullPage: true });
});

test("the fix is one keypress away and makes the name valid", async () => {
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "fix");
  await page.keyboard.press("Enter");
  assert.equal(await field().inputValue(), "jean-luc");
  assert.deepEqual(await codes(), []);
  assert.equal(await status(), "jean-luc is valid and available.");
  assert.equal(await page.locator("#fixes").isHidden(), true);
  assert.equal(await page.evaluate(() => document.activeElement.id), "username", "focus goes back to the field");
  await page.screenshot({ path: screenshotPath("settings-fixed"), fullPage: true });
});

test("marks follow UTF-16 offsets past accents and emoji", async () => {
  await typeName("zoë🎉 x");
  assert.deepEqual(await codes(), ["invalid-char"], "one violation per maximal run");
  assert.deepEqual(await marks(), ["ë🎉\u2423"], "the space is shown as ␣");
  assert.equal(await page.locator("#fix").textContent(), "Use zoe-x");
  await page.screenshot({ path: screenshotPath("settings-emoji"), fullPage: true });
});

test("availability: a taken name, a lookalike, the fix for both", async () => {
  await typeName("JDoe");
  assert.deepEqual(await codes(), ["taken"]);
  assert.equal(await status(), "1 problem: taken.");
  assert.equal(await page.locator("#fix").textContent(), "Use JDoe-2");
  await page.locator("#fix").click();
  assert.equal(await status(), "JDoe-2 is valid and available.");
  await typeName("paypa1");
  assert.deepEqual(await codes(), ["lookalike"]);
  assert.equal(await status(), "paypa1 is valid and available (but it reads like paypal).");
  await page.screenshot({ path: screenshotPath("settings-lookalike"), fullPage: true });
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
