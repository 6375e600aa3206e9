import type { Metadata } from "next";
import { EmbedBridge } from "@/components/embed/embed-bridge";
import { EmbedSignedOut } from "@/components/embed/embed-signed-out";
import { EmbedViewerLine } from "@/components/embed/embed-viewer-line";
import { ROLE_LABELS } from "@/server/auth/permissions";
import { currentEmbedViewer, embedHostOrigins } from "@/server/embed/current-embed-viewer";

export const metadata: Metadata = { title: "Embedded" };

export default async function EmbedHomePage() {
  const viewer = await currentEmbedViewer();
  if (!viewer) return <EmbedSignedOut hostOrigins={await embedHostOrigins()} />;
  return (
    <EmbedBridge hostOrigins={[viewer.hostOrigin]} page="home">
      <EmbedViewerLine name={viewer.actor.name} roleLabel={ROLE_LABELS[viewer.actor.role]} />
      <h1 className="text-xl font-semibold">Partial cancellation</h1>
      <p className="mt-2 text-sm text-slate-700">Open an order in the CRM to cancel some of its items here.</p>
    </EmbedBridge>
  );
}
