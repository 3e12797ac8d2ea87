"use client";

import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { reportFormError, reportInvalidInput } from "@/components/settings/form-errors";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { checkInput } from "@/components/ui/check-input";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import type { AuditCheck } from "@/server/domain/security-audit";
import { ZAcceptRiskInput } from "@/server/domain/security-audit-inputs";
import { api } from "@/trpc/react";

/** "Accept risk" for a failing check (admins): a dialog asking why, checked with the procedure's own schema. */
export function AcceptRiskButton({ stack, host, check }: { stack: string; host: string; check: AuditCheck }) {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <>
      <Button type="button" size="sm" variant="ghost" onClick={() => setIsOpen(true)}>
        Accept risk
      </Button>
      <Dialog
        open={isOpen}
        onOpenChange={setIsOpen}
        title={`Accept the risk: ${check.label}`}
        description={`On ${host}. The check still counts as failed in the score; the risk is shown with your reason until it is revoked.`}
      >
        <AcceptRiskForm stack={stack} host={host} check={check} onDone={() => setIsOpen(false)} />
      </Dialog>
    </>
  );
}

function AcceptRiskForm({ stack, host, check, onDone }: { stack: string; host: string; check: AuditCheck; onDone: () => void }) {
  const utils = api.useUtils();
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const accept = api.security.acceptRisk.useMutation({
    onSuccess: () => {
      toast.success(`Risk accepted: ${check.label} on ${host}`);
      void utils.security.overview.invalidate({ stack });
      onDone();
    },
    onError: (err) => {
      const reported = reportFormError(err, ["reason"]);
      setErrors(reported.fieldErrors);
      setFormError(reported.formError);
    },
  });

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const checked = checkInput(ZAcceptRiskInput, { stack, rule: check.id, subject: host, reason });
    if (!checked.ok) return (setErrors(checked.errors), reportInvalidInput());
    setErrors({});
    accept.mutate(checked.data);
  }

  return (
    <form onSubmit={handleSubmit} noValidate className="grid gap-4">
      {formError ? (
        <Alert tone="danger" subtle>
          {formError}
        </Alert>
      ) : null}
      <Field
        label="Reason"
        required
        error={errors.reason ?? errors.rule ?? errors.subject}
        hint="Why this is acceptable here, for whoever reads the audit next (at least 10 characters)."
      >
        <Textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={500} data-autofocus />
      </Field>
      <div className="flex justify-end gap-2">
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" loading={accept.isPending}>
          Accept risk
        </Button>
      </div>
    </form>
  );
}
