import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";
import { IconAlertTriangle, IconCircleCheck, IconInfo, IconShieldAlert } from "./icons";
import { type Tone, toneSoft, toneText } from "./tone";

export type AlertProps = Omit<ComponentProps<"div">, "title"> & {
  tone?: Tone;
  title?: ReactNode;
  /** Buttons shown under the message (e.g. "Review new fingerprint"). */
  actions?: ReactNode;
  /** Replace the tone's icon; `null` hides it. */
  icon?: ReactNode | null;
  /**
   * Danger alerts are solid red by default because they mean "stop" (host key changed, deploy failed).
   * Set `subtle` for minor, recoverable errors.
   */
  subtle?: boolean;
};

const defaultIcons: Record<Tone, ReactNode> = {
  neutral: <IconInfo className="size-4" />,
  info: <IconInfo className="size-4" />,
  success: <IconCircleCheck className="size-4" />,
  warning: <IconAlertTriangle className="size-4" />,
  danger: <IconShieldAlert className="size-5" />,
};

export function Alert({ tone = "info", title, actions, icon, subtle = false, className, children, ...props }: AlertProps) {
  const isLoud = tone === "danger" && !subtle;
  const shownIcon = icon === undefined ? defaultIcons[tone] : icon;
  return (
    <div
      role={tone === "danger" || tone === "warning" ? "alert" : "status"}
      {...props}
      className={cn(
        "flex gap-3 rounded-lg border text-sm",
        isLoud
          ? "border-red-900 border-l-8 bg-danger-solid px-4 py-3.5 text-white shadow-lg ring-4 ring-danger-solid/25"
          : cn("px-3 py-2.5", toneSoft[tone]),
        className,
      )}
    >
      {shownIcon ? (
        <span className={cn("mt-0.5 shrink-0", isLoud ? "text-white" : toneText[tone])} aria-hidden="true">
          {shownIcon}
        </span>
      ) : null}
      <div className="grid min-w-0 flex-1 gap-1">
        {title ? <p className={cn("font-semibold", isLoud && "text-base tracking-wide uppercase")}>{title}</p> : null}
        {children ? <div className={isLoud ? "text-white/95" : "text-fg"}>{children}</div> : null}
        {actions ? <div className="mt-2 flex flex-wrap gap-2">{actions}</div> : null}
      </div>
    </div>
  );
}
