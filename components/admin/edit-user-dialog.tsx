"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { describeAppError } from "../app-error";
import { Button } from "../button";
import { Dialog } from "../dialog";
import { useTRPC } from "../trpc";
import type { Secret } from "./secret-once";
import type { StoreOption, UserRow } from "./types";
import { RoleAndStores, type RoleValue } from "./user-fields";

function EditUserForm({ user, stores, onDone, onSecrets }: { user: UserRow; stores: StoreOption[]; onDone: () => void; onSecrets: (title: string, secrets: Secret[]) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<RoleValue>(user.role);
  const [storeIds, setStoreIds] = useState<string[]>(user.storeIds);
  const [active, setActive] = useState(user.active);
  const update = useMutation(
    trpc.admin.users.update.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() });
        onDone();
        if (result.totpSecret && result.totpUri) {
          onSecrets(`${user.email} is now a system admin`, [
            { label: "TOTP secret", value: result.totpSecret, hint: "System admins sign in with a TOTP code." },
            { label: "TOTP URI", value: result.totpUri },
          ]);
        }
      },
    }),
  );
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    update.mutate({ userId: user.userId, role, storeIds, active });
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4 text-sm">
      <RoleAndStores idPrefix="edit-user" role={role} storeIds={storeIds} stores={stores} onRole={setRole} onStores={setStoreIds} />
      <label className="flex items-start gap-2">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} className="mt-0.5 h-4 w-4" />
        <span>
          Active <span className="text-slate-600">(a deactivated user cannot sign in, and their API keys stop working at once)</span>
        </span>
      </label>
      {update.isError && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-red-900">
          {describeAppError(update.error)}
        </p>
      )}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onDone} disabled={update.isPending}>
          Cancel
        </Button>
        <Button type="submit" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}

export function EditUserDialog({ user, stores, onClose, onSecrets }: { user: UserRow | null; stores: StoreOption[]; onClose: () => void; onSecrets: (title: string, secrets: Secret[]) => void }) {
  return (
    <Dialog open={user !== null} onClose={onClose} title={user ? `Edit ${user.name}` : ""} description={user?.email}>
      {user && <EditUserForm key={user.userId} user={user} stores={stores} onDone={onClose} onSecrets={onSecrets} />}
    </Dialog>
  );
}
