import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { mintEmbedToken, signHs256 } from "../examples/crm-host/mint-embed-token";
import { startCrmHost } from "../examples/crm-host/server";
import type { Actor } from "../server/auth/permissions";
import { createDb, type Db } from "../server/db/client";
import { registerEmbedClient } from "../server/embed/register-embed-client";
import { completeManualRefundTask } from "../server/admin/operations/complete-manual-refund-task";
import { exampleA, expect, manualRefundOrder, overLimit, test } from "./fixtures";

// The CRM runs on another site (127.0.0.1, not localhost), so the app is a third-party frame
// there: its cookie must be SameSite=None; Secure; Partitioned, and framing follows the allowlist.
const AGENT = "agent@example.com";
let db: Db;

test.beforeAll(() => {
  const url = process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("the embed tests read the audit log: set E2E_DATABASE_URL (npm run test:e2e does)");
  db = createDb(url, 2);
});
test.afterAll(() => db?.$disconnect());

interface Crm {
  url: string;
  origin: string;
  clientId: string;
  secret: string;
}

async function adminActor(): Promise<Actor> {
  const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
  return { kind: "user", userId: admin.id, email: admin.email, name: admin.name, role: admin.role, storeIds: null, scopes: null, channel: "web" };
}

const it = test.extend<{ crm: Crm }>({
  // A sample CRM host on a free port, registered (allowlisted) by the admin for this test only.
  crm: async ({ baseURL, unique }, provide) => {
    const clientId = `e2e-crm-${unique.toLowerCase()}`;
    let secret = "";
    const host = await startCrmHost({ appUrl: baseURL!, clientId, secret: () => secret, agentEmail: AGENT });
    ({ secret } = await registerEmbedClient({ db, actor: await adminActor() }, { id: clientId, name: `E2E CRM ${unique}`, allowedOrigins: [host.origin] }));
    await provide({ url: host.url, origin: host.origin, clientId, secret });
    await host.close();
    // Its port may be handed to another test's host later: that origin must not stay allowlisted.
    await db.embedClient.update({ where: { id: clientId }, data: { active: false } });
  },
});

const embedFrame = (page: Page) => page.frameLocator("iframe[name=pc-embed]");
const hostMessages = (page: Page) => page.evaluate(() => (window as unknown as { crmHost: { messages: Record<string, unknown>[] } }).crmHost.messages);

async function waitForMessage(page: Page, type: string, matching: Record<string, unknown> = {}) {
  await page.waitForFunction(
    ([t, m]) => (window as unknown as { crmHost: { messages: Record<string, unknown>[] } }).crmHost.messages.some((x) => x.type === t && Object.entries(m).every(([k, v]) => x[k] === v)),
    [type, matching] as const,
  );
  return (await hostMessages(page)).filter((x) => x.type === type && Object.entries(matching).every(([k, v]) => x[k] === v));
}

/** What the CRM does after its backend minted a token: a form POST into the frame. */
async function openWithToken(page: Page, token: string, next: string) {
  await page.evaluate(({ t, n }) => (window as unknown as { crmHost: { openWithToken: (t: string, n: string) => void } }).crmHost.openWithToken(t, n), { t: token, n: next });
}

const setFrameSource = (page: Page, src: string) => page.evaluate((url) => ((document.getElementById("pc-frame") as HTMLIFrameElement).src = url), src);

async function openInCrm(page: Page, crm: Crm, orderId: string) {
  await page.goto(`${crm.url}?orderId=${orderId}`);
  await page.getByRole("button", { name: "Open order" }).click();
}

async function refusalsOf(clientId: string) {
  const rows = await db.auditLog.findMany({ where: { action: "embed.token_refused", entityId: clientId }, orderBy: { id: "asc" } });
  return rows.map((r) => (r.details as { reason: string }).reason);
}

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

/**
 * Runs `act`, which points the frame at the app, and checks that the browser refused to show the
 * app there because of frame-ancestors: the frame commits Chromium's error page, not ours.
 */
async function expectFrameBlocked(page: Page, appUrl: string, act: () => Promise<unknown>) {
  const origin = new URL(appUrl).origin;
  const committed = page.waitForEvent("framenavigated", (f) => f.name() === "pc-embed" && (f.url().startsWith(origin) || f.url().startsWith("chrome-error:")));
  const refused = page.waitForEvent("console", (m) => m.type() === "error" && m.text().includes(`'${origin}/`) && m.text().includes("frame-ancestors"));
  refused.catch(() => {}); // awaited below; only unobserved if the first check already failed
  await act();
  expect((await committed).url(), "the app was shown inside the frame").toMatch(/^chrome-error:/);
  await refused;
  expect(await hostMessages(page)).toEqual([]);
}

test.describe("embedded in a CRM", () => {
  it("an agent cancels a line inside the CRM's frame and the host hears cancellation.completed with the refund", async ({ page, crm, createOrder, request }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openInCrm(page, crm, orderId);
    const frame = embedFrame(page);
    await expect(frame.getByRole("heading", { name: `Order ${body.externalId}` })).toBeVisible();
    await expect(frame.getByText("Signed in as Alex Agent")).toBeVisible();
    await expect(frame.getByRole("navigation")).toHaveCount(0); // the CRM's navigation is the only one
    await waitForMessage(page, "ready", { page: "order", orderId });

    // The host sizes the frame to the content it is told about.
    const [resize] = (await waitForMessage(page, "resize")).slice(-1);
    await expect.poll(async () => (await page.locator("iframe[name=pc-embed]").boundingBox())?.height).toBeGreaterThan(400);
    expect(resize!.height).toBeGreaterThan(400);

    await frame.getByRole("spinbutton", { name: "Quantity to cancel, Oxford shirt, red, M" }).fill("2");
    await frame.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
    await expect(frame.getByTestId("preview-total")).toHaveText("$194.85");
    await frame.getByRole("button", { name: "Review cancellation" }).click();
    const dialog = frame.getByRole("dialog", { name: "Confirm cancellation" });
    await expect(dialog.getByTestId("confirm-total")).toHaveText("$194.85");
    await dialog.getByRole("button", { name: "Confirm cancellation" }).click();

    await expect(frame.getByRole("status").filter({ hasText: "Status:" })).toContainText("Completed");
    const [submitted] = await waitForMessage(page, "cancellation.submitted");
    const [completed] = await waitForMessage(page, "cancellation.completed");
    expect(completed).toEqual({
      protocol: "partial-cancellation.embed",
      version: 1,
      type: "cancellation.completed",
      orderId,
      cancellationId: submitted!.cancellationId,
      refundAmount: "194.85",
      currency: "USD",
      manualRefundPending: null,
    });
    expect(submitted).toMatchObject({ orderId, refundAmount: "194.85", currency: "USD" });
    await expect(page.getByRole("status")).toHaveText("Refund of $194.85 completed.");

    // The server agrees, and its audit names the CRM as the channel.
    const status = await request.get(`/api/v1/orders/${orderId}/cancellations/${completed!.cancellationId}`, { headers: { Authorization: "Bearer dev-agent-key" } });
    expect(await status.json()).toMatchObject({ status: "completed", refundAmount: "194.85" });
    const requested = await db.auditLog.findFirst({ where: { action: "cancellation.requested", entityId: completed!.cancellationId as string } });
    expect(requested?.channel).toBe(`embed:${crm.clientId}`);

    // The host opens another order over postMessage: no second token, the same session.
    const second = await createOrder(exampleA);
    await page.getByLabel("Order ID").fill(second.orderId);
    await page.getByRole("button", { name: "Open order" }).click();
    await expect(frame.getByRole("heading", { name: `Order ${second.body.externalId}` })).toBeVisible();
    expect(await db.embedTokenUse.count({ where: { clientId: crm.clientId } })).toBe(1);
  });

  it("a manual refund reads 'Waiting for a manual refund' in the frame, never 'Done' or 'on its way', until the admin completes the task (issue 15 point 3)", async ({ page, crm, createOrder, request, baseURL }) => {
    const { orderId } = await createOrder(manualRefundOrder);
    const submitted = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
      headers: { Authorization: "Bearer dev-agent-key", "Idempotency-Key": `embed-manual-${orderId}` },
      data: { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "manual" },
    });
    expect(submitted.status()).toBe(201);
    const { cancellationId } = (await submitted.json()) as { cancellationId: string };

    await page.goto(crm.url);
    const frame = embedFrame(page);
    const statusPage = `/embed/orders/${orderId}/cancellations/${cancellationId}`;
    await openWithToken(page, mintEmbedToken({ clientId: crm.clientId, secret: crm.secret, email: AGENT, role: "customer_service_agent", origin: crm.origin }), statusPage);
    await expect(frame.getByTestId("cancellation-status")).toHaveText("Waiting for manual refund");
    await expect(frame.getByTestId("cancellation-summary")).toContainText("Waiting for a manual refund by an admin (Operations → Manual refunds): $40.00 has not been refunded yet.");
    await expect(frame.locator("main")).not.toContainText(/on its way|Done\./);
    // The host is told the refund is still to be made, and its sample says so rather than "completed".
    const [completed] = await waitForMessage(page, "cancellation.completed", { cancellationId });
    expect(completed).toMatchObject({ refundAmount: "40.00", manualRefundPending: "40.00" });
    await expect(page.getByRole("status")).toHaveText("Cancelled; waiting for a manual refund of $40.00.");

    // The embedded order page's history says the same.
    await setFrameSource(page, `${baseURL}/embed/orders/${orderId}`);
    await expect(frame.locator(`[role="region"][aria-label="Cancellation history"]`)).toContainText("Waiting for manual refund");
    await expect(frame.locator(`[role="region"][aria-label="Cancellation history"]`)).not.toContainText(/on its way|Done\./);

    const task = await db.manualRefundTask.findFirstOrThrow({ where: { cancellationId } });
    await completeManualRefundTask({ db, actor: await adminActor() }, { taskId: task.id, reference: `BANK-${cancellationId.slice(0, 8)}` });
    await setFrameSource(page, `${baseURL}${statusPage}`);
    await expect(frame.getByTestId("cancellation-status")).toHaveText("Completed");
    await expect(frame.getByTestId("cancellation-summary")).toHaveText("Done. The order is adjusted; the manual refund of $40.00 was recorded as done.");
  });

  it("a page whose origin is not allowlisted cannot frame the app, with or without a token", async ({ page, crm, baseURL, createOrder }) => {
    const { orderId } = await createOrder(exampleA);
    // Same CRM credentials, served from an origin the admin never allowlisted.
    const rogue = await startCrmHost({ appUrl: baseURL!, clientId: crm.clientId, secret: crm.secret, agentEmail: AGENT });
    try {
      await page.goto(`${rogue.url}?orderId=${orderId}`);
      await expectFrameBlocked(page, baseURL!, () => page.getByRole("button", { name: "Open order" }).click());
      await expect.poll(() => refusalsOf(crm.clientId)).toContain("wrong_origin");

      // A token minted for the allowlisted origin but posted from this one is refused too.
      const stolen = mintEmbedToken({ clientId: crm.clientId, secret: crm.secret, email: AGENT, role: "customer_service_agent", origin: crm.origin });
      await expectFrameBlocked(page, baseURL!, () => openWithToken(page, stolen, `/embed/orders/${orderId}`));
      expect(await refusalsOf(crm.clientId)).toEqual(["wrong_origin", "wrong_origin"]);

      // Framing an embed page directly, without any token, is blocked as well.
      await expectFrameBlocked(page, baseURL!, () => setFrameSource(page, `${baseURL}/embed/orders/${orderId}`));
    } finally {
      await rogue.close();
    }

    // And the allowlisted CRM may frame only the embed routes: the full app keeps frame-ancestors 'none'.
    await page.goto(crm.url);
    await expectFrameBlocked(page, baseURL!, () => setFrameSource(page, `${baseURL}/sign-in`));
  });

  it("a replayed, an expired and a forged token are refused with a clear page, told to the host, and audited", async ({ page, crm, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await page.goto(crm.url);
    const frame = embedFrame(page);
    const open = (token: string) => openWithToken(page, token, `/embed/orders/${orderId}`);
    const mint = (now?: Date) => mintEmbedToken({ clientId: crm.clientId, secret: crm.secret, email: AGENT, role: "customer_service_agent", origin: crm.origin, now });

    const token = mint();
    await open(token);
    await expect(frame.getByRole("heading", { name: `Order ${body.externalId}` })).toBeVisible();

    await open(token);
    await expect(frame.getByRole("heading", { name: "The CRM's sign-in was refused" })).toBeVisible();
    await expect(frame.getByRole("main").getByRole("alert")).toHaveText("This sign-in link from the CRM was already used. Open the order from the CRM again.");
    await waitForMessage(page, "error", { code: "TOKEN_REPLAYED" });

    await open(mint(new Date(Date.now() - 10 * 60_000)));
    await expect(frame.getByRole("main").getByRole("alert")).toHaveText("The sign-in link from the CRM has expired. Open the order from the CRM again.");
    await waitForMessage(page, "error", { code: "TOKEN_EXPIRED" });

    const iat = Math.floor(Date.now() / 1000);
    await open(signHs256({ iss: crm.clientId, sub: AGENT, role: "customer_service_agent", origin: crm.origin, iat, exp: iat + 60, jti: crypto.randomUUID() }, "a-guessed-secret"));
    await expect(frame.getByRole("main").getByRole("alert")).toHaveText("The sign-in from the CRM could not be verified. Open the order from the CRM again.");
    await waitForMessage(page, "error", { code: "TOKEN_INVALID" });

    expect(await refusalsOf(crm.clientId)).toEqual(["replayed", "expired", "bad_signature"]);
  });

  it("when the embedded session ends the host is told SESSION_EXPIRED, so it can mint a new token", async ({ page, crm, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openInCrm(page, crm, orderId);
    const frame = embedFrame(page);
    await expect(frame.getByRole("heading", { name: `Order ${body.externalId}` })).toBeVisible();

    await page.context().clearCookies();
    await frame.getByRole("spinbutton", { name: "Quantity to cancel, Oxford shirt, red, M" }).fill("1");
    await waitForMessage(page, "error", { code: "SESSION_EXPIRED" });
    await expect(page.getByRole("status")).toHaveText("The cancellation screen reports: The embedded session has ended; open the screen again.");

    // The host's next "Open order" signs in again.
    await page.getByRole("button", { name: "Open order" }).click();
    await expect(frame.getByRole("spinbutton", { name: "Quantity to cancel, Oxford shirt, red, M" })).toHaveValue("0");
    await waitForMessage(page, "ready", { page: "order" });
    expect(await db.embedTokenUse.count({ where: { clientId: crm.clientId } })).toBe(2);
  });

  it("the embed pages have no serious or critical axe violations and fit a 360 px frame", async ({ page, crm, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    // 418 px of CRM page leaves the frame 360 px wide (the sample host's padding and border).
    await page.setViewportSize({ width: 418, height: 900 });
    await openInCrm(page, crm, orderId);
    const frame = embedFrame(page);
    await expect(frame.getByRole("heading", { name: `Order ${body.externalId}` })).toBeVisible();
    expect(Math.round((await page.locator("iframe[name=pc-embed]").boundingBox())!.width)).toBe(360);
    const fits = () => page.frame({ name: "pc-embed" })!.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

    await frame.getByRole("spinbutton", { name: "Quantity to cancel, Oxford shirt, red, M" }).fill("1");
    await frame.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
    await expect(frame.getByTestId("preview-total")).toHaveText("$97.43");
    expect(await fits()).toBe(true);
    await expectNoSeriousAxeViolations(page);

    await frame.getByRole("button", { name: "Review cancellation" }).click();
    await expect(frame.getByRole("dialog", { name: "Confirm cancellation" })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
    await frame.getByRole("dialog").getByRole("button", { name: "Confirm cancellation" }).click();
    await expect(frame.getByRole("status").filter({ hasText: "Status:" })).toContainText("Completed");
    expect(await fits()).toBe(true);
    await expectNoSeriousAxeViolations(page);

    await openWithToken(page, "not-a-token", "/embed");
    await expect(frame.getByRole("heading", { name: "The CRM's sign-in was refused" })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  });

  it("a store manager decides an agent's over-limit request in the embedded approval queue; an agent has none", async ({ page, crm, createOrder, request }) => {
    const { orderId, body } = await createOrder(overLimit);
    const submitted = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
      headers: { Authorization: "Bearer dev-agent-key", "Idempotency-Key": `embed-${orderId}` },
      data: { orderLineIds: ["1"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
    });
    const { cancellationId, status } = (await submitted.json()) as { cancellationId: string; status: string };
    expect(status).toBe("pending_approval");

    await page.goto(crm.url);
    const frame = embedFrame(page);
    const mint = (email: string, role: "customer_service_agent" | "store_manager") => mintEmbedToken({ clientId: crm.clientId, secret: crm.secret, email, role, origin: crm.origin });
    await openWithToken(page, mint("manager@example.com", "store_manager"), "/embed/approvals");
    await expect(frame.getByRole("heading", { name: "Approval queue", level: 1 })).toBeVisible();
    const row = frame.getByRole("region", { name: "Pending approvals" }).getByRole("row").filter({ hasText: body.externalId });
    await expect(row).toContainText("$800.00");
    await waitForMessage(page, "ready", { page: "approvals" });
    await expectNoSeriousAxeViolations(page);

    // The shared queue links to the full app's route; inside the frame it opens the embedded one.
    await row.getByRole("link", { name: `Review the request for order ${body.externalId}` }).click();
    await expect(frame.getByRole("heading", { name: `Cancellation request for order ${body.externalId}` })).toBeVisible();
    expect(page.frame({ name: "pc-embed" })!.url()).toMatch(new RegExp(`/embed/approvals/${cancellationId}$`));
    await expectNoSeriousAxeViolations(page);
    await frame.getByRole("button", { name: "Approve", exact: true }).click();
    await frame.getByRole("dialog", { name: "Approve this cancellation" }).getByRole("button", { name: "Approve cancellation" }).click();
    await expect(frame.getByText("Approved. The refund is being processed.")).toBeVisible();
    const decided = await db.auditLog.findFirst({ where: { entityId: cancellationId, channel: `embed:${crm.clientId}`, actorType: "user" } });
    expect(decided?.action).toMatch(/approv/);

    await openWithToken(page, mint(AGENT, "customer_service_agent"), "/embed/approvals");
    await expect(frame.getByRole("heading", { name: "No approval queue" })).toBeVisible();
    await expect(frame.getByRole("region", { name: "Pending approvals" })).toHaveCount(0);
  });
});
