import type { Metadata, Viewport } from "next";
import Link from "next/link";
import "./globals.css";
import { MushroomIcon } from "./_components/mushroom-icon";

export const metadata: Metadata = {
  title: { default: "Mushroom ID", template: "%s · Mushroom ID" },
  description: "Identify mushrooms from a photo, on your device, and browse a catalog of species. Never eat a wild mushroom on the strength of an app.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#2f4622" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-moss-50 text-stone-900 antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:m-2 focus:rounded focus:bg-white focus:p-2">
          Skip to content
        </a>
        <header className="bg-moss-800 text-white">
          <nav aria-label="Main" className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
            <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight">
              <MushroomIcon className="h-6 w-6" /> Mushroom ID
            </Link>
            <Link href="/identify" className="hover:underline">
              Identify
            </Link>
            <Link href="/species" className="hover:underline">
              Species
            </Link>
          </nav>
        </header>
        <main id="main" className="mx-auto max-w-5xl px-4 py-6">
          {children}
        </main>
        <footer className="mx-auto max-w-5xl px-4 pb-8 pt-4 text-sm text-stone-600">
          <p>
            Never eat a wild mushroom on the strength of an app or a website. Species facts from{" "}
            <a className="underline" href="https://www.mushroom.world">mushroom.world</a> and the sources named on each page.
          </p>
        </footer>
      </body>
    </html>
  );
}
