import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { THEME_INIT_SCRIPT } from "@/components/ui/theme";
import { ThemeSync } from "@/components/ui/theme-sync";
import { Toaster } from "@/components/ui/toaster";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "PixelFox Ops", template: "%s · PixelFox Ops" },
  description: "Deploy and operate PixelFox on your VPS hosts.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // suppressHydrationWarning: the pre-paint script adds the `dark` class before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_INIT_SCRIPT }} />
      </head>
      <body className="min-h-dvh bg-canvas text-fg antialiased">
        <ThemeSync />
        <Providers>{children}</Providers>
        <Toaster />
      </body>
    </html>
  );
}
