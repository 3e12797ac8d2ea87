"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { fieldErrorsOf, messageOf } from "@/trpc/errors";
import { checkInput } from "@/components/ui/check-input";
import { ZScheduleInput, type TScheduleInput } from "@/server/domain/schedules";

export type ScheduleFormValue = TScheduleInput;

export const NEW_SCHEDULE: ScheduleFormValue = {
  kind: "backup",
  cron: "0 3 * * *",
  enabled: true,
  keepLast: 7,
  keepDaily: 7,
  keepWeekly: 4,
};

/** Add or edit a schedule, checked with the procedures' own schema (cron validated with croner) before it is sent. */
export function ScheduleForm({
  initial,
  onSubmit,
  onCancel,
}: {
  initial: ScheduleFormValue;
  onSubmit: (v: ScheduleFormValue) => Promise<void>;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ScheduleFormValue>(k: K, v: ScheduleFormValue[K]) => setValue((old) => ({ ...old, [k]: v }));
  const num = (k: "keepLast" | "keepDaily" | "keepWeekly", label: string) => (
    <Field label={label} error={errors[k]}>
      <Input type="number" min={0} value={value[k]} onChange={(e) => set(k, Number(e.target.value))} className="w-20" />
    </Field>
  );

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setFormError(null);
    const checked = checkInput(ZScheduleInput, value);
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors({});
    try {
      await onSubmit(value);
    } catch (err) {
      const fields = fieldErrorsOf(err);
      setErrors(fields);
      if (!Object.keys(fields).length) setFormError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3 rounded border border-border p-3" data-testid="schedule-form">
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Kind">
          <Select value={value.kind} onChange={(e) => set("kind", e.target.value as ScheduleFormValue["kind"])}>
            <option value="backup">database backup</option>
            <option value="uploads">uploads backup</option>
            <option value="drill">restore drill</option>
          </Select>
        </Field>
        <Field label="Cron (UTC)" error={errors.cron} hint="5 fields, or 6 with seconds first">
          <Input mono value={value.cron} onChange={(e) => set("cron", e.target.value)} className="w-48" />
        </Field>
        {value.kind !== "drill" ? (
          <>
            {num("keepLast", "Keep last")}
            {num("keepDaily", "Daily")}
            {num("keepWeekly", "Weekly")}
          </>
        ) : null}
        <Checkbox label="Enabled" checked={value.enabled} onChange={(e) => set("enabled", e.target.checked)} />
      </div>
      {formError ? (
        <p className="text-sm text-danger" role="alert">
          {formError}
        </p>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" size="sm" loading={busy}>
          Save schedule
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
