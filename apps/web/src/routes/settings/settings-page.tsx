// The signed-in user's settings: profile, sessions, API keys and security (password, two-factor, the
// account's data), one tab each. The open tab is in the address (?tab=security) so a link can lead
// straight to it.
import { Tabs } from "radix-ui";
import { useSearchParams } from "react-router";
import { GitHubPanel } from "../../components/github/github-panel";
import { AccountDataPanel } from "../../components/settings/account-data-panel";
import { ApiKeysPanel } from "../../components/settings/api-keys-panel";
import { PasswordPanel } from "../../components/settings/password-panel";
import { ProfilePanel } from "../../components/settings/profile-panel";
import { SessionsPanel } from "../../components/settings/sessions-panel";
import { TwoFactorPanel } from "../../components/settings/two-factor-panel";
import { QueryState } from "../../components/ui/states";
import { useMe } from "../../lib/use-me";
import { usePageTitle } from "../../lib/use-page-title";

const TABS = [
  ["profile", "Profile"],
  ["sessions", "Sessions"],
  ["api-keys", "API keys"],
  ["security", "Security"],
  ["github", "GitHub"],
] as const;
type Tab = (typeof TABS)[number][0];

const tabClass =
  "-mb-px shrink-0 border-b-2 border-transparent px-3 py-2 text-sm font-medium text-muted hover:text-text data-[state=active]:border-accent data-[state=active]:text-accent";

export default function SettingsPage() {
  usePageTitle("Settings");
  const me = useMe();
  const [params, setParams] = useSearchParams();
  // GitHub sends people back with `?github=…`: that is the GitHub tab's news.
  const asked = params.get("github") ? "github" : params.get("tab");
  const tab: Tab = TABS.find(([value]) => value === asked)?.[0] ?? "profile";
  const selectTab = (value: string) =>
    setParams(value === "profile" ? {} : { tab: value }, { replace: true });

  return (
    <div className="mx-auto flex max-w-5xl flex-col gap-4 p-4 sm:p-6">
      <h1 className="text-xl font-semibold">Settings</h1>
      <Tabs.Root value={tab} onValueChange={selectTab} className="flex flex-col gap-5">
        <Tabs.List aria-label="Settings sections" className="flex overflow-x-auto border-b border-border">
          {TABS.map(([value, label]) => (
            <Tabs.Trigger key={value} value={value} className={tabClass}>
              {label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="profile">
          <QueryState query={me} loading="Loading your profile…">
            {(profile) => <ProfilePanel key={profile.id} profile={profile} />}
          </QueryState>
        </Tabs.Content>
        <Tabs.Content value="sessions" className="flex flex-col gap-3">
          <p className="text-sm text-muted">Browsers and apps signed in to your account.</p>
          <SessionsPanel />
        </Tabs.Content>
        <Tabs.Content value="api-keys">
          <ApiKeysPanel />
        </Tabs.Content>
        <Tabs.Content value="security" className="flex flex-col gap-8">
          <PasswordPanel />
          <QueryState query={me} loading="Loading…">
            {(profile) => <TwoFactorPanel profile={profile} />}
          </QueryState>
          <AccountDataPanel />
        </Tabs.Content>
        <Tabs.Content value="github">
          <GitHubPanel />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
