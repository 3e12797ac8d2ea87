"use client";

import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { api, type RouterOutputs } from "@/trpc/react";
import { reportFormError } from "./form-errors";

type Account = RouterOutputs["account"]["get"];
type Enrolment = RouterOutputs["account"]["beginTotp"];

/**
 * Two-factor sign-in: set up with an authenticator app (QR code or the secret typed in), confirmed
 * by a first code; recovery codes are shown once. Turning it off asks for a current code.
 */
export function TwoFactorCard({ account }: { account: Account }) {
  const utils = api.useUtils();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const onError = (err: unknown) => setErrors(reportFormError(err, ["code"]).fieldErrors);
  const begin = api.account.beginTotp.useMutation({
    onSuccess: (e) => {
      setEnrolment(e);
      setErrors({});
    },
    onError,
  });
  const confirm = api.account.confirmTotp.useMutation({ onError });
  const disable = api.account.disableTotp.useMutation({ onError });

  async function submitCode(event: FormEvent<HTMLFormElement>, run: (code: string) => Promise<void>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    setErrors({});
    try {
      await run(String(new FormData(formElement).get("code") ?? ""));
      formElement.reset();
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
        {recoveryCodes ? (
          <Alert tone="warning" title="Save your recovery codes now: they are shown only once">
            <p className="mb-2 text-sm">Each one signs you in once instead of a code, if you lose the device.</p>
            <pre className="mb-2 grid grid-cols-2 gap-x-6 font-mono text-sm sm:grid-cols-5" data-testid="recovery-codes">
              {recoveryCodes.join("\n")}
            </pre>
            <div className="flex gap-2">
              <CopyButton text={recoveryCodes.join("\n")} label="Copy recovery codes" size="sm" />
              <Button size="sm" variant="secondary" onClick={() => setRecoveryCodes(null)}>
                I have saved them
              </Button>
            </div>
          </Alert>
        ) : null}
        {account.hasTotp ? (
          <form
            noValidate
            className="grid gap-3 sm:grid-cols-[16rem_auto] sm:items-start"
            onSubmit={(e) =>
              submitCode(e, async (code) => {
                await disable.mutateAsync({ code });
                toast.success("Two-factor sign-in is off");
              })
            }
          >
            <p className="text-sm text-muted sm:col-span-2">
              {account.recoveryCodesLeft} unused recovery code{account.recoveryCodesLeft === 1 ? "" : "s"} left.
            </p>
            <Field label="Current code" error={errors.code} hint="To turn it off: a code from the app, or a recovery code.">
              <Input name="code" autoComplete="one-time-code" mono maxLength={32} />
            </Field>
            <Button type="submit" variant="danger" loading={disable.isPending} className="justify-self-start sm:mt-6">
              Turn off
            </Button>
          </form>
        ) : enrolment ? (
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
              <form
                noValidate
                className="grid gap-3 sm:grid-cols-[12rem_auto] sm:items-start"
                onSubmit={(e) =>
                  submitCode(e, async (code) => {
                    const result = await confirm.mutateAsync({ code });
                    setEnrolment(null);
                    setRecoveryCodes(result.recoveryCodes);
                    toast.success("Two-factor sign-in is on");
                  })
                }
              >
                <Field label="Code from the app" error={errors.code}>
                  <Input name="code" autoComplete="one-time-code" inputMode="numeric" mono maxLength={6} autoFocus />
                </Field>
                <Button type="submit" loading={confirm.isPending} className="justify-self-start sm:mt-6">
                  Turn on
                </Button>
              </form>
            </div>
          </div>
        ) : (
          <div>
            <Button onClick={() => begin.mutate()} loading={begin.isPending}>
              Set up two-factor sign-in
            </Button>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
