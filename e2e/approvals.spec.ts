import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, type Browser, expect, type Page, test } from "@playwright/test";
import { adminCode, signInThroughForm } from "./helpers";

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

let counter = 0;
function uniqueId(workerIndex: number) {
  return `${Date.now().toString(36)}${workerIndex}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
}

/** One line, `quantity` × `unitPrice`, paid by a Stripe authorization; its own customer, so velocity never counts. */
async function importOrder(request: APIRequestContext, unique: string, opts: { currency?: string; storeId?: string; quantity?: number; unitPrice?: string } = {}) {
  const quantity = opts.quantity ?? 2;
  const unitPrice = opts.unitPrice ?? "400.00";
  const total = (Number(unitPrice) * quantity).toFixed(2);
  const body = {
    channel: "web",
    externalId: `E2E-APR-${unique}`,
    storeId: opts.storeId ?? "STORE-001",
    currency: opts.currency ?? "USD",
    customer: { id: `CUST-APR-${unique}`, name: `Grace Hopper ${unique}`, email: `grace.apr.${unique.toLowerCase()}@example.com` },
    lines: [{ lineId: "1", sku: "TV-55-OLED", description: "OLED television, 55 inch", quantity, unitPrice, discount: "0.00", tax: "0.00" }],
    shipping: { amount: "0.00", tax: "0.00" },
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: `pi_apr_${unique.toLowerCase()}`, authorized: total, captured: "0.00", brand: "visa", last4: "4242" }],
  };
  const response = await request.post("/api/v1/orders", { headers: bearer("dev-integration-key"), data: body });
  expect(response.status(), await response.text()).toBe(201);
  return { orderId: ((await response.json()) as { orderId: string }).orderId, externalId: body.externalId };
}

const cancelAll = (quantity: number) => ({ orderLineIds: ["1"], quantities: [quantity], reason: "CUSTOMER_REQUEST", refundMethod: "original" });

async function submit(request: APIRequestContext, key: string, orderId: string, quantity = 2) {
  const response = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
    headers: { ...bearer(key), "Idempotency-Key": `apr-${orderId}-${key}` },
    data: cancelAll(quantity),
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { cancellationId: string; status: string; refundAmount: string };
}

async function statusOf(request: APIRequestContext, orderId: string, cancellationId: string) {
  const response = await request.get(`/api/v1/orders/${orderId}/cancellations/${cancellationId}`, { headers: bearer("dev-manager-key") });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { status: string }).status;
}

async function signedIn(browser: Browser, email: string, totp?: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signInThroughForm(page, email, undefined, totp);
  await expect(page.getByRole("heading", { name: /^Welcome, / })).toBeVisible();
  return page;
}

/** Opens the queue and waits until it has loaded (its summary line), so an absence means something. */
async function openQueue(page: Page) {
  await page.goto("/approvals");
  await expect(page.getByRole("heading", { name: "Approval queue", level: 1 })).toBeVisible();
  await expect(page.getByText(/waiting, soonest to expire first|Nothing is waiting for approval/)).toBeVisible();
}

const queueRow = (page: Page, externalId: string) => page.getByRole("region", { name: "Pending approvals" }).getByRole("row").filter({ hasText: externalId });

async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}

test.describe("the approval queue", () => {
  test("an agent's over-limit request waits for the manager of its store, who approves it, and it completes; another store's manager never sees it", async ({ browser, request }, testInfo) => {
    const unique = uniqueId(testInfo.workerIndex);
    const { orderId, externalId } = await importOrder(request, unique);
    const submitted = await submit(request, "dev-agent-key", orderId);
    expect(submitted).toMatchObject({ status: "pending_approval", refundAmount: "800.00" });

    const other = await signedIn(browser, "manager3@example.com");
    await openQueue(other);
    await expect(other.getByText(externalId)).toHaveCount(0);
    await other.goto(`/approvals/${submitted.cancellationId}`);
    await expect(other.getByRole("heading", { name: "Request not found" })).toBeVisible();

    const manager = await signedIn(browser, "manager@example.com");
    await openQueue(manager);
    const row = queueRow(manager, externalId);
    await expect(row).toContainText("STORE-001");
    await expect(row).toContainText(`Grace Hopper ${unique}`);
    await expect(row).toContainText("Alex Agent");
    await expect(row).toContainText("2 × OLED television, 55 inch (line 1)");
    await expect(row).toContainText("$800.00");
    await expect(row).toContainText("Over limit");
    await expect(row).toContainText(/2 d 23 h left|3 d left/);
    await expectNoSeriousAxeViolations(manager);

    await row.getByRole("link", { name: `Review the request for order ${externalId}` }).click();
    await expect(manager.getByRole("heading", { name: `Cancellation request for order ${externalId}` })).toBeVisible();
    await expect(manager.getByRole("heading", { name: "Refund $800.00" })).toBeVisible();
    await expect(manager.getByRole("list", { name: "Where the money goes" })).toHaveText("Reverse $800.00 on Visa •••• 4242");
    await expect(manager.getByRole("region", { name: "Lines to cancel" }).getByRole("row").filter({ hasText: "OLED television" })).toContainText("$800.00");
    await expect(manager.getByText("The refund is above the requester's cancellation limit.")).toBeVisible();
    await expectNoSeriousAxeViolations(manager);

    await manager.getByRole("button", { name: "Approve", exact: true }).click();
    const dialog = manager.getByRole("dialog", { name: "Approve this cancellation" });
    await expect(dialog).toContainText("Approve the refund of $800.00 on order");
    await dialog.getByLabel("Note (optional)").fill("Customer called twice, TV damaged");
    await dialog.getByRole("button", { name: "Approve cancellation" }).click();
    await expect(manager.getByText("Approved. The refund is being processed.")).toBeVisible();
    await expect(manager.getByText(/^Approved on .*: Customer called twice, TV damaged$/)).toBeVisible();

    await expect.poll(() => statusOf(request, orderId, submitted.cancellationId), { timeout: 30_000 }).toBe("completed");
    await openQueue(manager);
    await expect(manager.getByText(externalId)).toHaveCount(0);
  });

  test("an agent has no queue at all and cannot approve over REST; a manager's own request is shown but not theirs to decide", async ({ browser, request }, testInfo) => {
    const unique = uniqueId(testInfo.workerIndex);
    const { orderId } = await importOrder(request, unique);
    const agentRequest = await submit(request, "dev-agent-key", orderId);
    expect(agentRequest.status).toBe("pending_approval");

    const agent = await signedIn(browser, "agent@example.com");
    await agent.goto("/approvals");
    await expect(agent.getByRole("heading", { name: "You don't have permission to open the approval queue" })).toBeVisible();
    await expect(agent.getByRole("region", { name: "Pending approvals" })).toHaveCount(0);
    await expectNoSeriousAxeViolations(agent);
    const agentApprove = await request.post(`/api/v1/cancellations/${agentRequest.cancellationId}/approve`, { headers: bearer("dev-agent-key"), data: {} });
    expect(agentApprove.status()).toBe(403);

    // Above the store-manager limit (10 × USD 500.00), so the manager's own request waits for an admin.
    const big = await importOrder(request, `${unique}-OWN`, { quantity: 1, unitPrice: "6000.00" });
    const own = await submit(request, "dev-manager-key", big.orderId, 1);
    expect(own.status).toBe("pending_approval");
    const manager = await signedIn(browser, "manager@example.com");
    await openQueue(manager);
    await expect(queueRow(manager, big.externalId)).toContainText("Your request: someone else decides");
    await queueRow(manager, big.externalId).getByRole("link", { name: /^Review/ }).click();
    const approve = manager.getByRole("button", { name: "Approve", exact: true });
    await expect(approve).toBeDisabled();
    await expect(manager.getByRole("button", { name: "Reject", exact: true })).toBeDisabled();
    await expect(approve).toHaveAccessibleDescription("You requested this cancellation, so someone else must approve or reject it (four eyes).");
    const selfApprove = await request.post(`/api/v1/cancellations/${own.cancellationId}/approve`, { headers: bearer("dev-manager-key"), data: {} });
    expect(selfApprove.status()).toBe(403);
    expect(((await selfApprove.json()) as { error: { code: string } }).error.code).toBe("SELF_APPROVAL_FORBIDDEN");

    // Tidy up: an admin rejects both, so their units are free again.
    for (const id of [agentRequest.cancellationId, own.cancellationId]) {
      const reject = await request.post(`/api/v1/cancellations/${id}/reject`, { headers: bearer("dev-admin-key"), data: { note: "e2e cleanup" } });
      expect(reject.status()).toBe(200);
    }
  });

  test("the queue refreshes itself when someone else decides, and deciding a request already decided says so", async ({ browser, request }, testInfo) => {
    const unique = uniqueId(testInfo.workerIndex);
    const first = await importOrder(request, `${unique}-A`);
    const second = await importOrder(request, `${unique}-B`, { storeId: "STORE-002" });
    const a = await submit(request, "dev-agent-key", first.orderId);
    const b = await submit(request, "dev-agent-key", second.orderId);

    const manager = await signedIn(browser, "manager@example.com");
    await openQueue(manager);
    await expect(queueRow(manager, first.externalId)).toBeVisible();
    await expect(queueRow(manager, second.externalId)).toBeVisible();

    const rejectA = await request.post(`/api/v1/cancellations/${a.cancellationId}/reject`, { headers: bearer("dev-admin-key"), data: { note: "Duplicate request" } });
    expect(rejectA.status()).toBe(200);
    await expect(queueRow(manager, first.externalId)).toHaveCount(0);
    await expect(queueRow(manager, second.externalId)).toBeVisible();

    await queueRow(manager, second.externalId).getByRole("link", { name: /^Review/ }).click();
    await manager.getByRole("button", { name: "Reject", exact: true }).click();
    const dialog = manager.getByRole("dialog", { name: "Reject this cancellation" });
    await dialog.getByRole("button", { name: "Reject cancellation" }).click();
    await expect(dialog.getByText("Write a note: the requester sees why it was rejected.")).toBeVisible();
    await dialog.getByLabel("Why are you rejecting it? (required)").fill("Customer changed their mind");

    const approveB = await request.post(`/api/v1/cancellations/${b.cancellationId}/approve`, { headers: bearer("dev-admin-key"), data: {} });
    expect(approveB.status()).toBe(200);
    await dialog.getByRole("button", { name: "Reject cancellation" }).click();
    const conflict = manager.getByRole("alert").filter({ hasText: "Already decided" });
    await expect(conflict).toContainText(/Someone else already decided this request: it is now (processing|completed)\./);
    await expect(manager.getByRole("button", { name: "Reject", exact: true })).toHaveCount(0);
    await expect.poll(() => statusOf(request, second.orderId, b.cancellationId), { timeout: 30_000 }).toBe("completed");
  });

  test("an admin lowers the CAD agent limit and the next preview of a smaller amount needs approval; the limit is restored", async ({ browser, request }, testInfo) => {
    // CAD is used by no other test, so parallel tests never see the lowered limit.
    const unique = uniqueId(testInfo.workerIndex);
    const { orderId } = await importOrder(request, unique, { currency: "CAD", unitPrice: "150.00" });
    const preview = async () => {
      const response = await request.post(`/api/v1/orders/${orderId}/cancel-partial/preview`, { headers: bearer("dev-agent-key"), data: cancelAll(2) });
      expect(response.status(), await response.text()).toBe(200);
      return (await response.json()) as { approvalRequired: boolean; approvalReasons: string[]; totals: { total: string } };
    };
    expect(await preview()).toMatchObject({ approvalRequired: false, totals: { total: "300.00" } });

    const admin = await signedIn(browser, "admin@example.com", adminCode());
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await expect(admin.getByRole("heading", { name: "Admin console", level: 1 })).toBeVisible();
    await expectNoSeriousAxeViolations(admin);
    await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Business rules" }).click();
    await expect(admin.getByRole("heading", { name: "Business rules", level: 1 })).toBeVisible();
    const cadLimit = admin.getByLabel("Agent limit, CAD");
    await expect(cadLimit).toHaveValue("650.00");
    await expectNoSeriousAxeViolations(admin);

    await cadLimit.fill("100.001");
    await admin.getByRole("button", { name: "Save rules" }).click();
    await expect(admin.getByRole("alert").filter({ hasText: "Nothing was saved" })).toContainText('Agent limit CAD: Amount "100.001" has 3 decimals; CAD allows 2');
    expect((await preview()).approvalRequired).toBe(false);

    const versionBefore = Number((await admin.getByTestId("rules-version").textContent())?.match(/Saving creates version (\d+)/)?.[1]);
    await cadLimit.fill("100.00");
    await admin.getByRole("button", { name: "Save rules" }).click();
    await expect(admin.getByText(`Version ${versionBefore} saved; in force from the next preview.`)).toBeVisible();
    await expect(admin.getByTestId("rules-version")).toContainText(`Version ${versionBefore} is in force.`);
    await expect(admin.getByLabel("Agent limit, CAD")).toHaveValue("100.00");
    expect(await preview()).toMatchObject({ approvalRequired: true, approvalReasons: ["limit"] });

    await admin.getByLabel("Agent limit, CAD").fill("650.00");
    await admin.getByRole("button", { name: "Save rules" }).click();
    await expect(admin.getByTestId("rules-version")).toContainText(`Version ${versionBefore + 1} is in force.`);
    await expect(admin.getByLabel("Agent limit, CAD")).toHaveValue("650.00");
    expect((await preview()).approvalRequired).toBe(false);
  });
});
