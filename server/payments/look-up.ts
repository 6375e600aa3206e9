import { unknownOutcome, type LookUpResult } from "./port";
import { ProviderError } from "./resilience";

/**
 * Runs a reconciliation query. A provider that cannot be asked (timeout, 5xx, a 4xx on the query
 * itself) proves nothing either way: the answer is `unknown`, never `declined` or `absent`.
 */
export async function asLookUp(query: () => Promise<LookUpResult>): Promise<LookUpResult> {
  try {
    return await query();
  } catch (error) {
    if (error instanceof ProviderError) return unknownOutcome(error.code, `could not ask the provider: ${error.message}`);
    throw error;
  }
}
