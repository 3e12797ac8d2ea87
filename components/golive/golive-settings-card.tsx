"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useCan } from "@/components/auth/role-context";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { checkInput } from "@/components/ui/check-input";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { ZGoLiveSettings, type GoLiveSettings } from "@/server/domain/golive";
import { SMOKE_STEP_KEYS } from "@/server/services/smoke/steps";
import { api } from "@/trpc/react";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";

const IMAGE_FIELDS = [
  ["db", "Database image"],
  ["cache", "Cache image"],
  ["caddy", "Caddy image"],
  ["nginx", "Nginx image"],
] as const;

/** Which images each role gets, the cache and proxy kind, and which of the plan's smoke tests run after deploys. */
export function GoLiveSettingsCard({ stack }: { stack: string }) {
  const isAdmin = useCan("ADMIN");
  const current = api.golive.settings.useQuery({ stack });
  const save = api.golive.saveSettings.useMutation();
  const utils = api.useUtils();
  const [draft, setDraft] = useState<GoLiveSettings | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const value = draft ?? current.data;
  if (!value) return null;
  const set = (next: Partial<GoLiveSettings>) => setDraft({ ...value, ...next });

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const checked = checkInput(ZGoLiveSettings, value);
    if (!checked.ok) return (setErrors(checked.errors), void toast.error("Check the highlighted fields"));
    setErrors({});
    try {
      await save.mutateAsync({ stack, settings: checked.data });
      toast.success("Go-live settings saved");
      setDraft(null);
      void utils.golive.settings.invalidate();
    } catch (err) {
      setErrors(Object.fromEntries(Object.entries(fieldErrorsOf(err)).map(([k, v]) => [k.replace(/^settings\./, ""), v])));
      toast.error(messageOf(err));
    }
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Provisioning and smoke tests</CardTitle>
        <CardDescription>
          The images the panel starts for each role (the plan&apos;s by default), and the smoke tests run after every deploy and go-live.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={(e) => void submit(e)} className="grid gap-3 sm:grid-cols-2" noValidate>
          {IMAGE_FIELDS.map(([key, label]) => (
            <Field key={key} label={label} error={errors[`images.${key}`]}>
              <Input
                mono
                value={value.images[key]}
                readOnly={!isAdmin}
                onChange={(e) => set({ images: { ...value.images, [key]: e.target.value } })}
              />
            </Field>
          ))}
          <Field label="Cache" error={errors.cacheFlavor}>
            <Select
              value={value.cacheFlavor}
              disabled={!isAdmin}
              onChange={(e) => set({ cacheFlavor: e.target.value as GoLiveSettings["cacheFlavor"] })}
            >
              <option value="dragonfly">Dragonfly</option>
              <option value="redis">Redis</option>
            </Select>
          </Field>
          <Field label="Proxy" error={errors.proxy}>
            <Select value={value.proxy} disabled={!isAdmin} onChange={(e) => set({ proxy: e.target.value as GoLiveSettings["proxy"] })}>
              <option value="caddy">Caddy</option>
              <option value="nginx">Nginx</option>
            </Select>
          </Field>
          <fieldset className="grid gap-1 sm:col-span-2" disabled={!isAdmin}>
            <legend className="mb-1 text-sm font-medium">Smoke tests</legend>
            {SMOKE_STEP_KEYS.map((k) => (
              <Checkbox
                key={k}
                label={k}
                checked={value.smokeSteps.includes(k)}
                onChange={(e) => set({ smokeSteps: e.target.checked ? [...value.smokeSteps, k] : value.smokeSteps.filter((x) => x !== k) })}
              />
            ))}
            {errors.smokeSteps ? <p className="text-sm text-danger">{errors.smokeSteps}</p> : null}
          </fieldset>
          {isAdmin ? (
            <div className="sm:col-span-2">
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </div>
          ) : null}
        </form>
      </CardContent>
    </Card>
  );
}
