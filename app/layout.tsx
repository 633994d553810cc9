import type { Metadata } from "next";
import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { parseThemeChoice, THEME_COOKIE } from "@/components/theme/theme";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { TrpcProvider } from "@/components/providers/trpc-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Strategy Lab", template: "%s · Strategy Lab" },
  description: "Turn trading ideas into tested strategies: generate, backtest, optimize, screen and alert — as a team.",
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "any" },
      { url: "/icon-192.png", type: "image/png", sizes: "192x192" },
    ],
    apple: "/icon-192.png",
  },
  manifest: "/manifest.webmanifest",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const theme = parseThemeChoice((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" data-theme={theme === "system" ? undefined : theme}>
      <body className="min-h-screen">
        <TrpcProvider>{children}</TrpcProvider>
        <div className="fixed right-3 bottom-3 z-50 print:hidden">
          <ThemeToggle />
        </div>
      </body>
    </html>
  );
}
