"use client";

import { usePathname } from "next/navigation";
import { type ReactNode, useState } from "react";
import { Button } from "@/components/ui/button";
import { IconMenu, IconX } from "@/components/ui/icons";
import { Brand } from "./brand";
import { NavLinks } from "./nav-links";
import { UserPanel, type UserPanelProps } from "./user-panel";

export type AppShellProps = UserPanelProps & { children: ReactNode };

/** Signed-in frame: sidebar on wide screens, a top bar with a drop-down menu on narrow ones. */
export function AppShell({ user, signOutAction, children }: AppShellProps) {
  const pathname = usePathname();
  const [isMenuOpen, setIsMenuOpen] = useState(false);
  const [menuPathname, setMenuPathname] = useState(pathname);

  // Close the mobile menu after navigating (adjusting state during render, no effect needed).
  if (pathname !== menuPathname) {
    setMenuPathname(pathname);
    setIsMenuOpen(false);
  }

  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[15rem_minmax(0,1fr)]">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-surface px-3 py-2 text-sm focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>

      <aside className="sticky top-0 hidden h-dvh flex-col border-r border-border bg-surface lg:flex">
        <div className="flex h-14 items-center px-4">
          <Brand href="/" />
        </div>
        <nav aria-label="Main" className="flex-1 overflow-y-auto px-2 py-2">
          <NavLinks />
        </nav>
        <UserPanel user={user} signOutAction={signOutAction} />
      </aside>

      <header
        className="sticky top-0 z-30 border-b border-border bg-surface/95 backdrop-blur lg:hidden"
        onKeyDown={(event) => {
          if (event.key === "Escape") setIsMenuOpen(false);
        }}
      >
        <div className="flex h-12 items-center justify-between px-4">
          <Brand href="/" />
          <Button
            type="button"
            variant="ghost"
            size="icon"
            aria-label={isMenuOpen ? "Close menu" : "Open menu"}
            aria-expanded={isMenuOpen}
            aria-controls="mobile-nav"
            onClick={() => setIsMenuOpen((open) => !open)}
          >
            {isMenuOpen ? <IconX /> : <IconMenu />}
          </Button>
        </div>
        {isMenuOpen ? (
          <div id="mobile-nav" className="max-h-[calc(100dvh-3rem)] overflow-y-auto border-t border-border">
            <nav aria-label="Main" className="px-2 py-3">
              <NavLinks />
            </nav>
            <UserPanel user={user} signOutAction={signOutAction} />
          </div>
        ) : null}
      </header>

      <main id="main" tabIndex={-1} className="min-w-0 focus:outline-none">
        <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 lg:px-8 lg:py-8">{children}</div>
      </main>
    </div>
  );
}
