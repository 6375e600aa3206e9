import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, type Browser, expect, type Page, test } from "@playwright/test";
import { adminCode, signInThroughForm } from "./helpers";

// Issue 15 point 4: the admin and audit screens show times in the viewer's zone (Berlin in
// December is GMT+1), the exact time on hover.
test.use({ timezoneId: "Europe/Berlin" });

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

let counter = 0;
function uniqueId(workerIndex: number) {
  return `${Date.now().toString(36)}${workerIndex}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
}

/** One line of 2 × 100.00 paid by a captured gift card (the internal ledger: no provider involved). */
async function importGiftCardOrder(request: APIRequestContext, unique: string) {
  const body = {
    channel: "web",
    externalId: `E2E-ADM-${unique}`,
    storeId: "STORE-002",
    currency: "USD",
    customer: { id: `CUST-ADM-${unique}`, name: `Alan Turing ${unique}`, email: `alan.adm.${unique.toLowerCase()}@example.com` },
    lines: [{ lineId: "1", sku: "KETTLE-1", description: "Electric kettle", quantity: 2, unitPrice: "100.00", discount: "0.00", tax: "0.00" }],
    shipping: { amount: "0.00", tax: "0.00" },
    tenders: [{ tenderId: "T1", method: "gift_card", provider: "internal", providerReference: `GC-ADM-${unique}`, authorized: "200.00", captured: "200.00" }],
  };
  const response = await request.post("/api/v1/orders", { headers: bearer("dev-integration-key"), data: body });
  expect(response.status(), await response.text()).toBe(201);
  return { orderId: ((await response.json()) as { orderId: string }).orderId, externalId: body.externalId };
}

async function signedIn(browser: Browser, email: string, opts: { totp?: string; password?: string } = {}): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInThroughForm(page, email, opts.password, opts.totp);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  return page;
}

const signedInAdmin = (browser: Browser) => signedIn(browser, "admin@example.com", { totp: adminCode() });

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

async function openAdmin(page: Page, section: string) {
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: section }).click();
  await expect(page.getByRole("heading", { name: section, level: 1 })).toBeVisible();
}

test.describe("the admin console", () => {
  test("is an admin's: no Admin link and a no-permission page for a store manager", async ({ browser }) => {
    const manager = await signedIn(browser, "manager@example.com");
    await expect(manager.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Approvals" })).toBeVisible();
    await expect(manager.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
    for (const path of ["/admin", "/admin/users", "/admin/audit"]) {
      await manager.goto(path);
      await expect(manager.getByRole("heading", { name: "You don't have permission to open the admin console" })).toBeVisible();
    }
    const forbidden = await manager.request.post("/api/trpc/admin.users.create?batch=1", { data: { 0: { json: {} } }, headers: { origin: new URL(manager.url()).origin } });
    expect(forbidden.status()).toBe(403);
  });

  test("creates a store manager who signs in with the temporary password shown once, then deactivates them", async ({ browser }, testInfo) => {
    const unique = uniqueId(testInfo.workerIndex).toLowerCase();
    const email = `new.manager.${unique}@example.com`;
    const admin = await signedInAdmin(browser);
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await openAdmin(admin, "Users");
    await expectNoSeriousAxeViolations(admin);

    const form = admin.getByRole("form", { name: "Create a user" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Name").fill(`Nia Manager ${unique}`);
    await form.getByLabel("Role").selectOption("store_manager");
    await form.getByRole("checkbox", { name: /^STORE-003/ }).check();
    await form.getByRole("button", { name: "Create user" }).click();
    const secret = admin.getByRole("dialog", { name: `Account ${email} created` });
    const password = (await secret.getByTestId("secret-Temporary password").textContent())!.trim();
    expect(password).toMatch(/^[\w-]{16}$/);
    await expectNoSeriousAxeViolations(admin);
    await secret.getByRole("button", { name: "I have saved it" }).click();
    const row = admin.getByRole("region", { name: "Users" }).getByRole("row").filter({ hasText: email });
    await expect(row).toContainText("Store manager");
    await expect(row).toContainText("STORE-003");
    await expect(admin.getByText(password)).toHaveCount(0);

    const newcomer = await signedIn(browser, email, { password });
    await expect(newcomer.getByTestId("stores")).toHaveText("STORE-003");

    await row.getByRole("button", { name: `Edit ${email}` }).click();
    const edit = admin.getByRole("dialog", { name: `Edit Nia Manager ${unique}` });
    await edit.getByRole("checkbox", { name: /^Active/ }).uncheck();
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(row).toContainText("Deactivated");
    await newcomer.goto("/orders");
    await expect(newcomer).toHaveURL(/\/sign-in/);
  });

  test("creates an API key for a service user: shown once, limited to its scopes, last use recorded, dead once revoked", async ({ browser, request }, testInfo) => {
    const unique = uniqueId(testInfo.workerIndex);
    const { orderId } = await importGiftCardOrder(request, unique);
    const admin = await signedInAdmin(browser);
    await admin.goto("/admin/users");
    const form = admin.getByRole("form", { name: "Create a user" });
    await form.getByLabel("Email").fill(`pos.${unique.toLowerCase()}@service.example`);
    await form.getByLabel("Name").fill(`POS ${unique}`);
    await form.getByRole("checkbox", { name: /^Service user/ }).check();
    await form.getByRole("button", { name: "Create user" }).click();
    await expect(admin.getByRole("region", { name: "Users" }).getByRole("row").filter({ hasText: `POS ${unique}` })).toContainText("Service user");

    await openAdmin(admin, "API keys");
    const create = admin.getByRole("form", { name: "Create an API key" });
    await create.getByLabel("Name").fill(`Till ${unique}`);
    await create.getByLabel("Acts as").selectOption({ label: `POS ${unique} (Customer service agent)` });
    await expect(create.getByRole("checkbox", { name: /^orders:read/ })).toBeChecked();
    await create.getByRole("button", { name: "Create API key" }).click();
    const dialog = admin.getByRole("dialog", { name: "API key created" });
    const key = (await dialog.getByTestId("secret-API key").textContent())!.trim();
    expect(key).toMatch(/^pck_/);
    await dialog.getByRole("button", { name: "I have saved it" }).click();
    await expectNoSeriousAxeViolations(admin);

    expect((await request.get(`/api/v1/orders/${orderId}`, { headers: bearer(key) })).status()).toBe(200);
    const submit = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, { headers: { ...bearer(key), "Idempotency-Key": `adm-key-${unique}` }, data: { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" } });
    expect(submit.status()).toBe(403);

    const row = admin.getByRole("region", { name: "API keys" }).getByRole("row").filter({ hasText: `Till ${unique}` });
    // last_used_at is written off the request path, within seconds of the use.
    await expect(async () => {
      await admin.reload();
      await expect(row.getByRole("cell").nth(5)).not.toHaveText("Never", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(row).toContainText(key.slice(0, 12));
    await expect(row).not.toContainText(key);
    await row.getByRole("button", { name: `Revoke Till ${unique}` }).click();
    await admin.getByRole("dialog", { name: "Revoke this API key?" }).getByRole("button", { name: "Revoke key" }).click();
    await expect(row).toContainText("Revoked");
    expect((await request.get(`/api/v1/orders/${orderId}`, { headers: bearer(key) })).status()).toBe(401);
  });

  test("completes a manual refund with its reference and shows the circuit breakers every worker shares", async ({ browser, request }, testInfo) => {
    const unique = uniqueId(testInfo.workerIndex);
    const { orderId, externalId } = await importGiftCardOrder(request, unique);
    const submitted = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
      headers: { ...bearer("dev-agent-key"), "Idempotency-Key": `adm-${unique}` },
      data: { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "manual" },
    });
    expect(submitted.status(), await submitted.text()).toBe(201);
    const { cancellationId } = (await submitted.json()) as { cancellationId: string };
    await expect
      .poll(async () => ((await (await request.get(`/api/v1/orders/${orderId}/cancellations/${cancellationId}`, { headers: bearer("dev-agent-key") })).json()) as { status: string }).status, { timeout: 30_000 })
      .toBe("completed");

    const admin = await signedInAdmin(browser);
    await admin.goto("/admin/operations");
    await expect(admin.getByRole("heading", { name: "Operations", level: 1 })).toBeVisible();
    const task = admin.getByRole("region", { name: "Manual refunds" }).getByRole("row").filter({ hasText: externalId });
    await expect(task).toContainText("$100.00");
    await expect(task.locator("time").first()).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M GMT\+1$/);
    await expect(admin.getByRole("region", { name: "Circuit breakers" }).getByRole("row")).toHaveText([/Provider/, /Stripe.*Closed/, /PayPal.*Closed/, /Adyen.*Closed/, /Warehouse.*Closed/]);
    await expect(admin.getByText(/The circuit breakers every worker uses/)).toBeVisible();
    await expectNoSeriousAxeViolations(admin);

    await task.getByRole("button", { name: `Mark done: refund of $100.00 on ${externalId}` }).click();
    const dialog = admin.getByRole("dialog", { name: "Mark the manual refund done" });
    await dialog.getByLabel(/^Reference/).fill(`BANK-${unique}`);
    await dialog.getByRole("button", { name: "Mark done" }).click();
    await expect(admin.getByText("Marked done.")).toBeVisible();
    await expect(task).toHaveCount(0);
    await admin.getByLabel("Show", { exact: true }).selectOption("done");
    await expect(admin.getByRole("region", { name: "Manual refunds" }).getByRole("row").filter({ hasText: externalId })).toContainText(`BANK-${unique}`);

    // The reference is payment information: an admin reads it on the timeline, an agent does not (SPEC §1).
    const timeline = async (key: string) => ((await (await request.get(`/api/v1/orders/${orderId}/cancellations/${cancellationId}`, { headers: bearer(key) })).json()) as { timeline: { step: string; detail: string }[] }).timeline;
    expect(await timeline("dev-admin-key")).toEqual(expect.arrayContaining([expect.objectContaining({ step: "manual_refund", detail: expect.stringContaining(`BANK-${unique}`) })]));
    expect(JSON.stringify(await timeline("dev-agent-key"))).not.toContain(`BANK-${unique}`);
  });

  test("filters the audit log by order, exports the same entries as CSV, and verifies the hash chain", async ({ browser, request }, testInfo) => {
    const unique = uniqueId(testInfo.workerIndex);
    const { orderId, externalId } = await importGiftCardOrder(request, unique);
    const submitted = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
      headers: { ...bearer("dev-agent-key"), "Idempotency-Key": `adm-audit-${unique}` },
      data: { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
    });
    expect(submitted.status()).toBe(201);

    const admin = await signedInAdmin(browser);
    await admin.goto("/admin/audit");
    await expect(admin.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
    await admin.getByLabel("Order (external id)").fill(externalId.toLowerCase());
    await admin.getByRole("button", { name: "Apply filters" }).click();
    const entries = admin.getByRole("region", { name: "Audit entries" });
    const requested = entries.getByRole("row").filter({ hasText: "Cancellation requested" });
    await expect(requested).toContainText("Alex Agent (API key)");
    await expect(requested).toContainText("$100.00");
    await expect(requested.locator("time")).toHaveText(/GMT\+1$/);
    await expect(requested.locator("time")).toHaveAttribute("title", /:\d{2}:\d{2} [AP]M Central European Standard Time \(\d{4}-\d\d-\d\dT/);
    await expect(requested.getByRole("link", { name: externalId })).toHaveAttribute("href", `/orders/${orderId}`);
    await expect(entries.getByRole("row").filter({ hasText: "Order imported" })).toContainText("$200.00");
    // Only this order's entries, each on one line.
    const lines = entries.locator("tbody > tr");
    expect(await lines.count()).toBeGreaterThanOrEqual(2);
    for (const line of await lines.all()) {
      await expect(line).toContainText(externalId);
      expect((await line.boundingBox())!.height).toBeLessThan(60);
    }
    await requested.getByRole("button", { name: /^Show the details of entry/ }).click();
    const details = entries.getByRole("definition").filter({ hasText: "100.00 USD" });
    await expect(details).toBeVisible();
    await expect(entries.getByRole("term").filter({ hasText: /^total$/ })).toBeVisible();
    await expectNoSeriousAxeViolations(admin);

    const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-log-.*\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8").trimEnd().split("\r\n");
    expect(csv[0]).toBe("id,at,actor_type,actor_id,actor_name,actor_email,action,action_label,entity,entity_id,order_id,order_external_id,amount,currency,ip,user_agent,channel,details,prev_hash,hash");
    expect(csv.slice(1).every((line) => line.includes(orderId))).toBe(true);
    expect(csv.slice(1).some((line) => line.includes(",cancellation.requested,Cancellation requested,") && line.includes(`,${externalId},100.00,USD,`))).toBe(true);

    await admin.getByRole("button", { name: "Verify the hash chain" }).click();
    await expect(admin.getByRole("status").filter({ hasText: /^Intact: \d+ entries/ })).toBeVisible();
    await expect(admin.getByRole("button", { name: "Verify the hash chain" })).toBeVisible();
  });
});
