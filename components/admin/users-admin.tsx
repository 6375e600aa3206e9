"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { describeAppError } from "../app-error";
import { Badge } from "../badge";
import { Button } from "../button";
import { Dialog } from "../dialog";
import { LocalTime } from "../local-time";
import { Table, TBody, TD, TH, THead, TR } from "../table";
import { useTRPC } from "../trpc";
import { CreateUserForm } from "./create-user-form";
import { EditUserDialog } from "./edit-user-dialog";
import { LoginAttempts } from "./login-attempts";
import { type Secret, SecretOnceDialog } from "./secret-once";
import type { UserRow } from "./types";
import { roleLabel } from "./user-fields";

export function UsersAdmin() {
  const trpc = useTRPC();
  const users = useQuery(trpc.admin.users.list.queryOptions());
  const [editing, setEditing] = useState<UserRow | null>(null);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  const [revealed, setRevealed] = useState<{ title: string; secrets: Secret[] } | null>(null);
  const showSecrets = (title: string, secrets: Secret[]) => setRevealed({ title, secrets });
  const reset = useMutation(
    trpc.admin.users.resetTotp.mutationOptions({
      onSuccess: (result) => {
        const user = resetting;
        setResetting(null);
        showSecrets(`New TOTP secret for ${user?.email ?? "the user"}`, [
          { label: "TOTP secret", value: result.totpSecret, hint: "The old secret no longer works." },
          { label: "TOTP URI", value: result.totpUri },
        ]);
      },
    }),
  );

  if (users.isPending) return <p className="text-sm text-slate-700">Loading users…</p>;
  if (users.isError) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
        {describeAppError(users.error)}
      </p>
    );
  }
  const { stores } = users.data;
  return (
    <div className="space-y-5">
      <Table label="Users" caption="Every account with its role, stores and sign-in state">
        <THead>
          <TR>
            <TH>User</TH>
            <TH>Role</TH>
            <TH>Stores</TH>
            <TH>Status</TH>
            <TH numeric>Failed sign-ins (24 h)</TH>
            <TH numeric>API keys</TH>
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {users.data.users.map((u) => (
            <TR key={u.userId}>
              <TD>
                <div className="font-medium">{u.name}</div>
                <div className="text-xs text-slate-600">{u.email}</div>
              </TD>
              <TD>
                {roleLabel(u.role)}
                {u.isServiceUser && (
                  <div>
                    <Badge tone="info">Service user</Badge>
                  </div>
                )}
              </TD>
              <TD>{u.role === "store_manager" ? u.storeIds.join(", ") || "None" : "All"}</TD>
              <TD>
                <div className="flex flex-col items-start gap-1">
                  {u.active ? <Badge tone="success">Active</Badge> : <Badge tone="neutral">Deactivated</Badge>}
                  {u.lockedUntil && <Badge tone="danger">Locked until <LocalTime iso={u.lockedUntil} /></Badge>}
                  {u.role === "system_admin" && !u.isServiceUser && <span className="text-xs text-slate-600">{u.hasTotp ? "TOTP set" : "No TOTP secret"}</span>}
                </div>
              </TD>
              <TD numeric>{u.failedSignIns24h}</TD>
              <TD numeric>{u.activeApiKeys}</TD>
              <TD>
                <div className="flex flex-wrap gap-1">
                  <Button variant="secondary" aria-label={`Edit ${u.email}`} onClick={() => setEditing(u)}>
                    Edit
                  </Button>
                  {u.role === "system_admin" && !u.isServiceUser && (
                    <Button variant="secondary" aria-label={`Reset TOTP of ${u.email}`} onClick={() => setResetting(u)}>
                      Reset TOTP
                    </Button>
                  )}
                </div>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>

      <CreateUserForm stores={stores} onSecrets={showSecrets} />
      <LoginAttempts />

      <EditUserDialog user={editing} stores={stores} onClose={() => setEditing(null)} onSecrets={showSecrets} />
      <Dialog
        open={resetting !== null}
        onClose={() => setResetting(null)}
        dismissible={!reset.isPending}
        title="Reset the TOTP secret?"
        description={resetting ? `${resetting.email} will need the new secret in their authenticator app; the current one stops working at once.` : undefined}
      >
        {reset.isError && (
          <p role="alert" className="mb-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
            {describeAppError(reset.error)}
          </p>
        )}
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={() => setResetting(null)} disabled={reset.isPending}>
            Cancel
          </Button>
          <Button variant="danger" onClick={() => resetting && reset.mutate({ userId: resetting.userId })} disabled={reset.isPending}>
            {reset.isPending ? "Resetting…" : "Reset TOTP secret"}
          </Button>
        </div>
      </Dialog>
      <SecretOnceDialog title={revealed?.title ?? ""} secrets={revealed?.secrets ?? null} onClose={() => setRevealed(null)} />
    </div>
  );
}
