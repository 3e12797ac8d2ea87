"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";
import { Button } from "./button";
import { cn } from "./cn";
import { wrapTabFocus } from "./focus-trap";
import { IconX } from "./icons";

export type DialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons row at the bottom, right-aligned. */
  footer?: ReactNode;
  /** When false, Escape, the close button and backdrop clicks do nothing (e.g. while a request runs). */
  dismissible?: boolean;
  /** "alertdialog" for confirmations that interrupt the user. */
  role?: "dialog" | "alertdialog";
  className?: string;
};

/**
 * Modal built on native <dialog> (top layer, inert page, Escape via `cancel`), kept controlled by `open`.
 * Content mounts only while open, so its state starts fresh each time. Put `data-autofocus` on the
 * element that should get focus first; focus returns to the opener on close.
 */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  footer,
  dismissible = true,
  role = "dialog",
  className,
}: DialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const openerRef = useRef<HTMLElement | null>(null);
  const pressStartedOnBackdrop = useRef(false);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      openerRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  // If the dialog unmounts while open (route change), still give focus back.
  useEffect(() => () => openerRef.current?.focus(), []);

  function requestClose() {
    if (dismissible) onOpenChange(false);
  }

  return (
    <dialog
      ref={dialogRef}
      role={role}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        // Stay controlled: the parent decides whether Escape closes.
        event.preventDefault();
        requestClose();
      }}
      onClose={() => {
        openerRef.current?.focus();
        openerRef.current = null;
        if (open) onOpenChange(false);
      }}
      onMouseDown={(event) => {
        pressStartedOnBackdrop.current = event.target === event.currentTarget;
      }}
      onClick={(event) => {
        // The dialog box has no padding, so a click on the <dialog> itself is a click on the backdrop.
        if (event.target === event.currentTarget && pressStartedOnBackdrop.current) requestClose();
      }}
      onKeyDown={(event) => wrapTabFocus(event, event.currentTarget)}
      className={cn(
        "m-auto max-h-[85dvh] w-[calc(100%-2rem)] max-w-md overflow-y-auto rounded-xl border border-border bg-surface p-0 text-fg shadow-2xl",
        className,
      )}
    >
      {open ? (
        <div className="flex flex-col">
          <div className="flex items-start justify-between gap-4 px-5 pt-5 pb-3">
            <div className="grid gap-1.5">
              <h2 id={titleId} className="text-base font-semibold text-fg">
                {title}
              </h2>
              {description ? (
                <div id={descriptionId} className="text-sm text-muted">
                  {description}
                </div>
              ) : null}
            </div>
            {dismissible ? (
              <Button
                type="button"
                variant="ghost"
                size="icon"
                aria-label="Close"
                className="-mt-1 -mr-2 size-7 text-muted"
                onClick={requestClose}
              >
                <IconX />
              </Button>
            ) : null}
          </div>
          {children ? <div className="px-5 pb-4">{children}</div> : null}
          {footer ? (
            <div className="flex flex-wrap justify-end gap-2 rounded-b-xl border-t border-border bg-subtle/50 px-5 py-3">{footer}</div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}
