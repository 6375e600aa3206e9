import { AppError, ErrorCode } from "./errors";

/*
 * ISO 4217 minor-unit exponents, after the maintenance agency's list one (published 2026-01-01).
 * Codes whose minor unit is "N.A." (precious metals XAU/XAG/XPD/XPT, bond-market units XBA–XBD,
 * XDR, XSU, XUA, the testing code XTS and XXX) are not payment currencies and are left out, so
 * they are refused like any unknown code. Codes must be upper case, exactly as ISO spells them.
 */
const EXPONENT_0 = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
const EXPONENT_3 = "BHD IQD JOD KWD LYD OMR TND";
const EXPONENT_4 = "CLF UYW";
const EXPONENT_2 = [
  "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD",
  "CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP",
  "GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK",
  "LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO",
  "NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS",
  "SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST",
  "XAD XCD XCG YER ZAR ZMW ZWG",
  // Withdrawn during 2025 (replaced by XCG and EUR); kept so that orders placed before the
  // changeover can still be imported and cancelled.
  "ANG BGN",
].join(" ");

function table(): ReadonlyMap<string, number> {
  const entries: [string, number][] = [];
  const add = (codes: string, exponent: number) => {
    for (const code of codes.split(" ")) entries.push([code, exponent]);
  };
  add(EXPONENT_0, 0);
  add(EXPONENT_2, 2);
  add(EXPONENT_3, 3);
  add(EXPONENT_4, 4);
  return new Map(entries);
}

const EXPONENTS = table();

export function isKnownCurrency(code: string): boolean {
  return EXPONENTS.has(code);
}

export function currencyExponent(code: string): number {
  const exponent = EXPONENTS.get(code);
  if (exponent === undefined) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `Unknown currency code "${code}"`, {
      currency: code,
    });
  }
  return exponent;
}

/** Every known code, sorted; for selects in the UI and for tests. */
export function knownCurrencies(): string[] {
  return [...EXPONENTS.keys()].sort();
}
