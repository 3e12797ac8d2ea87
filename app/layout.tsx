import type { Metadata } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { THEME_INIT_SCRIPT } from "@/components/ui/theme";
import { ThemeSync } from "@/components/ui/theme-sync";
import { Toaster } from "@/components/ui/toaster";
import "./globals.css";

const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#f97316"/><path d="M5 5.5 9.5 10h5L19 5.5V13l-7 6.5L5 13Z" fill="#fff"/></svg>',
)}`;

export const metadata: Metadata = {
  title: { default: "PixelFox Ops", template: "%s · PixelFox Ops" },
  description: "Deploy and operate PixelFox on your VPS hosts.",
  // Inline SVG favicon (the fox mark) so no asset file is needed.
  icons: { icon: FAVICON },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Security: the CSP (proxy.ts) runs only scripts with this response's nonce; Next adds it to its own.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // suppressHydrationWarning: the pre-paint script adds the `dark` class before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* suppressHydrationWarning: browsers hide a nonce from the DOM, so the client never sees its value. */}
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: THEME_INIT_SCRIPT }} />
      </head>
      <body className="min-h-dvh bg-canvas text-fg antialiased">
        <ThemeSync />
        <Providers>{children}</Providers>
        <Toaster />
      </body>
    </html>
  );
}
