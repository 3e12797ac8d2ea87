"use client";

import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { api } from "@/trpc/react";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { checkInput } from "@/components/ui/check-input";
import { ZDeployInput } from "@/server/domain/deploy";

const shortDigest = (d?: string | null) => (d ? d.replace("sha256:", "").slice(0, 12) : "");

/** Tag picker (searchable registry tags, or any typed tag/digest) and the Deploy button. */
export function DeployForm({ stack, onStarted }: { stack: string; onStarted: (jobId: string) => void }) {
  const canDeploy = useCan("DEPLOYER");
  const [tag, setTag] = useState("");
  const [error, setError] = useState<string | null>(null);
  const tags = api.deploy.tags.useQuery({ stack }, { retry: false });
  const start = api.deploy.start.useMutation();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const checked = checkInput(ZDeployInput, { tag: tag.trim() });
    if (!checked.ok) return (setError(checked.errors.tag ?? null), void toast.error(checked.errors.tag ?? "Check the tag"));
    try {
      const res = await start.mutateAsync({ stack, tag: tag.trim() });
      toast.success(`Deploy of ${tag.trim()} started`);
      onStarted(res.jobId);
    } catch (err) {
      setError(fieldErrorsOf(err).tag ?? null);
      toast.error(messageOf(err));
    }
  }

  const hint = tags.isLoading
    ? "Loading tags from the registry…"
    : tags.error
      ? `Registry: ${tags.error.message}`
      : `${tags.data?.length ?? 0} tags in the registry, newest first; a typed tag or sha256 digest works too.`;

  return (
    <form onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-end" noValidate>
      <Field label="Image tag" id="deploy-tag" hint={hint} error={error} className="flex-1">
        <Input
          mono
          list="deploy-tag-options"
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          placeholder="v1.2.3"
          autoComplete="off"
          disabled={!canDeploy}
        />
      </Field>
      <datalist id="deploy-tag-options">
        {(tags.data ?? []).map((t) => (
          <option key={t.tag} value={t.tag}>
            {[t.createdAt ? new Date(t.createdAt).toLocaleString() : null, shortDigest(t.digest)].filter(Boolean).join(" · ")}
          </option>
        ))}
      </datalist>
      {canDeploy ? (
        <Button type="submit" loading={start.isPending} disabled={!tag.trim()} className="sm:mb-6">
          Deploy
        </Button>
      ) : null}
    </form>
  );
}
