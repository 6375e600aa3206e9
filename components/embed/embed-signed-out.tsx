import { EmbedBridge } from "./embed-bridge";
import { EmbedNotice } from "./embed-notice";

/** What an embed page shows without a (valid) embed session. */
export function EmbedSignedOut({ hostOrigins }: { hostOrigins: string[] }) {
  return (
    <EmbedBridge hostOrigins={hostOrigins} page="refused">
      <EmbedNotice
        code="SESSION_EXPIRED"
        title="Sign-in needed"
        message="This screen opens from your CRM, which signs you in. The sign-in is missing or has ended: open the order from the CRM again."
      />
    </EmbedBridge>
  );
}
