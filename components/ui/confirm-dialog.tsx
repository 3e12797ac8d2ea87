"use client";

import { type ReactNode, useId, useRef, useState } from "react";
import { Alert } from "./alert";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { Input } from "./input";

export type ConfirmDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  tone?: "default" | "danger";
  /** The user must type this exactly (e.g. the host name) before Confirm enables. */
  requireText?: string;
  /** May be async: the dialog shows a spinner, closes on success, stays open with the error message on failure. */
  onConfirm: () => void | Promise<void>;
  /** Extra content between the description and the buttons (e.g. what will be affected). */
  children?: ReactNode;
};

function describeError(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return "The action failed. Check the audit log and try again.";
}

export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel = "Confirm",
  cancelLabel = "Cancel",
  tone = "default",
  requireText,
  onConfirm,
  children,
}: ConfirmDialogProps) {
  const [typedText, setTypedText] = useState("");
  const [isPending, setIsPending] = useState(false);
  const [errorMessage, setErrorMessage] = useState<string | null>(null);
  const [wasOpen, setWasOpen] = useState(open);
  const confirmRef = useRef<HTMLButtonElement>(null);

  // Each opening starts clean (reset during render, not in an effect, to avoid a stale frame).
  if (open !== wasOpen) {
    setWasOpen(open);
    if (open) {
      setTypedText("");
      setErrorMessage(null);
    }
  }

  const canConfirm = requireText === undefined || typedText === requireText;

  async function handleConfirm() {
    if (!canConfirm || isPending) return;
    setErrorMessage(null);
    setIsPending(true);
    try {
      await onConfirm();
      onOpenChange(false);
    } catch (error) {
      setErrorMessage(describeError(error));
      // The button was disabled while pending, which drops focus; put it back for a retry.
      requestAnimationFrame(() => confirmRef.current?.focus());
    } finally {
      setIsPending(false);
    }
  }

  const hasBody = Boolean(children) || requireText !== undefined || errorMessage !== null;
  const focusCancelFirst = tone === "danger" && requireText === undefined;

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={title}
      description={description}
      dismissible={!isPending}
      role="alertdialog"
      footer={
        <>
          <Button
            type="button"
            variant="secondary"
            disabled={isPending}
            onClick={() => onOpenChange(false)}
            data-autofocus={focusCancelFirst || undefined}
          >
            {cancelLabel}
          </Button>
          <Button
            ref={confirmRef}
            type="button"
            onClick={() => void handleConfirm()}
            variant={tone === "danger" ? "danger" : "primary"}
            disabled={!canConfirm}
            loading={isPending}
            data-autofocus={(!focusCancelFirst && requireText === undefined) || undefined}
          >
            {confirmLabel}
          </Button>
        </>
      }
    >
      {hasBody ? (
        <form
          className="grid gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            void handleConfirm();
          }}
        >
          {children}
          {requireText !== undefined ? (
            <TypeToConfirm expected={requireText} value={typedText} onChange={setTypedText} isReadOnly={isPending} />
          ) : null}
          {errorMessage ? (
            <Alert tone="danger" subtle>
              {errorMessage}
            </Alert>
          ) : null}
        </form>
      ) : null}
    </Dialog>
  );
}

type TypeToConfirmProps = {
  expected: string;
  value: string;
  onChange: (value: string) => void;
  isReadOnly: boolean;
};

function TypeToConfirm({ expected, value, onChange, isReadOnly }: TypeToConfirmProps) {
  const inputId = useId();
  return (
    <div className="grid gap-1.5">
      <label htmlFor={inputId} className="text-sm text-fg">
        Type <span className="rounded bg-subtle px-1 py-0.5 font-mono text-[13px] font-semibold">{expected}</span> to confirm
      </label>
      <Input
        id={inputId}
        mono
        value={value}
        onChange={(event) => onChange(event.target.value)}
        readOnly={isReadOnly}
        autoComplete="off"
        autoCapitalize="off"
        autoCorrect="off"
        spellCheck={false}
        data-autofocus
      />
    </div>
  );
}
