/*
 * A customer's phone, as the order search reads it. A number is stored as the channel gave it
 * ("+1 (555) 010-4477") and as its digits ("15550104477"); the search matches the END of the digits,
 * so an agent can type the last 4 or more digits the customer reads out, or the whole number in any
 * format, with or without its country code.
 */

/** Characters a phone number may be written with: digits, a leading +, spaces, - . / ( ). */
export const PHONE_PATTERN = /^\+?[0-9 ().\-/]+$/;
/** E.164 allows 15 digits with the country code; fewer than 5 is no number anybody dials. */
export const PHONE_MIN_DIGITS = 5;
export const PHONE_MAX_DIGITS = 15;
/** A search text of fewer digits is not read as a phone (a 1-digit query would match every other order). */
export const PHONE_SEARCH_MIN_DIGITS = 4;
/**
 * A longer search text is matched on its last this many digits: a number with its country code
 * ("+44 20 7946 0958") then finds the one stored without it ("020 7946 0958"), and the reverse.
 */
export const PHONE_SEARCH_KEY_DIGITS = 9;

export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, "");
}

/**
 * The digits the search looks for at the end of the stored ones, or null when the text is no
 * phone: other characters than a phone's (a name, an external id), or fewer than 4 digits.
 * Leading zeros are a dialling prefix (the trunk 0 of "06 12 34 56 78", the 00 of "0044 …"), not
 * part of the number as stored with its country code, so they are left out; the end of a number
 * that starts with a zero ("0958") keeps it, since without it fewer than 4 digits would be left.
 */
export function phoneSearchKey(text: string): string | null {
  if (!PHONE_PATTERN.test(text.trim())) return null;
  const digits = phoneDigits(text);
  const unprefixed = digits.replace(/^0+/, "");
  const key = unprefixed.length >= PHONE_SEARCH_MIN_DIGITS ? unprefixed : digits;
  return key.length >= PHONE_SEARCH_MIN_DIGITS ? key.slice(-PHONE_SEARCH_KEY_DIGITS) : null;
}

/** Every digit but the last two becomes *, the rest of the writing stays: "+* (***) ***-**77". */
export function maskPhone(phone: string): string {
  let keep = 2;
  return [...phone]
    .reverse()
    .map((c) => (/\d/.test(c) ? (keep-- > 0 ? c : "*") : c))
    .reverse()
    .join("");
}
