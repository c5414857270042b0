// The signed-in frame: sidebar (a drawer on narrow windows), the top bar with the budget banner,
// emergency stop, notifications and account menu, and the page.

import { Menu } from "lucide-react";
import { Dialog as RadixDialog } from "radix-ui";
import { Suspense, useState } from "react";
import { Outlet } from "react-router";
import { LiveEventsProvider, useLiveState } from "../../live/live-events";
import { BudgetBanner } from "../budgets/budget-banner";
import { EmergencyButton } from "../emergency/emergency-button";
import { NotificationBell } from "../notifications/bell";
import { Button } from "../ui/button";
import { Loading } from "../ui/states";
import { AccountMenu } from "./account-menu";
import { CommandPalette } from "./command-palette";
import { Sidebar } from "./sidebar";

function ConnectionNotice() {
  const state = useLiveState();
  if (state !== "reconnecting") return null;
  return (
    <p role="status" className="bg-warn-bg px-4 py-1 text-center text-xs text-warn">
      Live updates are reconnecting…
    </p>
  );
}

export function AppShell() {
  const [drawer, setDrawer] = useState(false);
  return (
    <LiveEventsProvider>
      <div className="flex h-full">
        <aside className="hidden w-64 shrink-0 border-r border-border bg-surface md:block">
          <Sidebar />
        </aside>
        <RadixDialog.Root open={drawer} onOpenChange={setDrawer}>
          <RadixDialog.Portal>
            <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/40 md:hidden" />
            <RadixDialog.Content className="fixed inset-y-0 left-0 z-50 w-72 bg-surface shadow-xl md:hidden">
              <RadixDialog.Title className="sr-only">Navigation</RadixDialog.Title>
              <RadixDialog.Description className="sr-only">
                Projects, chats and sections
              </RadixDialog.Description>
              <Sidebar onNavigate={() => setDrawer(false)} />
            </RadixDialog.Content>
          </RadixDialog.Portal>
        </RadixDialog.Root>

        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex h-14 shrink-0 items-center gap-2 border-b border-border bg-surface px-3">
            <Button
              variant="ghost"
              size="icon"
              className="md:hidden"
              aria-label="Open navigation"
              onClick={() => setDrawer(true)}
            >
              <Menu size={18} aria-hidden />
            </Button>
            <span className="font-semibold text-accent">Crewdeck</span>
            <div className="ml-auto flex items-center gap-2">
              <CommandPalette />
              <EmergencyButton />
              <NotificationBell />
              <AccountMenu />
            </div>
          </header>
          <ConnectionNotice />
          <BudgetBanner />
          <main className="min-h-0 flex-1 overflow-y-auto">
            <Suspense fallback={<Loading />}>
              <Outlet />
            </Suspense>
          </main>
        </div>
      </div>
    </LiveEventsProvider>
  );
}
