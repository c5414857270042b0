// Administration (site administrators only): the site's figures, who may sign up, and every account.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { GitHubSection } from "../../components/admin/github-section";
import { MetricsCards } from "../../components/admin/metrics-cards";
import { ProvidersSection } from "../../components/admin/providers-section";
import { SiteSettingsSection } from "../../components/admin/site-settings-section";
import { UsersTable } from "../../components/admin/users-table";
import { WebhookDeliveriesSection } from "../../components/admin/webhook-deliveries-section";
import { TextField } from "../../components/ui/field";
import { Pager } from "../../components/ui/pager";
import { Empty, QueryState } from "../../components/ui/states";
import { useTRPC } from "../../lib/trpc";
import { useMe } from "../../lib/use-me";
import { usePageTitle } from "../../lib/use-page-title";
import { useSettled } from "../../lib/use-settled";

const PAGE_SIZE = 25;

function UsersSection() {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const query = useSettled(search.trim(), 300);
  // The page belongs to the search it was chosen for: a new search starts from its first page.
  const [paging, setPaging] = useState({ query, page: 1 });
  const page = paging.query === query ? paging.page : 1;
  const setPage = (next: number) => setPaging({ query, page: next });
  const users = useQuery(
    trpc.admin.users.list.queryOptions({ page, limit: PAGE_SIZE, ...(query && { search: query }) }),
  );

  return (
    <section aria-labelledby="users-heading" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="users-heading" className="text-lg font-semibold">
          Users {users.data && <span className="text-sm font-normal text-muted">({users.data.total})</span>}
        </h2>
        <TextField
          label="Search users"
          type="search"
          className="w-full sm:w-72"
          placeholder="Name, email or username"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      <QueryState query={users} loading="Loading users…">
        {(data) =>
          data.items.length === 0 ? (
            <Empty title={query ? "No users match" : "No users"}>
              {query ? `Nobody's name, email or username contains “${query}”.` : null}
            </Empty>
          ) : (
            <>
              <UsersTable users={data.items} />
              <Pager page={data.page} pages={data.pages} onPage={setPage} label="User pages" />
            </>
          )
        }
      </QueryState>
    </section>
  );
}

export default function AdminPage() {
  usePageTitle("Administration");
  const me = useMe();
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-6 p-4 sm:p-6">
      <h1 className="text-xl font-semibold">Administration</h1>
      <QueryState query={me}>
        {(profile) => (profile.role === "admin" ? <AdminSections /> : <AdminsOnly />)}
      </QueryState>
    </div>
  );
}

function AdminsOnly() {
  return (
    <Empty title="Administrators only">
      This page manages every account on the site. Ask an administrator if you need something changed.
    </Empty>
  );
}

function AdminSections() {
  return (
    <>
      <section aria-labelledby="metrics-heading" className="flex flex-col gap-3">
        <h2 id="metrics-heading" className="text-lg font-semibold">
          Site
        </h2>
        <MetricsCards />
      </section>
      <SiteSettingsSection />
      <ProvidersSection />
      <GitHubSection />
      <UsersSection />
      <WebhookDeliveriesSection />
    </>
  );
}
