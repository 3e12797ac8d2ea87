"use client";

import { useEffect, useState } from "react";
import { toast } from "sonner";
import { Button, type ButtonSize, type ButtonVariant } from "./button";
import { IconCheck, IconCopy } from "./icons";

export type CopyButtonProps = {
  text: string;
  /** What is copied, for the accessible name ("Copy fingerprint"). Shown as text unless `iconOnly`. */
  label?: string;
  iconOnly?: boolean;
  variant?: ButtonVariant;
  size?: ButtonSize;
  className?: string;
};

/** Clipboard API needs a secure context; the panel is often reached over plain http on a LAN IP. */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const textarea = document.createElement("textarea");
  textarea.value = text;
  textarea.setAttribute("readonly", "");
  textarea.style.position = "fixed";
  textarea.style.opacity = "0";
  document.body.appendChild(textarea);
  textarea.select();
  const isCopied = document.execCommand("copy");
  textarea.remove();
  if (!isCopied) throw new Error("Copy command was refused");
}

export function CopyButton({ text, label = "Copy", iconOnly = false, variant = "secondary", size, className }: CopyButtonProps) {
  const [isCopied, setIsCopied] = useState(false);

  useEffect(() => {
    if (!isCopied) return;
    const timer = window.setTimeout(() => setIsCopied(false), 1500);
    return () => window.clearTimeout(timer);
  }, [isCopied]);

  async function handleClick() {
    try {
      await copyText(text);
      setIsCopied(true);
      toast.success("Copied");
    } catch {
      toast.error("Could not copy. Select the text and press Ctrl+C instead.");
    }
  }

  const Icon = isCopied ? IconCheck : IconCopy;
  return (
    <Button
      type="button"
      variant={variant}
      size={size ?? (iconOnly ? "icon" : "sm")}
      onClick={handleClick}
      aria-label={iconOnly ? label : undefined}
      title={iconOnly ? label : undefined}
      className={className}
    >
      <Icon className="size-3.5" />
      {iconOnly ? null : label}
    </Button>
  );
}
