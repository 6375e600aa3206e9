import { z } from "zod";
import { PHONE_MAX_DIGITS, PHONE_MIN_DIGITS, PHONE_PATTERN, phoneDigits } from "./customer-phone";

const amount = z.string().regex(/^\d+(\.\d+)?$/, "an amount is a non-negative decimal string in major units, e.g. \"19.99\"");
const count = z.number().int("must be a whole number").min(0, "must not be negative");

export const CHANNELS = ["web", "mobile", "pos", "crm", "marketplace"] as const;

export const ZImportOrderSchema = z.object({
  channel: z.enum(CHANNELS),
  externalId: z.string().trim().min(1).max(100),
  storeId: z.string().trim().min(1).max(50),
  currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code in capitals, e.g. USD"),
  customer: z.object({
    id: z.string().trim().min(1).max(100),
    name: z.string().trim().min(1).max(200),
    email: z.email(),
    /** Searchable by its digits (the last 4 or more), masked like the email. */
    phone: z
      .string()
      .trim()
      .max(40)
      .regex(PHONE_PATTERN, "a phone number: digits, a leading +, spaces, - . / ( )")
      .refine((p) => phoneDigits(p).length >= PHONE_MIN_DIGITS && phoneDigits(p).length <= PHONE_MAX_DIGITS, `a phone number has ${PHONE_MIN_DIGITS} to ${PHONE_MAX_DIGITS} digits`)
      .nullish()
      .describe(`Optional, as the customer gave it, e.g. "+1 (555) 010-4477": digits (${PHONE_MIN_DIGITS} to ${PHONE_MAX_DIGITS}), a leading +, spaces, - . / ( ); at most 40 characters`),
    /** BCP 47, e.g. "de-DE": the language and number format of the customer's emails. */
    locale: z
      .string()
      .max(35)
      .refine((tag) => {
        try {
          return Intl.getCanonicalLocales(tag).length === 1;
        } catch {
          return false;
        }
      }, "a BCP 47 language tag, e.g. \"de-DE\"")
      .transform((tag) => Intl.getCanonicalLocales(tag)[0]!)
      .optional(),
  }),
  lines: z
    .array(
      z.object({
        lineId: z.string().trim().min(1).max(100),
        sku: z.string().trim().min(1).max(100),
        description: z.string().max(500).default(""),
        quantity: z.number().int("must be a whole number").positive("must be at least 1"),
        unitPrice: amount,
        discount: amount.default("0"),
        tax: amount.default("0"),
        shipped: count.default(0),
        released: count.default(0),
        locationId: z.string().trim().min(1).max(100).default("DC-MAIN"),
      }),
    )
    .min(1, "an order has at least one line")
    .max(500),
  discounts: z.array(z.object({ code: z.string().trim().min(1).max(100), amount })).max(50).default([]),
  shipping: z.object({ amount: amount.default("0"), tax: amount.default("0") }).default({ amount: "0", tax: "0" }),
  tenders: z
    .array(
      z.object({
        tenderId: z.string().trim().min(1).max(100),
        method: z.enum(["card", "paypal", "gift_card", "store_credit"]),
        provider: z.enum(["stripe", "adyen", "paypal", "internal"]),
        providerReference: z.string().trim().min(1).max(200),
        authorized: amount,
        captured: amount.default("0"),
        brand: z.string().max(30).optional(),
        last4: z.string().regex(/^\d{4}$/).optional(),
      }),
    )
    .min(1, "an order has at least one tender")
    .max(20),
});

export type TImportOrderInput = z.input<typeof ZImportOrderSchema>;
export type TImportOrder = z.output<typeof ZImportOrderSchema>;
