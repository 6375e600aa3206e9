import type { Metadata } from "next";
import { EmbedBridge } from "@/components/embed/embed-bridge";
import { EmbedNotice } from "@/components/embed/embed-notice";
import { embedHostOrigins } from "@/server/embed/current-embed-viewer";
import { refusalMessage } from "@/server/embed/refusal-messages";

export const metadata: Metadata = { title: "Sign-in refused" };

export default async function EmbedRefusedPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  const { code, message } = refusalMessage(reason);
  return (
    <EmbedBridge hostOrigins={await embedHostOrigins()} page="refused">
      <EmbedNotice code={code} title="The CRM's sign-in was refused" message={message} />
    </EmbedBridge>
  );
}
