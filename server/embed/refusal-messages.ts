import type { EmbedTokenRefusal } from "./verify-embed-token";

// What the agent reads, and the `error` code the host gets. Forgeries and unknown clients
// share one message: the page says nothing that would help someone probing the verifier.
const MESSAGES: Partial<Record<EmbedTokenRefusal, { code: string; message: string }>> = {
  expired: { code: "TOKEN_EXPIRED", message: "The sign-in link from the CRM has expired. Open the order from the CRM again." },
  replayed: { code: "TOKEN_REPLAYED", message: "This sign-in link from the CRM was already used. Open the order from the CRM again." },
  not_yet_valid: { code: "TOKEN_NOT_YET_VALID", message: "The sign-in link from the CRM is not valid yet: the CRM's clock may be wrong." },
  wrong_origin: { code: "WRONG_ORIGIN", message: "This CRM page is not allowed to open these screens. Ask an administrator to allow it." },
  unknown_user: { code: "UNKNOWN_USER", message: "Your CRM account has no active account here with the same email. Ask an administrator." },
  role_mismatch: { code: "ROLE_MISMATCH", message: "Your role in the CRM does not match your role here. Ask an administrator." },
  role_not_allowed: { code: "ROLE_NOT_ALLOWED", message: "Administrators cannot sign in through the CRM; sign in to the app directly." },
  inactive_client: { code: "CLIENT_INACTIVE", message: "This CRM's access has been switched off. Ask an administrator." },
};
const INVALID = { code: "TOKEN_INVALID", message: "The sign-in from the CRM could not be verified. Open the order from the CRM again." };

export function refusalMessage(reason: string | undefined): { code: string; message: string } {
  return (reason && MESSAGES[reason as EmbedTokenRefusal]) || INVALID;
}
