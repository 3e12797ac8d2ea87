"use client";

import { type ReactNode, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { api, type RouterOutputs } from "@/trpc/react";
import { reportFormError } from "./form-errors";
import { ConfirmTotpForm, DisableTotpForm, StartTotpForm } from "./totp-forms";

type Account = RouterOutputs["account"]["get"];
type Enrolment = RouterOutputs["account"]["beginTotp"];

/**
 * Two-factor sign-in: set up with an authenticator app (QR code or the secret typed in), confirmed
 * by a first code; recovery codes are shown once. Setting it up and turning it off ask for the
 * password again; turning it off also asks for a current code.
 */
export function TwoFactorCard({ account }: { account: Account }) {
  const utils = api.useUtils();
  // Security: the password typed to start the set-up is held in memory only until it is confirmed
  // (the confirmation checks it again), never stored.
  const [enrolment, setEnrolment] = useState<(Enrolment & { password: string }) | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const onError = (err: unknown) => setErrors(reportFormError(err, ["code", "password"]).fieldErrors);
  const begin = api.account.beginTotp.useMutation({ onError });
  const confirm = api.account.confirmTotp.useMutation({ onError });
  const disable = api.account.disableTotp.useMutation({ onError });

  async function run(form: HTMLFormElement, action: () => Promise<void>) {
    setErrors({});
    try {
      await action();
      form.reset();
      void utils.account.get.invalidate();
    } catch {
      // Shown by onError.
    }
  }

  return (
    <Card data-testid="two-factor">
      <CardHeader actions={account.hasTotp ? <Badge tone="success">on</Badge> : <Badge tone="neutral">off</Badge>}>
        <CardTitle>Two-factor sign-in</CardTitle>
        <CardDescription>A 6-digit code from an authenticator app (TOTP) besides the password; each code works once.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {recoveryCodes ? <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} /> : null}
        {account.hasTotp ? (
          <>
            <p className="text-sm text-muted">
              {account.recoveryCodesLeft} unused recovery code{account.recoveryCodesLeft === 1 ? "" : "s"} left.
            </p>
            <DisableTotpForm
              errors={errors}
              isPending={disable.isPending}
              onSubmit={(values, form) =>
                void run(form, async () => {
                  await disable.mutateAsync(values);
                  toast.success("Two-factor sign-in is off");
                })
              }
            />
          </>
        ) : enrolment ? (
          <EnrolmentStep enrolment={enrolment}>
            <ConfirmTotpForm
              errors={errors}
              isPending={confirm.isPending}
              onSubmit={({ code }, form) =>
                void run(form, async () => {
                  const result = await confirm.mutateAsync({ code, password: enrolment.password });
                  setEnrolment(null);
                  setRecoveryCodes(result.recoveryCodes);
                  toast.success("Two-factor sign-in is on");
                })
              }
            />
          </EnrolmentStep>
        ) : (
          <StartTotpForm
            errors={errors}
            isPending={begin.isPending}
            onSubmit={({ password }, form) =>
              void run(form, async () => setEnrolment({ ...(await begin.mutateAsync({ password })), password }))
            }
          />
        )}
      </CardContent>
    </Card>
  );
}

function EnrolmentStep({ enrolment, children }: { enrolment: Enrolment; children: ReactNode }) {
  return (
    <div className="grid gap-4 md:grid-cols-[auto_1fr]">
      {/* Security: the SVG is generated on the server from our own otpauth URI (the qrcode library), never from user input. */}
      <div
        className="size-44 rounded-md bg-white p-2"
        aria-label="QR code for your authenticator app"
        role="img"
        data-testid="totp-qr"
        dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}
      />
      <div className="grid content-start gap-3">
        <p className="text-sm">Scan the code with your authenticator app, or type in this secret:</p>
        <div className="flex items-center gap-2">
          <code className="rounded bg-subtle px-2 py-1 font-mono text-sm" data-testid="totp-secret">
            {enrolment.secret}
          </code>
          <CopyButton text={enrolment.secret} label="Copy secret" iconOnly size="sm" />
        </div>
        {children}
      </div>
    </div>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Alert tone="warning" title="Save your recovery codes now: they are shown only once">
      <p className="mb-2 text-sm">Each one signs you in once instead of a code, if you lose the device.</p>
      <pre className="mb-2 grid grid-cols-2 gap-x-6 font-mono text-sm sm:grid-cols-5" data-testid="recovery-codes">
        {codes.join("\n")}
      </pre>
      <div className="flex gap-2">
        <CopyButton text={codes.join("\n")} label="Copy recovery codes" size="sm" />
        <Button size="sm" variant="secondary" onClick={onDone}>
          I have saved them
        </Button>
      </div>
    </Alert>
  );
}
