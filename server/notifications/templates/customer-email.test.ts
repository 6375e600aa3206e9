import { describe, expect, it } from "vitest";
import { renderCustomerEmail } from "./customer-email";
import type { CustomerMessage } from "./model";

// The rendered plain text, written out in full: a change of wording or of a number's
// format shows up here as a diff someone has to read, not as a snapshot file rewritten.
const base = { customerName: "Ada Lovelace", supportEmail: "help@shop.example", shippingRefunded: false } as const;
const NBSP = "\u00a0";

describe("customer emails (SPEC §10)", () => {
  it("USD, en-US: a reversal on the card", async () => {
    const m: CustomerMessage = {
      ...base,
      template: "cancellation_completed",
      locale: "en-US",
      currency: "USD",
      orderExternalId: "WEB-100045",
      items: [{ description: "Oxford shirt, red, M", quantity: 2 }],
      refunds: [{ route: "card_release", amount: 19485 }],
      refundTotal: 19485,
    };
    const email = await renderCustomerEmail(m);
    expect(email.subject).toBe("Your cancellation for order WEB-100045 is complete");
    expect(email.text).toBe(
      [
        "YOUR CANCELLATION IS COMPLETE",
        "",
        "Hello Ada Lovelace,",
        "",
        "we have cancelled these items from your order WEB-100045:",
        "",
        "2 × Oxford shirt, red, M",
        "",
        "Your refund: $194.85",
        "",
        "$194.85: the hold on your card is released, so you will not be charged for it",
        "",
        "----------------------------------------",
        "",
        "Questions? Write to help@shop.example and mention order WEB-100045.",
        "",
        "Thank you for shopping with us.",
      ].join("\n"),
    );
    expect(email.html).toContain('<html dir="ltr" lang="en-US">');
    expect(email.html).toContain('href="mailto:help@shop.example"');
  });

  it("EUR, de-DE: German words, German number format, PayPal and store credit, shipping", async () => {
    const m: CustomerMessage = {
      ...base,
      template: "cancellation_completed",
      locale: "de-DE",
      currency: "EUR",
      orderExternalId: "WEB-200001",
      items: [
        { description: "Wollmantel, grau", quantity: 1 },
        { description: "Schal", quantity: 1200 },
      ],
      refunds: [
        { route: "paypal_refund", amount: 29738 },
        { route: "store_credit", amount: 2400 },
      ],
      refundTotal: 32138,
      shippingRefunded: true,
    };
    const email = await renderCustomerEmail(m);
    expect(email.subject).toBe("Ihre Stornierung für Bestellung WEB-200001 ist abgeschlossen");
    expect(email.text).toBe(
      [
        "IHRE STORNIERUNG IST ABGESCHLOSSEN",
        "",
        "Hallo Ada Lovelace,",
        "",
        "wir haben diese Artikel aus Ihrer Bestellung WEB-200001 storniert:",
        "",
        "1 × Wollmantel, grau",
        "",
        "1.200 × Schal",
        "",
        `Ihre Erstattung: 321,38${NBSP}€`,
        "",
        `297,38${NBSP}€ zurück auf Ihr PayPal-Konto innerhalb von 3–5 Tagen`,
        "",
        `24,00${NBSP}€ als Guthaben, sofort verfügbar`,
        "",
        "Die Versandkosten erstatten wir ebenfalls.",
        "",
        "----------------------------------------",
        "",
        "Fragen? Schreiben Sie an help@shop.example und nennen Sie die Bestellung WEB-200001.",
        "",
        "Vielen Dank für Ihren Einkauf.",
      ].join("\n"),
    );
  });

  it("JPY, en-US: no minor unit; a card refund and the gift card", async () => {
    const m: CustomerMessage = {
      ...base,
      template: "cancellation_completed",
      locale: "en-US",
      currency: "JPY",
      orderExternalId: "WEB-JP-7",
      items: [{ description: "Tenugui towel", quantity: 1 }],
      refunds: [
        { route: "card_refund", amount: 1000 },
        { route: "gift_card", amount: 64 },
      ],
      refundTotal: 1064,
    };
    const email = await renderCustomerEmail(m);
    expect(email.text.split("\n\n").slice(3, 7)).toEqual([
      "1 × Tenugui towel",
      "Your refund: ¥1,064",
      "¥1,000 back to your card within 5–10 business days",
      "¥64 back on your gift card, ready to use now",
    ]);
  });

  it("GBP, en-GB: store credit, and a manual refund that promises no timing", async () => {
    const m: CustomerMessage = {
      ...base,
      template: "cancellation_completed",
      locale: "en-GB",
      currency: "GBP",
      orderExternalId: "POS-55",
      items: [{ description: "Linen shirt", quantity: 3 }],
      refunds: [
        { route: "store_credit", amount: 2400 },
        { route: "manual", amount: 1050 },
      ],
      refundTotal: 3450,
    };
    const email = await renderCustomerEmail(m);
    const parts = email.text.split("\n\n");
    expect(parts.slice(3, 7)).toEqual([
      "3 × Linen shirt",
      "Your refund: £34.50",
      "£24.00 as store credit, ready to use now",
      "£10.50 will be refunded to you by our customer service team, who will contact you about it",
    ]);
    expect(parts[6]).not.toMatch(/within|days|now/);
    // Issue 15 point 3: while the manual refund is open, nothing says it is all done.
    expect(email.subject).toBe("Your cancellation for order POS-55: your refund is being arranged");
    expect(parts[0]).toBe("YOUR ITEMS ARE CANCELLED; YOUR REFUND IS BEING ARRANGED");
    expect(`${email.subject}\n${email.text}`).not.toMatch(/is complete|on its way/i);
  });

  it("de-DE: a manual refund still open is not called 'abgeschlossen'", async () => {
    const email = await renderCustomerEmail({
      ...base,
      template: "cancellation_completed",
      locale: "de-DE",
      currency: "EUR",
      orderExternalId: "WEB-7",
      items: [{ description: "Schal", quantity: 1 }],
      refunds: [{ route: "manual", amount: 1999 }],
      refundTotal: 1999,
    });
    expect(email.subject).toBe("Ihre Stornierung für Bestellung WEB-7: Ihre Erstattung wird veranlasst");
    expect(email.text).not.toContain("abgeschlossen");
    expect(email.text).toContain("erstattet Ihnen unser Kundenservice");
  });

  it("a rejected request names the items and promises nothing about money", async () => {
    const email = await renderCustomerEmail({
      ...base,
      template: "cancellation_rejected",
      locale: "en-US",
      currency: "USD",
      orderExternalId: "WEB-9",
      items: [{ description: "Desk lamp", quantity: 1 }],
      refunds: [],
      refundTotal: 5000,
    });
    expect(email.subject).toBe("Your cancellation request for order WEB-9 was declined");
    expect(email.text).toContain("you asked us to cancel these items from your order WEB-9:\n\n1 × Desk lamp\n\nAfter review we could not accept this cancellation");
    expect(email.text).not.toContain("$");
  });
  it("the warehouse stopped some units (SPEC §11): what was cancelled and refunded, and what could not be stopped", async () => {
    const m: CustomerMessage = {
      ...base,
      template: "cancellation_completed",
      locale: "en-US",
      currency: "USD",
      orderExternalId: "WEB-200",
      items: [{ description: "Rain jacket", quantity: 2 }],
      notStopped: [{ description: "Rain jacket", quantity: 1 }],
      refunds: [{ route: "card_release", amount: 2000 }],
      refundTotal: 2000,
    };
    const email = await renderCustomerEmail(m);
    const text = email.text;
    const at = (part: string) => {
      expect(text).toContain(part);
      return text.indexOf(part);
    };
    // In this order: what was cancelled, what could not be stopped (and why), then the refund.
    const parts = [
      "we have cancelled these items from your order WEB-200:",
      "2 × Rain jacket",
      "These items could not be stopped",
      "1 × Rain jacket",
      "They had already been picked for shipping, so they are on their way to you and you are not refunded for them.",
      "Your refund: $20.00",
    ].map(at);
    expect(parts).toEqual([...parts].sort((a, b) => a - b));
  });

  it("the warehouse stopped nothing: the failure email says the order continues, not that something went wrong", async () => {
    const m: CustomerMessage = {
      ...base,
      template: "cancellation_failed",
      locale: "en-US",
      currency: "USD",
      orderExternalId: "WEB-201",
      items: [],
      notStopped: [{ description: "Rain jacket", quantity: 2 }],
      refunds: [],
      refundTotal: 0,
    };
    const email = await renderCustomerEmail(m);
    expect(email.text).toContain("2 × Rain jacket");
    expect(email.text).toContain("Nothing was cancelled and no money has moved: your order continues as it was.");
    expect(email.text).not.toContain("Something went wrong");
  });
});
