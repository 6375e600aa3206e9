import { describe, expect, it } from "vitest";
import { loadNotificationConfig } from "@/server/config/notifications";
import { refundRoute } from "./customer-message";
import { formatMoney, maskRecipient } from "./format";
import { classifySmtpError } from "./mailer";

describe("SMTP failures are classified before they are handled", () => {
  it.each([
    [{ code: "EENVELOPE", responseCode: 550, response: "550 5.1.1 <x@example.com>: user unknown" }, "permanent", "550 5.1.1 <x@example.com>: user unknown"],
    [{ code: "EENVELOPE", responseCode: 501, response: "501 Error: Bad recipient address syntax" }, "permanent", "501 Error: Bad recipient address syntax"],
    [{ code: "EENVELOPE", message: "No recipients defined" }, "permanent", "the recipient address is not a valid email address"],
    [{ code: "EMESSAGE", responseCode: 552, response: "552 message too large" }, "permanent", "552 message too large"],
    [{ code: "EENVELOPE", responseCode: 451, response: "451 4.7.1 greylisted, try again later" }, "transient", "451 4.7.1 greylisted, try again later"],
    [{ code: "ESOCKET", message: "connect ECONNREFUSED 127.0.0.1:1025" }, "transient", "connect ECONNREFUSED 127.0.0.1:1025"],
    [{ code: "ETIMEDOUT", message: "Greeting never received" }, "transient", "Greeting never received"],
    [{ code: "EAUTH", responseCode: 535, response: "535 5.7.8 authentication failed" }, "transient", "535 5.7.8 authentication failed"],
  ])("%o → %s", (error, kind, reason) => {
    expect(classifySmtpError(error)).toEqual({ kind, reason });
  });
});

describe("the customer's view of a refund part", () => {
  it.each([
    ["reversal", "succeeded", "card", "card_release"],
    ["reversal", "succeeded", "paypal", "paypal_release"],
    ["refund", "succeeded", "card", "card_refund"],
    ["refund", "succeeded", "paypal", "paypal_refund"],
    ["refund", "succeeded", "gift_card", "gift_card"],
    ["store_credit", "succeeded", "card", "store_credit"],
    ["manual", "manual_required", "card", "manual"],
    ["refund", "manual_required", "paypal", "manual"],
  ] as const)("%s %s on %s → %s", (operation, status, method, route) => {
    expect(refundRoute({ operation, status, tender: { method } })).toBe(route);
  });
});

describe("formatting", () => {
  it("masks the recipient for the timeline", () => {
    expect(maskRecipient("ada.lovelace@example.com")).toBe("a•••@example.com");
    expect(maskRecipient("not-an-address")).toBe("•••");
  });
  it("formats minor units in the customer's locale without floats", () => {
    expect(formatMoney(29738, "EUR", "de-DE")).toBe("297,38\u00a0€");
    expect(formatMoney(900719925474099, "USD", "en-US")).toBe("$9,007,199,254,740.99");
    expect(formatMoney(5n, "KWD", "en-US")).toBe("KWD\u00a00.005");
  });
});

describe("notification settings", () => {
  it("turn email off without SMTP_URL and refuse malformed values", () => {
    expect(loadNotificationConfig({}).smtpUrl).toBeNull();
    expect(loadNotificationConfig({ SMTP_URL: "smtp://127.0.0.1:1025" }).smtpUrl).toBe("smtp://127.0.0.1:1025");
    expect(() => loadNotificationConfig({ SMTP_URL: "http://mail" })).toThrow(/SMTP_URL must start with smtp:\/\/ or smtps:\/\//);
    expect(() => loadNotificationConfig({ OPS_ALERT_WEBHOOK_URL: "https://ops.example/hook" })).toThrow(/needs OPS_ALERT_WEBHOOK_SECRET/);
  });
});
