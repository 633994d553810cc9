import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TrpcProvider } from "@/components/providers/trpc-provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Strategy Lab", template: "%s · Strategy Lab" },
  description: "Turn trading ideas into tested strategies: generate, backtest, optimize, screen and alert — as a team.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">
        <TrpcProvider>{children}</TrpcProvider>
      </body>
    </html>
  );
}
