import type { Actor } from "@/server/auth/permissions";
import type { Db } from "@/server/db/client";
import { formatAmount, roundHalfUpDiv } from "@/server/domain/money";
import { splitOrderDiscount } from "@/server/domain/refund";
import { importOrder, type ImportOrderDeps } from "@/server/orders/import-order";
import type { TImportOrderInput } from "@/server/orders/import-order.schema";

// Development orders of SPEC §7: worked examples A–C exactly, plus a deterministic mix over the
// three stores. Every order goes through importOrder, so it is validated like the API's.

type Currency = "USD" | "EUR" | "GBP" | "JPY";
type Tender = TImportOrderInput["tenders"][number];
type Line = TImportOrderInput["lines"][number];

export const SEED_INTEGRATION_EMAIL = "integration@example.com";

/** SPEC §3 worked example A (USD, card + gift card, nothing shipped yet). */
export function exampleAOrder(overrides: Partial<TImportOrderInput> = {}): TImportOrderInput {
  return {
    channel: "web",
    externalId: "WEB-EXAMPLE-A",
    storeId: "STORE-001",
    currency: "USD",
    customer: { id: "CUST-EXAMPLE-A", name: "Ada Lovelace", email: "ada@example.com", phone: "+1 (555) 010-4477" },
    lines: [
      { lineId: "A", sku: "APP-SHIRT-RED-M", description: "Oxford shirt, red, M", quantity: 3, unitPrice: "100.00", discount: "0.00", tax: "22.28", locationId: "DC-EAST" },
      { lineId: "B", sku: "ACC-SCARF-WL", description: "Wool scarf, charcoal", quantity: 1, unitPrice: "50.00", discount: "0.00", tax: "3.71", locationId: "DC-EAST" },
    ],
    discounts: [{ code: "SPRING35", amount: "35.00" }],
    shipping: { amount: "10.00", tax: "0.00" },
    tenders: [
      { tenderId: "T1", method: "card", provider: "stripe", providerReference: "pi_example_a", authorized: "300.99", captured: "0.00", brand: "visa", last4: "4242" },
      { tenderId: "T2", method: "gift_card", provider: "internal", providerReference: "GC-EXAMPLE-A", authorized: "50.00", captured: "50.00" },
    ],
    ...overrides,
  };
}

/** SPEC §3 worked example B (JPY): 3 × ¥1000, order discount ¥100, tax ¥290. */
export function exampleBOrder(overrides: Partial<TImportOrderInput> = {}): TImportOrderInput {
  return {
    channel: "web",
    externalId: "WEB-EXAMPLE-B",
    storeId: "STORE-002",
    currency: "JPY",
    customer: { id: "CUST-EXAMPLE-B", name: "Hana Sato", email: "hana.sato@example.jp" },
    lines: [{ lineId: "1", sku: "HOME-TEA-CUP", description: "Porcelain tea cup", quantity: 3, unitPrice: "1000", discount: "0", tax: "290", locationId: "DC-CENTRAL" }],
    discounts: [{ code: "WELCOME100", amount: "100" }],
    shipping: { amount: "0", tax: "0" },
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: "pi_example_b", authorized: "3190", captured: "0", brand: "jcb", last4: "0000" }],
    ...overrides,
  };
}

/** SPEC §3 worked example C: an order discount of 10.00 over three lines of 1 × 10.00. */
export function exampleCOrder(overrides: Partial<TImportOrderInput> = {}): TImportOrderInput {
  return {
    channel: "web",
    externalId: "WEB-EXAMPLE-C",
    storeId: "STORE-003",
    currency: "USD",
    customer: { id: "CUST-EXAMPLE-C", name: "Carlos Mendes", email: "carlos.mendes@example.com", phone: "555-010-0188" },
    lines: ["1", "2", "3"].map((lineId) => ({ lineId, sku: `ACC-PIN-0${lineId}`, description: `Enamel pin no. ${lineId}`, quantity: 1, unitPrice: "10.00", discount: "0.00", tax: "0.00", locationId: "DC-WEST" })),
    discounts: [{ code: "TENOFF", amount: "10.00" }],
    shipping: { amount: "0.00", tax: "0.00" },
    tenders: [{ tenderId: "T1", method: "card", provider: "adyen", providerReference: "8816000000000003", authorized: "20.00", captured: "0.00", brand: "mc", last4: "5454" }],
    ...overrides,
  };
}

const STORES = [
  { id: "STORE-001", location: "DC-EAST" },
  { id: "STORE-002", location: "DC-CENTRAL" },
  { id: "STORE-003", location: "DC-WEST" },
];

// Fictional numbers (the ranges kept for fiction: 555-01xx in North America, 020 7946 0xxx in London,
// 070-174 06 xx in Sweden), in the formats channels send; the other customers gave none.
const PHONES: Record<number, string> = {
  0: "+1 555 010 0123",
  1: "+44 20 7946 0958",
  2: "(555) 010-0147",
  3: "+46 70 174 06 57",
  7: "020 7946 0321",
  9: "+1-555-010-0199",
};

const CUSTOMERS = [
  ["Grace Hopper", "grace.hopper@example.com"], ["Alan Turing", "alan.turing@example.co.uk"],
  ["Katherine Johnson", "k.johnson@example.com"], ["Linus Berg", "linus.berg@example.se"],
  ["Margaret Hamilton", "mhamilton@example.com"], ["Yuki Tanaka", "yuki.tanaka@example.jp"],
  ["Sofia Rossi", "sofia.rossi@example.it"], ["Oliver Smith", "oliver.smith@example.co.uk"],
  ["Amara Okafor", "amara.okafor@example.com"], ["Lukas Müller", "lukas.mueller@example.de"],
  ["Chloé Martin", "chloe.martin@example.fr"], ["Diego Fernández", "diego.fernandez@example.es"],
  ["Priya Sharma", "priya.sharma@example.com"], ["Kenji Watanabe", "kenji.watanabe@example.jp"],
  ["Emma Johansson", "emma.johansson@example.se"], ["Noah Williams", "noah.williams@example.com"],
  ["Fatima Zahra", "fatima.zahra@example.com"], ["Jack Taylor", "jack.taylor@example.co.uk"],
  ["Mei Chen", "mei.chen@example.com"], ["Hugo Dubois", "hugo.dubois@example.fr"],
].map(([name, email], i) => ({ id: `CUST-${10001 + i}`, name: name!, email: email!, ...(PHONES[i] ? { phone: PHONES[i] } : {}) }));

// Prices in minor units per currency (JPY has no minor unit).
const CATALOG = [
  ["APP-TEE-CRW-M", "Crew-neck tee, heather grey, M", 2400, 2200, 1900, 2900],
  ["APP-HOOD-NVY-L", "Zip hoodie, navy, L", 6800, 6400, 5500, 8900],
  ["APP-JKT-RAIN-M", "Packable rain jacket, olive, M", 12900, 11900, 9900, 16500],
  ["FTW-RUN-42", "Trail running shoes, EU 42", 13500, 12900, 11000, 17800],
  ["ACC-SOCK-3PK", "Merino socks, 3-pack", 1800, 1650, 1400, 2200],
  ["ACC-BELT-LTH", "Leather belt, brown, 90 cm", 4500, 4200, 3600, 5800],
  ["BAG-DAY-20L", "Daypack 20 L, black", 8900, 8200, 7000, 11500],
  ["HOME-MUG-2PK", "Stoneware mugs, set of 2", 2600, 2400, 2000, 3300],
  ["HOME-THROW-WL", "Wool throw blanket, oatmeal", 11900, 10900, 9500, 15400],
  ["KIT-PAN-28", "Cast-iron skillet, 28 cm", 5400, 4900, 4200, 6900],
  ["ELEC-EARBUD-W", "Wireless earbuds, white", 14900, 13900, 11900, 19800],
  ["ELEC-SPKR-BT", "Bluetooth speaker, charcoal", 7900, 7400, 6300, 9900],
].map(([sku, description, USD, EUR, GBP, JPY]) => ({ sku: sku as string, description: description as string, price: { USD, EUR, GBP, JPY } as Record<Currency, number> }));

// Above the agent limit on their own, so that these orders need approval (SPEC §5).
const PREMIUM = [
  ["ELEC-LAPTOP-14", "Laptop 14\", 16 GB RAM, 512 GB", 129900, 119900, 104900, 169800],
  ["KIT-ESPRESSO-PRO", "Espresso machine, dual boiler", 64900, 59900, 52900, 84800],
  ["FURN-CHAIR-ERG", "Ergonomic office chair", 54900, 49900, 44900, 72800],
  ["ELEC-CAM-MIRR", "Mirrorless camera body", 89900, 84900, 72900, 119800],
].map(([sku, description, USD, EUR, GBP, JPY]) => ({ sku: sku as string, description: description as string, price: { USD, EUR, GBP, JPY } as Record<Currency, number> }));

// Tax rate per store in thousandths of a percent (8875 = 8.875 %).
const TAX_RATE: Record<Currency, number[]> = { USD: [8875, 7250, 6000], EUR: [19000, 20000, 21000], GBP: [20000, 20000, 20000], JPY: [10000, 10000, 10000] };
const SHIPPING: Record<Currency, number> = { USD: 795, EUR: 590, GBP: 499, JPY: 800 };
const WELCOME: Record<Currency, number> = { USD: 1000, EUR: 1000, GBP: 800, JPY: 1000 };
const GIFT_CARD: Record<Currency, number> = { USD: 5000, EUR: 4000, GBP: 2500, JPY: 5000 };
const CHANNELS = [["web", "WEB"], ["mobile", "MOB"], ["pos", "POS"], ["crm", "CRM"], ["marketplace", "MKT"]] as const;
const CARDS = [["visa", "4242"], ["mc", "4444"], ["amex", "8431"], ["visa", "1881"], ["mc", "5100"]] as const;

/** mulberry32: a small seeded PRNG, so the same orders come out on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[int(0, alphabet.length - 1)]).join("");
  return { next, int, pick, chars };
}

type Rng = ReturnType<typeof prng>;

const percentOf = (amount: number, thousandthsOfPercent: number) => Number(roundHalfUpDiv(BigInt(amount) * BigInt(thousandthsOfPercent), 100_000n));

function providerReference(rng: Rng, provider: "stripe" | "adyen" | "paypal" | "internal", method: string): string {
  const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  if (provider === "stripe") return `pi_3${rng.chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20)}`;
  if (provider === "adyen") return `88${rng.chars("0123456789", 14)}`;
  if (provider === "paypal") return rng.chars(ALNUM, 17);
  return `${method === "gift_card" ? "GC" : "SC"}-${rng.chars("0123456789", 12)}`;
}

/** One generated order: lines, fulfilment state, discounts, shipping and tenders that add up. */
function generateOrder(rng: Rng, index: number, premiumCurrency: Currency | null): TImportOrderInput {
  const store = STORES[index % STORES.length]!;
  const storeIndex = index % STORES.length;
  const currency: Currency = premiumCurrency ?? rng.pick(["USD", "USD", "USD", "EUR", "EUR", "GBP", "GBP", "JPY"] as const);
  const [channel, prefix] = CHANNELS[index % CHANNELS.length]!;
  const customer = CUSTOMERS[rng.int(0, CUSTOMERS.length - 1)]!;
  const money = (minor: number) => formatAmount(minor, currency);

  const products = [...(premiumCurrency ? [rng.pick(PREMIUM)] : []), ...Array.from({ length: rng.int(1, 3) }, () => rng.pick(CATALOG))];
  const unique = products.filter((p, i) => products.findIndex((q) => q.sku === p.sku) === i);
  // Fulfilment profile: premium orders stay open so that their full value is cancellable.
  const profile = premiumCurrency ? "open" : rng.pick(["open", "open", "open", "released", "partly_shipped", "partly_shipped", "shipped_mix"] as const);
  const rate = TAX_RATE[currency][storeIndex]!;
  const lines = unique.map((p, i) => {
    const quantity = PREMIUM.includes(p) ? 1 : rng.int(1, 4);
    const gross = p.price[currency] * quantity;
    const discount = rng.next() < 0.15 ? percentOf(gross, 10_000) : 0;
    let shipped = 0;
    let released = 0;
    if (i === 0 && profile === "released") released = rng.int(1, quantity);
    if (i === 0 && profile === "partly_shipped") shipped = quantity > 1 ? rng.int(1, quantity - 1) : 1;
    if (profile === "shipped_mix") {
      if (i === 0) shipped = quantity;
      else if (i === 1) released = rng.int(1, quantity);
    }
    const location = channel === "pos" ? store.id : i === 2 ? "DC-OVERFLOW" : store.location;
    return { lineId: String(i + 1), sku: p.sku, description: p.description, quantity, unitPrice: p.price[currency], discount, tax: percentOf(gross - discount, rate), shipped, released, locationId: location };
  });

  const afterLine = lines.map((l) => l.unitPrice * l.quantity - l.discount);
  const merchandise = afterLine.reduce((s, a) => s + a, 0);
  const discountKind = rng.pick(["none", "none", "welcome", "vip"] as const);
  const discounts =
    discountKind === "welcome" ? [{ code: "WELCOME10", amount: Math.min(WELCOME[currency], merchandise) }]
      : discountKind === "vip" ? [{ code: "VIP15", amount: percentOf(merchandise, 15_000) }]
        : [];
  const orderDiscount = discounts.reduce((s, d) => s + d.amount, 0);
  const shippingAmount = channel === "pos" || rng.next() < 0.3 ? 0 : SHIPPING[currency];
  const shippingTax = currency === "USD" ? 0 : percentOf(shippingAmount, rate);
  const total = merchandise - orderDiscount + lines.reduce((s, l) => s + l.tax, 0) + shippingAmount + shippingTax;

  // Money is captured when units ship: each line's paid share for its shipped units, plus shipping.
  const shares = splitOrderDiscount(afterLine, orderDiscount);
  const shippedValue = lines.reduce((s, l, i) => s + Number(roundHalfUpDiv(BigInt(afterLine[i]! - shares[i]! + l.tax) * BigInt(l.shipped), BigInt(l.quantity))), 0);
  const toCapture = shippedValue > 0 ? shippedValue + shippingAmount + shippingTax : 0;

  const split = rng.pick(["card", "card", "card", "card_gift", "paypal", "paypal", "paypal_gift", "card_credit"] as const);
  const internal = split.endsWith("gift") ? "gift_card" : split === "card_credit" ? "store_credit" : null;
  const internalAmount = internal ? Math.min(GIFT_CARD[currency], Math.floor(total / 2)) : 0;
  const tenders: Tender[] = [];
  const provider = split.startsWith("paypal") ? "paypal" : rng.pick(["stripe", "adyen"] as const);
  const external = total - internalAmount;
  const externalCaptured = Math.min(external, Math.max(0, toCapture - internalAmount));
  const [brand, last4] = rng.pick(CARDS);
  tenders.push({
    tenderId: "T1",
    method: provider === "paypal" ? "paypal" : "card",
    provider,
    providerReference: providerReference(rng, provider, "card"),
    authorized: money(external),
    captured: money(externalCaptured),
    ...(provider === "paypal" ? {} : { brand, last4 }),
  });
  if (internal) {
    // Gift cards and store credit are debited in full at checkout.
    tenders.push({ tenderId: "T2", method: internal, provider: "internal", providerReference: providerReference(rng, "internal", internal), authorized: money(internalAmount), captured: money(internalAmount) });
  }

  return {
    channel,
    externalId: `${prefix}-${100001 + index}`,
    storeId: store.id,
    currency,
    customer,
    lines: lines.map((l): Line => ({ ...l, unitPrice: money(l.unitPrice), discount: money(l.discount), tax: money(l.tax) })),
    discounts: discounts.map((d) => ({ code: d.code, amount: money(d.amount) })),
    shipping: { amount: money(shippingAmount), tax: money(shippingTax) },
    tenders,
  };
}

const GENERATED_COUNT = 57;
const PREMIUM_CURRENCIES: Currency[] = ["USD", "EUR", "USD", "GBP", "USD", "JPY"];

/** The seeded orders, always the same: examples A–C first, then 57 generated ones. */
export function buildSeedOrders(): TImportOrderInput[] {
  const rng = prng(20_261_128);
  const generated = Array.from({ length: GENERATED_COUNT }, (_, i) => {
    // Every ninth order carries a premium item above the agent limit.
    const premium = i % 9 === 4 ? PREMIUM_CURRENCIES[Math.floor(i / 9) % PREMIUM_CURRENCIES.length]! : null;
    return generateOrder(rng, i, premium);
  });
  return [exampleAOrder(), exampleBOrder(), exampleCOrder(), ...generated];
}

/** The integration's service user as the importing actor (seedAccounts creates it). */
export async function seedActor(db: Db): Promise<Actor> {
  const user = await db.user.findUnique({ where: { email: SEED_INTEGRATION_EMAIL } });
  if (!user) throw new Error(`${SEED_INTEGRATION_EMAIL} does not exist: run seedAccounts before seedOrders`);
  return {
    kind: "api_key",
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    storeIds: null,
    scopes: ["orders:read", "orders:write"],
    userAgent: "seed-orders",
    channel: "seed",
  };
}

/**
 * Imports the seed orders that are not there yet (by channel + externalId), so a
 * second run changes nothing. `afterImport` is importOrder's hook, e.g. to register
 * tenders with a running provider fake.
 */
export async function seedOrders(
  db: Db,
  actor?: Actor,
  opts: Pick<ImportOrderDeps, "afterImport"> = {},
): Promise<{ created: number; skipped: number }> {
  const as = actor ?? (await seedActor(db));
  let created = 0;
  let skipped = 0;
  for (const order of buildSeedOrders()) {
    const existing = await db.order.findUnique({ where: { channel_externalId: { channel: order.channel, externalId: order.externalId } }, select: { id: true } });
    if (existing) {
      skipped += 1;
      continue;
    }
    await importOrder({ db, actor: as, afterImport: opts.afterImport }, order);
    created += 1;
  }
  return { created, skipped };
}
