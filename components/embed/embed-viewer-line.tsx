/** Who is signed in inside the frame; the CRM's own navigation stays the only navigation. */
export function EmbedViewerLine({ name, roleLabel }: { name: string; roleLabel: string }) {
  return (
    <p className="mb-3 text-xs text-slate-600">
      Signed in as <span className="font-medium text-slate-800">{name}</span> · {roleLabel}
    </p>
  );
}
