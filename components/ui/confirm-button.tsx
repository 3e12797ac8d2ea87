"use client";

import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { messageOf } from "@/trpc/errors";
import { Button, type ButtonProps } from "./button";
import { ConfirmDialog } from "./confirm-dialog";

export interface ConfirmButtonProps {
  label: ReactNode;
  title: string;
  description: string;
  confirmLabel: string;
  /** Text the user must type before confirming (destructive actions). */
  requireText?: string;
  variant?: ButtonProps["variant"];
  size?: ButtonProps["size"];
  /** The dialog's tone; danger by default for a danger button. */
  tone?: "danger" | "default";
  /** Runs on confirm; a thrown error is toasted and keeps the dialog open with the message. */
  onConfirm: () => Promise<void>;
}

/** A button that opens a (danger) confirmation and runs the action only after it is confirmed. */
export function ConfirmButton({
  label,
  title,
  description,
  confirmLabel,
  requireText,
  variant = "danger",
  size,
  tone,
  onConfirm,
}: ConfirmButtonProps) {
  const [isOpen, setIsOpen] = useState(false);

  async function handleConfirm() {
    try {
      await onConfirm();
    } catch (err) {
      toast.error(messageOf(err));
      throw err;
    }
  }

  return (
    <>
      <Button type="button" variant={variant} size={size} onClick={() => setIsOpen(true)}>
        {label}
      </Button>
      <ConfirmDialog
        open={isOpen}
        onOpenChange={setIsOpen}
        tone={tone ?? (variant === "danger" ? "danger" : "default")}
        title={title}
        description={description}
        confirmLabel={confirmLabel}
        requireText={requireText}
        onConfirm={handleConfirm}
      />
    </>
  );
}
