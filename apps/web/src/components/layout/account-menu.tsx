import { useQueryClient } from "@tanstack/react-query";
import { CircleUser } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { useState } from "react";
import { useNavigate } from "react-router";
import { useServices } from "../../lib/app-context";
import { chooseTheme, storedTheme, type Theme } from "../../lib/theme";
import { useMe } from "../../lib/use-me";
import { Button } from "../ui/button";

const itemClass = "cursor-pointer rounded px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-subtle";

export function AccountMenu() {
  const { session, client } = useServices();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = useMe();
  const [theme, setTheme] = useState<Theme>(storedTheme);

  const signOut = async (allDevices = false) => {
    const refreshToken = session.refreshToken;
    // Revoke on the server first; signing out locally must work even when it cannot be reached.
    await client.auth.logout
      .mutate(allDevices ? { allDevices: true } : { refresh_token: refreshToken ?? undefined })
      .catch(() => {});
    session.clear();
    queryClient.clear();
    navigate("/login", { replace: true });
  };

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button variant="ghost" size="sm" aria-label="Account">
          <CircleUser size={18} aria-hidden />
          <span className="hidden max-w-32 truncate sm:inline">
            {me.data?.name ?? me.data?.username ?? ""}
          </span>
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-50 min-w-48 rounded-md border border-border bg-surface p-1 shadow-lg"
        >
          {me.data && (
            <DropdownMenu.Label className="px-2 py-1.5 text-xs text-muted">
              {me.data.email}
            </DropdownMenu.Label>
          )}
          <DropdownMenu.Item className={itemClass} onSelect={() => navigate("/settings")}>
            Settings
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="my-1 h-px bg-border" />
          <DropdownMenu.Label className="px-2 py-1 text-xs text-muted">Theme</DropdownMenu.Label>
          <DropdownMenu.RadioGroup
            value={theme}
            onValueChange={(value) => {
              setTheme(value as Theme);
              chooseTheme(value as Theme);
            }}
          >
            {(
              [
                ["system", "Same as the system"],
                ["light", "Light"],
                ["dark", "Dark"],
              ] as const
            ).map(([value, label]) => (
              <DropdownMenu.RadioItem
                key={value}
                value={value}
                className={`${itemClass} flex items-center gap-2`}
              >
                <span aria-hidden className="w-3">
                  {theme === value ? "✓" : ""}
                </span>
                {label}
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
          <DropdownMenu.Separator className="my-1 h-px bg-border" />
          <DropdownMenu.Item className={itemClass} onSelect={() => void signOut()}>
            Sign out
          </DropdownMenu.Item>
          <DropdownMenu.Item className={itemClass} onSelect={() => void signOut(true)}>
            Sign out everywhere
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
